"""Quiz records (pydantic): what the exporters, the web page and the quality check read."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

QuestionType = Literal["mcq", "true_false", "cloze"]


class QuizCitation(BaseModel):
    doc_id: str
    title: str
    kind: str
    authority: str | None = None
    section: str
    paragraph: str | None = None
    chunk_id: str
    quote: str  # the sentence the question is built from, verbatim
    passage: str  # the whole cited passage

    def label(self) -> str:
        parts = [self.title, self.section] + ([f"para {self.paragraph}"] if self.paragraph else [])
        return " › ".join(parts)


class QuizQuestion(BaseModel):
    id: str
    type: QuestionType
    stem: str  # for cloze/mcq the statement with "_____" where the answer goes
    answer: str  # the key: the term (mcq/cloze) or "True"/"False"
    accepted: list[str] = Field(default_factory=list)  # cloze: other accepted spellings (aliases)
    options: list[str] = Field(default_factory=list)  # mcq: all options, in display order
    distractors: list[str] = Field(default_factory=list)  # mcq: wrong options; true_false (False): the swapped-in term
    term_type: str  # role | stage | artefact | number
    citation: QuizCitation
    statement: str  # the true statement from the guidance (the quote with its lead-in)


class Quiz(BaseModel):
    topic: str
    seed: int
    types: list[QuestionType]
    scope: str  # "national" or the authority whose local documents are included
    questions: list[QuizQuestion]
