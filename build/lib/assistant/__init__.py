"""Guidance assistant for children's social care practitioners (Families First reforms)."""
from assistant.assistant import Assistant, QuestionError
from assistant.models import Answer, Citation
from assistant.retrieve.hybrid import Filters

__all__ = ["Assistant", "Answer", "Citation", "Filters", "QuestionError"]
