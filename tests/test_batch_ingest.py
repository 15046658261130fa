"""Council documents in: web pages, numbered procedure PDFs and Word files read as a reader sees
them; a whole manual added in one call with per-file metadata; a URL fetched; a document that
supersedes another; two ingests at once."""
import functools
import http.server
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.ingest.corpus import load_user_document
from assistant.models import DocumentMeta

PAGE = """<!doctype html><html><head><title>6.8 Section 47 enquiries | Northmoor Children's Services Procedures</title></head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<div class="accessibility-toolbar">View this website with small text</div>
<div id="cookie-banner"><p>We use cookies to make this site work.</p><button>Accept all cookies</button></div>
<header><img alt="Logo Alt Text" src="logo.png"><nav><a href="/">Home</a> <a href="/contents">Contents</a></nav></header>
<div class="breadcrumb">Home › Procedures › 6.8</div>
<main id="main">
<h1>6.8 Section 47 enquiries</h1>
<p>Last updated: 12 March 2024</p>
<h2>Scope of this chapter</h2>
<p>This chapter sets out what Northmoor practitioners must do when a strategy discussion decides that a section 47 enquiry is needed.</p>
<h2>Key Features</h2>
<p>6.8.1 All agencies have a duty to assist and provide information in support of a s47 enquiry.</p>
<p>6.8.2 The Lead Child Protection Practitioner (LCPP) leads any s47 enquiry and must be a qualified social worker.</p>
<h2>Timescales</h2>
<table><tr><th>Step</th><th>Timescale</th></tr>
<tr><td>Strategy discussion</td><td>Within 1 working day of the referral</td></tr>
<tr><td>Initial child protection conference</td><td>Within 15 working days of the strategy discussion</td></tr></table>
</main>
<footer><p>Copyright Northmoor Council 2024</p><a href="#">Back to top</a></footer>
</body></html>"""

MANUAL = """# 4.2 Family Group Decision Making

## Scope of this chapter

This chapter applies to all Westbrook practitioners working with families under s17 or s47.

| Para | Requirement |
|---|---|
| 4.2.1 | Every family must be offered a family group decision making meeting before pre-proceedings. |
| 4.2.2 | The coordinator must be independent of the case. |

## Timescales

| Stage | Red | Amber | Green |
|---|---|---|---|
| Referral to coordinator | 2 days | 5 days | 10 days |

---
"""


def _chunks(path: Path, kind: str = "local", authority: str = "Northmoor"):
    meta = DocumentMeta(doc_id=path.stem, title=path.stem, kind=kind, authority=authority)
    return load_user_document(path, meta).chunks


def _all_text(chunks) -> str:
    return "\n".join(f"{c.section}\n{c.text}" for c in chunks)


def test_a_council_web_page_loses_its_boilerplate_and_keeps_its_structure(tmp_path):
    page = tmp_path / "s47-enquiries.html"
    page.write_text(PAGE, encoding="utf-8")
    chunks = _chunks(page)
    text = _all_text(chunks)
    for furniture in ("Skip to content", "small text", "cookies", "Logo", "Home", "Back to top", "Copyright",
                      "Last updated", "12 March 2024"):
        assert furniture not in text, furniture
    sections = {c.section for c in chunks}
    assert any(s.endswith("Scope of this chapter") for s in sections)
    assert any(s.endswith("Timescales") for s in sections)
    assert "Initial child protection conference" in text and "Within 15 working days" in text
    lead = next(c for c in chunks if "must be a qualified social worker" in c.text)
    assert "a s47 enquiry" in text and "anys47" not in text and lead.section.endswith("Key Features")


def test_a_markdown_manual_reads_its_pipe_tables_and_numbered_paragraphs(tmp_path):
    manual = tmp_path / "fgdm.md"
    manual.write_text(MANUAL, encoding="utf-8")
    chunks = _chunks(manual, authority="Westbrook")
    assert not any("|" in c.section or c.text.strip().startswith("|") for c in chunks)
    duty = next(c for c in chunks if "must be offered a family group decision making meeting" in c.text)
    assert duty.paragraph == "4.2.1"
    rag = next(c for c in chunks if "Referral to coordinator" in c.text)
    assert "Red: 2 days" in rag.text and "Green: 10 days" in rag.text
    assert "under s17 or s47" in _all_text(chunks) and "---" not in _all_text(chunks)


def test_a_numbered_procedure_pdf_keeps_its_paragraph_numbers(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "strategy-discussions.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4)
    y = 800
    for line in ("5.3 Strategy Discussions", "",
                 "5.3.1 A strategy discussion must be held whenever there is reasonable cause to suspect",
                 "that a child is suffering, or is likely to suffer, significant harm.", "",
                 "5.3.2 The discussion must include children's social care, the police and health."):
        c.drawString(60, y, line)
        y -= 18
    c.save()
    chunks = _chunks(pdf)
    first = next(ch for ch in chunks if "reasonable cause to suspect" in ch.text)
    assert first.paragraph == "5.3.1" and "significant harm" in first.text
    assert any(ch.paragraph == "5.3.2" for ch in chunks)


def test_a_word_document_keeps_its_headings(tmp_path):
    import docx

    path = tmp_path / "private-fostering.docx"
    d = docx.Document()
    d.add_heading("Private Fostering", 1)
    d.add_heading("Scope of this chapter", 2)
    d.add_paragraph("This chapter applies when a child under 16 is cared for by someone who is not a close relative "
                    "for 28 days or more.")
    d.add_heading("Visits", 2)
    d.add_paragraph("A social worker must visit the child within 7 working days of notification.")
    d.save(path)
    chunks = _chunks(path)
    visit = next(c for c in chunks if "within 7 working days" in c.text)
    assert visit.section == "Private Fostering › Visits"
    assert any(c.section == "Private Fostering › Scope of this chapter" for c in chunks)


def test_a_manual_added_in_one_call_with_a_superseded_version(own_data, tmp_path):
    from assistant import Assistant
    from assistant.index.update import ingest
    from assistant.ingest.sources import read_manifest

    folder = tmp_path / "manual"
    folder.mkdir()
    (folder / "s47-enquiries.html").write_text(PAGE, encoding="utf-8")
    (folder / "fgdm-2023.md").write_text(MANUAL.replace("must be independent of the case",
                                                        "should be a social worker"), encoding="utf-8")
    (folder / "fgdm-2024.md").write_text(MANUAL, encoding="utf-8")
    manifest = tmp_path / "manual.yaml"
    manifest.write_text(
        "documents:\n"
        "  - {path: manual/s47-enquiries.html, title: 'Section 47 enquiries', authority: Northmoor, published: 2024-03,"
        " source_url: 'https://procedures.northmoor.example/6-8'}\n"
        "  - {path: manual/fgdm-2023.md, doc_id: westbrook-fgdm-2023, title: 'FGDM (2023)', authority: Westbrook}\n"
        "  - {path: manual/fgdm-2024.md, doc_id: westbrook-fgdm-2024, title: 'FGDM', authority: Westbrook,"
        " published: 2024-09, review: 2026-09, supersedes: [westbrook-fgdm-2023]}\n", encoding="utf-8")
    report = ingest(own_data, specs=read_manifest(manifest))
    assert sorted(report.added) == ["s47-enquiries", "westbrook-fgdm-2023", "westbrook-fgdm-2024"]
    a = Assistant.open(own_data, build=False)
    docs = a.snapshot.documents
    assert docs["s47-enquiries"].meta.source_url == "https://procedures.northmoor.example/6-8"
    assert docs["westbrook-fgdm-2024"].meta.review == "2026-09"
    assert a.snapshot.superseded_by == {"westbrook-fgdm-2023": "westbrook-fgdm-2024"}
    _, hits = a.search("Who coordinates Westbrook's family group decision making meeting?", k=20)
    found = {a.snapshot.chunks[h.chunk_index].doc_id for h in hits}
    assert "westbrook-fgdm-2024" in found and "westbrook-fgdm-2023" not in found
    # kept and viewable
    assert any(c.doc_id == "westbrook-fgdm-2023" for c in a.snapshot.chunks)


def test_a_superseded_document_must_be_held(own_data, tmp_path):
    from assistant.index.update import ingest

    doc = tmp_path / "fgdm.md"
    doc.write_text(MANUAL, encoding="utf-8")
    with pytest.raises(ValueError, match="supersedes no-such-doc"):
        ingest(own_data, [doc], supersedes=["no-such-doc"])


def test_a_url_is_fetched_and_remembered(own_data, tmp_path):
    from assistant import Assistant
    from assistant.index.update import ingest

    site = tmp_path / "site"
    site.mkdir()
    (site / "s47.html").write_text(PAGE, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/s47.html"
    try:
        report = ingest(own_data, [url], authority="Northmoor")
        with pytest.raises(Exception, match="could not be fetched"):
            ingest(own_data, [url.replace("s47.html", "missing.html")])
    finally:
        server.shutdown()
    assert report.added == ["s47"]
    meta = Assistant.open(own_data, build=False).snapshot.documents["s47"].meta
    assert meta.source_url == url and meta.authority == "Northmoor"


def _assistant_cmd() -> list[str]:
    return [sys.executable, "-m", "assistant.cli"]


def test_two_ingests_at_once_wait_for_each_other_and_lose_nothing(own_data, tmp_path):
    """While an ingest holds the data folder, another one told not to wait stops at once with a clear
    message and changes nothing; two that wait run one after the other, and both documents are held."""
    from assistant.index.lock import ingest_lock

    first, second = tmp_path / "first.md", tmp_path / "second.md"
    first.write_text(MANUAL, encoding="utf-8")
    second.write_text(MANUAL.replace("Westbrook", "Eastholme"), encoding="utf-8")
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    before = sorted(p.name for p in (own_data / "index").iterdir())

    def start(path: Path) -> subprocess.Popen:
        return subprocess.Popen(_assistant_cmd() + ["ingest", "--data", str(own_data), str(path)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    with ingest_lock(own_data):  # as a running ingest holds it
        refused = subprocess.run(_assistant_cmd() + ["ingest", "--no-wait", "--data", str(own_data), str(second)],
                                 env=env, capture_output=True, text=True)
        assert sorted(p.name for p in (own_data / "index").iterdir()) == before
        waiting = [start(first), start(second)]
        time.sleep(3)
        assert all(p.poll() is None for p in waiting)  # both wait, neither fails
    outputs = [p.communicate(timeout=600) for p in waiting]
    assert refused.returncode == 3, refused.stderr
    assert "another ingest is running" in refused.stderr and "nothing was changed" in refused.stderr
    assert [p.returncode for p in waiting] == [0, 0], [err for _, err in outputs]
    assert "added: first" in outputs[0][0] and "added: second" in outputs[1][0]
    listed = subprocess.run(_assistant_cmd() + ["sources", "--json", "--data", str(own_data)], env=env,
                            capture_output=True, text=True, check=True).stdout
    assert '"first"' in listed and '"second"' in listed


def test_a_text_file_s_own_line_breaks_show_its_headings_and_labels(tmp_path):
    """No blank lines between them: a heading after a finished sentence is a heading, and a
    "Required:" label introduces the item after it, not the one before."""
    path = tmp_path / "private-fostering.txt"
    path.write_text("Private Fostering Procedure\nScope of this chapter\nThis chapter covers children who are "
                    "privately fostered in Eastholme.\nKey Features\nA private fostering arrangement lasts 28 days "
                    "or more.\nRequired:\n- A visit within 7 working days.\nRecommended:\n- A second visit within "
                    "6 weeks.\n", encoding="utf-8")
    chunks = _chunks(path, authority="Eastholme")
    scope = next(c for c in chunks if "privately fostered" in c.text)
    assert scope.section.endswith("Scope of this chapter") and "Scope of this chapter" not in scope.text
    assert next(c for c in chunks if "28 days" in c.text).section.endswith("Key Features")
    required = next(c for c in chunks if "7 working days" in c.text)
    assert required.text.startswith("Required:") and "6 weeks" not in required.text and "28 days" not in required.text
