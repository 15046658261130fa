"""Gold-data lint: problems in a gold file that would make its scores mean less than they say.

The bundled gold set is checked by the tests; a team adding its own items (for Working Together
or a local protocol it has ingested, `assistant eval --lint --gold FILE`) gets the same checks:

- an answerable item without evidence quotes or key facts cannot be scored;
- an evidence quote that no passage of the index holds (the match `gold.passage_matches` makes)
  orphans the item (quotes, not chunk ids, so that re-chunking cannot do this silently, but a
  re-worded document can);
- a key fact that none of the item's evidence passages states cannot be quoted by an extractive
  answer, so the item fails whatever the pipeline does;
- a test question that restates a dev question (nearly the same words about the same passage, or
  the same must-refuse question) leaks tuning into the figures reported on test;
- a question type spelt two ways ("number" and "numbers") splits the report's per-type breakdown.
"""
from __future__ import annotations

from pydantic import BaseModel

from assistant.evaluate.gold import GoldItem, norm
from assistant.guard import strip_pii
from assistant.text import tokens

SPLITS = ("dev", "test", "external-dev", "external")  # external: a suite measured only, never tuned on


class Problem(BaseModel):
    item: str
    kind: str
    detail: str


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def leaks(items: list[GoldItem]) -> list[Problem]:
    """Test items that ask what a dev item asks: the same passage in nearly the same words (Jaccard
    of the PII-stripped question words ≥ 0.5), or the same must-refuse question (≥ 0.6)."""
    dev = [(i, set(tokens(strip_pii(i.question)))) for i in items if i.split == "dev"]
    out = []
    for t in (i for i in items if i.split == "test"):
        tt = set(tokens(strip_pii(t.question)))
        for d, td in dev:
            overlap = _overlap(tt, td)
            if (t.refuse and d.refuse and overlap >= 0.6) or (set(t.evidence) & set(d.evidence) and overlap >= 0.5):
                out.append(Problem(item=t.id, kind="restates a dev item", detail=f"{d.id} (word overlap {overlap:.2f})"))
    return out


def _type_key(kind: str) -> str:
    return kind.lower().replace("_", "-").removesuffix("s")


def type_spellings(items: list[GoldItem]) -> list[Problem]:
    """Items whose type is another item type spelt differently (case, "_" for "-", a plural "s"): the
    less used spelling is reported."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.type] = counts.get(item.type, 0) + 1
    out = []
    for item in items:
        usual = max((t for t in counts if _type_key(t) == _type_key(item.type)), key=lambda t: (counts[t], t))
        if usual != item.type:
            out.append(Problem(item=item.id, kind="type spelt two ways", detail=f"{item.type!r} (elsewhere {usual!r})"))
    return out


def lint_gold(items: list[GoldItem], snapshot) -> list[Problem]:
    problems: list[Problem] = []
    # what passage_matches compares a quote with, normalised once for all items
    hays = [(norm(f"{c.section} {c.text}"), norm(c.text)) for c in snapshot.chunks]
    for item in items:
        if item.split not in SPLITS:
            problems.append(Problem(item=item.id, kind="unknown split", detail=f"{item.split!r} ({', '.join(SPLITS)})"))
        if item.refuse:
            continue
        if not item.evidence or not item.facts:
            problems.append(Problem(item=item.id, kind="cannot be scored", detail="an answerable item needs evidence and facts"))
            continue
        quotes = [norm(q) for q in item.evidence]
        for quote, q in zip(item.evidence, quotes):
            if not any(q in hay for hay, _ in hays):
                problems.append(Problem(item=item.id, kind="quote not in the index", detail=quote))
        held = " ".join(text for hay, text in hays if any(q in hay for q in quotes))
        for fact in item.facts:
            if held and not any(norm(alt) in held for alt in fact):
                problems.append(Problem(item=item.id, kind="fact not in its evidence", detail=" | ".join(fact)))
    return problems + leaks(items) + type_spellings(items)
