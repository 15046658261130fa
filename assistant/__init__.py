"""Guidance assistant for children's social care practitioners (Families First reforms)."""
import os as _os

# numpy's BLAS threads and torch's threads fight over the cores: with both multi-threaded a query
# took 70 ms instead of 20 ms on 2 cores. Our matrix products are small; one BLAS thread is enough.
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
_os.environ.setdefault("MKL_NUM_THREADS", "1")
from assistant.assistant import Assistant, QuestionError
from assistant.models import Answer, Citation
from assistant.retrieve.hybrid import Filters

__all__ = ["Assistant", "Answer", "Citation", "Filters", "QuestionError"]
