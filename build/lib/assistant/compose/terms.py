"""Terms of art the index does not hold.

A practitioner's question about a topic with its own guidance ("core group", "private fostering",
"county lines") shares everyday words with passages about something else, and the sentence scorer
cannot tell: "When must the core group first meet?" scored FGC pre-meetings and child protection
plans above the refusal cut-off. The terms are listed in corpus/terms_of_art.yaml; a question
naming one is refused (or that part of it reported as not covered) unless some passage of the index
names it, so ingesting Working Together makes them answerable.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import yaml

from assistant.resources import corpus_dir
from assistant.text import holds_phrase, tokens

TERMS_PATH = corpus_dir() / "terms_of_art.yaml"


def _wording_pattern(wording: str) -> re.Pattern:
    """The wording as written, in any case, with a hyphen or a space between words, an apostrophe
    either way and an optional plural "s": "core group" finds "core groups", "children's home"
    finds "Children’s Homes" but not "children at home"."""
    words = [re.escape(w).replace("'", "['’]") for w in re.split(r"[\s-]+", wording.strip())]
    return re.compile(r"\b" + r"[\s-]+".join(words) + r"s?\b", re.I)


class TermsOfArt:
    def __init__(self, n_passages: int, sequence: Callable[[int], list[str]], path: Path = TERMS_PATH):
        """`sequence(i)` is passage i's words as the index reads them (section and text, stemmed): the
        composer's own cached token sequences, so each passage is tokenised once."""
        self.n_passages, self.sequence = n_passages, sequence
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))["terms"] if path.exists() else []
        # each term: its wordings, and their patterns longest first ("secure children's home" is named
        # as that, not as "children's home")
        self.terms = [(tuple(entry), [_wording_pattern(w) for w in sorted(entry, key=len, reverse=True)])
                      for entry in entries]
        self._held: dict[tuple[str, ...], bool] = {}

    def held(self, wordings: tuple[str, ...]) -> bool:
        """Some passage has one of the term's wordings, its words side by side (as stems, stop words
        aside): lenient, so that a passage naming the term in another inflection counts."""
        if wordings not in self._held:
            phrases = [p for p in (tokens(w) for w in wordings) if p]
            self._held[wordings] = any(holds_phrase(self.sequence(i), p)
                                       for i in range(self.n_passages) for p in phrases)
        return self._held[wordings]

    def unheld(self, question: str) -> str | None:
        """The first term of art the question names and no passage of the index holds, as the
        question writes it."""
        for wordings, patterns in self.terms:
            m = next((m for m in (p.search(question) for p in patterns) if m), None)
            if m and not self.held(wordings):
                return m.group(0)
        return None
