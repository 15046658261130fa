"""Typed records that flow through the pipeline: ingest → index → retrieve → compose → verify.

The `Answer` model is the stable JSON contract read by tests, the web chat, the evals and
outside tools; add fields, never rename or remove them.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["national", "local", "evidence", "reference"]


class DocumentMeta(BaseModel):
    """What the manifest (or the ingest command) says about one citable document."""

    doc_id: str
    title: str
    short_title: str | None = None
    publisher: str | None = None
    published: str | None = None
    kind: Kind = "local"
    authority: str | None = None
    licence: str | None = None
    source_url: str | None = None
    review: str | None = None  # when the publisher is due to review it
    # documents this one replaces: they stay viewable, and are never answered from
    supersedes: list[str] = Field(default_factory=list)
    note: str | None = None
    # regexes on a passage's heading path for parts that are forms or questionnaires (a blank
    # proforma, a survey's questions): still searchable, but ranked below prose
    demote_sections: list[str] = Field(default_factory=list)


class Span(BaseModel):
    """One sentence (or bullet) inside a chunk: the unit the composer quotes."""

    start: int
    end: int
    lead_in: bool = False  # "Local areas must:" is context, never quoted alone


class Chunk(BaseModel):
    """A citable passage: never spans two sections; a list keeps its lead-in."""

    chunk_id: str
    doc_id: str
    section: str  # heading path joined with " › "
    paragraph: str | None = None  # the document's own label ("37", "2.2.3")
    text: str
    order: int  # position in the document, for ordering answers and the document view
    spans: list[Span] = Field(default_factory=list)
    is_list: bool = False

    def span_text(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def is_item(self, span: Span) -> bool:
        """The span is a list item ("- Social Workers")."""
        return self.text[max(0, span.start - 2) : span.start] == "- "

    def in_item(self, span: Span) -> bool:
        """The span is a list item or a later sentence of one ("- Family help. We want to establish…")."""
        line_start = self.text.rfind("\n", 0, span.start) + 1
        return self.text[line_start : span.start + 1].lstrip().startswith("- ")


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    kind: str
    authority: str | None
    published: str | None
    review: str | None = None  # when the publisher is due to review the document
    source_url: str | None = None  # where the document is published
    section: str
    paragraph: str | None
    text: str
    start: int
    end: int
    score: float
    chunk_id: str | None = None


class RelatedPassage(BaseModel):
    doc_id: str
    title: str
    section: str
    paragraph: str | None
    text: str
    score: float
    chunk_id: str | None = None


class NotCovered(BaseModel):
    part: str
    reason: str
    missing_guidance: str | None = None  # as Answer.missing_guidance, for this part


class Answer(BaseModel):
    question: str
    answer: str
    refused: bool
    reason: str | None = None
    # a refusal because the question needs guidance the index does not hold names it ("Working Together
    # to Safeguard Children 2023"): the web chat asks its user to have it added, the CLI says how
    missing_guidance: str | None = None
    citations: list[Citation] = Field(default_factory=list)
    related: list[RelatedPassage] = Field(default_factory=list)
    emergency: bool = False
    composer: str = "extractive"
    confidence: float = 0.0
    timings_ms: dict[str, float] = Field(default_factory=dict)
    # a question that asks two things ("What is the FHLP and can they be from a school?") is answered
    # part by part; these are the parts the guidance does not cover, each with the reason
    not_covered: list[NotCovered] = Field(default_factory=list)
    # the question as searched, when misspelt words were corrected ("famliy" -> "family"); else None
    searched_for: str | None = None
