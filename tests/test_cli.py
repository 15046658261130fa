"""The command line, end to end through the real index."""
import json

from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner()


def test_ask_json(data_dir):
    r = runner.invoke(app, ["ask", "--json", "--data", str(data_dir), "When must we offer a family group conference?"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output[r.output.index("{"):])
    assert data["refused"] is False and data["citations"]


def test_ask_file_jsonl_keeps_order(tmp_path, data_dir):
    qs = ["Who must facilitate family group decision making?", "What is the capital of France?", "FNSP eligibility?"]
    f = tmp_path / "q.txt"
    f.write_text("\n".join(qs) + "\n")
    r = runner.invoke(app, ["ask", "--json", "--file", str(f), "--data", str(data_dir)])
    assert r.exit_code == 0, r.output
    lines = [json.loads(line) for line in r.output.splitlines() if line.startswith("{")]
    assert [d["question"] for d in lines] == qs
    assert [d["refused"] for d in lines] == [False, True, False]


def test_sources_and_errors(data_dir, tmp_path):
    r = runner.invoke(app, ["sources", "--data", str(data_dir)])
    assert r.exit_code == 0 and "design-spec-wave2-full" in r.output
    header, *rows = r.output.splitlines()
    # aligned columns: every row's title starts where the header's does
    assert header.split()[:5] == ["document", "kind", "authority", "published", "passages"]
    title_at = header.index("title")
    assert all(row[title_at - 2:title_at] == "  " and row[title_at] != " " for row in rows)
    r = runner.invoke(app, ["ask", "--data", str(data_dir), "   "])
    assert r.exit_code == 2 and "empty" in r.output
    r = runner.invoke(app, ["ask", "--data", str(data_dir), "--document", "no-such-doc", "FGC?"])
    assert r.exit_code == 2 and "unknown document" in r.output
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF nonsense")
    r = runner.invoke(app, ["ingest", "--data", str(tmp_path / "other"), str(bad)])
    assert r.exit_code == 2 and "bad.pdf" in r.output and "Nothing was changed" in r.output


def test_ask_says_how_to_add_missing_guidance(data_dir):
    r = runner.invoke(app, ["ask", "--data", str(data_dir), "What is an FNSP and when must the core group first meet?"])
    assert r.exit_code == 0, r.output
    assert "“When must the core group first meet?”: The guidance I hold does not mention core group." in r.output
    assert "assistant ingest" in r.output


def test_serving_another_machine_without_sign_in_is_refused(data_dir, monkeypatch):
    monkeypatch.delenv("ASSISTANT_ALLOW_UNAUTHENTICATED", raising=False)
    r = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--data", str(data_dir)])
    assert r.exit_code == 2 and "no sign-in is configured" in r.output and "127.0.0.1" in r.output


def test_serve_with_two_workers_answers(data_dir):
    """`assistant serve --workers 2`: each worker gets the run's settings through its app factory."""
    import os
    import subprocess
    import sys

    import httpx
    from servers import free_port, wait_until_up

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--workers", "2", "--port", str(port),
                             "--data", str(data_dir)], env=dict(os.environ, HF_HUB_OFFLINE="1"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/readyz", proc, 120)
        r = httpx.post(f"http://127.0.0.1:{port}/api/ask", json={"question": "When must we offer a family group conference?"},
                       timeout=60)
        assert r.status_code == 200 and r.json()["citations"]
    finally:
        proc.terminate()
        proc.wait(30)
