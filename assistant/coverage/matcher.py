"""How far an authority's documents evidence each national expectation.

For an expectation and an authority, the hybrid retriever finds the authority's passages closest
to the expectation's wording; each is scored
    sentence score = 0.4 × (cosine of the expectation and the sentence)
                   + 0.6 × (IDF-weighted share of the expectation's first 10 distinctive words in the sentence)
(a passage scores as its best sentence: the words must come together, not scattered over a page)
("distinctive": not generic specification wording such as "local areas must establish"). The best
score decides the status: covered (≥ `covered`), partly covered (≥ `partly`), or no evidence found.
The cut-offs are calibrated on the dev half of the hand-labelled pairs (evals/coverage/labels.yaml,
`assistant eval-coverage --calibrate`) and agreement is reported on the test half.

A possible divergence is flagged when a matching local passage (score ≥ `partly`) says it keeps
an existing arrangement or will not adopt something ("retention of", "maintaining our current
position", "no intention") and those words (with the sentence after them, which often names what
is kept) share at least a quarter of the expectation's distinctive words: the policy lead sees both
passages side by side."""
from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.coverage.checklist import Expectation
from assistant.index.embedders import cosines_of
from assistant.retrieve.hybrid import Filters, HybridRetriever
from assistant.retrieve.rerank import RerankingRetriever
from assistant.retrieve.sentences import SentenceScorer
from assistant.settings import calibrated
from assistant.text import tokens
from assistant.understand.glossary import default_glossary

STATUSES = ("covered", "partly covered", "no evidence found")
W_SENTENCE, KEY_TERMS = 0.4, 10  # the sentence cosine's share of a match score; key terms per expectation
GENERIC = frozenset(tokens(
    "local areas area must should may will establish ensure consider develop include including set out test system "
    "families family children child practitioners support services across within whole clear need needs"))
_DIVERGENCE = re.compile(
    r"\b(retention of|retain(?:s|ed|ing)?|maintain(?:ing)? our (?:current )?position|robust stance|no intention|"
    r"will not|do not intend|not (?:to )?(?:adopt|implement|trial|test|progress))\b", re.I)
# The sentence cosine is MiniLM's, also when the index holds MiniLM and mpnet in one vector: on the dev
# labels the joint cosine agreed with 16 of 24 (cut-offs recalibrated), MiniLM's own with 17, as before.
COSINE_MODEL = "minilm"


class EvidencePassage(BaseModel):
    doc_id: str
    title: str
    section: str
    paragraph: str | None = None
    chunk_id: str
    quote: str  # the passage's best-matching sentence
    text: str
    score: float


class CoverageRow(BaseModel):
    expectation_id: str
    strand: str
    duty: str
    expectation: str
    expectation_chunk_id: str
    authority: str
    status: str
    confidence: float  # the best evidence score, 0..1
    evidence: list[EvidencePassage] = Field(default_factory=list)
    divergence: bool = False
    divergence_quote: str | None = None


class CoverageMatcher:
    def __init__(self, assistant, covered: float | None = None, partly: float | None = None, k: int = 8):
        self.snap = assistant.snapshot
        self.a, self.k = assistant, k
        self.covered, self.partly = calibrated(self.snap.embedder_name, coverage_covered=covered, coverage_partly=partly)
        # the cut-offs were calibrated with the curated glossary's expansions; the abbreviations the
        # documents define (understand/definitions.py) flip a test label (docs/experiments.md), so the
        # check retrieves with the curated glossary until it is recalibrated
        glossary, settings = default_glossary(), assistant.settings
        self.retriever = RerankingRetriever(HybridRetriever(self.snap, glossary, fusion=settings.fusion),
                                            SentenceScorer(self.snap, settings, glossary), settings.rerank)
        self._words: dict[str, set[str]] = {}

    def words(self, text: str) -> set[str]:
        """Stemmed words of a sentence plus its glossary expansions (FNSP ↔ Family Network Support Package)."""
        if text not in self._words:
            self._words[text] = set(tokens(self.a.glossary.with_other_names(text)))
        return self._words[text]

    def key_weights(self, exp: Expectation) -> dict[str, float]:
        terms = [t for t in dict.fromkeys(tokens(exp.text)) if t not in GENERIC][:KEY_TERMS]
        return {t: self.a.composer.stats.idf(t) for t in terms}

    def authorities(self) -> list[str]:
        return sorted({d.meta.authority for d in self.snap.documents.values() if d.meta.authority})

    def evidence(self, exp: Expectation, authority: str) -> list[EvidencePassage]:
        q = self.retriever.prepare(exp.text)
        hits = self.retriever.search(q, Filters(authority=[authority]), self.k)
        weights = self.key_weights(exp)
        total = sum(weights.values()) or 1.0
        out = []
        for h in hits:
            c = self.snap.chunks[h.chunk_index]
            rows = self.snap.sents_of_chunk.get(h.chunk_index, [])
            if not rows:
                continue
            sims = cosines_of(self.retriever.base.embedder, COSINE_MODEL, self.snap.sent_vecs[rows], q.vector)
            sentences = [si for si, sp in enumerate(c.spans) if not sp.lead_in]
            best_score, quote = -1.0, ""
            for si, cos in zip(sentences, sims):
                sentence = c.span_text(c.spans[si])
                words = self.words(sentence)
                key_cover = sum(w for t, w in weights.items() if t in words) / total
                score = W_SENTENCE * float(cos) + (1 - W_SENTENCE) * key_cover
                if score > best_score:
                    best_score, quote = score, sentence
            meta = self.snap.documents[c.doc_id].meta
            out.append(EvidencePassage(doc_id=c.doc_id, title=meta.title, section=c.section, paragraph=c.paragraph,
                                       chunk_id=c.chunk_id, quote=quote, text=c.text, score=round(best_score, 4)))
        out.sort(key=lambda e: -e.score)
        return out

    def status(self, score: float) -> str:
        return STATUSES[0] if score >= self.covered else STATUSES[1] if score >= self.partly else STATUSES[2]

    def divergence(self, exp: Expectation, evidence: list[EvidencePassage]) -> str | None:
        """The local sentences that keep an existing arrangement where the expectation asks for change."""
        weights = self.key_weights(exp)
        total = sum(weights.values()) or 1.0
        for e in evidence:
            if e.score < self.partly:
                continue
            c = self.snap.chunks[self.snap.by_id[e.chunk_id]]
            sentences = [c.span_text(sp) for sp in c.spans if not sp.lead_in]
            for i, sentence in enumerate(sentences):
                if not _DIVERGENCE.search(sentence):
                    continue
                window = " ".join(sentences[i:i + 2])
                overlap = sum(w for t, w in weights.items() if t in self.words(window)) / total
                if overlap >= self.a.settings.checks.divergence_min_overlap:
                    return window
        return None

    def row(self, exp: Expectation, authority: str) -> CoverageRow:
        ev = self.evidence(exp, authority)
        best = ev[0].score if ev else 0.0
        div_quote = self.divergence(exp, ev)
        return CoverageRow(expectation_id=exp.id, strand=exp.strand, duty=exp.duty, expectation=exp.text,
                           expectation_chunk_id=exp.chunk_id, authority=authority, status=self.status(best),
                           confidence=round(max(0.0, min(1.0, best)), 4), evidence=ev[:2],
                           divergence=div_quote is not None, divergence_quote=div_quote)

    def check(self, authority: str, checklist: list[Expectation]) -> list[CoverageRow]:
        if authority not in self.authorities():
            raise ValueError(f"no documents held for authority {authority!r}; held: {', '.join(self.authorities())}")
        return [self.row(e, authority) for e in checklist]
