"""The steps a question passes through, in order (pipeline/__init__.py STEPS).

Each step reads and writes the question's AskContext. A step that decides the final answer
calls `ctx.stop(answer)` and the pipeline stops there (a guard's refusal); a step may also send the question
back to an earlier step by name (`ctx.goto`), as refusal does when no part of a two-part question
can be answered alone and the question is asked whole.
"""
from __future__ import annotations

import logging

from assistant import messages
from assistant.guard import strip_pii
from assistant.guard.safety import (
    advice_reason,
    injection_reason,
    is_emergency,
    small_talk_reason,
)
from assistant.models import Answer, NotCovered, RelatedPassage
from assistant.pipeline.context import AskContext, Components, PartRun
from assistant.retrieve.hybrid import named_authorities
from assistant.understand.followup import leans_on_previous, standalone
from assistant.understand.parts import (
    interleave,
    split_question,
    with_context,
    with_council,
)
from assistant.understand.spelling import Correction, SpellingCorrector
from assistant.verify.citations import check_answer

log = logging.getLogger("assistant")


class QuestionError(ValueError):
    """A question the assistant cannot take (empty, too long)."""


def validate(question: str | None, max_chars: int) -> str:
    if question is None or not question.strip():
        raise QuestionError(messages.EMPTY_QUESTION)
    q = " ".join(question.split())
    if len(q) > max_chars:
        raise QuestionError(messages.LONG_QUESTION.format(length=len(q), limit=max_chars))
    return q


def searchable(env: Components, question: str) -> Correction:
    """What a question is searched with (`.text`): without its personal data, its spelling
    corrected ("famliy group confrence": "family group conference")."""
    return env.speller.correct(strip_pii(question, env.places) or question)  # personal data finds no guidance


class Step:
    name = ""

    def run(self, ctx: AskContext, env: Components) -> None:
        raise NotImplementedError


class Guard(Step):
    """Danger, injection, advice requests and small talk, before any retrieval: an emergency gets
    the signpost alone (no quote of the guidance follows it); the others are refused."""

    name = "guard"

    def run(self, ctx: AskContext, env: Components) -> None:
        ctx.emergency = is_emergency(ctx.question)
        if ctx.emergency:
            ctx.stop(Answer(question=ctx.question, answer=messages.EMERGENCY_SIGNPOST, refused=True,
                            reason=messages.EMERGENCY_ONLY, emergency=True))
            return
        reason = injection_reason(ctx.question) or advice_reason(ctx.question) or small_talk_reason(ctx.question)
        if reason:
            ctx.stop(Answer(question=ctx.question, answer="", refused=True, reason=reason))


class Understand(Step):
    """The question as searched (personal data out, spelling corrected), a follow-up read as the
    whole question it stands for, and a question that asks two things split into its parts."""

    name = "understand"

    def run(self, ctx: AskContext, env: Components) -> None:
        spelling = searchable(env, ctx.question)
        ctx.clean = ctx.retrieval_text = spelling.text
        # the corrections, shown in the user's own words (personal data and all: it is their question)
        ctx.searched_for = SpellingCorrector.apply(ctx.question, spelling.changes) if spelling.changes else None
        if ctx.history:
            previous = searchable(env, ctx.history[-1]).text
            whole = standalone(ctx.clean, previous, env.glossary, env.councils, env.settings.understanding)
            if whole:  # "and for a child on a child protection plan?" is the previous question, extended
                ctx.clean = ctx.retrieval_text = ctx.searched_for = whole
            elif len(ctx.clean.split()) < 8 and leans_on_previous(ctx.clean):
                # another short follow-up borrows the previous question's words, and says so
                ctx.retrieval_text = ctx.searched_for = f"{ctx.clean} {previous}"
        ctx.parts = split_question(ctx.clean, env.settings.understanding) if ctx.retrieval_text == ctx.clean else [ctx.clean]
        if len(ctx.parts) > 1:
            texts = self._part_texts(env, ctx.parts)
            ctx.runs = [PartRun(text, 1 / len(texts)) for text in texts]
        else:
            ctx.runs = [PartRun(ctx.retrieval_text)]

    @staticmethod
    def _part_texts(env: Components, parts: list[str]) -> list[str]:
        """What each part is retrieved with: a later part that leans on the first borrows its topic,
        and one that names no council the first part's council."""
        first = parts[0]
        topics, councils = env.glossary.topic_terms(first), sorted(named_authorities(env.snapshot, first))
        limits = env.settings.understanding
        return [first] + [with_council(with_context(p, first, topics, env.glossary.topic_terms(p), limits), councils,
                                       bool(named_authorities(env.snapshot, p))) for p in parts[1:]]


class Retrieve(Step):
    """Hybrid retrieval (dense, sentence and BM25 rankings fused) for each reading."""

    name = "retrieve"

    def run(self, ctx: AskContext, env: Components) -> None:
        for run in ctx.runs:
            with ctx.timed("embed"):
                run.query = env.retriever.prepare(run.text)
            with ctx.timed("retrieve"):
                run.hits = env.retriever.base.search(run.query, ctx.filters,
                                                     env.retriever.wanted(env.settings.top_k))


class Rerank(Step):
    """The fused passages reordered by their best sentence."""

    name = "rerank"

    def run(self, ctx: AskContext, env: Components) -> None:
        for run in ctx.runs:
            with ctx.timed("rerank"):
                run.hits = env.retriever.rerank(run.query, run.hits, env.settings.top_k)


class Select(Step):
    """The sentences to quote (compose/select.py)."""

    name = "select"

    def run(self, ctx: AskContext, env: Components) -> None:
        for run in ctx.runs:
            with ctx.timed("select"):
                run.chosen = env.composer.select(run.query, run.hits, run.share)


class Refuse(Step):
    """The refusal rules (compose/refuse) for each reading. When a question asked in parts has no
    part the guidance answers, it is asked whole."""

    name = "refuse"

    def run(self, ctx: AskContext, env: Components) -> None:
        with ctx.timed("refuse"):
            for run in ctx.runs:
                best_cos, cov, refusal = env.composer.judge(run.query, run.hits, run.chosen)
                run.composition = env.composer.composition(run.chosen, best_cos, cov, refusal)
        if len(ctx.runs) > 1 and all(run.composition.refusal for run in ctx.runs):
            ctx.runs = [PartRun(ctx.retrieval_text)]
            ctx.goto = Retrieve.name


class Render(Step):
    """The answer: the quotes with their citations (each answered part in turn), or the refusal;
    an optional LLM rewrites an answer from the same passages."""

    name = "render"

    def run(self, ctx: AskContext, env: Components) -> None:
        with ctx.timed("render"):
            self._compose(ctx, env)
        comp = ctx.composition
        related = [self._related(env, h) for h in ctx.hits[:3]]
        confidence = round(min(1.0, 0.5 * comp.best_cos + 0.5 * comp.coverage), 4)
        if comp.refusal:
            ctx.answer = Answer(question=ctx.question, answer=messages.NOT_COVERED,
                                refused=True, reason=comp.refusal.reason,
                                missing_guidance=comp.refusal.missing_guidance, searched_for=ctx.searched_for,
                                related=related, confidence=confidence)
            return
        answer_text, citations, composer = comp.answer, comp.citations, "extractive"
        if env.generator is not None:
            with ctx.timed("generate"):
                # the question as searched: no personal data leaves for a remote model, and a follow-up
                # arrives whole ("and at pre-proceedings?" alone means nothing to it)
                answer_text, citations, composer = env.generator.answer(ctx.clean, ctx.hits, env.snapshot,
                                                                        fallback=(answer_text, citations))
        ctx.answer = Answer(question=ctx.question, answer=answer_text, refused=False,
                            citations=citations, related=related, composer=composer,
                            confidence=confidence, not_covered=ctx.not_covered, searched_for=ctx.searched_for)

    @staticmethod
    def _compose(ctx: AskContext, env: Components) -> None:
        runs = ctx.runs
        if len(runs) > 1:  # some part is answered: each answered part's quotes in turn
            ctx.composition = env.composer.merge([(run.query, run.composition) for run in runs])
            ctx.not_covered = [NotCovered(part=part, reason=run.composition.refusal.reason,
                                          missing_guidance=run.composition.refusal.missing_guidance)
                               for part, run in zip(ctx.parts, runs) if run.composition.refusal]
            ctx.hits = interleave([run.hits for run in runs], env.settings.top_k)
            return
        run = runs[0]
        ctx.hits = run.hits
        ctx.composition = env.composer.rendered(run.query, run.composition)

    @staticmethod
    def _related(env: Components, hit) -> RelatedPassage:
        c = env.snapshot.chunks[hit.chunk_index]
        return RelatedPassage(doc_id=c.doc_id, title=env.snapshot.documents[c.doc_id].meta.title, section=c.section,
                              paragraph=c.paragraph, text=c.text, score=round(hit.dense, 4), chunk_id=c.chunk_id)


class Verify(Step):
    """Never ship an answer whose citations do not hold (verify/citations.py)."""

    name = "verify"

    def run(self, ctx: AskContext, env: Components) -> None:
        with ctx.timed("verify"):
            problems = check_answer(ctx.answer)
        if problems:
            log.warning("answer failed verification: %s", problems)
            ctx.answer = ctx.answer.model_copy(update={
                "answer": messages.NOT_COVERED, "refused": True, "reason": messages.UNVERIFIED,
                "citations": []})
