"""Tunable numbers of the pipeline, in one place.

The refusal cut-offs were calibrated on the dev split of evals/gold/items.yaml with
`assistant eval --calibrate` (see README, "How refusal is calibrated").
"""
from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel


def default_data_dir() -> Path:
    return Path(os.environ.get("ASSISTANT_DATA", Path(__file__).resolve().parents[1] / "data"))


class Settings(BaseModel):
    top_k: int = 12  # passages retrieved
    compose_from: int = 10  # passages whose sentences may be quoted
    max_sentences: int = 5
    max_words: int = 150
    min_words: int = 40
    # A sentence joins the answer when its score is within this share of the best one.
    relative_cut: float = 0.80
    # Refusal: the best quoted sentence must be this similar to the question (cosine) ...
    min_sentence_similarity: float = 0.34
    # ... and the evidence must cover this share of the question's salient terms (IDF-weighted).
    min_term_coverage: float = 0.25
    # Weights of the sentence score.
    w_dense: float = 0.6
    w_lexical: float = 0.4
    max_question_chars: int = 2000
