"""The answer's text and citations from the chosen quotes: one [n] per passage, lists kept as
lists under their lead-in, the passages the question names first."""
from __future__ import annotations

from assistant.compose.evidence import Evidence
from assistant.compose.refuse.names import timescale_of_asked
from assistant.compose.refuse.relations import says_asked
from assistant.compose.select import Selector
from assistant.models import Citation
from assistant.retrieve.hybrid import Query
from assistant.retrieve.sentences import Candidate, labelled_cell, stands_alone
from assistant.understand.intent import TIMESCALE_Q, asks_one_fact

KIND_WORDS = {"evidence": "evaluation evidence"}  # how a kind reads in a source label, where not its own name


class Renderer:
    def __init__(self, evidence: Evidence, selector: Selector):
        self.ev, self.selector = evidence, selector
        self.snap = evidence.snap

    def passage_order(self, chosen: list[Candidate], q: Query, answering: set[tuple[int, int]] | None = None) -> list[int]:
        """The quoted passages in retrieval order, except that the sources the question names come
        first: asked "Who chairs child protection conferences in Lincolnshire?", a reader must meet
        Lincolnshire's answer before the national expectation it departs from. Among those, a passage
        whose quotes hold what the question asks for (the date of "When did Lincolnshire start the
        pathfinder?", the spelt-out name of "What does MACPT stand for?", a timescale of what a
        timescale question asks about, as the refusal rule reads it) comes before the passages
        quoted for their other words. A question asking one fact then meets the passage of its
        best quote first (lead_quotes). `answering`: the quotes self.answering found, if known."""
        rank: dict[int, int] = {}
        for cand in chosen:
            rank[cand.chunk_index] = min(rank.get(cand.chunk_index, cand.hit_rank), cand.hit_rank)
        named = {ci for ci in rank if q.names(self.snap.documents[self.snap.chunks[ci].doc_id].meta)}
        answering = self.answering(chosen, q) if answering is None else answering
        answering_passages = {ci for ci, _ in answering}
        lead = self.lead_quotes(chosen, q, answering)
        first = lead[0].chunk_index if lead else None
        return sorted(rank, key=lambda ci: (ci not in named, ci not in answering_passages, ci != first, rank[ci]))

    def answering(self, chosen: list[Candidate], q: Query) -> set[tuple[int, int]]:
        """The quotes (passage, sentence) that hold what the question asks for, where it asks for a
        kind of thing. A question that asks one fact of no such kind (who does something, whether
        it is so) is answered by the quotes that say its verb of its thing (refuse.relations)."""
        asked = self.selector.asked_for(q)
        if TIMESCALE_Q.search(q.text):
            # "oakridge ICPC timescale?": "The ICPC is held within 12 working days…" before the
            # conference chair's line, which matched "ICPC" as well
            asked = [*asked, lambda c: timescale_of_asked(self.ev, q, self.ev.text(c))]
        if not asked and asks_one_fact(q.text):
            says = says_asked(self.ev, q)
            asked = [says] if says else []
        return {(c.chunk_index, c.span_index) for c in chosen if asked and all(test(c) for test in asked)}

    def lead_quotes(self, chosen: list[Candidate], q: Query, answering: set[tuple[int, int]]) -> list[Candidate]:
        """The quotes a one-fact question's answer opens with: the best-scored one (of those holding
        the kind of thing asked for, if any do), after the quoted sentences just before it that it
        cannot be read without ("This strategy was signed off in March 2024" after "Our local Family
        Networks Strategy sets out…"). "Does an LCPP have to be employed for the whole pathfinder?"
        opens with "Must be employed for at least the duration of the Pathfinder." rather than the
        qualifications listed above it. A list, a comparison or an account of a process keeps its
        documents' order (no lead quotes), and so does a best quote that points back to a sentence
        not quoted."""
        if not asks_one_fact(q.text):
            return []
        at = {(c.chunk_index, c.span_index): c for c in chosen}
        holding = [c for c in chosen if (c.chunk_index, c.span_index) in answering]
        run = [max(holding or chosen, key=lambda c: c.score)]
        while not stands_alone(self.ev.text(run[0])):
            before = at.get((run[0].chunk_index, run[0].span_index - 1))
            if before is None:
                return []  # what it points back to is not quoted: the documents' order keeps the two together
            run.insert(0, before)
        return run

    def render(self, chosen: list[Candidate], q: Query, order: list[int] | None = None) -> tuple[str, list[Citation]]:
        """Group quotes by passage, one [n] per passage, in `order` (default: passage_order)."""
        chosen = self.without_unkept_promises(chosen)
        groups: dict[int, list[Candidate]] = {}
        seen: set[tuple[int, int]] = set()
        for cand in chosen:  # two parts of a question may choose the same sentence: quote it once
            if (cand.chunk_index, cand.span_index) not in seen:
                seen.add((cand.chunk_index, cand.span_index))
                groups.setdefault(cand.chunk_index, []).append(cand)
        answering = self.answering(chosen, q)
        if order:  # a merged answer's order, less any passage whose quotes all went
            order = [ci for ci in order if ci in groups]
        else:
            order = self.within_room(self.passage_order(chosen, q, answering), groups, q,
                                     {ci for ci, _ in answering})
        parts: list[str] = []
        citations: list[Citation] = []
        # quotes from several documents each say whose they are: a national expectation and a
        # council's practice must not read as one voice
        labelled = len({self.snap.chunks[ci].doc_id for ci in order}) > 1
        previous = None
        for n, ci in enumerate(order, start=1):
            cands = sorted(groups[ci], key=lambda x: x.span_index)
            may_lead = n == 1 and not any(labelled_cell(self.ev.text(x)) for x in cands)  # cells keep their row
            lead = self.lead_quotes(cands, q, answering) if may_lead else []
            text = self._passage_text(ci, [*lead, *(x for x in cands if x not in lead)], n, ahead=len(lead))
            doc_id = self.snap.chunks[ci].doc_id
            if labelled and doc_id != previous:
                text = f"{self.source_label(doc_id)}:\n{text}"
            previous = doc_id
            parts.append(text)
            citations.append(self._citation(ci, cands, n))
        return "\n\n".join(parts), citations

    def without_unkept_promises(self, chosen: list[Candidate]) -> list[Candidate]:
        """The quotes less each sentence that announces what is not quoted after it ("The pathfinder has
        been created to co-design and test new reforms across the following four work streams:",
        chosen for its words, its list not): an answer must not end a thought on a colon. The
        refusal rules read every chosen quote; this only writes the answer. An answer of such
        sentences alone keeps them."""
        kept = chosen
        while True:  # "…including:" before "Thematic Learning and Positive Outcomes:" goes once that one has
            at = {(c.chunk_index, c.span_index) for c in kept}
            fewer = [c for c in kept if not self._promises_unquoted(c, at)]
            if len(fewer) == len(kept):
                return kept or chosen
            kept = fewer

    def _promises_unquoted(self, cand: Candidate, at: set[tuple[int, int]]) -> bool:
        """The sentence ends in a colon and what follows it in its passage is not quoted. One that ends
        its passage is the lead-in of the list after it (Evidence.announcing), shown above that list's
        quoted items, not as a sentence of its own."""
        return self.ev.text(cand).rstrip().endswith(":") and (cand.chunk_index, cand.span_index + 1) not in at

    def within_room(self, order: list[int], groups: dict[int, list[Candidate]], q: Query,
                    answering: set[int] = frozenset()) -> list[int]:
        """The passages to quote, in order. A question that asks one fact (a time, a person, a
        figure, a yes or no) is answered at a glance once its first passage gives what was asked
        (`answering`: a figure, a timescale of the asked thing, a quote saying the asked verb of the
        asked thing): the passages after it that give no such thing go once the quotes fill
        settings.one_fact_answered_max_words. settings.one_fact_max_words, where set, is a room
        every passage after the first keeps to, whatever the first gives."""
        settings = self.selector.settings
        if not asks_one_fact(q.text):
            return order
        if settings.one_fact_max_words is not None:
            room, staying = settings.one_fact_max_words, set()
        elif order and order[0] in answering and settings.one_fact_answered_max_words:  # 0: no such stop
            # past the answered room, a passage that also gives what was asked stays: "the Independent
            # Chair fulfils within Child Protection Conferences" after a passage on the CP chair's new role
            room, staying = settings.one_fact_answered_max_words, answering
        else:
            return order
        kept, words = [], 0
        for ci in order:
            words += sum(len(self.ev.text(c).split()) for c in groups[ci])
            if not kept or words <= room or ci in staying:
                kept.append(ci)
        return kept

    def source_label(self, doc_id: str) -> str:
        """Whose words these are, from the document's metadata: "Lincolnshire pathfinder scrutiny
        report (local)", "Wave 2 design specification (full, national)"; a council its title does not
        name is added after the kind."""
        meta = self.snap.documents[doc_id].meta
        name = (meta.short_title or meta.title).rstrip(":")
        whose = [KIND_WORDS.get(meta.kind, meta.kind)]
        if meta.authority and meta.authority.lower() not in name.lower():
            whose.append(meta.authority)
        if name.endswith(")"):  # "Wave 2 design specification (full)" -> "(full, national)"
            return f"{name[:-1]}, {', '.join(whose)})"
        return f"{name} ({', '.join(whose)})"

    def _passage_text(self, ci: int, cands: list[Candidate], n: int, ahead: int = 0) -> str:
        """The passage's quotes; in a list, under its lead-in, except lead quotes (the first `ahead`)
        that are not items of it: "Family network members subject to special guardianship orders …
        are not eligible." must not read as one of what "Local areas should:" do."""
        c = self.snap.chunks[ci]
        spans = [c.spans[x.span_index] for x in cands]
        if c.is_list and any(c.is_item(s) for s in spans):
            lines = [f"{'- ' if c.is_item(s) else ''}{c.span_text(s)} [{n}]" for s in spans]
            lead = self.ev.lead_in(ci)
            if lead:
                above = next((i for i, s in enumerate(spans[:ahead]) if c.is_item(s)), ahead)
                lines.insert(above, lead)
            return "\n".join(lines)
        return " ".join(f"{c.span_text(s)} [{n}]" for s in spans)

    def _citation(self, ci: int, cands: list[Candidate], n: int) -> Citation:
        c = self.snap.chunks[ci]
        meta = self.snap.documents[c.doc_id].meta
        spans = [c.spans[x.span_index] for x in cands]
        return Citation(n=n, doc_id=c.doc_id, title=meta.title, kind=meta.kind, authority=meta.authority,
                        published=meta.published, review=meta.review, source_url=meta.source_url, section=c.section, paragraph=c.paragraph, text=c.text,
                        start=spans[0].start, end=spans[-1].end, score=round(max(x.score for x in cands), 4),
                        chunk_id=c.chunk_id)
