"""The coverage check: the checklist, matching local documents, divergence, reports, the gap report."""
import csv
import io

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.api import create_app
from assistant.cli import app
from assistant.coverage import CoverageMatcher, extract_expectations, load_checklist
from assistant.coverage.report import gap_groups, render_report, strand_summary, to_csv
from assistant.evaluate.coverage import CoverageAgreementEvaluator


def test_committed_checklist_matches_the_corpus(assistant):
    """The reviewed YAML must still be what the extraction finds (ids, strands, passages)."""
    committed = load_checklist()
    extracted = extract_expectations(assistant.snapshot)
    assert len(committed) >= 100
    assert [(e.id, e.strand, e.chunk_id) for e in committed] == [(e.id, e.strand, e.chunk_id) for e in extracted]
    assert {e.strand for e in committed} == {"safeguarding arrangements", "family help", "child protection", "family networks"}
    by_id = {e.id: e for e in committed}
    assert "Trial chairing child protection conferences" in by_id["W2-CP-08"].text
    assert by_id["SDS-54"].duty == "should" and by_id["W2-CP-08"].duty == "must"
    for e in committed:  # every expectation cites its passage
        chunk = assistant.snapshot.chunks[assistant.snapshot.by_id[e.chunk_id]]
        assert chunk.doc_id == e.doc_id


@pytest.fixture(scope="module")
def matcher(assistant):
    return CoverageMatcher(assistant)


def test_lincolnshire_keeps_the_independent_chair(matcher):
    exp = next(e for e in load_checklist() if e.id == "W2-CP-08")
    row = matcher.row(exp, "Lincolnshire")
    assert row.divergence and "Independent Chair" in row.divergence_quote
    assert all(e.doc_id == "lincolnshire-pathfinder-scrutiny-2024" for e in row.evidence)


def test_evidence_comes_from_the_authority_only(matcher):
    exp = next(e for e in load_checklist() if e.id == "SDS-58")  # FNSPs
    row = matcher.row(exp, "Dorset")
    assert row.status in ("covered", "partly covered")
    assert row.evidence and all("Dorset" in e.title for e in row.evidence)
    assert any("Family Network Support Packages" in e.text for e in row.evidence)
    with pytest.raises(ValueError, match="no documents held"):
        matcher.check("Narnia", load_checklist()[:1])


def test_reports(matcher):
    checklist = load_checklist()[:12]
    rows = matcher.check("Dorset", checklist) + matcher.check("Stockton-on-Tees", checklist)
    summary = strand_summary(rows)
    assert set(summary) == {"Dorset", "Stockton-on-Tees"}
    parsed = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert len(parsed) == len(rows) and {r["status"] for r in parsed} <= {"covered", "partly covered", "no evidence found"}
    page = render_report(rows, gap_groups([{"question": "What is the EHCP deadline for [NAME]?", "refused": True, "confidence": 0.1},
                                           {"question": "FNSP for nan's bus fare?", "refused": False, "confidence": 0.3}]))
    assert "app-heat" in page and "Gap report" in page and "[NAME]" in page
    assert "family networks" in page


def test_agreement_with_hand_labels(assistant):
    res = CoverageAgreementEvaluator().evaluate(assistant)
    assert res.aggregate["pairs"] >= 40
    assert 0 <= res.aggregate["agreement"] <= 1
    assert res.aggregate["divergence_recall"] >= 0.5  # the Lincolnshire chair is found


def test_coverage_cli_and_web(data_dir, assistant, tmp_path):
    out = tmp_path / "cov.csv"
    res = CliRunner().invoke(app, ["coverage", "--authority", "Lincolnshire", "--out", str(out), "--data", str(data_dir)])
    assert res.exit_code == 0, res.output
    assert "possible divergence, Lincolnshire" in res.output
    assert len(out.read_text().splitlines()) == len(load_checklist()) + 1
    res = CliRunner().invoke(app, ["coverage", "--authority", "Narnia", "--data", str(data_dir)])
    assert res.exit_code == 2
    client = TestClient(create_app(data_dir, tmp_path / "web.sqlite3", assistant=assistant))
    client.post("/api/ask", json={"question": "What is the statutory deadline for an EHCP for Jayden Smith DOB 03/04/2016?"})
    page = client.get("/coverage", params={"authority": "Lincolnshire"})
    assert page.status_code == 200 and "Possible divergence" in page.text
    assert "Gap report" in page.text and "Jayden" not in page.text and "[NAME]" in page.text
    assert client.get("/coverage", params={"authority": "Narnia"}).status_code == 404
    assert client.get("/coverage/export", params={"fmt": "csv", "authority": "Lincolnshire"}).text.startswith("authority,")
