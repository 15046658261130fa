"""Result models shared by the evaluators (pydantic, so they serialise straight to JSON)."""
from __future__ import annotations

import statistics
from typing import Any

from pydantic import BaseModel, Field


class EvalResult(BaseModel):
    """One evaluator's verdict on one system: a row per item plus aggregate scores."""

    evaluator: str
    system: str
    per_item: list[dict[str, Any]] = Field(default_factory=list)
    aggregate: dict[str, float | int | None] = Field(default_factory=dict)


def mean(values) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def percentile(values, q: float) -> float | None:
    vals = sorted(v for v in values if v is not None)
    if not vals:
        return None
    if len(vals) == 1:
        return round(vals[0], 2)
    return round(statistics.quantiles(vals, n=100, method="inclusive")[int(q) - 1], 2)


def ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None
