"""Checks every answer must pass before it leaves the assistant.

- every [n] in the answer names an entry of `citations` (and every citation is used);
- each citation's start/end lie inside its passage;
- every sentence of the answer carries a citation (except the emergency signpost and a list's
  lead-in line, which introduce cited items).
"""
from __future__ import annotations

import re

from assistant.messages import EMERGENCY_SIGNPOST
from assistant.models import Answer

MARKER = re.compile(r"\[(\d+)\]")
_UNIT_END = re.compile(r"\[\d+\]\S*")  # a marker and what sticks to it ("[1].", "[1][2]")


def cited_numbers(text: str) -> list[int]:
    return [int(m) for m in MARKER.findall(text)]


def answer_units(text: str) -> list[str]:
    """The answer's sentences and list items, without the signpost and lead-in lines."""
    text = text.replace(EMERGENCY_SIGNPOST, "")
    units: list[str] = []
    for block in text.split("\n"):
        block = block.strip()
        if not block or block.endswith(":"):
            continue
        # a unit ends at a citation marker; other brackets ("[Name of LA] is…", a quoted
        # redaction) are part of the sentence
        start = 0
        for m in _UNIT_END.finditer(block):
            units.append(block[start : m.end()].strip())
            start = m.end()
        if block[start:].strip():
            units.append(block[start:].strip())
    return [u for u in units if u]


def check_answer(ans: Answer) -> list[str]:
    problems: list[str] = []
    if ans.refused:
        if MARKER.search(ans.answer):
            problems.append("a refusal carries citation markers")
        return problems
    numbers = {c.n for c in ans.citations}
    used = set(cited_numbers(ans.answer))
    for n in used - numbers:
        problems.append(f"[{n}] does not refer to a citation")
    for n in numbers - used:
        problems.append(f"citation {n} is not used in the answer")
    for c in ans.citations:
        if not (0 <= c.start < c.end <= len(c.text)):
            problems.append(f"citation {c.n} has start/end outside its passage")
    for unit in answer_units(ans.answer):
        if not MARKER.search(unit):
            problems.append(f"uncited sentence: {unit[:60]!r}")
    return problems
