"""Query-time expansion of abbreviations and everyday words, both ways.

The glossary is corpus/documents/glossary.md, a document in the corpus like any other, so the
expansions the assistant relies on are themselves citable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.resources import corpus_dir
from assistant.text import tokens

_ENTRY = re.compile(r"^-\s+\*\*(?P<terms>[^*]+)\*\*:\s*(?P<expansion>.+)$")
# section 47 / s47 / s.47 all mean the same thing
_SECTION = re.compile(r"\b(?:s\.?\s?|section\s+)(47|17)\b", re.I)


def _is_abbreviation(term: str) -> bool:
    return any(ch.isupper() for ch in term) or re.fullmatch(r"s\d+", term) is not None


# "a meeting with my whole family" is the glossary's "meeting with the whole family": in a lay phrase
# any determiner stands for another
_DETERMINERS = ("the", "a", "an", "my", "our", "your", "his", "her", "their", "this", "that")
_DETERMINER = rf"(?:{'|'.join(_DETERMINERS)})"


def _term_pattern(term: str) -> str:
    return r"\s+".join(_DETERMINER if w in _DETERMINERS else re.escape(w) for w in term.lower().split())


@dataclass(frozen=True)
class _Entry:
    """One glossary line with its patterns compiled once: the expansions run for every sentence
    of every retrieved passage, and recompiling them per call cost ~1 ms a sentence."""

    terms: tuple[str, ...]
    expansion: str
    name: str  # the expansion without its bracketed notes ("integrated front door")
    term_patterns: tuple[re.Pattern, ...]
    core_pattern: re.Pattern | None  # that name, lower case
    topic_terms: frozenset[str]  # words of a named thing (abbreviation entries only), else empty
    name_tokens: tuple[str, ...]  # the name as the index reads it, for Glossary.broader

    @classmethod
    def of(cls, terms: list[str], expansion: str) -> "_Entry":
        name = re.sub(r"\s*\(.*?\)", "", expansion)
        core = name.lower()
        named = any(_is_abbreviation(t) for t in terms)
        return cls(
            tuple(terms), expansion, name,
            tuple(re.compile(rf"\b{_term_pattern(t)}s?\b") for t in terms),
            re.compile(rf"\b{re.escape(core)}") if core and len(core) > 3 else None,
            frozenset(tokens(" ".join(terms)) + tokens(core)) if named else frozenset(),
            tuple(tokens(name)),
        )

    def used_in(self, low: str) -> bool:
        return any(p.search(low) for p in self.term_patterns)

    def spelt_out_in(self, low: str) -> bool:
        return self.core_pattern is not None and self.core_pattern.search(low) is not None


@dataclass
class Glossary:
    pairs: list[tuple[list[str], str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.entries = [_Entry.of(terms, expansion) for terms, expansion in self.pairs]

    @classmethod
    def load(cls, path: Path | None = None) -> "Glossary":
        path = path or corpus_dir() / "documents" / "glossary.md"
        pairs = []
        for line in path.read_text(encoding="utf-8").splitlines():
            m = _ENTRY.match(line.strip())
            if m:
                terms = [t.strip() for t in m.group("terms").split(",") if t.strip()]
                pairs.append((terms, m.group("expansion").strip()))
        return cls(pairs)

    def with_definitions(self, defined: dict[str, str]) -> "Glossary":
        """This glossary and the abbreviations the documents define (understand/definitions.py),
        those it already knows aside."""
        known = {t.lower() for terms, _ in self.pairs for t in terms}
        extra = [([abbreviation], name) for abbreviation, name in sorted(defined.items())
                 if abbreviation.lower() not in known]
        return Glossary(self.pairs + extra) if extra else self

    def abbreviations(self) -> list[str]:
        """The abbreviations the glossary spells out ("FHLP", "MACPT"), not its everyday words."""
        return [t for terms, _ in self.pairs for t in terms if t.isupper() or re.fullmatch(r"[A-Z][A-Za-z]*[A-Z]s?", t)]

    def expansions(self, query: str, reverse_all: bool = False) -> list[str]:
        """Phrases to add to the query: expansions of abbreviations it uses, abbreviations of
        phrases it spells out, the guidance's term for everyday words."""
        added: list[str] = []
        q = query.lower()
        for m in _SECTION.finditer(query):
            added.append(f"section {m.group(1)} s{m.group(1)}")
        for e in self.entries:
            if e.used_in(q):
                added.append(e.expansion)
            elif e.spelt_out_in(q):
                added.extend(t for t in e.terms if reverse_all or t.isupper() or re.fullmatch(r"s\d+", t))
        seen, out = set(), []
        for a in added:
            if a.lower() not in seen and a.lower() not in q:
                seen.add(a.lower())
                out.append(a)
        return out

    def _named_in(self, query: str) -> list[_Entry]:
        """The abbreviation entries (named things) the query uses by either name."""
        q = query.lower()
        return [e for e in self.entries if e.topic_terms and (e.used_in(q) or e.spelt_out_in(q))]

    def topic_terms(self, query: str) -> set[str]:
        """The words of the named things (abbreviations and what they stand for) the query is
        about: in "Can the FNSP be used to pay parents?" the topic is the FNSP, the focus "pay
        parents". Everyday-word entries are vocabulary bridges, not topics."""
        return set().union(*(e.topic_terms for e in self._named_in(query)))

    def bridges_to_topic(self, query: str) -> set[str]:
        """The everyday words whose guidance term is a named thing the query already names: "money",
        "pay for" lead to "practical and financial support (Family Network Support Packages)", so in
        "Can the FNSP be used to pay parents?" a sentence holding "pay" only by that bridge speaks of
        the FNSP, the topic, not of paying parents."""
        names = [e.name.lower() for e in self._named_in(query) if len(e.name) > 3]
        return {t for e in self.entries if not e.topic_terms and any(n in e.expansion.lower() for n in names)
                for t in tokens(" ".join(e.terms))}

    def named_things(self, query: str) -> list[tuple[tuple[str, ...], str]]:
        """The named things the query uses by either name, as (abbreviations, spelt-out name): "Does
        Lincolnshire have an integrated front door?" uses the IFD."""
        return [(e.terms, e.name) for e in self._named_in(query)]

    def broader(self, phrase: str) -> list[list[str]]:
        """The spelt-out names of other entries that the phrase is a kind of, as token sequences: an
        "initial child protection conference" (ICPC) is a "child protection conference" (CPC), since the
        broader name is the end of the narrower one. A name inside another without ending it is no
        kind of it: a Lead Child Protection Practitioner is not "child protection"."""
        words = tuple(tokens(phrase))
        return [list(e.name_tokens) for e in self.entries
                if 2 <= len(e.name_tokens) < len(words) and words[-len(e.name_tokens):] == e.name_tokens]

    def with_other_names(self, text: str) -> str:
        """The text followed by the other names of the glossary names it uses ("FNSP" and "Family
        Network Support Package" each bring the other), so that a word test finds a thing by any name."""
        return f"{text} {' '.join(self.expansions(text, reverse_all=True))}"

    def expand(self, query: str) -> str:
        extra = self.expansions(query)
        return f"{query} ({'; '.join(extra)})" if extra else query


@lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    return Glossary.load()
