"""Coverage outputs: per-strand summary, strand × authority heat map, CSV, HTML report and the
gap report (what staff ask that the guidance does not answer)."""
from __future__ import annotations

import csv
import html
import io
from collections import Counter, defaultdict

from assistant.coverage.checklist import STRAND_CODE
from assistant.coverage.matcher import STATUSES, CoverageRow
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


def heatmap_html(summary: dict) -> str:
    auths = list(summary)
    head = "".join(f"<th scope='col'>{html.escape(a)}</th>" for a in auths)
    body = ""
    for strand in STRANDS:
        cells = ""
        for a in auths:
            s = summary[a][strand]
            label = "–" if s["score"] is None else f"{s['score']:.2f}"
            detail = f"{s['covered']} covered, {s['partly covered']} partly, {s['no evidence found']} no evidence of {s['n']}"
            cells += f"<td style='background:{_heat(s['score'])}' title='{detail}'><strong>{label}</strong><br><small>{detail}</small></td>"
        body += f"<tr><th scope='row'>{html.escape(strand)}</th>{cells}</tr>"
    return (f"<table class='app-heat'><caption>Coverage score by strand (covered = 1, partly = 0.5, none = 0; "
            f"mean over the strand's expectations)</caption><thead><tr><th scope='col'>Strand</th>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def gap_groups(turns: list[dict]) -> dict[str, list[dict]]:
    """Refused or low-confidence questions (already redacted), grouped by topic."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for t in turns:
        topic = topic_of(t["question"])
        groups[topic].append(t)
    return dict(sorted(groups.items(), key=lambda kv: -len(kv[1])))


def _gap_reason(turn: dict) -> str:
    return "refused" if turn["refused"] else f"low confidence {turn.get('confidence') or 0:.2f}"


def render_report(rows: list[CoverageRow], gaps: dict[str, list[dict]] | None = None, standalone: bool = True) -> str:
    summary = strand_summary(rows)
    auths = list(summary)
    by_exp: dict[str, dict[str, CoverageRow]] = defaultdict(dict)
    for r in rows:
        by_exp[r.expectation_id][r.authority] = r
    comp = ""
    for eid, per in by_exp.items():
        first = next(iter(per.values()))
        cells = ""
        for a in auths:
            r = per.get(a)
            if r is None:
                cells += "<td>–</td>"
                continue
            ev = r.evidence[0] if r.evidence else None
            cite = (f"<br><small>{html.escape(ev.title)} › {html.escape(ev.section)}"
                    f"{' › para ' + html.escape(ev.paragraph) if ev and ev.paragraph else ''}: “{html.escape(ev.quote)}”</small>") if ev and r.status != STATUSES[2] else ""
            div = f"<br><strong class='app-div'>Possible divergence:</strong> <small>“{html.escape(r.divergence_quote or '')}”</small>" if r.divergence else ""
            cells += f"<td class='app-status app-status--{r.status.split()[0]}'>{html.escape(r.status)} ({r.confidence:.2f}){cite}{div}</td>"
        comp += (f"<tr><th scope='row'>{html.escape(eid)}<br><small>{html.escape(first.strand)}, {first.duty}</small></th>"
                 f"<td><small>{html.escape(first.expectation)}</small></td>{cells}</tr>")
    divs = [r for r in rows if r.divergence]
    div_html = "".join(
        f"<li><strong>{html.escape(r.authority)}</strong> — national expectation {html.escape(r.expectation_id)}: "
        f"“{html.escape(r.expectation)}”<br>local passage: “{html.escape(r.divergence_quote or '')}”</li>" for r in divs
    ) or "<li>None flagged.</li>"
    gap_html = ""
    if gaps is not None:
        if gaps:
            gap_html = "<h2>Gap report: what staff asked that the guidance did not answer</h2>" + "".join(
                f"<h3>{html.escape(topic)} ({len(ts)})</h3><ul>"
                + "".join(f"<li>{html.escape(t['question'])} <small>({_gap_reason(t)})</small></li>" for t in ts)
                + "</ul>" for topic, ts in gaps.items())
        else:
            gap_html = "<h2>Gap report</h2><p>No refused or low-confidence questions recorded yet.</p>"
    body = f"""<h1>Guidance coverage: {html.escape(', '.join(auths))}</h1>
<p>Each national minimum expectation (Wave 2 design specifications) is matched against the authority's documents in
the index. Status and confidence come from passage similarity (see the method note); a person should review the
evidence before relying on it.</p>
{heatmap_html(summary)}
<h2>Possible divergences</h2><ul>{div_html}</ul>
<h2>Expectation by expectation</h2>
<table><thead><tr><th scope='col'>Id</th><th scope='col'>National expectation</th>{''.join(f"<th scope='col'>{html.escape(a)}</th>" for a in auths)}</tr></thead>
<tbody>{comp}</tbody></table>
{gap_html}"""
    if not standalone:
        return body
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Guidance coverage</title>
<style>body{{font-family:Arial,sans-serif;margin:2em;color:#0b0c0c}} table{{border-collapse:collapse;margin:1em 0}}
th,td{{border:1px solid #b1b4b6;padding:6px;vertical-align:top;text-align:left}} .app-status--covered{{background:#cce2d8}}
.app-status--partly{{background:#fff7bf}} .app-status--no{{background:#f6d7d2}} small{{color:#383f43}}</style></head>
<body>{body}</body></html>"""
