"""What the steps of one question share: the index's components and the question's context."""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from assistant.compose.extractive import Composition, ExtractiveComposer
from assistant.guard import council_words
from assistant.index.store import Snapshot
from assistant.models import Answer, NotCovered
from assistant.retrieve.hybrid import Filters, Hit, HybridRetriever, Query, place_words
from assistant.retrieve.rerank import RerankingRetriever
from assistant.settings import Settings
from assistant.understand.definitions import defined_abbreviations
from assistant.understand.glossary import Glossary
from assistant.understand.spelling import SpellingCorrector


@dataclass
class Components:
    """Everything built from one index generation; replaced whole when a newer one goes live."""

    snapshot: Snapshot
    glossary: Glossary
    composer: ExtractiveComposer
    retriever: RerankingRetriever
    speller: SpellingCorrector
    councils: dict[str, set[str]]  # each council the index holds, with the words of its name
    settings: Settings
    generator: object | None = None  # an optional LLM backend (compose/llm.py)

    @cached_property
    def places(self) -> set[str]:
        """The words of the held councils' names ("Isle of Wight": isle, wight), which are no
        person's name to the personal-data check."""
        return council_words(self.councils)

    @classmethod
    def build(cls, snapshot: Snapshot, glossary: Glossary, settings: Settings, generator=None) -> "Components":
        # the abbreviations the documents define themselves, a council's as much as the glossary's
        glossary = glossary.with_definitions(defined_abbreviations(c.text for c in snapshot.chunks))
        composer = ExtractiveComposer(snapshot, glossary, settings)
        retriever = RerankingRetriever(HybridRetriever(snapshot, glossary, fusion=settings.fusion), composer.scorer,
                                       settings.rerank)
        documents = snapshot.documents.values()
        councils = {a: place_words([a]) for a in {d.meta.authority for d in documents} if a}
        speller = SpellingCorrector([c.text for c in snapshot.chunks] + [c.section for c in snapshot.chunks]
                                    + [d.meta.title for d in documents], settings.understanding.min_corrected_length,
                                    names=list(councils) + glossary.abbreviations())
        return cls(snapshot, glossary, composer, retriever, speller, councils, settings, generator)


@dataclass
class PartRun:
    """One reading of the question, retrieved and composed on its own: the whole question, or one
    part of a question that asks two things (with its share of the answer's room)."""

    text: str
    share: float = 1.0
    query: Query | None = None
    hits: list[Hit] = field(default_factory=list)
    chosen: list = field(default_factory=list)
    composition: Composition | None = None


@dataclass
class AskContext:
    question: str
    filters: Filters | None = None
    history: list[str] | None = None
    emergency: bool = False
    clean: str = ""  # the question as searched: personal data stripped, spelling corrected
    searched_for: str | None = None  # shown to the user when it differs from what they typed
    retrieval_text: str = ""  # what is retrieved with (a short follow-up borrows the previous question)
    parts: list[str] = field(default_factory=list)
    runs: list[PartRun] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    composition: Composition | None = None
    not_covered: list[NotCovered] = field(default_factory=list)
    answer: Answer | None = None
    timings: dict[str, float] = field(default_factory=dict)
    goto: str | None = None  # a step may send the question back to an earlier step by name
    done: bool = False  # a step has given the final answer: the steps after it do not run

    def stop(self, answer: Answer) -> None:
        self.answer, self.done = answer, True

    @contextmanager
    def timed(self, stage: str):
        t = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + (time.perf_counter() - t) * 1000
