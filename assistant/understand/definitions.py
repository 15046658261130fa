"""Abbreviations a document defines itself: "Public Law Outline (PLO)", "team around the family
(TAF)". Learnt from every passage of the index, so a council's own abbreviations expand like the
glossary's: the long name the abbreviation's letters spell, read back from the brackets."""
from __future__ import annotations

import re

# an abbreviation in brackets: two to six letters, at least two of them capitals, a trailing plural s,
# or an "&" ("PLO", "C&F", "CiC" for children in care)
_DEFINED = re.compile(r"\(((?=(?:[a-z&]*[A-Z]){2})[A-Z][A-Za-z&]{1,5}?)s?\)")
_WORDS = re.compile(r"[A-Za-z][\w'’-]*")
# words an abbreviation may skip ("Team Around the Family": TAF)
_SMALL = frozenset("of and for the to in on a an at by with".split())


def defined_abbreviations(texts) -> dict[str, str]:
    """Abbreviation → the long name a text spells out before it in brackets (the first found)."""
    found: dict[str, str] = {}
    for text in texts:
        for m in _DEFINED.finditer(text):
            abbreviation = m.group(1)
            if abbreviation in found:
                continue
            name = _spelt_out(abbreviation, _WORDS.findall(text[max(0, m.start() - 160):m.start()]))
            if name:
                found[abbreviation] = name
    return found


def _spelt_out(abbreviation: str, words: list[str]) -> str | None:
    """The shortest run of words ending just before the bracket whose initials (small words aside,
    hyphenated parts counted) spell the abbreviation. A small letter in it stands for a small word
    ("children in care (CiC)"), so there the small words count."""
    letters = abbreviation.replace("&", "").lower()
    skip = _SMALL if abbreviation.replace("&", "").isupper() else frozenset()
    for start in range(len(words) - 1, max(-1, len(words) - 2 * len(letters) - 2), -1):
        run = words[start:]
        if run[0].lower() in _SMALL:
            continue
        initials = "".join(part[0].lower() for w in run if w.lower() not in skip for part in w.split("-") if part)
        if initials == letters:
            return " ".join(run)
    return None
