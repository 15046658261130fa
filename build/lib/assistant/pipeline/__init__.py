"""One question's way through the assistant: an ordered list of small steps over a shared context.

    guard → understand → retrieve → rerank → select → refuse → render → verify

Each step is named as the package that does its work (assistant/guard, assistant/understand,
assistant/retrieve, assistant/compose, assistant/verify) and lives in pipeline/steps.py. Any step
may end the question with its answer (`AskContext.stop`: a guard's refusal); refuse may send it back to retrieve.
"""
from __future__ import annotations

import time

from assistant.pipeline.context import AskContext, Components, PartRun
from assistant.pipeline.steps import (
    Guard,
    QuestionError,
    Refuse,
    Render,
    Rerank,
    Retrieve,
    Select,
    Step,
    Understand,
    Verify,
    searchable,
    validate,
)

STEPS: list[Step] = [Guard(), Understand(), Retrieve(), Rerank(), Select(), Refuse(), Render(), Verify()]


class Pipeline:
    def __init__(self, steps: list[Step] | None = None):
        self.steps = steps or STEPS
        self._index = {step.name: i for i, step in enumerate(self.steps)}

    def run(self, ctx: AskContext, env: Components) -> AskContext:
        t0 = time.perf_counter()
        i = 0
        while i < len(self.steps) and not ctx.done:
            self.steps[i].run(ctx, env)
            if ctx.goto:
                i, ctx.goto = self._index[ctx.goto], None
            else:
                i += 1
        ctx.timings["total"] = (time.perf_counter() - t0) * 1000
        ctx.answer.timings_ms = {k: round(v, 2) for k, v in ctx.timings.items()}
        return ctx


__all__ = ["STEPS", "AskContext", "Components", "PartRun", "Pipeline", "QuestionError", "Step", "searchable",
           "validate"]
