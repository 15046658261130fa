"""Vector stores behind one small protocol, registered by name like the embedders.

`chroma` keeps the passage vectors in an embedded Chroma inside each index generation's folder
(the default: nothing to run). `chroma-http` keeps them in a Chroma server reached through
chromadb's HTTP client (`chroma run --path DIR --port 8001`), one collection per generation, so
several app servers can share one store: scaling out is the setting ASSISTANT_VECTOR_STORE.
Vectors always come from our embedder: Chroma is never asked to embed (its default embedding
function downloads a model).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

from assistant.registry import registrar
from assistant.settings import Settings

# one insertion thread and a wide search: the same corpus builds the same graph, and an index of a
# few thousand passages is searched (near) exhaustively, so rankings do not flip between builds
HNSW = {"hnsw:space": "cosine", "hnsw:num_threads": 1, "hnsw:search_ef": 200, "hnsw:construction_ef": 200}
BATCH = 256


class VectorStore(Protocol):
    name: str

    def add(self, ids: Sequence[str], vectors: np.ndarray, documents: Sequence[str],
            metadatas: Sequence[dict]) -> None: ...

    def query(self, vector: np.ndarray, n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """The n nearest passages as (id, cosine distance), nearest first."""

    def drop(self) -> None:
        """Delete what this generation stored (a server's collection; a folder goes with its generation)."""

    def describe(self) -> dict:
        """What Snapshot.open needs to open the store again (written to the generation's info.json)."""


VECTOR_STORES: dict[str, Callable[..., VectorStore]] = {}


register_vector_store = registrar(VECTOR_STORES)


def _embedding_function(embedder_name: str):
    """Named for the index's embedder, as Chroma records it with the collection; never called, since
    every vector comes from the assistant's own embedder."""
    from chromadb import Documents, EmbeddingFunction, Embeddings

    class ProjectEmbeddingFunction(EmbeddingFunction):
        def __init__(self) -> None:
            pass

        def __call__(self, input: Documents) -> Embeddings:
            raise RuntimeError("passage vectors come from the assistant's embedder, not from Chroma")

        @staticmethod
        def name() -> str:
            return f"assistant-{embedder_name}"

        def get_config(self) -> dict:
            return {}

        @staticmethod
        def build_from_config(config: dict) -> "ProjectEmbeddingFunction":
            return ProjectEmbeddingFunction()

    return ProjectEmbeddingFunction()


def _no_telemetry():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


class _ChromaCollection:
    """What both Chroma stores do with a collection once they have one."""

    name = "chroma"
    collection = None

    def add(self, ids, vectors, documents, metadatas) -> None:
        for i in range(0, len(ids), BATCH):
            self.collection.add(ids=list(ids[i:i + BATCH]), embeddings=[v for v in vectors[i:i + BATCH]],
                                documents=list(documents[i:i + BATCH]), metadatas=list(metadatas[i:i + BATCH]))

    def query(self, vector, n, where=None) -> list[tuple[str, float]]:
        res = self.collection.query(query_embeddings=[np.asarray(vector).tolist()], n_results=n, where=where,
                                    include=["distances"])
        return list(zip(res["ids"][0], res["distances"][0]))


@register_vector_store("chroma")
class EmbeddedChroma(_ChromaCollection):
    """Chroma's persistent client, in the generation's own folder."""

    name = "chroma"

    def __init__(self, generation: Path, embedder: str, create: bool = False, **_: object):
        import chromadb

        self.client = chromadb.PersistentClient(path=str(Path(generation) / "chroma"), settings=_no_telemetry())
        ef = _embedding_function(embedder)
        if create:
            self.collection = self.client.get_or_create_collection("chunks", embedding_function=ef, metadata=HNSW)
        else:
            self.collection = self.client.get_collection("chunks", embedding_function=ef)

    def drop(self) -> None:  # the folder is removed with its generation
        pass

    def describe(self) -> dict:
        return {"vector_store": self.name}


@register_vector_store("chroma-http")
class ChromaServer(_ChromaCollection):
    """A Chroma server through chromadb's HTTP client; one collection per index generation."""

    name = "chroma-http"

    def __init__(self, generation: Path, embedder: str, create: bool = False, settings: Settings | None = None,
                 host: str | None = None, port: int | None = None, collection: str | None = None, **_: object):
        import chromadb

        settings = settings or Settings()
        self.host, self.port = host or settings.chroma_host, port or settings.chroma_port
        self.client = chromadb.HttpClient(host=self.host, port=self.port, settings=_no_telemetry())
        self.collection_name = collection or f"chunks-{Path(generation).name.removesuffix('.building')}"
        ef = _embedding_function(embedder)
        if create:
            self.collection = self.client.get_or_create_collection(self.collection_name, embedding_function=ef,
                                                                   metadata=HNSW)
        else:
            self.collection = self.client.get_collection(self.collection_name, embedding_function=ef)

    def drop(self) -> None:
        try:
            self.client.delete_collection(self.collection_name)
        except Exception:  # already gone, or the server is down: nothing of this generation serves any more
            pass

    def describe(self) -> dict:
        return {"vector_store": self.name, "host": self.host, "port": self.port, "collection": self.collection_name}


def create_store(generation: Path, settings: Settings, embedder: str) -> VectorStore:
    """`embedder`: the embedder object's own name, as Chroma records it with the collection."""
    if settings.vector_store not in VECTOR_STORES:
        raise ValueError(f"unknown vector store {settings.vector_store!r}; known: {', '.join(VECTOR_STORES)}")
    return VECTOR_STORES[settings.vector_store](generation, embedder, create=True, settings=settings)


def open_store(generation: Path, info: dict, embedder: str) -> VectorStore:
    """The store a built generation recorded in its info.json (an older one: embedded Chroma)."""
    spec = dict(info.get("vectors") or {"vector_store": "chroma"})
    return VECTOR_STORES[spec.pop("vector_store")](generation, embedder, **spec)
