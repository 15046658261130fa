"""Rejoin words that a PDF's letter spacing split in two.

Text taken from a PDF table often breaks a word where the layout spaced its letters: the
evaluation report's sample table reads "Sample achieve d | Tota I | … | Lincoln shire | Wolverh
ampton", so neither "Lincolnshire" nor "total" could find it. A pair of neighbouring pieces is
joined only on the document's own evidence, with no dictionary:

- the joined word occurs elsewhere in the document, more often than either piece stands alone
  ("Lincoln shire": lincolnshire 6 times, shire twice), and at least twice, so that "a way" is
  not made "away" nor "time frame" "timeframe";
- or the second piece is a lone lower-case letter other than "a" ("implemente d") and the joined
  word occurs elsewhere, or is a "d" or "s" after a lower-case word ("achieve d");
- or the second piece is a capital I that was an l ("Tota I") and the first never stands alone.
"""
from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[A-Za-z]+")


def _joined(a: str, b: str, counts: Counter) -> str | None:
    """The word the two pieces make, or None to keep them apart."""
    ca, cb = counts[a.lower()], counts[b.lower()]
    if b == "I":
        return a + "l" if counts[(a + "l").lower()] and ca <= 1 else None
    word = a + b
    cw = counts[word.lower()]
    if len(b) == 1 and b.islower() and b != "a":
        # a past or plural ending cut off a lower-case word ("achieve d") joins even when the document
        # has no other "achieved"
        return word if cw or (b in "ds" and a.islower() and len(a) >= 3) else None
    return word if cw >= 2 and cw > ca and cw > cb else None


def repair_split_words(text: str) -> str:
    counts = Counter(w.lower() for w in _WORD.findall(text))
    out: list[str] = []
    last = 0
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words) - 1:
        a, b = words[i], words[i + 1]
        # "s47", "s17": a letter that starts a section number is no word's last letter ("under s47")
        if text[a.end() : b.start()] == " " and not text[b.end() : b.end() + 1].isdigit():
            word = _joined(a.group(0), b.group(0), counts)
            if word:
                out.append(text[last : a.start()])
                out.append(word)
                last = b.end()
                i += 2
                continue
        i += 1
    out.append(text[last:])
    return "".join(out)
