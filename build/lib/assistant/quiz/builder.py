"""Build a quiz: pick facts on a topic, turn each into a question of the requested type, and
keep a distractor only if it is provably wrong.

A distractor (a same-type term: another role, stage, artefact or number) is rejected when
- it appears, under any alias, in the cited passage (the passage might support it), or
- the statement with the distractor swapped in is supported by another passage of the corpus
  that mentions it among the 10 retrieved for it (e.g. "the MACPT leads section 47 enquiries" and "the LCPP leads section 47
  enquiries" are both true): support = assistant.verify.support.support_score >= 0.6.
Questions are deterministic for a seed, and near-duplicates (same sentence, or token overlap
>= 0.6 with a question already chosen) are skipped."""
from __future__ import annotations

import hashlib
import random

from assistant.quiz.facts import (
    Fact,
    TermHit,
    TermInventory,
    collect_numbers,
    extract_facts,
)
from assistant.quiz.models import Quiz, QuizCitation, QuizQuestion
from assistant.support import support_score
from assistant.text import tokens
from assistant.topics import TOPICS

BLANK = "_____"
NO_TYPE_ORDER = ("number", "role", "body", "stage", "artefact")


def _qid(*parts: str) -> str:
    return "q-" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:10]


def _swap(statement: str, hit: TermHit, new: str) -> str:
    return statement[: hit.start] + new + statement[hit.end:]


def _jaccard(a: str, b: str) -> float:
    x, y = set(tokens(a)), set(tokens(b))
    return len(x & y) / max(1, len(x | y))


class QuizBuilder:
    def __init__(self, assistant):
        self.a = assistant
        self.snap = assistant.snapshot
        self.inventory = TermInventory.load()
        self._lowered = [c.text.lower() for c in self.snap.chunks]
        all_facts = extract_facts(self.snap, self.inventory, list(range(len(self.snap.chunks))))
        collect_numbers(self.inventory, all_facts)

    # -- which passages ------------------------------------------------------------------------
    def topic_chunks(self, topic: str, authority: str | None = None, documents: list[str] | None = None) -> list[int]:
        keys = [k for t, ks in TOPICS.items() if topic in ("all", t) for k in ks]
        if not keys:
            raise ValueError(f"unknown topic {topic!r}; choose one of: all, {', '.join(TOPICS)}")
        out = []
        for i, c in enumerate(self.snap.chunks):
            meta = self.snap.documents[c.doc_id].meta
            if documents and c.doc_id not in documents:
                continue
            if not documents:
                allowed = meta.kind == "national" or (authority and meta.kind == "local" and meta.authority == authority)
                if not allowed or i in self.snap.demoted:
                    continue
            hay_section, hay_text = c.section.lower(), c.text.lower()
            if any(k in hay_section for k in keys) or sum(hay_text.count(k) for k in keys) >= 3:
                out.append(i)
        return out

    # -- provably wrong distractors ------------------------------------------------------------------
    def _provably_wrong(self, fact: Fact, hit: TermHit, candidate: str, passage: str) -> bool:
        return self.unsupported(_swap(fact.statement, hit, candidate), hit.type, candidate, passage)

    def passages_mentioning(self, term_type: str, term: str) -> list[int]:
        """Every passage that names the term under one of its aliases."""
        aliases = [a.lower() for a in self.inventory.aliases(term_type, term)]
        return [ci for ci, (low, c) in enumerate(zip(self._lowered, self.snap.chunks))
                if any(a in low for a in aliases)  # a cheap filter before the word-boundary match
                and self.inventory.mentions(c.text, term_type, term)]

    def unsupported(self, swapped: str, term_type: str, candidate: str, passage: str) -> bool:
        """The statement with `candidate` swapped in is supported neither by the cited passage nor by
        any passage of the corpus that mentions the candidate. Every passage is checked, not the
        ones a search returns: a search's top k changes whenever retrieval is tuned, and a
        distractor the guidance supports is a wrong key taught to a trainee."""
        if self.inventory.mentions(passage, term_type, candidate):
            return False
        return not any(support_score(swapped, self.snap.chunks[ci].text) >= self.a.settings.checks.quiz_corpus_support
                       for ci in self.passages_mentioning(term_type, candidate))

    def distractors(self, fact: Fact, hit: TermHit, rng: random.Random, k: int) -> list[str]:
        passage = self.snap.chunks[fact.chunk_index].text
        pool = self.inventory.alternatives(hit.type, hit.key)
        rng.shuffle(pool)
        out = []
        for cand in pool:
            if len(out) == k:
                break
            if self._provably_wrong(fact, hit, cand, passage):
                out.append(cand)
        return out

    # -- one question ----------------------------------------------------------------------------------
    def _citation(self, fact: Fact) -> QuizCitation:
        c = self.snap.chunks[fact.chunk_index]
        meta = self.snap.documents[c.doc_id].meta
        return QuizCitation(doc_id=c.doc_id, title=meta.title, kind=meta.kind, authority=meta.authority,
                            section=c.section, paragraph=c.paragraph, chunk_id=c.chunk_id, quote=fact.quote,
                            passage=c.text)

    def _target(self, fact: Fact) -> TermHit:
        """The term to ask about: numbers first (most testable), then roles, bodies, stages, artefacts."""
        def order(h: TermHit) -> int:
            return NO_TYPE_ORDER.index(h.type.split(":")[0])
        return sorted(fact.terms, key=lambda h: (order(h), h.start))[0]

    def question(self, fact: Fact, qtype: str, rng: random.Random) -> QuizQuestion | None:
        hit = self._target(fact)
        base = dict(term_type=hit.type.split(":")[0], citation=self._citation(fact), statement=fact.statement)
        blanked = _swap(fact.statement, hit, BLANK)
        if qtype == "cloze":
            return QuizQuestion(id=_qid(fact.quote, qtype, hit.key), type="cloze", stem=blanked, answer=hit.surface,
                                accepted=[a for a in self.inventory.aliases(hit.type, hit.key) if a != hit.surface], **base)
        if qtype == "mcq":
            wrong = self.distractors(fact, hit, rng, 3)
            if len(wrong) < 3:
                return None
            options = [hit.surface, *wrong]
            rng.shuffle(options)
            return QuizQuestion(id=_qid(fact.quote, qtype, hit.key), type="mcq", stem=blanked, answer=hit.surface,
                                options=options, distractors=wrong, **base)
        # true / false: half the statements are altered with a provably wrong term
        if rng.random() < 0.5:
            return QuizQuestion(id=_qid(fact.quote, qtype, "T"), type="true_false", stem=fact.statement, answer="True", **base)
        wrong = self.distractors(fact, hit, rng, 1)
        if not wrong:
            return QuizQuestion(id=_qid(fact.quote, qtype, "T"), type="true_false", stem=fact.statement, answer="True", **base)
        return QuizQuestion(id=_qid(fact.quote, qtype, "F", wrong[0]), type="true_false", stem=_swap(fact.statement, hit, wrong[0]),
                            answer="False", distractors=wrong, **base)

    # -- the quiz ----------------------------------------------------------------------------------------
    def build(self, topic: str = "all", n: int = 10, types: list[str] | None = None, seed: int = 7,
              authority: str | None = None, documents: list[str] | None = None,
              exclude: set[str] | frozenset[str] = frozenset()) -> Quiz:
        types = types or ["mcq", "true_false", "cloze"]
        bad = [t for t in types if t not in ("mcq", "true_false", "cloze")]
        if bad:
            raise ValueError(f"unknown question type(s): {', '.join(bad)}")
        if documents:
            unknown = [d for d in documents if d not in self.snap.documents]
            if unknown:
                raise ValueError(f"unknown document id(s): {', '.join(unknown)}")
        facts = extract_facts(self.snap, self.inventory, self.topic_chunks(topic, authority, documents))
        facts.sort(key=lambda f: (self.snap.chunks[f.chunk_index].chunk_id, f.span_index))
        rng = random.Random(seed)
        rng.shuffle(facts)
        # build as if nothing were excluded, then drop the excluded: the other questions stay as
        # they were and replacements come from further down the same sequence
        chosen: list[QuizQuestion] = []
        for fact in facts:
            if len(chosen) >= n + len(exclude):
                break
            if any(_jaccard(fact.statement, q.statement) >= 0.6 for q in chosen):
                continue
            qtype = types[len(chosen) % len(types)]
            q = self.question(fact, qtype, random.Random(f"{seed}:{fact.quote}:{qtype}"))
            if q is not None:
                chosen.append(q)
        chosen = [q for q in chosen if q.id not in exclude][:n]
        scope = f"national + {authority}" if authority else ("documents: " + ", ".join(documents) if documents else "national")
        return Quiz(topic=topic, seed=seed, types=types, scope=scope, questions=chosen)
