"""Adding local protocols: incremental, atomic, and safe against broken files."""
import json

import pytest

from assistant import Assistant
from assistant.index.store import current_generation
from assistant.index.update import ingest
from assistant.ingest.loaders import LoaderError

PROTOCOL_V1 = """# Borsetshire Family Help Protocol

## Lead practitioner

In Borsetshire the Family Help Lead Practitioner is chosen at the weekly allocation panel chaired by the locality manager.
"""
PROTOCOL_V2 = PROTOCOL_V1.replace("weekly allocation panel", "daily allocation huddle")


def test_incremental_reingest(tmp_path, own_data):
    doc = tmp_path / "borsetshire-protocol.md"
    doc.write_text(PROTOCOL_V1)
    r = ingest(own_data, [doc], kind="local", authority="Borsetshire")
    assert r.added == ["borsetshire-protocol"] and r.rebuilt
    a = Assistant.open(own_data, build=False)
    ans = a.ask("How is the lead practitioner chosen in Borsetshire?")
    assert not ans.refused and "weekly allocation panel" in ans.answer
    assert any(c.authority == "Borsetshire" and c.kind == "local" for c in ans.citations)
    gen1 = current_generation(own_data)

    r = ingest(own_data, [doc], kind="local", authority="Borsetshire")  # unchanged: nothing to do
    assert r.unchanged and not r.rebuilt and current_generation(own_data) == gen1

    doc.write_text(PROTOCOL_V2)
    r = ingest(own_data, [doc], kind="local", authority="Borsetshire")
    assert r.replaced == ["borsetshire-protocol"] and r.rebuilt
    assert a.refresh()  # the open assistant moves to the new generation
    ans = a.ask("How is the lead practitioner chosen in Borsetshire?")
    assert "daily allocation huddle" in ans.answer
    texts = [c.text for c in a.snapshot.chunks if c.doc_id == "borsetshire-protocol"]
    assert texts and not any("weekly allocation panel" in t for t in texts)  # old chunks gone

    r = ingest(own_data, remove=["borsetshire-protocol"])
    assert r.removed == ["borsetshire-protocol"]
    a.refresh()
    assert "borsetshire-protocol" not in a.snapshot.documents


def test_broken_file_changes_nothing(tmp_path, own_data):
    gen = current_generation(own_data)
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(LoaderError, match="broken.pdf"):
        ingest(own_data, [bad])
    assert current_generation(own_data) == gen
    assert Assistant.open(own_data, build=False).ask("When must we offer a family group conference?").citations


def test_ingest_that_dies_halfway_keeps_the_old_index(tmp_path, own_data, monkeypatch):
    gen = current_generation(own_data)
    doc = tmp_path / "new.md"
    doc.write_text(PROTOCOL_V1)
    import assistant.index.store as store

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store.np, "save", boom)
    with pytest.raises(RuntimeError):
        ingest(own_data, [doc])
    monkeypatch.undo()
    assert current_generation(own_data) == gen
    assert not (own_data / "documents" / "new.json").exists()
    assert not [p for p in (own_data / "index").iterdir() if p.name.endswith(".building")]
    a = Assistant.open(own_data, build=False)
    assert "new" not in a.snapshot.documents
    assert not a.ask("When must we offer a family group conference?").refused


def test_sources_lists_documents(data_dir):
    gen = current_generation(data_dir)
    docs = json.loads((gen / "documents.json").read_text())
    kinds = {d["meta"]["doc_id"]: d["meta"]["kind"] for d in docs}
    assert kinds["design-spec-wave2-full"] == "national"
    assert kinds["ffcp-evaluation-2025"] == "evidence"
    assert kinds["dorset-pathfinder-update-2024"] == "local"


def test_an_index_keeps_its_embedder_unless_another_is_asked_for(tmp_path, monkeypatch):
    """Adding a document to a `minilm+e5` index must not silently rebuild it with the default model;
    setting $ASSISTANT_EMBEDDER does change it (a rebuild); an unknown name changes nothing."""
    import assistant.index.update as pipeline
    from assistant.ingest.corpus import load_corpus

    small = [d for d in load_corpus() if d.meta.doc_id == "lincolnshire-pathfinder-scrutiny-2024"]
    monkeypatch.setattr(pipeline, "load_corpus", lambda: small)  # one bundled document keeps e5 quick
    d = tmp_path / "data"
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "minilm+e5")
    assert ingest(d).embedder == "minilm+e5"

    monkeypatch.delenv("ASSISTANT_EMBEDDER")
    doc = tmp_path / "borsetshire-protocol.md"
    doc.write_text(PROTOCOL_V1)
    r = ingest(d, [doc], kind="local", authority="Borsetshire")
    assert r.rebuilt and r.embedder == "minilm+e5" and r.embedder_was is None
    a = Assistant.open(d, build=False)
    assert a.snapshot.embedder_name == "minilm+e5"
    assert "weekly allocation panel" in a.ask("How is the lead practitioner chosen in Borsetshire?").answer
    assert not ingest(d).rebuilt  # nothing changed, nothing asked for

    monkeypatch.setenv("ASSISTANT_EMBEDDER", "minilm")
    r = ingest(d)
    assert r.rebuilt and (r.embedder_was, r.embedder) == ("minilm+e5", "minilm")
    assert a.refresh() and a.snapshot.embedder_name == "minilm" and "borsetshire-protocol" in a.snapshot.documents
    assert "weekly allocation panel" in a.ask("How is the lead practitioner chosen in Borsetshire?").answer  # 384-d now

    gen = current_generation(d)
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "no-such-model")
    with pytest.raises(ValueError, match="unknown embedder 'no-such-model'"):
        ingest(d, [doc])
    assert current_generation(d) == gen


def test_bm25_build_is_quiet(caplog):
    """bm25s turns its own logger to DEBUG on import; ingest output shows its warnings only."""
    import logging

    from assistant.index.store import build_bm25
    from assistant.models import Chunk
    from assistant.text import tokens

    chunks = [Chunk(chunk_id=f"c{i}", doc_id="d", section="S", text=t, order=i)
              for i, t in enumerate(["family group conference", "lead practitioner"])]
    with caplog.at_level(logging.DEBUG):
        bm25 = build_bm25(chunks)
    assert bm25.get_scores(tokens("conference"))[0] > 0
    assert not [r for r in caplog.records if r.name.startswith("bm25s") and r.levelno < logging.WARNING]


def test_an_upgrade_that_chunks_differently_rebuilds_the_index(own_data, monkeypatch):
    """The index records each document's fingerprint; the chunks are part of it, so new chunking code
    on unchanged documents is not 'nothing to do'."""
    r = ingest(own_data)
    assert not r.rebuilt  # same code, same documents
    import assistant.ingest.corpus as corpus

    real = corpus.chunk_blocks

    def newer_chunker(doc_id, blocks):  # stands in for an upgraded chunker: one passage fewer
        chunks = real(doc_id, blocks)
        return chunks[:-1] if doc_id == "stockton-ffp-scrutiny-2025" else chunks

    def stockton_chunks() -> int:
        return sum(c.doc_id == "stockton-ffp-scrutiny-2025" for c in Assistant.open(own_data, build=False).snapshot.chunks)

    before, gen = stockton_chunks(), current_generation(own_data)
    monkeypatch.setattr(corpus, "chunk_blocks", newer_chunker)
    r = ingest(own_data)
    assert r.rebuilt and current_generation(own_data) != gen
    assert stockton_chunks() == before - 1  # the index holds the new chunking


def test_an_index_built_before_headings_were_embedded_still_serves(own_data):
    """Indexes built by earlier versions hold no heading vectors: they are embedded on opening, the
    same vectors a rebuild stores."""
    import numpy as np

    from assistant.index.store import Snapshot

    stored = Snapshot.open(own_data).head_vecs
    (current_generation(own_data) / "head_vecs.npy").unlink()
    snap = Snapshot.open(own_data)
    assert snap.head_vecs.shape == (len(snap.chunks), stored.shape[1])
    # the same vectors up to the models' arithmetic (bfloat16 on some CPUs: cosines within 0.9999)
    assert np.all((snap.head_vecs * stored).sum(axis=1) > 0.9995)
    ans = Assistant.open(own_data, build=False).ask("What are the functions of a MACPT in Stockton?")
    assert not ans.refused


def _asked_before_and_after_ingesting(own_data, tmp_path, question: str, name: str, text: str, **meta):
    """The answers to a question before and after one document is ingested into a running assistant."""
    a = Assistant.open(own_data, build=False)
    before = a.ask(question)
    doc = tmp_path / name
    doc.write_text(text)
    ingest(own_data, [doc], **meta)
    a.refresh()
    return before, a.ask(question)


def test_a_term_of_art_is_answered_once_guidance_naming_it_is_ingested(tmp_path, own_data):
    """The bundled papers never mention core groups, so the question is refused; a local protocol
    that does makes it answerable, with no list to edit."""
    before, ans = _asked_before_and_after_ingesting(
        own_data, tmp_path, "When must the core group first meet in Borsetshire?", "borsetshire-core-groups.md",
        "# Borsetshire Child Protection Procedures\n\n## Core groups\n\nIn Borsetshire the first core group meeting is "
        "held within ten working days of the initial child protection conference.\n", kind="local", authority="Borsetshire")
    assert before.refused
    assert not ans.refused, ans.reason
    assert "ten working days" in ans.answer


def test_a_document_once_ingested_is_not_named_as_missing(tmp_path, own_data):
    """A timescale the guidance does not state is refused either way, but once Working Together is in
    the index the refusal no longer asks for it to be added."""
    title = "Working Together to Safeguard Children 2023 (extract)"
    before, ans = _asked_before_and_after_ingesting(
        own_data, tmp_path, "Within how many days must a child protection conference be held after a strategy discussion?",
        "wt-extract.md", f"# {title}\n\n## Introduction\n\nEveryone who works with children has a responsibility for "
        "keeping them safe.\n", kind="national", title=title)
    assert before.missing_guidance == "Working Together to Safeguard Children 2023"
    assert ans.refused and ans.missing_guidance is None, ans
