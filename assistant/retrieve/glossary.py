"""Query-time expansion of abbreviations and everyday words, both ways.

The glossary is corpus/documents/glossary.md, a document in the corpus like any other, so the
expansions the assistant relies on are themselves citable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..index.text import tokens
from ..ingest.corpus import CORPUS_DIR

_ENTRY = re.compile(r"^-\s+\*\*(?P<terms>[^*]+)\*\*:\s*(?P<expansion>.+)$")
# section 47 / s47 / s.47 all mean the same thing
_SECTION = re.compile(r"\b(?:s\.?\s?|section\s+)(47|17)\b", re.I)


def _is_abbreviation(term: str) -> bool:
    return any(ch.isupper() for ch in term) or re.fullmatch(r"s\d+", term) is not None


@dataclass
class Glossary:
    pairs: list[tuple[list[str], str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path | None = None) -> "Glossary":
        path = path or CORPUS_DIR / "documents" / "glossary.md"
        g = cls()
        for line in path.read_text(encoding="utf-8").splitlines():
            m = _ENTRY.match(line.strip())
            if m:
                terms = [t.strip() for t in m.group("terms").split(",") if t.strip()]
                g.pairs.append((terms, m.group("expansion").strip()))
        return g

    def expansions(self, query: str, reverse_all: bool = False) -> list[str]:
        """Phrases to add to the query: expansions of abbreviations it uses, abbreviations of
        phrases it spells out, the guidance's term for everyday words."""
        added: list[str] = []
        q = query.lower()
        for m in _SECTION.finditer(query):
            added.append(f"section {m.group(1)} s{m.group(1)}")
        for terms, expansion in self.pairs:
            exp_core = re.sub(r"\s*\(.*?\)", "", expansion).lower()
            for term in terms:
                t = term.lower()
                is_abbrev = term.isupper() or re.fullmatch(r"s\d+|[A-Z][a-z]?[A-Z]+s?", term) is not None
                pattern = rf"\b{re.escape(t)}s?\b"
                if re.search(pattern, q if not is_abbrev else query.lower()):
                    added.append(expansion)
                    break
            else:
                if exp_core and len(exp_core) > 3 and re.search(rf"\b{re.escape(exp_core)}", q):
                    abbrevs = [t for t in terms if reverse_all or t.isupper() or re.fullmatch(r"s\d+", t)]
                    added.extend(abbrevs)
        seen, out = set(), []
        for a in added:
            if a.lower() not in seen and a.lower() not in q:
                seen.add(a.lower())
                out.append(a)
        return out

    def topic_terms(self, query: str) -> set[str]:
        """The words of the named things (abbreviations and what they stand for) the query is
        about: in "Can the FNSP be used to pay parents?" the topic is the FNSP, the focus "pay
        parents". Everyday-word entries are vocabulary bridges, not topics."""
        out: set[str] = set()
        q = query.lower()
        for terms, expansion in self.pairs:
            if not any(_is_abbreviation(t) for t in terms):
                continue
            exp_core = re.sub(r"\s*\(.*?\)", "", expansion).lower()
            named = any(re.search(rf"\b{re.escape(t.lower())}s?\b", q) for t in terms) or (
                len(exp_core) > 3 and re.search(rf"\b{re.escape(exp_core)}", q))
            if named:
                out |= set(tokens(" ".join(terms))) | set(tokens(exp_core))
        return out

    def expand(self, query: str) -> str:
        extra = self.expansions(query)
        return f"{query} ({'; '.join(extra)})" if extra else query


@lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    return Glossary.load()
