"""The checklist of national minimum expectations, extracted from the design specifications.

Extraction (`assistant coverage --extract`): every passage of the Wave 2 design specification
(full) and the Wave 2 summary specification whose heading path contains "Minimum expectations"
gives one expectation per bullet (full specification: the bullet keeps its lead-in, e.g. "The
MACPT must:") or per numbered paragraph (summary). The strand comes from the top-level heading;
the duty ("must" / "should" / "may") from the lead-in, else the bullet's own words, else "must"
(the summary's minimum expectations are imperatives). The result is written to
corpus/expectations.yaml for a person to review; `reviewed` marks rows a person has checked."""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel

from assistant.resources import corpus_dir

CHECKLIST_PATH = corpus_dir() / "expectations.yaml"
SOURCES = {"design-spec-wave2-full": "W2", "design-spec-wave2-summary": "SDS"}
STRANDS = {
    "multi-agency safeguarding arrangements": "safeguarding arrangements",
    "overarching system reform": "safeguarding arrangements",
    "family help": "family help",
    "child protection": "child protection",
    "family networks": "family networks",
}
STRAND_CODE = {"safeguarding arrangements": "SA", "family help": "FH", "child protection": "CP", "family networks": "FN"}
_DUTY = re.compile(r"\b(must|should|may)\b", re.I)


class Expectation(BaseModel):
    id: str
    strand: str
    duty: str  # must | should | may
    text: str  # the expectation, with its lead-in
    doc_id: str
    section: str
    paragraph: str | None = None
    chunk_id: str
    reviewed: bool = False


def _duty(item: str, lead: str) -> str:
    m = _DUTY.search(lead) or _DUTY.search(item)
    return m.group(1).lower() if m else "must"


def extract_expectations(snapshot) -> list[Expectation]:
    out: list[Expectation] = []
    counters: dict[str, int] = {}
    for c in snapshot.chunks:
        prefix = SOURCES.get(c.doc_id)
        if not prefix or "Minimum expectations" not in c.section:
            continue
        strand = STRANDS.get(c.section.split(" › ")[0].strip().lower())
        if strand is None:
            continue
        lines = [ln.strip() for ln in c.text.split("\n") if ln.strip()]
        lead = next((ln for ln in lines if not ln.startswith("- ") and ln.endswith(":")), "")
        items = [ln[2:].strip() for ln in lines if ln.startswith("- ")] if c.is_list else [c.text.strip()]
        for item in items:
            if out and item[:1].islower() and out[-1].chunk_id == c.chunk_id:
                # a bullet broken by a page break: its tail belongs to the previous expectation
                out[-1].text = f"{out[-1].text} {item}"
                continue
            if len(item.split()) < 4:
                continue
            key = f"{prefix}-{STRAND_CODE[strand]}"
            counters[key] = counters.get(key, 0) + 1
            eid = f"{prefix}-{c.paragraph}" if prefix == "SDS" and c.paragraph else f"{key}-{counters[key]:02d}"
            text = f"{lead} {item}" if lead else item
            out.append(Expectation(id=eid, strand=strand, duty=_duty(item, lead), text=text, doc_id=c.doc_id,
                                   section=c.section, paragraph=c.paragraph, chunk_id=c.chunk_id))
    return out


def write_checklist(items: list[Expectation], path: Path = CHECKLIST_PATH) -> None:
    header = ("# National minimum expectations, extracted by `assistant coverage --extract` from the Wave 2\n"
              "# design specification (full, W2-*) and the Wave 2 summary specification (SDS-<paragraph>).\n"
              "# One row per bullet / numbered paragraph under a 'Minimum expectations' heading; strand from the\n"
              "# top-level heading; duty from the wording. Review the rows and set `reviewed: true`.\n")
    body = yaml.safe_dump({"expectations": [i.model_dump() for i in items]}, sort_keys=False, allow_unicode=True, width=120)
    path.write_text(header + body, encoding="utf-8")


def load_checklist(path: Path = CHECKLIST_PATH) -> list[Expectation]:
    return [Expectation(**e) for e in yaml.safe_load(path.read_text(encoding="utf-8"))["expectations"]]
