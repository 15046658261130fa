"""Request and response models of the JSON API (documented in the OpenAPI spec)."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from assistant.models import Answer
from assistant.settings import Settings

# the documented limit; a deployment's own Settings.max_question_chars is enforced by the assistant too
MAX_Q: int = Settings.model_fields["max_question_chars"].default


# caps on what a request may carry: one history item as long as a question, a filter list as long as
# a council's documents could need (a 33,000-entry list had made a 500)
MAX_FILTER_ITEMS = 100
Name = Annotated[str, StringConstraints(max_length=200)]


class FiltersIn(BaseModel):
    kind: list[Literal["national", "local", "evidence", "reference"]] | None = Field(default=None, max_length=4)
    authority: list[Name] | None = Field(default=None, max_length=MAX_FILTER_ITEMS)
    document: list[Name] | None = Field(default=None, max_length=MAX_FILTER_ITEMS)


class AskIn(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_Q, description="The practitioner's question")
    history: list[Annotated[str, StringConstraints(max_length=MAX_Q)]] = Field(default_factory=list, max_length=20,
                               description="Earlier questions of this conversation, oldest first (for follow-ups)")
    filters: FiltersIn | None = None
    conversation: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_-]*$")


class AskOut(Answer):
    turn_id: int | None = Field(default=None, description="Id of the stored turn, for feedback")
    pii_detected: list[str] = Field(default_factory=list, description="Kinds of personal data found in the question")


class FeedbackIn(BaseModel):
    turn_id: int = Field(ge=1, le=2**63 - 1)
    helpful: bool
    reason: str | None = Field(default=None, max_length=1000)


class PiiIn(BaseModel):
    text: str = Field(max_length=MAX_Q)


class PiiOut(BaseModel):
    kinds: list[str]
    redacted: str


class Passage(BaseModel):
    chunk_id: str
    anchor: str
    doc_id: str
    title: str
    kind: str
    authority: str | None
    section: str
    paragraph: str | None
    text: str
    score: float | None = None


class DocumentOut(BaseModel):
    doc_id: str
    title: str
    kind: str
    authority: str | None
    published: str | None
    publisher: str | None
    licence: str | None
    source_url: str | None
    chunks: int


class DocumentFull(DocumentOut):
    passages: list[Passage]


class HistoryTurn(BaseModel):
    id: int
    conversation: str
    created: float
    question: str
    answer: Answer


class Error(BaseModel):
    detail: str


ERRORS = {400: {"model": Error}, 404: {"model": Error}, 422: {"model": Error}}
