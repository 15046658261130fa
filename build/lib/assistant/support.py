"""Is a generated sentence supported by the passage it cites?

Lexical check, documented: the share of the sentence's content words (stemmed, stopwords
removed) that occur in the passage must reach `min_overlap`, and every number in the sentence
must appear in the passage verbatim (numbers, dates and money are where paraphrase goes wrong).
"""
from __future__ import annotations

import re

from assistant.text import tokens

_NUM = re.compile(r"£?\d[\d,.]*%?")


def support_score(sentence: str, passage: str) -> float:
    words = set(tokens(sentence))
    if not words:
        return 0.0
    return len(words & set(tokens(passage))) / len(words)


def is_supported(sentence: str, passage: str, min_overlap: float = 0.7) -> bool:
    numbers = [n.rstrip(".,") for n in _NUM.findall(sentence)]
    if any(n and n not in passage for n in numbers):
        return False
    return support_score(sentence, passage) >= min_overlap
