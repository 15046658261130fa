"""Every setting and tuned number of the assistant, in one Settings object.

Read from the environment (ASSISTANT_*; a group's field as ASSISTANT_GROUP__FIELD, e.g.
ASSISTANT_RERANK__DEPTH=40) when `Settings()` is made, never at import. Each process makes its
own: the web server passes its Settings to its app factory, not through os.environ.

The tuned numbers were chosen on the dev split of evals/gold/items.yaml, each as the middle of the
plateau of values that did equally well; docs/experiments.md records the measurements. The refusal
cut-offs are calibrated per embedder (`assistant eval --calibrate`; docs/evaluation.md).
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def limit_blas_threads() -> None:
    """One BLAS thread: numpy's BLAS threads and torch's threads fight over the cores (with both
    multi-threaded a query took 70 ms instead of 20 ms on 2 cores), and our matrix products are small."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")
    except ImportError:  # threadpoolctl comes with scikit-learn, a dependency of sentence-transformers
        pass


class Fusion(BaseModel):
    """Hybrid retrieval: the dense, sentence and BM25 rankings fused by reciprocal rank."""

    rrf_k: int = 60
    candidates: int = 40  # taken from each ranking
    # BM25 is the strongest single signal on this vocabulary-heavy corpus; whole-chunk dense the weakest
    w_dense: float = 0.5
    w_sentence: float = 1.0
    w_bm25: float = 1.0
    authority_prior: float = 0.02  # "…in Stockton?" prefers Stockton's papers
    # the national specification first when sources tie
    kind_prior: dict[str, float] = Field(
        default_factory=lambda: {"national": 0.004, "local": 0.0, "evidence": 0.0, "reference": -0.004})
    demoted_prior: float = -0.004  # forms and questionnaires (DocumentMeta.demote_sections)


class Rerank(BaseModel):
    """The fused passages reordered by their best sentence (retrieve/rerank.py)."""

    depth: int = 30
    weight: float = 16.0  # at this weight the sentence order leads and the retrieval order breaks ties
    # a sentence holding what the question asks for (a figure, a date, an amount) ranks its passage higher
    asked_kind_bonus: float = 0.025
    counted_bonus: float = 0.075  # …and more for a figure of the thing a "how many X?" counts


class SentenceScore(BaseModel):
    """How a sentence of a retrieved passage is scored against the question (retrieve/sentences.py)."""

    # (its weights w_dense and w_lexical are Settings' own fields)
    # the national specification outranks local reports and evaluation findings that say similar
    # things; the glossary only answers "what is X short for"
    kind_prior: dict[str, float] = Field(
        default_factory=lambda: {"national": 0.06, "local": 0.0, "evidence": 0.0, "reference": -0.10})
    authority_boost: float = 0.10
    demoted_prior: float = -0.10
    # a sentence holding none of the question's words beyond its topic names the topic without answering
    topic_only_penalty: float = 0.08
    # a sentence is also read with its heading, weighted so: a slide's bullet answers through its title
    heading_weight: float = 1.5
    question_penalty: float = 0.10  # a question in the text is no answer
    about_itself_penalty: float = 0.20  # "This chapter sets out…" names the topic without answering it


class Understanding(BaseModel):
    """Reading the question before retrieval (assistant/understand)."""

    min_part_words: int = 3  # "…and how much?" is not a question of its own
    max_parts: int = 4
    max_fragment_words: int = 8  # "and for a child on a child protection plan" still leans on the question before
    min_corrected_length: int = 4  # shorter words are never spelling-corrected
    count_gap: int = 3  # words between a figure and the thing counted: "3 (of 7) Wave 2 areas"


class Chunking(BaseModel):
    """Blocks into citable passages (ingest/chunker.py)."""

    max_paragraph_words: int = 160  # longer paragraphs are split at sentence ends
    target_words: int = 120
    list_words: int = 150
    short_paragraph_words: int = 40  # unnumbered fragments this short are merged with neighbours


class Checks(BaseModel):
    """Thresholds of the quiz and coverage checks."""

    quiz_corpus_support: float = 0.6  # a false statement the corpus supports this well is no false statement
    divergence_min_overlap: float = 0.25  # share of an expectation's distinctive words in divergent sentences


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_nested_delimiter="__", extra="ignore")

    # where things are
    data: Path = Path("data")  # the index directory
    db: Path | None = None  # the web app's history and feedback store (default: DATA/web.sqlite3)
    # or a database server for it: a SQLAlchemy URL such as postgresql+psycopg://user:pass@host/db
    database_url: str | None = None
    retention_days: float = 30  # history and feedback older than this are deleted (0: kept until the user deletes them)
    embedder: str | None = None  # the model a new index is built with (an index keeps its own)
    embedding_cache: Path | None = None  # one cache shared by several indexes (default: DATA/embedding-cache.sqlite)
    model_cache: Path | None = None  # where the mpnet weights are unpacked (default: ~/.cache/families-first-assistant)
    # the embedding models' arithmetic: "auto" is bfloat16 where the CPU does it natively (twice as fast,
    # vectors within a cosine of 0.9999), else float32
    model_precision: Literal["auto", "float32", "bfloat16"] = "auto"
    adapted_weights: Path | None = None  # the corpus-adapted MiniLM's deltas (index/adapt.py)
    llm_url: str | None = None  # an OpenAI-compatible server for the optional LLM composer
    llm_model: str = "local"
    # the web app: the secret its session cookies and form tokens are signed with (default: one made
    # once and kept in DATA/secret.key), and Secure cookies when it is served over HTTPS
    secret_key: str | None = None
    secure_cookies: bool = False
    # without sign-in the web app serves 127.0.0.1 only; true: another address too, behind a proxy that signs users in
    allow_unauthenticated: bool = False
    # sign-in with OpenID Connect (Microsoft Entra ID and the like): the issuer (its discovery document is
    # ISSUER/.well-known/openid-configuration), this app's client id and secret, and the claims that hold
    # a user's role (practitioner, trainer, policy_lead, admin) and council
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_scopes: str = "openid email profile"
    oidc_role_claim: str = "roles"
    oidc_authority_claim: str = "authority"
    rate_limit_per_minute: int = 60  # questions a user may ask a minute (0: no limit)
    max_body_bytes: int = 64 * 1024  # a request body larger than this gets a 413
    # where a new index keeps its passage vectors (index/vectors.py): "chroma", embedded in the index
    # folder, or "chroma-http", a Chroma server shared by several app servers
    vector_store: str = "chroma"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 8001

    # answering
    top_k: int = 12
    compose_from: int = 10
    max_sentences: int = 5
    max_words: int = 150
    # the quoted words an answer to a question that asks one fact (intent.asks_one_fact) keeps to once
    # its first passage gives what was asked (compose/render.py within_room): a single-fact
    # answer's target of about 80 words; None or 0: the room of any answer
    one_fact_answered_max_words: int | None = 80
    # the same room whatever the first passage gives, its first passage always kept; None: off. Off by
    # default: at 80, measured before the room above existed, single-fact answers within 80 words
    # 0.72 -> 0.93 on the external suite, but key facts 0.879 -> 0.864 (the fact is sometimes in a
    # later passage; docs/experiments.md)
    one_fact_max_words: int | None = None
    min_words: int = 40
    relative_cut: float = 0.80
    max_question_chars: int = 2000
    # refusal: the best quote's cosine and the quotes' IDF-weighted coverage of the question must reach
    # these; None takes the cut-offs calibrated for the index's embedder (CALIBRATED)
    min_sentence_similarity: float | None = None
    min_term_coverage: float | None = None
    # the sentence score's weights (kept here, flat, as Settings(w_dense=…) has always set them)
    w_dense: float = 0.6
    w_lexical: float = 0.4

    fusion: Fusion = Field(default_factory=Fusion)
    rerank: Rerank = Field(default_factory=Rerank)
    sentences: SentenceScore = Field(default_factory=SentenceScore)
    understanding: Understanding = Field(default_factory=Understanding)
    chunking: Chunking = Field(default_factory=Chunking)
    checks: Checks = Field(default_factory=Checks)

    def refusal_cutoffs(self, embedder: str) -> tuple[float, float]:
        """(similarity, coverage) cut-offs: the ones set here, else those calibrated for the embedder."""
        return calibrated(embedder, min_sentence_similarity=self.min_sentence_similarity,
                          min_term_coverage=self.min_term_coverage)

    def data_dir(self) -> Path:
        return self.data.resolve()

    def embedding_cache_path(self, data_dir: Path) -> Path:
        """The index's own cache, or one shared by several indexes: vectors are keyed by model and
        text, so a shared cache is never wrong, and the test suite's many indexes of the same documents
        (and CI's index after them) embed each text once."""
        return self.embedding_cache or Path(data_dir) / "embedding-cache.sqlite"


def default_data_dir() -> Path:
    return Settings().data_dir()


class Calibration(BaseModel):
    """Cut-offs on cosine similarity mean different things for different models (multilingual-e5
    scores unrelated English text about 0.75, MiniLM about 0.1), so each embedder has its own,
    calibrated on the dev split: refusal with `assistant eval --calibrate`, coverage the same way
    (docs/evaluation.md; the sweeps are in docs/experiments.md)."""

    min_sentence_similarity: float
    min_term_coverage: float
    coverage_covered: float
    coverage_partly: float


CALIBRATED: dict[str, Calibration] = {
    "minilm+e5": Calibration(min_sentence_similarity=0.64, min_term_coverage=0.35,
                             coverage_covered=0.51, coverage_partly=0.40),
    "minilm-ff": Calibration(min_sentence_similarity=0.18, min_term_coverage=0.35,
                             coverage_covered=0.40, coverage_partly=0.24),
    "minilm": Calibration(min_sentence_similarity=0.24, min_term_coverage=0.25,
                          coverage_covered=0.45, coverage_partly=0.32),
    # the default: the sweep prefers 0.42 by refusing lay questions at twice the false refusals, so
    # MiniLM's cut-offs are kept; coverage reads MiniLM's part of the vector (coverage/matcher.py)
    "minilm+mpnet": Calibration(min_sentence_similarity=0.24, min_term_coverage=0.25,
                                coverage_covered=0.45, coverage_partly=0.32),
    "mpnet": Calibration(min_sentence_similarity=0.40, min_term_coverage=0.30,
                         coverage_covered=0.46, coverage_partly=0.31),
}


def calibration(embedder: str) -> Calibration:
    if embedder not in CALIBRATED:
        raise ValueError(f"no calibrated cut-offs for the embedder {embedder!r}: run `assistant eval --calibrate` "
                         "on an index built with it and add them to assistant/settings.py CALIBRATED")
    return CALIBRATED[embedder]


def calibrated(embedder: str, **given: float | None) -> tuple[float, ...]:
    """The given cut-offs in order, each one left unset (None) taken from the embedder's calibration."""
    if all(v is not None for v in given.values()):
        return tuple(given.values())
    cal = calibration(embedder)
    return tuple(getattr(cal, name) if v is None else v for name, v in given.items())
