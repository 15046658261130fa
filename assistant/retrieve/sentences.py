"""Sentence-level scoring of retrieved passages.

A passage answers a question when one of its sentences does. Each sentence of a retrieved
passage is scored by its cosine similarity to the question (read alone and with its heading),
the IDF-weighted share of the question's words it holds (with its section heading and list
lead-in, which carry the subject of a bullet), its passage's retrieval rank and a prior on the
kind of source.
The words counted are the question's own, not its glossary expansion, and a sentence holds an
abbreviation when it uses either name: otherwise "What share of staff agreed the FHLP role may
include…" weighs "family", "help", "lead" and "practitioner" four times over the one thing
asked about, and "Establish the Family Help Lead Practitioner (FHLP) role." outscores the
survey finding that answers it.
The composer quotes the best sentences; the reranker orders passages by their best sentence.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from assistant.index.store import Snapshot
from assistant.retrieve.hybrid import Hit, Query, place_words
from assistant.settings import Settings
from assistant.text import tokens
from assistant.understand.glossary import Glossary, default_glossary

# "what does FNSP mean?" asks what an abbreviation stands for; "what does it mean if I get a letter?" does not
ABBREVIATION_Q = re.compile(r"\b(stand for|abbreviation|acronym|short for|what does (?!(?:it|this|that)\b)\w+ mean)\b", re.I)
# A sentence whose opening clause points back ("Where it worked well, it was said to lead to…",
# "To overcome this, education settings…") is about what the sentence before it names, so it holds
# that sentence's words too. A sentence-initial "This/It/They…" is left out: it restates its
# predecessor's subject, and counting that twice cost answers on dev (docs/experiments.md).
_REFERS_BACK = re.compile(r"^(\W*\w+\W+){1,3}(this|it|they|these|those)\b")


# Every sentence of an evaluation speaks for "the evaluation", as every sentence of Dorset's papers
# speaks for Dorset: "What does the evaluation say about caseloads?" had been answered from Dorset's
# "Programme Evaluation" paragraph, whose heading alone held the word, over the evaluation report's
# "staff anticipate … reduction in caseloads".
_SOURCE_WORDS = {"evidence": set(tokens("evaluation"))}


# A form's or questionnaire's lines answer questions about the form itself ("What did the workforce
# survey ask about supervision?"), not about what the evaluation found: "What does the evaluation say
# about caseloads?" had quoted the survey's "If you are a professional with a caseload … please select yes"
_ASKS_OF_FORM = re.compile(r"\b(survey|surveyed|questionnaire|proforma|forms?|asked|respondents?|responses?)\b", re.I)


# A question is no answer: the evaluation's research questions ("What model will local areas be
# implementing…?") had been quoted for "What should local areas do next according to the evaluation?".
# Someone's words quoted in the text ('"Health is huge, isn't it?') are left alone, and so is a
# question about the questions ("What were the evaluation's research questions?").
_QUESTION = re.compile(r"\?[\W]*$")
_ASKS_OF_QUESTIONS = re.compile(r"\b(questions?|asked|asks?|aims?|aimed)\b", re.I)


# A sentence about its own document ("This chapter sets out how often social workers visit children in
# care") names the topic without answering it: asked "CiC visits - how often?", it came before the
# visits' timescales. A question about what a document covers, or whom it applies to, is left alone.
_ABOUT_ITSELF = re.compile(r"^\W*(this|the) (chapter|section|procedure|policy|guidance|document|page|protocol|paper)\b"
                           r"[^.]{0,40}?\b(sets? out|covers?|describes?|explains?|outlines?|applies|summari[sz]es)\b", re.I)
_ASKS_OF_ITSELF = re.compile(r"\b(covers?|scope|appl(y|ies)|purpose|chapter|section|procedure|policy|document|protocol)\b",
                             re.I)


def about_itself(sentence: str) -> bool:
    return _ABOUT_ITSELF.search(sentence) is not None


def is_question(sentence: str) -> bool:
    text = sentence.strip().lstrip("-•* ")
    return _QUESTION.search(text) is not None and not text.startswith(('"', "“", "'", "‘"))


def refers_back(sentence: str) -> bool:
    return _REFERS_BACK.search(sentence) is not None


# A sentence that can open an answer reads without the one before it: not "This should include…",
# "However, whilst this is…" or the second half of someone's quoted words ("Things are happening
# quicker now…" - Frontline worker), which would lose what they point back to.
_LEANS_BACK = re.compile(r"^\W*(?!this (?:report|paper|document|chapter|section|procedure|policy|guidance|protocol)\b)"
                         r"(this|these|those|that|it|its|they|their|such|however|but|and|or|also|so|then|"
                         r"therefore|thus|furthermore|moreover|additionally|otherwise|as above|in addition)\b", re.I)
# A labelled cell of a table or slide ("Lead Officer: Emma Champley") means what the row it sits in
# says: its place among the other cells is part of it.
_LABELLED = re.compile(r"^\W*(?:[\w'&()/-]+ ){0,4}[\w'&()/-]+:\s")


def stands_alone(sentence: str) -> bool:
    text = sentence.strip().lstrip("-•* ")
    if not text or not (text[0].isupper() or text[0].isdigit() or text[0] in "\"“'‘£"):
        return False
    closes_first = "”" in text and ("“" not in text or text.index("”") < text.index("“"))
    continues_quote = closes_first or (text.count('"') % 2 == 1 and not text.startswith('"'))
    return not (continues_quote or refers_back(text) or _LEANS_BACK.search(text))


def labelled_cell(sentence: str) -> bool:
    return _LABELLED.search(sentence) is not None


@dataclass
class Candidate:
    row: int  # row in the sentence matrix
    chunk_index: int
    span_index: int
    cos: float
    lexical: float
    score: float
    hit_rank: int


def _fragment(chunk, span) -> bool:
    """A running-text "sentence" of under four words without a figure ("This Pathfinder involves",
    "channels for communication.") is a piece of a sentence cut by the page layout, not a
    statement; list items ("- Social Workers") are kept."""
    body = chunk.span_text(span)
    return not chunk.is_item(span) and len(body.split()) < 4 and not any(ch.isdigit() for ch in body)


class TermStats:
    """Document frequencies over chunks: how telling a query word is."""

    def __init__(self, snap: Snapshot):
        df: Counter[str] = Counter()
        for c in snap.chunks:
            df.update(set(tokens(f"{c.section} {c.text}")))
        self.n = max(1, len(snap.chunks))
        self.df = df
        self.max_idf = math.log(1 + self.n)

    def idf(self, term: str) -> float:
        d = self.df.get(term, 0)
        return math.log(1 + self.n / (1 + d)) if d else self.max_idf


class SentenceScorer:
    def __init__(self, snap: Snapshot, settings: Settings, glossary: Glossary | None = None):
        self.snap = snap
        self.settings = settings
        self.weights = settings.sentences
        self.stats = TermStats(snap)
        self.glossary = glossary or default_glossary()
        self._terms: dict[tuple[int, int], set[str]] = {}
        self._own_terms: dict[tuple[int, int], set[str]] = {}
        # each sentence read with its heading (HEADING_WEIGHT), unit length: fixed for the snapshot,
        # so made once here rather than for every passage of every question
        self.with_heading: np.ndarray | None = None
        if len(snap.head_vecs):
            v = snap.sent_vecs + settings.sentences.heading_weight * snap.head_vecs[snap.sent_refs[:, 0]]
            self.with_heading = v / np.linalg.norm(v, axis=1, keepdims=True)

    def sentence_terms(self, chunk_index: int, span_index: int) -> set[str]:
        """A sentence's words with its list lead-in and heading, its council's name, and the other
        name of every abbreviation it uses: "42% … agreed that the FHLP role may include…" holds
        "family help lead practitioner" as much as a sentence that spells it out does, and every
        sentence of Dorset's papers speaks for Dorset, not only those that say "Dorset"."""
        key = (chunk_index, span_index)
        if key not in self._terms:
            c = self.snap.chunks[chunk_index]
            meta = self.snap.documents[c.doc_id].meta
            council = place_words([meta.authority])
            source = _SOURCE_WORDS.get(meta.kind, set())
            terms = self.own_terms(chunk_index, span_index) | set(tokens(c.section)) | council | source
            if span_index > 0 and not c.spans[span_index - 1].lead_in and refers_back(c.span_text(c.spans[span_index])):
                terms |= self.sentence_terms(chunk_index, span_index - 1)
            self._terms[key] = terms
        return self._terms[key]

    def own_terms(self, chunk_index: int, span_index: int) -> set[str]:
        """The words the sentence itself says, with its list's lead-in and the other name of each
        abbreviation it uses: sentence_terms without its heading, council and antecedent."""
        key = (chunk_index, span_index)
        if key not in self._own_terms:
            c = self.snap.chunks[chunk_index]
            lead = next((c.span_text(s) for s in c.spans if s.lead_in), "")
            text = f"{lead} {c.span_text(c.spans[span_index])}"
            self._own_terms[key] = set(tokens(self.glossary.with_other_names(text)))
        return self._own_terms[key]

    def source_prior(self, q: Query, doc_id: str) -> float:
        meta = self.snap.documents[doc_id].meta
        prior = self.weights.kind_prior.get(meta.kind, 0.0)
        if meta.kind == "reference" and ABBREVIATION_Q.search(q.text):
            prior = 0.1
        if q.names(meta):
            prior += self.weights.authority_boost
        return prior

    def quotable(self, q: Query, chunk_index: int) -> bool:
        """The glossary (kind "reference") answers "what does X stand for?" and nothing else: its
        everyday-words list is a query expansion, not guidance, and must never be quoted as such.
        Likewise a document's forms and questionnaires (its demote_sections) answer only questions
        about the form itself, from a question naming that kind of source and a form ("What did the
        workforce survey ask…?"): the survey's answer option "i. Lead Child Protection Practitioner
        (LCPP) training" is no answer to "What training do LCPPs need?", nor its "If you are a
        professional with a caseload … please select yes" to "What does the evaluation say about caseloads?"."""
        meta = self.snap.documents[self.snap.chunks[chunk_index].doc_id].meta
        if chunk_index in self.snap.demoted and not (meta.kind in q.kinds and _ASKS_OF_FORM.search(q.text)):
            return False
        return meta.kind != "reference" or ABBREVIATION_Q.search(q.text) is not None

    def candidates(self, q: Query, hits: list[Hit]) -> list[Candidate]:
        """Every sentence of the given passages, scored against the question."""
        weights = {t: self.stats.idf(t) for t in set(tokens(q.text))}
        total = sum(weights.values()) or 1.0
        focus = set(weights) - self.glossary.topic_terms(q.text) - self.glossary.bridges_to_topic(q.text)
        asks_for_answers = not _ASKS_OF_QUESTIONS.search(q.text)
        asks_of_itself = _ASKS_OF_ITSELF.search(q.text) is not None
        out: list[Candidate] = []
        for hit in hits:
            if not self.quotable(q, hit.chunk_index):
                continue
            c = self.snap.chunks[hit.chunk_index]
            rows = self.snap.sents_of_chunk.get(hit.chunk_index, [])
            if not rows:
                continue
            sims = self.snap.sent_vecs[rows] @ q.vector
            if self.with_heading is not None:
                sims = 0.5 * (sims + self.with_heading[rows] @ q.vector)
            prior = self.source_prior(q, c.doc_id) + (self.weights.demoted_prior if hit.chunk_index in self.snap.demoted else 0.0)
            rank_bonus = 0.05 / (1 + hit.rank)
            non_lead = [i for i, s in enumerate(c.spans) if not s.lead_in]
            for row, si, cos in zip(rows, non_lead, sims):
                if _fragment(c, c.spans[si]):
                    continue
                sent_terms = self.sentence_terms(hit.chunk_index, si)
                lex = sum(w for t, w in weights.items() if t in sent_terms) / total
                score = self.settings.w_dense * float(cos) + self.settings.w_lexical * lex + rank_bonus + prior
                if focus and not (focus & sent_terms):
                    score -= self.weights.topic_only_penalty
                text = c.span_text(c.spans[si])
                if asks_for_answers and is_question(text):
                    score -= self.weights.question_penalty
                if not asks_of_itself and about_itself(text):
                    score -= self.weights.about_itself_penalty
                out.append(Candidate(row, hit.chunk_index, si, float(cos), lex, score, hit.rank))
        return out
