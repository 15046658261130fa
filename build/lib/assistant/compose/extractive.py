"""The default composer: quote the sentences of the top passages that answer the question.

No language model: every sentence of the answer is a verbatim quote of a passage, ends with
its [n], and the citation's start/end locate it in the passage. Lists of duties stay lists
under their lead-in; numbers, dates and role names are quoted exactly because nothing is
paraphrased. Its parts: select.py chooses the quotes, refuse/ decides whether they answer,
render.py writes the answer.
"""
from __future__ import annotations

from dataclasses import dataclass

from assistant.compose.evidence import Evidence
from assistant.compose.refuse import Refusal, RefusalCheck, first_refusal
from assistant.compose.render import Renderer
from assistant.compose.select import Selector
from assistant.compose.terms import TermsOfArt
from assistant.index.store import Snapshot
from assistant.models import Citation
from assistant.retrieve.hybrid import Hit, Query
from assistant.retrieve.sentences import Candidate, SentenceScorer
from assistant.settings import Settings
from assistant.understand.glossary import Glossary


@dataclass
class Composition:
    answer: str
    citations: list[Citation]
    selected: list[Candidate]
    best_cos: float
    coverage: float
    refusal: Refusal | None


class ExtractiveComposer:
    name = "extractive"

    def __init__(self, snap: Snapshot, glossary: Glossary, settings: Settings):
        self.snap, self.glossary, self.settings = snap, glossary, settings
        self.scorer = SentenceScorer(snap, settings, glossary)
        self.stats = self.scorer.stats
        self.evidence = Evidence(snap, glossary, self.scorer)
        self.terms = TermsOfArt(len(snap.chunks), self.evidence.sequence)
        self.selector = Selector(self.evidence, settings)
        self.renderer = Renderer(self.evidence, self.selector)

    def select(self, q: Query, hits: list[Hit], share: float = 1.0) -> list[Candidate]:
        return self.selector.select(q, hits, share)

    def judge(self, q: Query, hits: list[Hit], chosen: list[Candidate]) -> tuple[float, float, Refusal | None]:
        """The quotes' best similarity, their coverage of the question and the refusal, if any."""
        evidence_chunks = [h.chunk_index for h in hits[: self.settings.compose_from]]
        cov = self.evidence.coverage(q, [c.chunk_index for c in chosen] or evidence_chunks)
        best_cos = max((c.cos for c in chosen), default=0.0)
        return best_cos, cov, first_refusal(RefusalCheck(q, chosen, cov, self.evidence, self.terms, self.settings))

    @staticmethod
    def composition(chosen: list[Candidate], best_cos: float, coverage: float,
                    refusal: Refusal | None) -> Composition:
        """A judged choice of quotes, not yet written out."""
        return Composition("", [], chosen, best_cos, coverage, refusal)

    def rendered(self, q: Query, comp: Composition) -> Composition:
        """The composition with its answer and citations written, unless it is refused."""
        if comp.refusal:
            return comp
        answer, citations = self.renderer.render(comp.selected, q)
        return Composition(answer, citations, comp.selected, comp.best_cos, comp.coverage, None)

    def compose(self, q: Query, hits: list[Hit], share: float = 1.0) -> Composition:
        chosen = self.select(q, hits, share)
        return self.rendered(q, self.composition(chosen, *self.judge(q, hits, chosen)))

    def merge(self, parts: list[tuple[Query, Composition]]) -> Composition:
        """One answer from the compositions of a question's parts (understand/parts.py): each answered
        part's quotes in turn, a sentence two parts chose quoted once. The refusal features are the
        best part's: the merged answer stands if any part does."""
        answered = [(q, comp) for q, comp in parts if not comp.refusal]
        if not answered:
            return parts[0][1]
        chosen = [cand for _, comp in answered for cand in comp.selected]
        order = list(dict.fromkeys(ci for q, comp in answered for ci in self.renderer.passage_order(comp.selected, q)))
        answer, citations = self.renderer.render(chosen, answered[0][0], order)
        return Composition(answer, citations, chosen, max(c.best_cos for _, c in parts),
                           max(c.coverage for _, c in parts), None)
