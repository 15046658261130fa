"""Guards on the question itself, applied before anything is stored or logged."""
from assistant.guard.pii import (
    PiiMatch,
    council_words,
    detect_pii,
    pii_kinds,
    redact,
    strip_pii,
)

__all__ = ["PiiMatch", "council_words", "detect_pii", "pii_kinds", "redact", "strip_pii"]
