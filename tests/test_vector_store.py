"""The vector store is a setting: an index whose passage vectors live in a real Chroma server
(`chroma run`, started here on 127.0.0.1) answers as the embedded one does, and an ingest that
replaces a generation drops the old generation's collection from the server."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from servers import free_port, wait_until_up

QUESTIONS = ["Who should be the Family Help Lead Practitioner?", "When must we offer a family group conference?",
             "What is the maximum FNSP payment?"]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen([chroma, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)  # unread: a pipe could fill
    try:
        wait_until_up(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, 60)
        yield port
    finally:
        proc.terminate()
        proc.wait(10)


def _collections(port: int) -> list[str]:
    import chromadb
    from chromadb.config import Settings

    client = chromadb.HttpClient(host="127.0.0.1", port=port, settings=Settings(anonymized_telemetry=False))
    return sorted(c.name for c in client.list_collections())


def test_an_index_in_a_chroma_server_answers_as_the_embedded_one(chroma_server, assistant, tmp_path, monkeypatch):
    from assistant import Assistant
    from assistant.index.update import ingest

    monkeypatch.setenv("ASSISTANT_VECTOR_STORE", "chroma-http")
    monkeypatch.setenv("ASSISTANT_CHROMA_PORT", str(chroma_server))
    ingest(tmp_path)
    first = _collections(chroma_server)
    assert len(first) == 1 and first[0].startswith("chunks-gen-")
    served = Assistant.open(tmp_path, build=False)
    assert served.snapshot.vectors.name == "chroma-http"
    for question in QUESTIONS:
        a, b = assistant.ask(question), served.ask(question)
        assert (a.answer, a.refused, [c.chunk_id for c in a.citations]) == \
               (b.answer, b.refused, [c.chunk_id for c in b.citations])

    ingest(tmp_path, force=True)  # a new generation; the one before it stays for readers still on it
    ingest(tmp_path, force=True)  # …and the one before that is gone, from the folder and the server
    second = _collections(chroma_server)
    assert len(second) == 2 and first[0] not in second
    served.refresh()
    assert served.ask(QUESTIONS[0]).citations


def test_an_unknown_vector_store_is_refused_before_anything_changes(tmp_path, monkeypatch):
    from assistant.index.update import ingest

    monkeypatch.setenv("ASSISTANT_VECTOR_STORE", "no-such-store")
    with pytest.raises(ValueError, match="unknown vector store"):
        ingest(tmp_path)
    assert not (tmp_path / "index" / "CURRENT").exists()
