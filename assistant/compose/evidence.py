"""The evidence the composer reads: the words each passage holds, as selection and refusal see them.

One `Evidence` per index snapshot; it caches each passage's words (with its document's title and
council, its heading and the other name of every abbreviation it uses) so that the many checks
of a question tokenise a passage once.
"""
from __future__ import annotations

import re
from typing import Iterator

from assistant.index.store import Snapshot
from assistant.ingest.blocks import LEAD_IN_MAX_WORDS
from assistant.retrieve.hybrid import Query, place_words
from assistant.retrieve.sentences import Candidate, SentenceScorer
from assistant.text import holds_phrase, tokens
from assistant.understand.glossary import Glossary

# a capitalised word or an acronym, two capitals included ("IT", "GP")
_NAME_WORD = re.compile(r"\b(?:[A-Z][A-Za-z]{2,}|[A-Z]{2})\b")


def is_short_acronym(word: str) -> bool:
    return len(word) == 2 and word.isupper()


def names_in(question: str) -> Iterator[str]:
    """Capitalised words and acronyms of the question, except an ordinary word that starts a
    sentence. In a question written in capitals every word looks like an acronym: none of its
    two-letter words ("IS", "TO") is taken for one."""
    letters = [ch for ch in question if ch.isalpha()]
    shouted = sum(ch.isupper() for ch in letters) > len(letters) / 2
    for m in _NAME_WORD.finditer(question):
        word = m.group(0)
        if len(word) == 2 and shouted:
            continue
        at_start = m.start() == 0 or question[: m.start()].rstrip().endswith((".", "?", "!", ":"))
        if not (at_start and not word.isupper()):
            yield word


class Evidence:
    def __init__(self, snap: Snapshot, glossary: Glossary, scorer: SentenceScorer):
        self.snap, self.glossary, self.scorer = snap, glossary, scorer
        self.stats = scorer.stats
        self._chunk_tokens: dict[int, set[str]] = {}
        self._chunk_sequences: dict[int, list[str]] = {}
        self._sentence_words: dict[int, list[set[str]]] = {}

    # -- a quoted sentence ----------------------------------------------------------------------
    def text(self, cand: Candidate) -> str:
        c = self.snap.chunks[cand.chunk_index]
        return c.span_text(c.spans[cand.span_index])

    def authority(self, cand: Candidate) -> str | None:
        return self.snap.documents[self.snap.chunks[cand.chunk_index].doc_id].meta.authority

    def lead_in(self, chunk_index: int) -> str:
        """The list's lead-in: its own ("Local areas must:"), else the sentence that announces it at
        the end of the passage before (announcing)."""
        c = self.snap.chunks[chunk_index]
        return next((c.span_text(s) for s in c.spans if s.lead_in), "") or self.announcing(chunk_index)

    def announcing(self, chunk_index: int) -> str:
        """The last sentence of the passage before a list with no lead-in of its own, in its section,
        where it ends in a colon and is no longer than a lead-in: "- 3 (of 3) Wave 1 areas" reads as
        an answer only under "Six case study local areas were selected:", which a PDF's text joined
        to the paragraph above it. A longer sentence ("This should include a core of … practitioners
        … to deliver specific child protection functions:") would bury a short item under it."""
        c = self.snap.chunks[chunk_index]
        before = self.passage_beside(chunk_index, -1)
        if not c.is_list or before is None:
            return ""
        prev = self.snap.chunks[before]
        if prev.is_list or prev.section != c.section or not prev.spans:
            return ""
        last = prev.span_text(prev.spans[-1])
        return last if last.endswith(":") and len(last.split()) <= LEAD_IN_MAX_WORDS else ""

    def passage_beside(self, chunk_index: int, step: int) -> int | None:
        """The passage `step` places after this one in its document (before, if negative), if any: a
        passage's id is its document's id and its place in it (ingest/chunker.py)."""
        c = self.snap.chunks[chunk_index]
        return self.snap.by_id.get(f"{c.doc_id}#{c.order + step}")

    def units(self, chosen: list[Candidate]) -> list[str]:
        """The quoted sentences and their passages' list lead-ins, which count as evidence too
        ("Within one working day of a referral…:")."""
        return [self.text(c) for c in chosen] + [
            self.snap.chunks[ci].span_text(s)
            for ci in {c.chunk_index for c in chosen}
            for s in self.snap.chunks[ci].spans
            if s.lead_in
        ]

    # -- a passage's words ----------------------------------------------------------------------
    def tokens(self, ci: int) -> set[str]:
        if ci not in self._chunk_tokens:
            c = self.snap.chunks[ci]
            meta = self.snap.documents[c.doc_id].meta
            base = f"{meta.title} {meta.authority or ''} {c.section} {c.text}"
            self._chunk_tokens[ci] = set(tokens(self.glossary.with_other_names(base)))
        return self._chunk_tokens[ci]

    def vocabulary(self, chunk_indices) -> set[str]:
        """Every evidence token of the given passages."""
        return set().union(*(self.tokens(ci) for ci in set(chunk_indices)))

    def sentence_words(self, ci: int) -> list[set[str]]:
        """The words of each sentence of a passage, as it says them (no glossary names added)."""
        if ci not in self._sentence_words:
            c = self.snap.chunks[ci]
            self._sentence_words[ci] = [set(tokens(c.span_text(span))) for span in c.spans]
        return self._sentence_words[ci]

    def raw(self, ci: int) -> str:
        c = self.snap.chunks[ci]
        return f"{c.section} {c.text}"

    def sequence(self, ci: int) -> list[str]:
        if ci not in self._chunk_sequences:
            c = self.snap.chunks[ci]
            self._chunk_sequences[ci] = tokens(f"{c.section} {c.text}")
        return self._chunk_sequences[ci]

    def coverage(self, q: Query, chunk_indices: list[int]) -> float:
        """IDF-weighted share of the question's words found in the evidence."""
        terms = set(tokens(q.text))
        if not terms:
            return 0.0
        evidence = self.vocabulary(chunk_indices)
        weights = {t: self.stats.idf(t) for t in terms}
        found = sum(w for t, w in weights.items() if t in evidence)
        return found / sum(weights.values())

    def absent(self, word: str, evidence: set[str], chunks=()) -> bool:
        """Neither the word nor any glossary expansion of it appears in the evidence. In the given
        passages a spelt-out name must appear as a phrase: Lincolnshire's "Police Safeguarding Hub"
        and "multi-agency" are not a "Multi-Agency Safeguarding Hub" (MASH)."""
        if is_short_acronym(word):  # "IT" is a stop word to the tokenizer: look for it as written
            pattern = re.compile(rf"\b{word}\b")
            if any(pattern.search(self.raw(ci)) for ci in (chunks or range(len(self.snap.chunks)))):
                return False
        else:
            terms = tokens(word)
            if not terms or any(t in evidence for t in terms):
                return False
        for e in self.glossary.expansions(word):
            phrase = tokens(e)
            if len(phrase) > 1 and chunks:
                # what holds for child protection conferences holds for the initial one (ICPC)
                if any(holds_phrase(self.sequence(ci), p) for p in [phrase, *self.glossary.broader(e)] for ci in chunks):
                    return False
            elif set(phrase) & evidence:
                return False
        return True

    def shares_asked_words(self, q: Query, cand: Candidate, besides: set[str] | frozenset[str],
                           own_words_only: bool = False) -> bool:
        """The sentence holds a word of the question other than its councils' names and the given
        words (or the question has no other word). With `own_words_only`, what the sentence and its
        lead-in say, not its heading: the figure of a survey answer about Health staff's uncertainty
        is no figure of the FHLPs its section is about."""
        places = place_words(q.authorities)
        asked = set(tokens(q.text)) - places - besides
        terms = (self.scorer.own_terms if own_words_only else self.scorer.sentence_terms)(cand.chunk_index,
                                                                                           cand.span_index)
        return not asked or bool(asked & (terms - places))

    def holds_document(self, pattern: str) -> bool:
        return any(re.search(pattern, d.meta.title, re.I) for d in self.snap.documents.values())
