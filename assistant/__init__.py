"""Guidance assistant for children's social care practitioners (Families First reforms)."""
from .assistant import Assistant, QuestionError
from .models import Answer, Citation
from .retrieve.hybrid import Filters

__all__ = ["Assistant", "Answer", "Citation", "Filters", "QuestionError"]
