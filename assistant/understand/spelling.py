"""Spelling: a question's misspelt words, corrected to words of the index.

Practitioners type fast, often on a phone: "famliy group confrence - when should it be offerred?"
was refused, because a misspelt word matches no passage by its letters and the refusal checks count
it as a word of the question the guidance never uses.

A word is corrected only when neither the index nor an English dictionary knows it, so a real word
the guidance does not use ("lawyer", "teem") is left for the refusal checks to judge. It is corrected
to a word of the index within one edit (two for words of six letters or more; a swap of two letters
is one edit), the most frequent of the nearest. Words under four letters are left alone, and so are
names and acronyms: any capitalised word but the question's first.

The dictionary is pyspellchecker's English word list (shipped in its wheel, read once, on the first
unknown word); the search is rapidfuzz's optimal-string-alignment distance over the index's words.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from assistant.settings import Understanding
from assistant.text import STOPWORDS

_WORD = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=1)
def _english():
    from spellchecker import SpellChecker

    return SpellChecker()


# The dictionary spells the American way: "organise", "behaviour", "centre", "paediatrics" and
# "cheque" are English words all the same, known by their American spelling
_AMERICAN = [(re.compile(p), r) for p, r in (
    (r"is(e|ed|es|ing|ation|ations)$", r"iz\1"), (r"ys(e|ed|es|ing)$", r"yz\1"), (r"our(s|ed|ing|ite|ites)?$", r"or\1"),
    (r"tre(s)?$", r"ter\1"), (r"ence(s)?$", r"ense\1"), (r"ae", "e"), (r"oe", "e"), (r"que$", "ck"),
    (r"ogue(s)?$", r"og\1"), (r"mme(s)?$", r"m\1"), (r"ll(ed|ing|er|ers)$", r"l\1"))]


def _american(word: str) -> set[str]:
    return {p.sub(r, word) for p, r in _AMERICAN} - {word}


def _max_edits(word: str) -> int:
    return 1 if len(word) < 6 else 2


@dataclass(frozen=True)
class Correction:
    text: str  # the question with its misspelt words corrected
    changes: dict[str, str]  # misspelt word (as typed) -> its correction


class SpellingCorrector:
    def __init__(self, texts, min_length: int = Understanding().min_corrected_length, names=()):
        """`texts`: every text the index holds (passages, their headings, document titles); `names`:
        names it must never "correct" a word into or out of (the councils held, the abbreviations)."""
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w.lower() for w in _WORD.findall(text))
        self.counts = counts
        self.words = list(counts)
        self.min_length = min_length
        self.names = {n.lower() for name in names for n in _WORD.findall(name)}

    def _known(self, word: str) -> bool:
        english = _english()
        return (word in self.counts or word in STOPWORDS or word in english
                or any(w in english for w in _american(word)))

    def suggest(self, word: str) -> str | None:
        """The index's word for a misspelt (lower-case) word, or None when it is not misspelt or has
        no word of the index near enough."""
        if len(word) < self.min_length or self._known(word) or self._short_form_of_a_name(word):
            return None
        near = process.extract(word, self.words, scorer=OSA.distance, score_cutoff=_max_edits(word), limit=None)
        if not near:
            return None
        best = min(near, key=lambda m: (m[1], -self.counts[m[0]], m[0]))
        return best[0]

    def _short_form_of_a_name(self, word: str) -> bool:
        """The word is a name held, or the short form of one ("lincs" for Lincolnshire): it is not
        misspelt, however close an ordinary word ("lines") is."""
        stem = word[:-1] if word.endswith("s") else word
        return word in self.names or (len(stem) >= 4 and any(n.startswith(stem) for n in self.names if len(n) > len(stem)))

    def correct(self, question: str) -> Correction:
        changes: dict[str, str] = {}
        for m in _WORD.finditer(question):
            word = m.group(0)
            if not (word.islower() or (m.start() == 0 and word[1:].islower())):
                continue  # a name or an acronym
            fix = self.suggest(word.lower())
            if fix:
                changes[word] = fix.capitalize() if word[0].isupper() else fix
        return Correction(self.apply(question, changes), changes)

    @staticmethod
    def apply(text: str, changes: dict[str, str]) -> str:
        if not changes:
            return text
        pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(changes, key=len, reverse=True)) + r")\b")
        return pattern.sub(lambda m: changes[m.group(0)], text)
