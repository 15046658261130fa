"""The Python API: `Assistant.open().ask("...")` → `Answer` (the JSON contract).

Thin orchestration of the pipeline stages: safety checks → retrieve → compose → verify.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from .compose.extractive import Composition, ExtractiveComposer
from .compose.followup import standalone
from .compose.parts import interleave, split_question, with_context, with_council
from .compose.safety import EMERGENCY_SIGNPOST, advice_reason, injection_reason, is_emergency, small_talk_reason
from .guard import redact, strip_pii
from .index.store import IndexMissing, Snapshot, current_generation
from .models import Answer, NotCovered, RelatedPassage
from .retrieve.glossary import default_glossary
from .retrieve.hybrid import Filters, HybridRetriever, Query, named_authorities, place_words
from .retrieve.rerank import RerankingRetriever
from .retrieve.spelling import Correction, SpellingCorrector
from .settings import Settings, default_data_dir
from .verify.citations import check_answer

log = logging.getLogger("assistant")


def _limit_blas_threads() -> None:
    """One BLAS thread even when numpy was imported before this package (see assistant/__init__.py)."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")
    except ImportError:  # optional: the environment variables set on import cover the usual case
        pass


class QuestionError(ValueError):
    """A question the assistant cannot take (empty, too long)."""


class Assistant:
    def __init__(self, data_dir: Path, settings: Settings | None = None, generator=None):
        self.data_dir = Path(data_dir)
        self.settings = settings or Settings()
        self.generator = generator  # optional LLM backend (assistant.compose.llm)
        self._lock = threading.Lock()
        self._load()

    def _load(self) -> None:
        _limit_blas_threads()
        self.snapshot = Snapshot.open(self.data_dir)
        self.glossary = default_glossary()
        self.composer = ExtractiveComposer(self.snapshot, self.glossary, self.settings)
        self.retriever = RerankingRetriever(HybridRetriever(self.snapshot, self.glossary), self.composer.scorer)
        snap = self.snapshot
        # each council the index holds, with the words of its name: follow-ups ("and Dorset?") swap them
        self.councils = {a: place_words([a]) for a in {d.meta.authority for d in snap.documents.values()} if a}
        self.speller = SpellingCorrector([c.text for c in snap.chunks] + [c.section for c in snap.chunks]
                                         + [d.meta.title for d in snap.documents.values()])

    @classmethod
    def open(cls, data_dir: Path | str | None = None, settings: Settings | None = None, build: bool = True, generator=None,
             progress=None) -> "Assistant":
        """Open the current index, building it from the bundled corpus first if there is none."""
        data_dir = Path(data_dir) if data_dir else default_data_dir()
        if current_generation(data_dir) is None:
            if not build:
                raise IndexMissing(f"no index in {data_dir}; run `assistant ingest`")
            from .ingest.pipeline import ingest

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

    # ------------------------------------------------------------------------------------------
    def validate(self, question: str) -> str:
        if question is None or not question.strip():
            raise QuestionError("The question is empty.")
        q = " ".join(question.split())
        if len(q) > self.settings.max_question_chars:
            raise QuestionError(
                f"The question is {len(q)} characters long; the limit is {self.settings.max_question_chars}."
            )
        return q

    def searchable(self, question: str) -> Correction:
        """What a question is searched with (`.text`): without its personal data, its spelling
        corrected ("famliy group confrence": "family group conference")."""
        return self.speller.correct(strip_pii(question) or question)  # personal data finds no guidance

    def search(self, question: str, filters: Filters | None = None, k: int = 8):
        q = self.retriever.prepare(self.searchable(self.validate(question)).text)
        return q, self.retriever.search(q, filters, k)

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
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        q_text = self.validate(question)
        emergency = is_emergency(q_text)
        signpost = f"{EMERGENCY_SIGNPOST}\n\n" if emergency else ""
        guard = injection_reason(q_text) or advice_reason(q_text) or small_talk_reason(q_text)
        if guard:
            ans = Answer(question=q_text, answer=signpost.strip(), refused=True, reason=guard, emergency=emergency)
            ans.timings_ms = {"total": round((time.perf_counter() - t0) * 1000, 2)}
            self._log(ans)
            return ans, [], None
        snap = self.snapshot  # one generation for the whole question
        spelling = self.searchable(q_text)
        clean = spelling.text
        # the corrections, shown in the user's own words (personal data and all: it is their question)
        searched_for = SpellingCorrector.apply(q_text, spelling.changes) if spelling.changes else None
        retrieval_text = clean
        if history:
            previous = self.searchable(history[-1]).text
            whole = standalone(clean, previous, self.glossary, self.councils)
            if whole:  # "and for a child on a child protection plan?" is the previous question, extended
                clean = retrieval_text = searched_for = whole
            elif len(clean.split()) < 8:  # another short follow-up borrows the previous question's words
                retrieval_text = f"{clean} {previous}"
        hits, comp, not_covered = self._retrieve_and_compose(clean, retrieval_text, filters, timings)
        related = [
            RelatedPassage(
                doc_id=snap.chunks[h.chunk_index].doc_id,
                title=snap.documents[snap.chunks[h.chunk_index].doc_id].meta.title,
                section=snap.chunks[h.chunk_index].section,
                paragraph=snap.chunks[h.chunk_index].paragraph,
                text=snap.chunks[h.chunk_index].text,
                score=round(h.dense, 4),
                chunk_id=snap.chunks[h.chunk_index].chunk_id,
            )
            for h in hits[:3]
        ]
        confidence = round(min(1.0, 0.5 * comp.best_cos + 0.5 * comp.coverage), 4)
        if comp.refusal:
            ans = Answer(
                question=q_text,
                answer=(signpost + "The guidance I hold does not cover this.").strip(),
                refused=True,
                reason=comp.refusal.reason,
                missing_guidance=comp.refusal.missing_guidance,
                searched_for=searched_for,
                related=related,
                emergency=emergency,
                confidence=confidence,
            )
        else:
            answer_text, citations, composer = comp.answer, comp.citations, "extractive"
            if self.generator is not None:
                t = time.perf_counter()
                # the question as searched: no personal data leaves for a remote model, and a follow-up
                # arrives whole ("and at pre-proceedings?" alone means nothing to it)
                generated = self.generator.answer(clean, hits, snap, fallback=(answer_text, citations))
                timings["generate"] = (time.perf_counter() - t) * 1000
                answer_text, citations, composer = generated
            ans = Answer(
                question=q_text,
                answer=signpost + answer_text,
                refused=False,
                citations=citations,
                related=related,
                emergency=emergency,
                composer=composer,
                confidence=confidence,
                not_covered=not_covered,
                searched_for=searched_for,
            )
        t = time.perf_counter()
        problems = check_answer(ans)
        timings["verify"] = (time.perf_counter() - t) * 1000
        if problems:  # never ship an answer whose citations do not hold
            log.warning("answer failed verification: %s", problems)
            ans = ans.model_copy(
                update={"answer": signpost + "The guidance I hold does not cover this.", "refused": True,
                        "reason": "The answer could not be verified against its sources.", "citations": []}
            )
        timings["total"] = (time.perf_counter() - t0) * 1000
        ans.timings_ms = {k: round(v, 2) for k, v in timings.items()}
        self._log(ans)
        return ans, hits, comp

    def _run(self, text: str, filters: Filters | None, timings: dict[str, float],
             share: float = 1.0) -> tuple[Query, list, Composition]:
        """Retrieve and compose for one question, adding each stage's time to `timings`."""
        t = time.perf_counter()
        q = self.retriever.prepare(text)
        timings["embed"] = timings.get("embed", 0.0) + (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        hits = self.retriever.search(q, filters, self.settings.top_k)
        timings["retrieve"] = timings.get("retrieve", 0.0) + (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        comp = self.composer.compose(q, hits, share)
        timings["compose"] = timings.get("compose", 0.0) + (time.perf_counter() - t) * 1000
        return q, hits, comp

    def _part_texts(self, parts: list[str]) -> list[str]:
        """What each part of a two-part question is retrieved with: a later part that leans on the
        first borrows its topic, and one that names no council the first part's council."""
        first = parts[0]
        topics, councils = self.glossary.topic_terms(first), sorted(named_authorities(self.snapshot, first))
        return [first] + [with_council(with_context(p, first, topics, self.glossary.topic_terms(p)), councils,
                                       bool(named_authorities(self.snapshot, p))) for p in parts[1:]]

    def _retrieve_and_compose(self, clean: str, retrieval_text: str, filters: Filters | None,
                              timings: dict[str, float]) -> tuple[list, Composition, list[NotCovered]]:
        """A question that asks two things is answered part by part (compose/parts.py): its
        passages interleaved, each answered part quoted in turn, the parts the guidance does not
        cover named. When no part can be answered alone, the question is asked whole."""
        parts = split_question(clean) if retrieval_text == clean else [clean]
        if len(parts) > 1:
            texts = self._part_texts(parts)
            runs = [self._run(text, filters, timings, 1 / len(texts)) for text in texts]
            if any(not comp.refusal for _, _, comp in runs):
                t = time.perf_counter()
                comp = self.composer.merge([(q, comp) for q, _, comp in runs])
                timings["compose"] += (time.perf_counter() - t) * 1000
                not_covered = [NotCovered(part=part, reason=c.refusal.reason,
                                          missing_guidance=c.refusal.missing_guidance)
                               for part, (_, _, c) in zip(parts, runs) if c.refusal]
                return interleave([hits for _, hits, _ in runs], self.settings.top_k), comp, not_covered
        _, hits, comp = self._run(retrieval_text, filters, timings)
        return hits, comp, []

    def _log(self, ans: Answer) -> None:
        log.info(
            "ask question=%r refused=%s citations=%d total_ms=%.1f",
            redact(ans.question), ans.refused, len(ans.citations), ans.timings_ms.get("total", 0.0),
        )
