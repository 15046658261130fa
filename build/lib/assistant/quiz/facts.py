"""Facts the quiz is built from: sentences of the guidance that state a role, a stage, an
artefact or a number, with the terms they contain and the inventory of same-type alternatives."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.resources import corpus_dir

TERMS_PATH = corpus_dir() / "quiz_terms.yaml"
NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|twelve|forty|fifty"
_NUMBER_PATTERNS = [
    ("money", re.compile(r"£\d[\d,.]*(?:\s?(?:m|bn|billion|million))?\b")),
    ("percent", re.compile(r"\b\d{1,3}%")),
    ("date", re.compile(r"\b\d{1,2}(?:st|nd|rd|th)? (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b|"
                        r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b")),
    ("duration", re.compile(rf"\b(?:\d+|{NUMBER_WORDS}) (?:working )?(?:days?|weeks?|months?|years?)\b", re.I)),
    ("count", re.compile(rf"\b(?:\d+|{NUMBER_WORDS}) (?=(?:new |additional |local |national )?[a-z]+s\b)", re.I)),
]


@dataclass(frozen=True)
class TermHit:
    type: str  # role | stage | artefact | number:<kind>
    key: str  # canonical form (first alias, or the number text)
    surface: str  # as written in the sentence
    start: int
    end: int


@dataclass
class TermInventory:
    groups: dict[str, list[list[str]]]
    numbers: dict[str, list[str]] = field(default_factory=dict)  # kind -> values seen in the corpus

    @classmethod
    def load(cls, path: Path = TERMS_PATH) -> "TermInventory":
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls({"role": raw["roles"], "body": raw["bodies"], "stage": raw["stages"], "artefact": raw["artefacts"]})

    def aliases(self, term_type: str, key: str) -> list[str]:
        if term_type.startswith("number"):
            return [key]
        return next((g for g in self.groups[term_type] if g[0] == key), [key])

    def mentions(self, text: str, term_type: str, key: str) -> bool:
        low = text.lower()
        return any(re.search(rf"(?<![\w-]){re.escape(a.lower())}(?![\w-])", low) for a in self.aliases(term_type, key))

    def find(self, text: str) -> list[TermHit]:
        hits: list[TermHit] = []
        for term_type, groups in self.groups.items():
            for g in groups:
                for alias in sorted(g, key=len, reverse=True):
                    for m in re.finditer(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text, re.I):
                        hits.append(TermHit(term_type, g[0], m.group(0), m.start(), m.end()))
        for kind, pattern in _NUMBER_PATTERNS:
            for m in pattern.finditer(text):
                hits.append(TermHit(f"number:{kind}", m.group(0).strip(), m.group(0).strip(), m.start(), m.start() + len(m.group(0).strip())))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        out: list[TermHit] = []
        for h in hits:  # longest match wins, no overlaps
            if out and h.start < out[-1].end:
                continue
            out.append(h)
        return out

    def alternatives(self, term_type: str, key: str) -> list[str]:
        """Same-type terms other than `key`, in a stable order."""
        if term_type.startswith("number:"):
            return sorted(v for v in self.numbers.get(term_type, []) if v.lower() != key.lower())
        return [g[0] for g in self.groups[term_type] if g[0] != key]


@dataclass
class Fact:
    chunk_index: int
    span_index: int
    quote: str  # the sentence, verbatim from the passage
    statement: str  # lead-in + sentence: the full true statement
    terms: list[TermHit]  # positions are relative to `statement`


def statement_of(lead: str, sentence: str) -> str:
    lead = lead.strip()
    if not lead:
        return sentence.strip()
    return f"{lead.rstrip(':')}: {sentence.strip()[0].lower()}{sentence.strip()[1:]}" if sentence.strip() else lead


def extract_facts(snapshot, inventory: TermInventory, chunk_indices: list[int]) -> list[Fact]:
    facts: list[Fact] = []
    for ci in chunk_indices:
        c = snapshot.chunks[ci]
        lead = next((c.span_text(s) for s in c.spans if s.lead_in), "")
        for si, span in enumerate(c.spans):
            if span.lead_in:
                continue
            quote = c.span_text(span).strip()
            words = len(quote.split())
            if words < 6 or words > 45 or quote.endswith("?") or "[" in quote:
                continue
            statement = statement_of(lead, quote)
            terms = inventory.find(statement)
            if terms:
                facts.append(Fact(ci, si, quote, statement, terms))
    return facts


def collect_numbers(inventory: TermInventory, facts: list[Fact]) -> None:
    """Numbers seen anywhere in the facts pool become the distractors for numbers of that kind."""
    seen: dict[str, set[str]] = {}
    for f in facts:
        for t in f.terms:
            if t.type.startswith("number:"):
                seen.setdefault(t.type, set()).add(t.key)
    inventory.numbers = {k: sorted(v) for k, v in seen.items()}
