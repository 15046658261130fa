"""Which sentences of the retrieved passages to quote.

The best-scoring sentences, while they stay close to the best one and fit the answer's room,
each with the neighbours it cannot stand without (compose/neighbours.py); then, if the
question asks for something none of them holds (a figure, a date, the council it names), the
best sentence that holds it.
"""
from __future__ import annotations

import math
from typing import Callable

from assistant.compose.evidence import Evidence, names_in
from assistant.compose.neighbours import Neighbours, Positions
from assistant.retrieve.hybrid import Hit, Query
from assistant.retrieve.sentences import ABBREVIATION_Q, Candidate
from assistant.settings import Settings
from assistant.text import holds_phrase, tokens
from assistant.understand.intent import AUTHOR_Q, CONTACT_Q, CONTACT_TEXT, asked_tests

Test = Callable[[Candidate], bool]


class Selection:
    """The quotes chosen so far and the words they take."""

    def __init__(self, ev: Evidence, max_words: float):
        self.ev, self.max_words = ev, max_words
        self.chosen: list[Candidate] = []
        self.words = 0

    def add(self, cand: Candidate) -> None:
        self.chosen.append(cand)
        self.words += len(self.ev.text(cand).split())

    def fits(self, cand: Candidate) -> bool:
        return self.words + len(self.ev.text(cand).split()) <= self.max_words


class Selector:
    def __init__(self, evidence: Evidence, settings: Settings):
        self.ev, self.settings = evidence, settings
        self.neighbours = Neighbours(evidence)

    def ranked(self, q: Query, hits: list[Hit]) -> list[Candidate]:
        """The sentences that may be quoted, best first."""
        # equal scores (a line a slide repeats, equal up to float noise) go to the earlier sentence: the one
        # under its own heading
        cands = sorted(self.ev.scorer.candidates(q, hits[: self.settings.compose_from]),
                       key=lambda c: (-round(c.score, 6), c.hit_rank, c.span_index))
        if not CONTACT_Q.search(q.text) and not AUTHOR_Q.search(q.text):
            # a report's author line or a publication's enquiries address is no guidance: asked "What
            # risks did Lincolnshire identify?", "This report was written by Andy Cook, who can be
            # contacted on …" matched only the council's name
            cands = [c for c in cands if not CONTACT_TEXT.search(self.ev.text(c))]
        if q.authorities:
            # a question about one council is not answered from another's papers: asked "When will
            # Stockton's MACPT go live?", Dorset's "Multi-Agency Child Protection Teams went live on
            # 17th June 2024" reads as Stockton's date. National and evaluation text still answers.
            cands = [c for c in cands if self.ev.authority(c) in (None, *q.authorities)]
        return cands

    def select(self, q: Query, hits: list[Hit], share: float = 1.0) -> list[Candidate]:
        """The sentences to quote. `share` scales the answer's room: each part of a question that
        asks two things gets half of it (understand/parts.py), so the answer stays short."""
        cands = self.ranked(q, hits)
        if not cands:
            return []
        max_sentences = max(1, math.ceil(self.settings.max_sentences * share))
        min_words = self.settings.min_words * share
        best = cands[0].score
        floor = best * (self.settings.relative_cut - 0.15)  # below this a sentence is not a good match
        by_pos = {(c.chunk_index, c.span_index): c for c in cands}
        sel = Selection(self.ev, self.settings.max_words)
        # The quotes chosen for matching the question: a neighbour quoted for context is not one of
        # them, so it does not end the search for the answer early.
        picked = picked_words = 0
        for cand in cands:
            if picked >= max_sentences or cand.score < floor:
                break
            if cand.score < best * self.settings.relative_cut and picked_words >= min_words:
                break
            if sel.chosen and not sel.fits(cand):
                continue
            if any(self._duplicate(cand, other) for other in sel.chosen):
                continue
            # The best sentence's neighbours come with it, before a lower-ranked sentence takes the
            # room; the others' neighbours only fill what room is left (below), except the sentence
            # that finishes what this one began ("Establish the FHLP role." + "This should be whoever is
            # best placed…"): without it the quote says nothing.
            first = not sel.chosen
            sel.add(cand)
            picked, picked_words = picked + 1, picked_words + len(self.ev.text(cand).split())
            if first:
                self._add_companions(cand, sel, by_pos, q)
            else:
                self._add_continuation(cand, sel, by_pos)
        for needed in self.requirements(q):
            # What the question asks for is not in the quotes ("How many…?" without a figure, "…in
            # Stockton?" without Stockton's papers): quote the best sentence that has it, if it is
            # still a good match. The figure often sits in the sentence after the best match.
            if sel.chosen and not any(needed(c) for c in sel.chosen):
                extra = next((c for c in cands if c.score >= floor and c not in sel.chosen and needed(c)), None)
                if extra is not None:
                    sel.add(extra)
        for cand in list(sel.chosen[1:]):
            self._add_companions(cand, sel, by_pos, q)
        return sel.chosen

    def requirements(self, q: Query) -> list[Test]:
        """Tests a quote set must pass somewhere: what the question asks for (asked_for) and each
        name the question uses (an authority, a role) in the quoted passages."""
        needs = self.asked_for(q)
        for word in names_in(q.text):
            needs.append(lambda c, word=word: not self.ev.absent(word, self.ev.tokens(c.chunk_index), [c.chunk_index])
                         and self._speaks_to(c, q, word))
        return needs

    def asked_for(self, q: Query) -> list[Test]:
        """Tests of the kind of thing the question asks for: the figure, amount, date or own words
        (the intent tests the rerank uses too), or the spelt-out name of an abbreviation."""
        needs: list[Test] = [lambda c, test=test: test(self.ev.text(c)) for test in asked_tests(q.text)]
        if ABBREVIATION_Q.search(q.text):  # "What does MACPT stand for?" is answered by its spelt-out name
            for _, spelt in self.ev.glossary.named_things(q.text):
                needs.append(lambda c, spelt=tokens(spelt): holds_phrase(tokens(self.ev.text(c)), spelt))
        return needs

    def _speaks_to(self, cand: Candidate, q: Query, name: str) -> bool:
        """A sentence quoted for holding a name the question uses must also hold another of its
        words: a line of Stockton's slides that names its officer is no answer to "What is Stockton
        doing about parental representation?", however much it is Stockton's."""
        return self.ev.shares_asked_words(q, cand, set(tokens(name)))

    def _add_companions(self, cand: Candidate, sel: Selection, by_pos: Positions, q: Query) -> None:
        """Quote the neighbours a quoted sentence cannot stand without, while they fit: "Establish
        the FHLP role." only answers "Who should be the FHLP?" with the "This should be whoever is
        best placed…" that follows it."""
        n = self.neighbours
        for other in n.companions(cand, by_pos) + n.headed_list(cand, by_pos, q):
            if other not in sel.chosen and sel.fits(other):
                sel.add(other)

    def _add_continuation(self, cand: Candidate, sel: Selection, by_pos: Positions) -> None:
        """Quote the next sentence if it refers back to this one ("This should be…"), while it fits."""
        after = self.neighbours.continuation(cand, by_pos)
        if after is not None and after not in sel.chosen and sel.fits(after):
            sel.add(after)

    def _duplicate(self, a: Candidate, b: Candidate) -> bool:
        if float(self.ev.snap.sent_vecs[a.row] @ self.ev.snap.sent_vecs[b.row]) > 0.92:
            return True
        ta, tb = set(tokens(self.ev.text(a))), set(tokens(self.ev.text(b)))
        return bool(ta and tb) and len(ta & tb) / len(ta | tb) > 0.75
