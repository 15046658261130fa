"""The Python API: `Assistant.open().ask("...")` → `Answer` (the JSON contract).

A thin shell over the pipeline (assistant/pipeline): it holds the components built from the
current index generation, swaps them when an ingest makes a newer one live, and runs each
question through the steps.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from assistant.compose.extractive import Composition
from assistant.guard import PiiMatch, detect_pii, redact
from assistant.index.store import IndexMissing, Snapshot, current_generation
from assistant.models import Answer
from assistant.pipeline import (
    AskContext,
    Components,
    Pipeline,
    QuestionError,
    searchable,
    validate,
)
from assistant.retrieve.hybrid import Filters
from assistant.settings import Settings, default_data_dir, limit_blas_threads
from assistant.understand.glossary import default_glossary
from assistant.understand.relation import load_parser
from assistant.understand.spelling import Correction

log = logging.getLogger("assistant")

__all__ = ["Assistant", "QuestionError"]


class Assistant:
    def __init__(self, data_dir: Path, settings: Settings | None = None, generator=None):
        self.data_dir = Path(data_dir)
        self.settings = settings or Settings()
        self.generator = generator  # optional LLM backend (assistant.compose.llm)
        self.pipeline = Pipeline()
        self._lock = threading.Lock()
        self._load()

    def _load(self) -> None:
        limit_blas_threads()
        self.env = Components.build(Snapshot.open(self.data_dir), default_glossary(), self.settings, self.generator)

    @classmethod
    def open(cls, data_dir: Path | str | None = None, settings: Settings | None = None, build: bool = True, generator=None,
             progress=None) -> "Assistant":
        """Open the current index, building it from the bundled corpus first if there is none."""
        data_dir = Path(data_dir) if data_dir else default_data_dir()
        if current_generation(data_dir) is None:
            if not build:
                raise IndexMissing(f"no index in {data_dir}; run `assistant ingest`")
            from assistant.index.update import (
                ingest,  # the index's builder, needed only without an index
            )

            ingest(data_dir, progress=progress)
        return cls(data_dir, settings, generator)

    def refresh(self) -> bool:
        """Switch to a newer index generation if an ingest has made one live."""
        gen = current_generation(self.data_dir)
        if gen is not None and gen != self.snapshot.path:
            with self._lock:
                if gen != self.snapshot.path:
                    self._load()
                    return True
        return False

    # the current generation's components, for the evaluation tools and the coverage matcher
    @property
    def snapshot(self) -> Snapshot:
        return self.env.snapshot

    @property
    def glossary(self):
        return self.env.glossary

    @property
    def composer(self):
        return self.env.composer

    @property
    def retriever(self):
        return self.env.retriever

    @property
    def councils(self) -> dict[str, set[str]]:
        return self.env.councils

    def personal_data(self, text: str) -> list[PiiMatch]:
        """The personal data in a text; the held councils' names are not people's."""
        return detect_pii(text, self.env.places)

    # ------------------------------------------------------------------------------------------
    def validate(self, question: str) -> str:
        return validate(question, self.settings.max_question_chars)

    def searchable(self, question: str) -> Correction:
        """What a question is searched with (`.text`): without its personal data, its spelling corrected."""
        return searchable(self.env, question)

    def search(self, question: str, filters: Filters | None = None, k: int = 8):
        env = self.env
        q = env.retriever.prepare(searchable(env, self.validate(question)).text)
        return q, env.retriever.search(q, filters, k)

    def warm_up(self) -> None:
        """Load what the first questions would otherwise wait for: the models, the index's caches and
        the parser the refusal rules read relations with."""
        self.ask("warm up")
        load_parser()

    def ask(self, question: str, filters: Filters | None = None, history: list[str] | None = None) -> Answer:
        return self.ask_with_hits(question, filters, history)[0]

    def ask_with_hits(self, question: str, filters: Filters | None = None,
                      history: list[str] | None = None) -> tuple[Answer, list]:
        """The answer and the ranked passages it was composed from (none when a guard refused)."""
        ans, hits, _ = self.ask_with_composition(question, filters, history)
        return ans, hits

    def ask_with_composition(self, question: str, filters: Filters | None = None,
                             history: list[str] | None = None) -> tuple[Answer, list, Composition | None]:
        """ask_with_hits, plus the extractive composition the refusal was decided on (None when a
        guard refused first): calibration reads its similarity and coverage."""
        ctx = AskContext(self.validate(question), filters, history)
        self.pipeline.run(ctx, self.env)  # one generation for the whole question
        ans = ctx.answer
        log.info("ask question=%r refused=%s citations=%d total_ms=%.1f",
                 redact(ans.question), ans.refused, len(ans.citations), ans.timings_ms.get("total", 0.0))
        return ans, ctx.hits, ctx.composition
