"""Gold items (evals/gold/items.yaml) and the quote matching that makes them robust to re-chunking."""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from assistant.resources import evals_dir

EVALS_DIR = evals_dir()
GOLD_PATH = EVALS_DIR / "gold" / "items.yaml"
THRESHOLDS_PATH = EVALS_DIR / "thresholds.yaml"


class GoldItem(BaseModel):
    id: str
    split: str  # dev | test
    type: str
    question: str
    evidence: list[str] = Field(default_factory=list)
    facts: list[list[str]] = Field(default_factory=list)
    refuse: bool = False
    pii: list[str] = Field(default_factory=list)
    # a two-part question whose other part the corpus does not cover: words of that part, which the
    # answer must name in `not_covered` (and not answer) while answering the rest
    uncovered: list[str] = Field(default_factory=list)
    # earlier questions of a conversation, oldest first: the item's question is a follow-up to them
    history: list[str] = Field(default_factory=list)

    @property
    def answerable(self) -> bool:
        return not self.refuse


def norm(text: str) -> str:
    """Compare quotes case- and whitespace-insensitively, with straight apostrophes."""
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'")).strip().lower()


def passage_matches(item: GoldItem, passage_text: str, section: str = "") -> bool:
    """A passage is the expected evidence if it (or its heading path) contains one of the quotes."""
    hay = norm(f"{section} {passage_text}")
    return any(norm(q) in hay for q in item.evidence)


def missing_facts(item: GoldItem, answer: str) -> list[list[str]]:
    """The key facts (each a list of accepted wordings) of which the answer holds no wording."""
    text = norm(answer)
    return [fact for fact in item.facts if not any(norm(alt) in text for alt in fact)]


def facts_found(item: GoldItem, answer: str) -> float | None:
    if not item.facts:
        return None
    return 1 - len(missing_facts(item, answer)) / len(item.facts)


def load_gold(path: Path = GOLD_PATH, split: str | None = None) -> list[GoldItem]:
    """The items of a gold file (those of one split, or all); a file whose items are all of one split
    may say so once at its top (`split: external`)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    default = {"split": data["split"]} if data.get("split") else {}
    items = [GoldItem(**{**default, **raw}) for raw in data["items"]]
    ids = [i.id for i in items]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path}: duplicate item ids")
    if split and split != "all":
        items = [i for i in items if i.split == split]
    return items
