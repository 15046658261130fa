"""The sentences a quote cannot stand without: the rest of a quotation, the sentence that
finishes what it began, the list it announces, the title line a slide's label sits under.

Candidates are looked up by position (`by_pos`: (passage, sentence) → Candidate), so a
neighbour comes with its own score and is never one the scorer dropped as a fragment.
"""
from __future__ import annotations

import re

from assistant.compose.evidence import Evidence
from assistant.index.texts import heading_of
from assistant.retrieve.hybrid import Query, place_words
from assistant.retrieve.sentences import Candidate, refers_back
from assistant.text import tokens

_WORD = re.compile(r"[A-Za-z][\w'-]*")
_LABEL = re.compile(r"^[A-Z][\w' ]{1,30}:")  # "Lead Officer:", "Date:"
# A sentence that leans on the one before it: a pronoun, or a "However, …" that qualifies it
# ("… was replaced by the LCPP." + "However, this element was not extended further").
ANAPHOR = re.compile(r"^(This|It|They|These|That|Such|However|But)\b")

Positions = dict[tuple[int, int], Candidate]


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


class Neighbours:
    def __init__(self, evidence: Evidence):
        self.ev = evidence
        self.snap = evidence.snap
        self.glossary = evidence.glossary

    def continuation(self, cand: Candidate, by_pos: Positions) -> Candidate | None:
        """The next sentence, if it refers back to this one ("This should be…")."""
        after = by_pos.get((cand.chunk_index, cand.span_index + 1))
        return after if after is not None and ANAPHOR.match(self.ev.text(after)) else None

    def companions(self, cand: Candidate, by_pos: Positions) -> list[Candidate]:
        """The rest of a quotation this one opens or closes; the next sentence when it refers back
        to this one ("This should be whoever…") or this one is a slide title; the list this one
        announces; the previous sentence when this one refers back ("This…", "However…", "To
        overcome this, …")."""
        out = self.rest_of_quotation(cand, by_pos)
        after = by_pos.get((cand.chunk_index, cand.span_index + 1))
        if after is not None and after not in out and (ANAPHOR.match(self.ev.text(after)) or self.title_line(cand)):
            out.append(after)
        out += self.announced_list(cand, by_pos)
        before = by_pos.get((cand.chunk_index, cand.span_index - 1))
        if before is not None and (ANAPHOR.match(self.ev.text(cand)) or refers_back(self.ev.text(cand))
                                   or (self.repeated_label(cand) and self.title_line(before))):
            out.append(before)
        return out

    def repeated_label(self, cand: Candidate) -> bool:
        """The sentence is a "Label: value" line whose label other lines of the passage share: a
        slide's "Lead Officer: Emma Champley" says whose lead she is only with the title above it
        ("FFP Pillar: Integrated Front Door Working Group")."""
        m = _LABEL.match(self.ev.text(cand))
        if not m:
            return False
        c = self.snap.chunks[cand.chunk_index]
        return sum(c.span_text(s).startswith(m.group(0)) for s in c.spans) > 1

    def rest_of_quotation(self, cand: Candidate, by_pos: Positions) -> list[Candidate]:
        """A sentence that opens a quotation it does not close ('"Recruiting people to fixed term
        contracts … creates inconsistency.') is part of what the speaker said: the sentences up to
        the closing mark come with it, and those back to the opening mark with a sentence that
        only closes one (at most three either way), so a quote does not stop inside a quotation."""
        text = self.ev.text(cand)
        step = 1 if _opens_quotation(text) else -1 if _closes_quotation(text) else 0
        out: list[Candidate] = []
        for k in range(1, 4) if step else ():
            other = by_pos.get((cand.chunk_index, cand.span_index + step * k))
            if other is None:
                break
            out.append(other)
            if (_closes_quotation if step == 1 else _opens_quotation)(self.ev.text(other)):
                break
        return out

    def announced_list(self, cand: Candidate, by_pos: Positions) -> list[Candidate]:
        """A sentence that announces a list ("The Strategy sets out six pillars…" + "These are as
        follows:", or one ending in ":") is answered by the list: its introduction and its items."""
        c = self.snap.chunks[cand.chunk_index]
        i = cand.span_index
        out: list[Candidate] = []
        if not self.ev.text(cand).rstrip().endswith(":"):
            intro = by_pos.get((cand.chunk_index, i + 1))
            if intro is None or not self.ev.text(intro).rstrip().endswith(":") or c.is_item(c.spans[i + 1]):
                return []
            out.append(intro)
            i += 1
        # each item's first sentence, past the later sentences of an item: "- Overarching system-level
        # reform… Local statutory safeguarding partners will need…" must not end the four strands at one
        while i + 1 < len(c.spans) and c.in_item(c.spans[i + 1]):
            i += 1
            if c.is_item(c.spans[i]):
                if (item := by_pos.get((cand.chunk_index, i))) is None:
                    break
                out.append(item)
        if i == len(c.spans) - 1:
            out += self.list_after(cand.chunk_index, by_pos)
        return out

    def list_after(self, chunk_index: int, by_pos: Positions) -> list[Candidate]:
        """The items of the list in the next passage that the last sentence of this one announces
        (Evidence.announcing: "Six case study local areas were selected:" ended a paragraph, its
        list began a passage of its own), where that passage was retrieved too."""
        after = self.ev.passage_beside(chunk_index, 1)
        if after is None or not self.ev.announcing(after):
            return []
        items = self.snap.chunks[after]
        return [by_pos[(after, i)] for i, s in enumerate(items.spans) if items.is_item(s) and (after, i) in by_pos]

    def headed_list(self, cand: Candidate, by_pos: Positions, q: Query) -> list[Candidate]:
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
        if not asked or any(self.ev.absent(w, held) for w in asked):
            return []
        return [by_pos[(cand.chunk_index, i)] for i, s in enumerate(c.spans)
                if i != cand.span_index and c.is_item(s) and (cand.chunk_index, i) in by_pos]

    def title_line(self, cand: Candidate) -> bool:
        """A short line without a full stop that is not a list item ("FFP Pillar: Integrated Front
        Door Working Group") is a slide title: what it heads is in the next line ("Lead Officer: …")."""
        text = self.ev.text(cand).rstrip()
        c = self.snap.chunks[cand.chunk_index]
        return (not c.is_item(c.spans[cand.span_index]) and len(text.split()) <= 10
                and not text.endswith((".", "!", "?", ";", ":", ",")))
