"""The default composer: quote the sentences of the top passages that answer the question.

No language model: every sentence of the answer is a verbatim quote of a passage, ends with
its [n], and the citation's start/end locate it in the passage. Lists of duties stay lists
under their lead-in; numbers, dates and role names are quoted exactly because nothing is
paraphrased.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable

from ..index.store import Snapshot, heading_of
from ..index.text import holds_phrase, tokens
from ..models import Citation
from ..retrieve.glossary import Glossary
from ..retrieve.hybrid import Hit, Query, named_authorities, place_words
from ..retrieve.sentences import ABBREVIATION_Q, Candidate, SentenceScorer, refers_back
from ..settings import Settings
from .asks import (AUTHOR_Q, CONTACT_Q, CONTACT_TEXT, DATE_Q, LAW_Q, LAW_TEXT, NAMED_DOCUMENTS, NUMBER_Q, TIMESCALE_Q,
                   asked_tests, asks_content_of, contact_for, figure_of, figure_test, money_test, new_dates,
                   order_named, speaks_of_order, timescale_words)
from .terms import TermsOfArt

# a capitalised word or an acronym, two capitals included ("IT", "GP")
_NAME_WORD = re.compile(r"\b(?:[A-Z][A-Za-z]{2,}|[A-Z]{2})\b")
# "Designated Family Judge", "Signs of Safety"
_NAME_RUN = re.compile(r"\b[A-Z][A-Za-z]{2,}(?: (?:(?:of|and|for|the) )?[A-Z][A-Za-z]{2,})*\b")
_WORD = re.compile(r"[A-Za-z][\w'-]*")
_LABEL = re.compile(r"^[A-Z][\w' ]{1,30}:")  # "Lead Officer:", "Date:"
_COMPARED_WITH = re.compile(r"\b(compared? (with|to)|differ\w* from|than|versus|vs)\b", re.I)
# A sentence that leans on the one before it: a pronoun, or a "However, …" that qualifies it
# ("… was replaced by the LCPP." + "However, this element was not extended further").
_ANAPHOR = re.compile(r"^(This|It|They|These|That|Such|However|But)\b")


def _is_short_acronym(word: str) -> bool:
    return len(word) == 2 and word.isupper()


def _quote_balance(text: str) -> int:
    """Opening minus closing quotation marks: curly ones by their shape, a straight one by what
    stands before it (start, space or bracket: opening; anything else: closing)."""
    balance = text.count("“") - text.count("”")
    for m in re.finditer('"', text):
        balance += 1 if m.start() == 0 or text[m.start() - 1] in " ([" else -1
    return balance


def _opens_quotation(text: str) -> bool:
    return _quote_balance(text) > 0


def _closes_quotation(text: str) -> bool:
    return _quote_balance(text) < 0


_FIGURE_WORDS = frozenset(tokens("number numbers many much percentage per cent proportion share amount total average "
                                 "mean median figure"))
_DATE_WORDS = frozenset(tokens("date dates year years month months day days time next last coming"))


@dataclass(frozen=True)
class Refusal:
    reason: str
    # the guidance that would answer the question, which the index does not hold: the web chat asks
    # its user to have it added, the CLI says how to add it (`assistant ingest`)
    missing_guidance: str | None = None


WORKING_TOGETHER = NAMED_DOCUMENTS[0]


@dataclass
class Composition:
    answer: str
    citations: list[Citation]
    selected: list[Candidate]
    best_cos: float
    coverage: float
    refusal: Refusal | None


class ExtractiveComposer:
    name = "extractive"

    def __init__(self, snap: Snapshot, glossary: Glossary, settings: Settings):
        self.snap = snap
        self.glossary = glossary
        self.settings = settings
        self.scorer = SentenceScorer(snap, settings, glossary)
        self.stats = self.scorer.stats
        self._chunk_tokens: dict[int, set[str]] = {}
        self._chunk_sequences: dict[int, list[str]] = {}
        self.terms = TermsOfArt(len(snap.chunks), self._sequence)

    # -- evidence vocabulary --------------------------------------------------------------
    def evidence_tokens(self, ci: int) -> set[str]:
        if ci not in self._chunk_tokens:
            c = self.snap.chunks[ci]
            meta = self.snap.documents[c.doc_id].meta
            base = f"{meta.title} {meta.authority or ''} {c.section} {c.text}"
            extra = " ".join(self.glossary.expansions(base, reverse_all=True))
            self._chunk_tokens[ci] = set(tokens(f"{base} {extra}"))
        return self._chunk_tokens[ci]

    def vocabulary(self, chunk_indices) -> set[str]:
        """Every evidence token of the given passages."""
        return set().union(*(self.evidence_tokens(ci) for ci in set(chunk_indices)))

    def coverage(self, q: Query, chunk_indices: list[int]) -> float:
        """IDF-weighted share of the question's words found in the evidence."""
        terms = set(tokens(q.text))
        if not terms:
            return 0.0
        evidence = self.vocabulary(chunk_indices)
        weights = {t: self.stats.idf(t) for t in terms}
        found = sum(w for t, w in weights.items() if t in evidence)
        return found / sum(weights.values())

    # -- selection ----------------------------------------------------------------------------
    def select(self, q: Query, hits: list[Hit], share: float = 1.0) -> list[Candidate]:
        """The sentences to quote. `share` scales the answer's room: each part of a question that
        asks two things gets half of it (compose/parts.py), so the answer stays short."""
        max_sentences = max(1, math.ceil(self.settings.max_sentences * share))
        max_words, min_words = self.settings.max_words, self.settings.min_words * share
        # equal scores (a line a slide repeats, equal up to float noise) go to the earlier sentence: the one
        # under its own heading
        cands = sorted(self.scorer.candidates(q, hits[: self.settings.compose_from]),
                       key=lambda c: (-round(c.score, 6), c.hit_rank, c.span_index))
        if not CONTACT_Q.search(q.text) and not AUTHOR_Q.search(q.text):
            # a report's author line or a publication's enquiries address is no guidance: asked "What
            # risks did Lincolnshire identify?", "This report was written by Andy Cook, who can be
            # contacted on …" matched only the council's name
            cands = [c for c in cands if not CONTACT_TEXT.search(self._text(c))]
        if q.authorities:
            # a question about one council is not answered from another's papers: asked "When will
            # Stockton's MACPT go live?", Dorset's "Multi-Agency Child Protection Teams went live on
            # 17th June 2024" reads as Stockton's date. National and evaluation text still answers.
            cands = [c for c in cands if self._authority(c) in (None, *q.authorities)]
        if not cands:
            return []
        best = cands[0].score
        floor = best * (self.settings.relative_cut - 0.15)  # below this a sentence is not a good match
        by_pos = {(c.chunk_index, c.span_index): c for c in cands}
        chosen: list[Candidate] = []
        words = 0
        # The quotes chosen for matching the question: a neighbour quoted for context is not one of
        # them, so it does not end the search for the answer early.
        picked = picked_words = 0
        for cand in cands:
            if picked >= max_sentences:
                break
            if cand.score < best * self.settings.relative_cut and picked_words >= min_words:
                break
            if cand.score < floor:
                break
            text = self._text(cand)
            n = len(text.split())
            if chosen and words + n > max_words:
                continue
            if any(self._duplicate(cand, other) for other in chosen):
                continue
            # The best sentence's neighbours come with it, before a lower-ranked sentence takes
            # the room; the others' neighbours only fill what room is left (below), except the
            # sentence that finishes what this one began ("Establish the FHLP role." + "This should
            # be whoever is best placed…"): without it the quote says nothing. Dev: key facts and
            # retrieval unchanged; 15 answers gain such a continuation.
            first = not chosen
            words = self._quote(cand, chosen, words)
            picked, picked_words = picked + 1, picked_words + n
            if first:
                words = self._quote_companions(cand, chosen, by_pos, words, q, max_words)
            else:
                words = self._quote_continuation(cand, chosen, by_pos, words, max_words)
        for needed in self._requirements(q):
            # What the question asks for is not in the quotes ("How many…?" without a figure, "…in
            # Stockton?" without Stockton's papers): quote the best sentence that has it, if it is
            # still a good match. The figure often sits in the sentence after the best match.
            if chosen and not any(needed(c) for c in chosen):
                extra = next((c for c in cands if c.score >= floor and c not in chosen and needed(c)), None)
                if extra is not None:
                    words = self._quote(extra, chosen, words)
        for cand in list(chosen[1:]):
            words = self._quote_companions(cand, chosen, by_pos, words, q, max_words)
        return chosen

    def _requirements(self, q: Query) -> list[Callable[[Candidate], bool]]:
        """Tests a quote set must pass somewhere: what the question asks for (_asked_for) and each
        name the question uses (an authority, a role) in the quoted passages."""
        needs = self._asked_for(q)
        for word in self._names(q.text):
            needs.append(lambda c, word=word: not self._absent(word, self.evidence_tokens(c.chunk_index), [c.chunk_index])
                         and self._speaks_to(c, q, word))
        return needs

    def _asked_for(self, q: Query) -> list[Callable[[Candidate], bool]]:
        """Tests of the kind of thing the question asks for: the figure, amount, date or own words
        (the asks.py tests the rerank uses too), or the spelt-out name of an abbreviation."""
        needs: list[Callable[[Candidate], bool]] = [lambda c, test=test: test(self._text(c))
                                                    for test in asked_tests(q.text)]
        if ABBREVIATION_Q.search(q.text):  # "What does MACPT stand for?" is answered by its spelt-out name
            for _, spelt in self.glossary.named_things(q.text):
                needs.append(lambda c, spelt=tokens(spelt): holds_phrase(tokens(self._text(c)), spelt))
        return needs

    def _speaks_to(self, cand: Candidate, q: Query, name: str) -> bool:
        """A sentence quoted for holding a name the question uses must also hold another of its
        words: a line of Stockton's slides that names its officer is no answer to "What is Stockton
        doing about parental representation?", however much it is Stockton's."""
        return self._shares_asked_words(q, cand, set(tokens(name)))

    def _quote(self, cand: Candidate, chosen: list[Candidate], words: int) -> int:
        chosen.append(cand)
        return words + len(self._text(cand).split())

    def _quote_companions(self, cand: Candidate, chosen: list[Candidate], by_pos: dict, words: int, q: Query,
                          max_words: float) -> int:
        """Quote the neighbours a quoted sentence cannot stand without, while they fit: "Establish
        the FHLP role." only answers "Who should be the FHLP?" with the "This should be whoever is
        best placed…" that follows it."""
        for other in self._companions(cand, by_pos) + self._headed_list(cand, by_pos, q):
            n = len(self._text(other).split())
            if other not in chosen and words + n <= max_words:
                words = self._quote(other, chosen, words)
        return words

    def _quote_continuation(self, cand: Candidate, chosen: list[Candidate], by_pos: dict, words: int,
                            max_words: float) -> int:
        """Quote the next sentence if it refers back to this one ("This should be…"), while it fits."""
        after = by_pos.get((cand.chunk_index, cand.span_index + 1))
        if after is None or after in chosen or not _ANAPHOR.match(self._text(after)):
            return words
        if words + len(self._text(after).split()) > max_words:
            return words
        return self._quote(after, chosen, words)

    def _companions(self, cand: Candidate, by_pos: dict) -> list[Candidate]:
        """The rest of a quotation this one opens or closes; the next sentence when it refers back
        to this one ("This should be whoever…") or this one is a slide title; the list this one
        announces; the previous sentence when this one refers back ("This…", "However…", "To
        overcome this, …")."""
        out = self._rest_of_quotation(cand, by_pos)
        after = by_pos.get((cand.chunk_index, cand.span_index + 1))
        if after is not None and after not in out and (_ANAPHOR.match(self._text(after)) or self._title_line(cand)):
            out.append(after)
        out += self._announced_list(cand, by_pos)
        before = by_pos.get((cand.chunk_index, cand.span_index - 1))
        if before is not None and (_ANAPHOR.match(self._text(cand)) or refers_back(self._text(cand))
                                   or (self._repeated_label(cand) and self._title_line(before))):
            out.append(before)
        return out

    def _repeated_label(self, cand: Candidate) -> bool:
        """The sentence is a "Label: value" line whose label other lines of the passage share: a
        slide's "Lead Officer: Emma Champley" says whose lead she is only with the title above it
        ("FFP Pillar: Integrated Front Door Working Group")."""
        m = _LABEL.match(self._text(cand))
        if not m:
            return False
        c = self.snap.chunks[cand.chunk_index]
        return sum(c.span_text(s).startswith(m.group(0)) for s in c.spans) > 1

    def _rest_of_quotation(self, cand: Candidate, by_pos: dict) -> list[Candidate]:
        """A sentence that opens a quotation it does not close ('"Recruiting people to fixed term
        contracts … creates inconsistency.') is part of what the speaker said: the sentences up to
        the closing mark come with it, and those back to the opening mark with a sentence that
        only closes one (at most three either way), so a quote does not stop inside a quotation."""
        text = self._text(cand)
        step = 1 if _opens_quotation(text) else -1 if _closes_quotation(text) else 0
        out: list[Candidate] = []
        for k in range(1, 4) if step else ():
            other = by_pos.get((cand.chunk_index, cand.span_index + step * k))
            if other is None:
                break
            out.append(other)
            if (_closes_quotation if step == 1 else _opens_quotation)(self._text(other)):
                break
        return out

    def _announced_list(self, cand: Candidate, by_pos: dict) -> list[Candidate]:
        """A sentence that announces a list ("The Strategy sets out six pillars…" + "These are as
        follows:", or one ending in ":") is answered by the list: its introduction and its items."""
        c = self.snap.chunks[cand.chunk_index]
        i = cand.span_index
        out: list[Candidate] = []
        if not self._text(cand).rstrip().endswith(":"):
            intro = by_pos.get((cand.chunk_index, i + 1))
            if intro is None or not self._text(intro).rstrip().endswith(":") or c.is_item(c.spans[i + 1]):
                return []
            out.append(intro)
            i += 1
        while (item := by_pos.get((cand.chunk_index, i + 1))) is not None and c.is_item(c.spans[i + 1]):
            out.append(item)
            i += 1
        return out

    def _headed_list(self, cand: Candidate, by_pos: dict, q: Query) -> list[Candidate]:
        """An item of a list whose heading is what the question asks for ("What are the functions of a
        MACPT in Stockton?" and Stockton's slide "Functions of a MACPT") is answered by the whole list,
        in its order, not by the few items that score best."""
        c = self.snap.chunks[cand.chunk_index]
        if not c.is_item(c.spans[cand.span_index]):
            return []
        heading = heading_of(c)
        held = set(tokens(heading)) | {t for e in self.glossary.expansions(heading, reverse_all=True) for t in tokens(e)}
        places = place_words(q.authorities)
        asked = [w for w in _WORD.findall(q.text) if tokens(w) and not set(tokens(w)) <= places]
        if not asked or any(self._absent(w, held) for w in asked):
            return []
        return [by_pos[(cand.chunk_index, i)] for i, s in enumerate(c.spans)
                if i != cand.span_index and c.is_item(s) and (cand.chunk_index, i) in by_pos]

    def _title_line(self, cand: Candidate) -> bool:
        """A short line without a full stop that is not a list item ("FFP Pillar: Integrated Front
        Door Working Group") is a slide title: what it heads is in the next line ("Lead Officer: …")."""
        text = self._text(cand).rstrip()
        c = self.snap.chunks[cand.chunk_index]
        return (not c.is_item(c.spans[cand.span_index]) and len(text.split()) <= 10
                and not text.endswith((".", "!", "?", ";", ":", ",")))

    def _authority(self, cand: Candidate) -> str | None:
        return self.snap.documents[self.snap.chunks[cand.chunk_index].doc_id].meta.authority

    def _text(self, cand: Candidate) -> str:
        c = self.snap.chunks[cand.chunk_index]
        return c.span_text(c.spans[cand.span_index])

    def _duplicate(self, a: Candidate, b: Candidate) -> bool:
        if float(self.snap.sent_vecs[a.row] @ self.snap.sent_vecs[b.row]) > 0.92:
            return True
        ta, tb = set(tokens(self._text(a))), set(tokens(self._text(b)))
        return bool(ta and tb) and len(ta & tb) / len(ta | tb) > 0.75

    # -- refusal --------------------------------------------------------------------------------
    def refusal(self, q: Query, chosen: list[Candidate], coverage: float) -> Refusal | None:
        if not chosen:
            return Refusal("Nothing in the guidance I hold matches this question.")
        # before the similarity cut-off: naming the term the guidance lacks says more than "does not appear
        # to cover". What a court needs for an order is answered by the law check below, which says why.
        term = None if LAW_Q.search(q.text) else self.terms.unheld(q.text)
        if term:
            return Refusal(f"The guidance I hold does not mention {term}.",
                           f"guidance on “{term}” (such as {WORKING_TOGETHER[1]})")
        best_cos = max(c.cos for c in chosen)
        min_similarity, min_coverage = self.settings.refusal_cutoffs(self.snap.embedder_name)
        if best_cos < min_similarity or coverage < min_coverage:
            return Refusal("The guidance I hold does not appear to cover this question.")
        # lead-ins count as evidence too: "Within one working day of a referral…:"
        units = [self._text(c) for c in chosen] + [
            self.snap.chunks[ci].span_text(s)
            for ci in {c.chunk_index for c in chosen}
            for s in self.snap.chunks[ci].spans
            if s.lead_in
        ]
        quoted = " ".join(units)
        document = self.missing_document(q.text, quoted)
        if document:
            return Refusal(f"{document} is not among the documents I hold, so I cannot say what it says.", document)
        missing = self.unknown_name(q.text) or self.unmatched_name(q.text, chosen) or self.unheld_local_role(q)
        if missing:
            return Refusal(missing)
        if TIMESCALE_Q.search(q.text) and not any(self._timescale_of_asked(q, u) for u in units):
            pattern, name = WORKING_TOGETHER
            return Refusal("The guidance I hold does not state a timescale for this (statutory timescales are in "
                           f"{name}).", None if self._holds_document(pattern) else name)
        if LAW_Q.search(q.text):
            if not LAW_TEXT.search(quoted):
                return Refusal("The passages I found do not say what the law requires here (the guidance I hold is "
                               "the pathfinder's policy, not statute).")
            order = order_named(q.text)
            if order and not speaks_of_order(order, quoted):
                # a passage citing the Children Act is no answer to what a court weighs for an order it never names
                return Refusal(f"The passages I found do not speak of a {' '.join(order)} order, so they cannot "
                               "say what the law requires for it (the guidance I hold is the pathfinder's policy, not "
                               "statute).")
        money = money_test(q.text)
        if money is not None and not money(quoted):
            return Refusal("The guidance I hold does not give an amount of money for this.")
        if CONTACT_Q.search(q.text):
            if not contact_for(q.text, units, place_words(q.authorities)):
                return Refusal("The guidance I hold does not give contact details for this; your local "
                               "authority's website will.")
        if NUMBER_Q.search(q.text) and not (figure_of(q.text, units) and any(self._figures_what_was_asked(q, c)
                                                                             for c in chosen)):
            return Refusal("The guidance I hold does not give a figure for this.")
        # (a date only in a list's lead-in is no date of what was asked: the quoted sentences must give it)
        if DATE_Q.search(q.text) and not any(self._dates_what_was_asked(q, c) for c in chosen):
            return Refusal("The guidance I hold does not give a date for this.")
        return None

    def _timescale_of_asked(self, q: Query, text: str) -> bool:
        """The text gives a timescale of what the question asks about (asks.timescale_words). The
        words of a thing the question names count only when the text names it too: "families" in
        "some families have engaged with CSC teams for as long as 14 years" is no timescale of a
        "family group conference"."""
        shared = timescale_words(q.text, text)
        for abbreviations, spelt in self.glossary.named_things(q.text):
            words = set(tokens(spelt))
            if shared & words and not self._names_thing(text, abbreviations, spelt):
                shared -= words
        return bool(shared)

    @staticmethod
    def _names_thing(text: str, abbreviations: tuple[str, ...], spelt: str) -> bool:
        return holds_phrase(tokens(text), tokens(spelt)) or any(
            re.search(rf"\b{re.escape(a)}s?\b", text) for a in abbreviations)

    def _figures_what_was_asked(self, q: Query, cand: Candidate) -> bool:
        """A quoted sentence (or its list's lead-in) gives a figure and speaks of what the question
        counts: "A significant proportion of Health staff (67%) reported uncertainty…" is no share of
        "What proportion of FHLPs were not social workers?", though it holds a share."""
        holds = figure_test(q.text)
        c = self.snap.chunks[cand.chunk_index]
        lead = next((c.span_text(s) for s in c.spans if s.lead_in), "")
        if not (holds(self._text(cand)) or (bool(lead) and holds(lead))):
            return False
        return self._shares_asked_words(q, cand, _FIGURE_WORDS, own_words_only=True)

    def _dates_what_was_asked(self, q: Query, cand: Candidate) -> bool:
        """A quoted sentence gives a date and speaks of what the question dates: "In July 2023, the
        DfE announced Lincolnshire as one of the initial three Pathfinders" dates nothing of "What
        are the school term dates in Lincolnshire?", though it holds a date and the council's name."""
        return bool(new_dates(self._text(cand), q.text)) and self._shares_asked_words(q, cand, _DATE_WORDS)

    def _shares_asked_words(self, q: Query, cand: Candidate, besides: set[str] | frozenset[str],
                            own_words_only: bool = False) -> bool:
        """The sentence holds a word of the question other than its councils' names and the given
        words (or the question has no other word). With `own_words_only`, what the sentence and its
        lead-in say, not its heading: the figure of a survey answer about Health staff's uncertainty
        is no figure of the FHLPs its section is about."""
        places = place_words(q.authorities)
        asked = set(tokens(q.text)) - places - besides
        terms = (self.scorer.own_terms if own_words_only else self.scorer.sentence_terms)(cand.chunk_index,
                                                                                           cand.span_index)
        return not asked or bool(asked & (terms - places))

    def _holds_document(self, pattern: str) -> bool:
        return any(re.search(pattern, d.meta.title, re.I) for d in self.snap.documents.values())

    def missing_document(self, question: str, quoted: str = "") -> str | None:
        """A question about a named document the corpus does not hold cannot be answered from it,
        unless the question is about what the held documents say of it and the quotes speak of it
        ("Why was the Wave 2 specification updated to refer to Working Together 2023?" is answered
        by the specification; "How many days … under Working Together?" is not)."""
        for pattern, name in NAMED_DOCUMENTS:
            if not re.search(pattern, question, re.I) or self._holds_document(pattern):
                continue
            if asks_content_of(pattern, question) or not re.search(pattern, quoted, re.I):
                return name
        return None

    def _names(self, question: str):
        """Capitalised words and acronyms of the question, except an ordinary word that starts a
        sentence. In a question written in capitals every word looks like an acronym: none of its
        two-letter words ("IS", "TO") is taken for one."""
        letters = [ch for ch in question if ch.isalpha()]
        shouted = sum(ch.isupper() for ch in letters) > len(letters) / 2
        for m in _NAME_WORD.finditer(question):
            word = m.group(0)
            if len(word) == 2 and shouted:
                continue
            at_start = m.start() == 0 or question[: m.start()].rstrip().endswith((".", "?", "!", ":"))
            if not (at_start and not word.isupper()):
                yield word

    def unmatched_name(self, question: str, chosen: list[Candidate]) -> str | None:
        """A name the corpus mentions elsewhere but none of the quoted passages does ("What Ofsted
        rating did Lincolnshire get?" answered with Lincolnshire's pathfinder report) means the
        passages are about something else."""
        quoted = {c.chunk_index for c in chosen}
        evidence = self.vocabulary(quoted)
        for word in self._names(question):
            if self._absent(word, evidence, quoted):
                council = sorted(named_authorities(self.snap, word))
                if council:  # the council's papers hold nothing on this that matched
                    return (f"The papers I hold from {council[0]} say nothing that answers this; asked without "
                            "the council's name, the national guidance may.")
                return f"The passages I found do not mention {word}, so they do not answer this question."
        return None

    def unheld_local_role(self, q: Query) -> str | None:
        """A question about a council asks what that council does: "Who is the Designated Family Judge
        for Dorset?", "Does Lincolnshire use Signs of Safety?". If the council's own papers never name
        the thing asked about, passages that name it elsewhere (a national pilot, the evaluation's
        training for health teams) and passages about that council (another topic) do not answer it
        together. What a council is compared with ("… compared with the Wave 1 areas?") is not asked
        of the council."""
        named = q.authorities
        if not named:
            return None
        question = _COMPARED_WITH.split(q.text)[0]
        chunks = [i for i, c in enumerate(self.snap.chunks) if self.snap.documents[c.doc_id].meta.authority in named]
        held = self.vocabulary(chunks)
        for word in self._names(question):
            if not named_authorities(self.snap, word) and self._absent(word, held, chunks):
                phrase = next((m.group(0) for m in _NAME_RUN.finditer(question) if word in m.group(0).split()), word)
                return f"The papers I hold from {', '.join(sorted(named))} do not mention {phrase}."
        # a named thing asked in lower case ("an integrated front door") is a name too
        for terms, spelt in self.glossary.named_things(question):
            if all(self._absent(t, held, chunks) for t in terms) and not any(
                    holds_phrase(self._sequence(ci), tokens(spelt)) for ci in chunks):
                return f"The papers I hold from {', '.join(sorted(named))} do not mention the {spelt}."
        return None

    def _absent(self, word: str, evidence: set[str], chunks=()) -> bool:
        """Neither the word nor any glossary expansion of it appears in the evidence. In the given
        passages a spelt-out name must appear as a phrase: Lincolnshire's "Police Safeguarding Hub"
        and "multi-agency" are not a "Multi-Agency Safeguarding Hub" (MASH)."""
        if _is_short_acronym(word):  # "IT" is a stop word to the tokenizer: look for it as written
            pattern = re.compile(rf"\b{word}\b")
            if any(pattern.search(self._raw(ci)) for ci in (chunks or range(len(self.snap.chunks)))):
                return False
        else:
            terms = tokens(word)
            if not terms or any(t in evidence for t in terms):
                return False
        for e in self.glossary.expansions(word):
            phrase = tokens(e)
            if len(phrase) > 1 and chunks:
                # what holds for child protection conferences holds for the initial one (ICPC)
                if any(holds_phrase(self._sequence(ci), p) for p in [phrase, *self.glossary.broader(e)] for ci in chunks):
                    return False
            elif set(phrase) & evidence:
                return False
        return True

    def _raw(self, ci: int) -> str:
        c = self.snap.chunks[ci]
        return f"{c.section} {c.text}"

    def _sequence(self, ci: int) -> list[str]:
        if ci not in self._chunk_sequences:
            c = self.snap.chunks[ci]
            self._chunk_sequences[ci] = tokens(f"{c.section} {c.text}")
        return self._chunk_sequences[ci]

    def unknown_name(self, question: str) -> str | None:
        """A question that names something the corpus never mentions ("Ofsted", "EHCP") asks about
        what the guidance does not hold, however well its other words match."""
        for word in self._names(question):
            if _is_short_acronym(word):
                if self._absent(word, self.stats.df.keys()):
                    return f"The question names {word}, which the guidance I hold does not mention."
                continue
            terms = tokens(word)
            if terms and all(t not in self.stats.df for t in terms) and not self.glossary.expansions(word):
                return f"The question names {word}, which the guidance I hold does not mention."
        return None

    # -- rendering ----------------------------------------------------------------------------
    def passage_order(self, chosen: list[Candidate], q: Query) -> list[int]:
        """The quoted passages in retrieval order, except that the sources the question names come
        first: asked "Who chairs child protection conferences in Lincolnshire?", a reader must meet
        Lincolnshire's answer before the national expectation it departs from. Among those, a passage
        whose quotes hold what the question asks for (the date of "When did Lincolnshire start the
        pathfinder?", the spelt-out name of "What does MACPT stand for?") comes before the passages
        quoted for their other words."""
        rank: dict[int, int] = {}
        for cand in chosen:
            rank[cand.chunk_index] = min(rank.get(cand.chunk_index, cand.hit_rank), cand.hit_rank)
        named = {ci for ci in rank if q.names(self.snap.documents[self.snap.chunks[ci].doc_id].meta)}
        asked = self._asked_for(q)
        answering = {c.chunk_index for c in chosen if asked and all(test(c) for test in asked)}
        return sorted(rank, key=lambda ci: (ci not in named, ci not in answering, rank[ci]))

    def render(self, chosen: list[Candidate], q: Query, order: list[int] | None = None) -> tuple[str, list[Citation]]:
        """Group quotes by passage, one [n] per passage, in `order` (default: passage_order)."""
        groups: dict[int, list[Candidate]] = {}
        seen: set[tuple[int, int]] = set()
        for cand in chosen:  # two parts of a question may choose the same sentence: quote it once
            if (cand.chunk_index, cand.span_index) not in seen:
                seen.add((cand.chunk_index, cand.span_index))
                groups.setdefault(cand.chunk_index, []).append(cand)
        order = order or self.passage_order(chosen, q)
        parts: list[str] = []
        citations: list[Citation] = []
        for n, ci in enumerate(order, start=1):
            c = self.snap.chunks[ci]
            meta = self.snap.documents[c.doc_id].meta
            cands = sorted(groups[ci], key=lambda x: x.span_index)
            spans = [c.spans[x.span_index] for x in cands]
            is_bullets = c.is_list and any(c.is_item(s) for s in spans)
            if is_bullets:
                lead = next((c.span_text(s) for s in c.spans if s.lead_in), "")
                lines = [lead] if lead else []
                lines += [f"{'- ' if c.is_item(s) else ''}{c.span_text(s)} [{n}]" for s in spans]
                parts.append("\n".join(lines))
            else:
                parts.append(" ".join(f"{c.span_text(s)} [{n}]" for s in spans))
            citations.append(
                Citation(
                    n=n,
                    doc_id=c.doc_id,
                    title=meta.title,
                    kind=meta.kind,
                    authority=meta.authority,
                    published=meta.published,
                    section=c.section,
                    paragraph=c.paragraph,
                    text=c.text,
                    start=spans[0].start,
                    end=spans[-1].end,
                    score=round(max(x.score for x in cands), 4),
                    chunk_id=c.chunk_id,
                )
            )
        answer = "\n\n".join(parts)
        return answer, citations

    def compose(self, q: Query, hits: list[Hit], share: float = 1.0) -> Composition:
        chosen = self.select(q, hits, share)
        evidence_chunks = [h.chunk_index for h in hits[: self.settings.compose_from]]
        cov = self.coverage(q, [c.chunk_index for c in chosen] or evidence_chunks)
        best_cos = max((c.cos for c in chosen), default=0.0)
        reason = self.refusal(q, chosen, cov)
        if reason:
            return Composition("", [], chosen, best_cos, cov, reason)
        answer, citations = self.render(chosen, q)
        return Composition(answer, citations, chosen, best_cos, cov, None)

    def merge(self, parts: list[tuple[Query, Composition]]) -> Composition:
        """One answer from the compositions of a question's parts (compose/parts.py): each answered
        part's quotes in turn, a sentence two parts chose quoted once. The refusal features are the
        best part's: the merged answer stands if any part does."""
        answered = [(q, comp) for q, comp in parts if not comp.refusal]
        if not answered:
            return parts[0][1]
        chosen = [cand for _, comp in answered for cand in comp.selected]
        order = list(dict.fromkeys(ci for q, comp in answered for ci in self.passage_order(comp.selected, q)))
        answer, citations = self.render(chosen, answered[0][0], order)
        return Composition(answer, citations, chosen, max(c.best_cos for _, c in parts),
                           max(c.coverage for _, c in parts), None)
