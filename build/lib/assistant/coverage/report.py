"""Coverage outputs: per-strand summary, strand × authority heat map, CSV, HTML report and the
gap report (what staff ask that the guidance does not answer)."""
from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict

from markupsafe import Markup

from assistant.coverage.checklist import STRAND_CODE
from assistant.coverage.matcher import STATUSES, CoverageRow
from assistant.resources import render
from assistant.topics import topic_of

STRANDS = list(STRAND_CODE)


def coverage_score(status: str) -> float:
    return {"covered": 1.0, "partly covered": 0.5}.get(status, 0.0)


def strand_summary(rows: list[CoverageRow]) -> dict[str, dict[str, dict]]:
    """authority -> strand -> {covered, partly covered, no evidence found, n, score}"""
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for auth in sorted({r.authority for r in rows}):
        for strand in STRANDS:
            rs = [r for r in rows if r.authority == auth and r.strand == strand]
            counts = Counter(r.status for r in rs)
            out[auth][strand] = {**{s: counts.get(s, 0) for s in STATUSES}, "n": len(rs),
                                 "score": round(sum(coverage_score(r.status) for r in rs) / len(rs), 3) if rs else None}
    return dict(out)


def to_csv(rows: list[CoverageRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["authority", "expectation_id", "strand", "duty", "expectation", "status", "confidence",
                "evidence_document", "evidence_section", "evidence_paragraph", "evidence_quote", "possible_divergence",
                "divergence_quote"])
    for r in rows:
        e = r.evidence[0] if r.evidence else None
        w.writerow([r.authority, r.expectation_id, r.strand, r.duty, r.expectation, r.status, r.confidence,
                    e.title if e else "", e.section if e else "", (e.paragraph or "") if e else "", e.quote if e else "",
                    "yes" if r.divergence else "", r.divergence_quote or ""])
    return buf.getvalue()


def _heat(score: float | None) -> str:
    if score is None:
        return "#f3f2f1"
    # white (0) → GOV.UK green (1), text stays dark for contrast
    g = int(255 - score * (255 - 183))
    r = int(255 - score * (255 - 219))
    b = int(255 - score * (255 - 193))
    return f"rgb({r},{g},{b})"


def gap_groups(turns: list[dict]) -> dict[str, list[dict]]:
    """Refused or low-confidence questions (already redacted), grouped by topic."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for t in turns:
        topic = topic_of(t["question"])
        groups[topic].append(t)
    return dict(sorted(groups.items(), key=lambda kv: -len(kv[1])))


def render_report(rows: list[CoverageRow], gaps: dict[str, list[dict]] | None = None, standalone: bool = True) -> str:
    summary = strand_summary(rows)
    by_expectation: dict[str, dict[str, CoverageRow]] = defaultdict(dict)
    for r in rows:
        by_expectation[r.expectation_id][r.authority] = r
    body = Markup(render("reports/coverage.html", auths=list(summary), strands=STRANDS, summary=summary, heat=_heat,
                         by_expectation=by_expectation, divergences=[r for r in rows if r.divergence], gaps=gaps))
    return render("reports/standalone.html", title="Guidance coverage", body=body) if standalone else str(body)
