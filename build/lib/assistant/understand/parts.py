"""Questions that ask two things: "What is the FHLP and can they be from a school?"

Retrieval and sentence choice work on one question at a time. Asked as one, the two parts compete
for the answer's few sentences and the part closer to the corpus's wording wins: only "can they be
from a school" was answered above. So a question that joins two questions is split into its parts,
each part is retrieved and composed on its own, and the answer quotes each in turn (see
`Assistant.ask_with_composition`). A part the guidance does not cover is named in the answer's
`not_covered` instead of refusing the whole question.

A split needs a second clause that is itself a question: after "and" (or a second "?"; in a list
"A, B, and C?" after the commas too), a question word ("…, and how many were in the pathfinder?")
or an auxiliary verb followed by its subject ("…, and must the family take part in FGDM first?").
"What if parents disagree and do not want an FGC?", "Can grandparents and aunts get an FNSP?" and
"Will anyone explain what happens and what my rights are?" join words or clauses, not questions, and
stay whole.
"""
from __future__ import annotations

import re

from assistant.settings import Understanding
from assistant.text import tokens

DEFAULTS = Understanding()

# a question word, after a preposition too: "…, and within how many working days must…?"
_WH = r"(?:(?:within|in|by|for|from|at|on|to|with|under|after|before|until)\s+)?(?:who|whom|whose|what|when|where|which|why|how)"
_AUX = (r"(?:is|are|was|were|do|does|did|can|could|must|should|will|would|may|might|has|have|had|shall)")
# the subject after a clause-opening auxiliary: a determiner, a pronoun, a capitalised name or
# abbreviation, or a plural of the people the guidance speaks of
_SUBJECT = (r"(?:the|a|an|this|that|these|those|they|it|we|i|you|he|she|my|our|their|his|her|its|any|all|"
            r"each|every|there|children|parents|families|staff|carers|grandparents|practitioners|schools|"
            r"councils|[A-Z][\w'’]*)")
_JOIN = re.compile(rf"(?:,\s*|\s+)(?:and|but|also|plus)\s+(?=(?:{_WH}\b|(?i:{_AUX})\s+{_SUBJECT}\b))", re.I)
# "Who should be the FHLP, who leads the MACPT, and when…?": in a list of questions the earlier ones
# are parted by a comma alone (only where an "and" joins the last, so "What happens, when…?" stays whole)
_LIST_COMMA = re.compile(rf",\s*(?=(?:{_WH}\b|(?i:{_AUX})\s+{_SUBJECT}\b))", re.I)
_SUBJECT_CS = re.compile(rf"^\s*(?i:{_AUX})\s+{_SUBJECT}\b")  # the subject test, capitals as written
# "…explain what happens and what my rights are?": a wh-word followed by its subject is a clause
# inside the question, not a question of its own (that would be "what are my rights?")
_WH_START = re.compile(rf"^\s*{_WH}\b(?!\s+(?:my|your|his|her|their|our|it|they|we|i|you|he|she)\b)", re.I)
_PRONOUN = re.compile(r"\b(they|them|their|it|its|this|these|those|he|she|him|her)\b", re.I)
# more parts than this is a list of questions pasted in, not one question: asked whole (each part is a


def clause_starts_question(clause: str) -> bool:
    return bool(_WH_START.match(clause) or _SUBJECT_CS.match(clause))


def split_question(question: str, limits: Understanding = DEFAULTS) -> list[str]:
    """The questions a question asks, in order; a single question comes back alone."""
    pieces = [p.strip() for p in re.split(r"(?<=\?)\s+", question.strip()) if p.strip()]
    if not all(p.endswith("?") for p in pieces):  # "Can I sue…? I need legal advice." asks one thing
        pieces = [question.strip()]
    parts: list[str] = []
    for piece in pieces:
        # the capital-letter subject test must see the text as written, not case-folded
        cuts = [m for m in _JOIN.finditer(piece) if clause_starts_question(piece[m.end():])]
        if cuts:
            cuts += [m for m in _LIST_COMMA.finditer(piece, 0, cuts[-1].start())
                     if clause_starts_question(piece[m.end():])]
        start = 0
        for m in sorted(cuts, key=lambda m: m.start()):
            parts.append(piece[start:m.start()])
            start = m.end()
        parts.append(piece[start:])
    parts = [p.strip(" ,;") for p in parts]
    if not 2 <= len(parts) <= limits.max_parts or any(len(p.split()) < limits.min_part_words for p in parts):
        return [question]
    parts = [p[0].upper() + p[1:] for p in parts]  # each part is shown on its own when not covered
    return [p if p.endswith("?") else f"{p}?" for p in parts]


_QUANTITY = frozenset(tokens("many much number"))


def with_context(part: str, first: str, first_topics: set[str], own_topics: set[str],
                 limits: Understanding = DEFAULTS) -> str:
    """A later part that leans on the first ("…and can they be from a school?", "…and how many were
    in the pathfinder?") borrows the first part's topic (the things it names, else its words):
    retrieved alone, "can they be from a school" is about any school. A part that names its own
    topic ("…and when must an FGC be offered?") or says enough without a pronoun stands alone."""
    own = set(tokens(part))
    if own_topics or (not _PRONOUN.search(part) and len(own) >= limits.min_part_words):
        return part
    words = re.findall(r"[\w'’]+", first)
    named = [w for w in words if set(tokens(w)) & first_topics]
    borrowed = named or [w for w in words if set(tokens(w)) - _QUANTITY]
    return f"{part} ({' '.join(borrowed)})" if borrowed else part


def with_council(part: str, councils: list[str], names_its_own: bool) -> str:
    """A later part asks about the council the first part named, unless it names one itself: in
    "Who wrote Dorset's pathfinder update, and which cabinet member is responsible?" the cabinet
    member is Dorset's, not the MACPT's "Be responsible for leading strategy discussions…"."""
    return f"{part} ({', '.join(councils)})" if councils and not names_its_own else part


def interleave(rankings: list[list], k: int) -> list:
    """The parts' ranked passages taken in turn (first of each, then second of each…), each passage
    once: the best passage for every part comes before the second best for any."""
    out, seen = [], set()
    for i in range(max(map(len, rankings), default=0)):
        for ranking in rankings:
            if i < len(ranking) and ranking[i].chunk_index not in seen:
                seen.add(ranking[i].chunk_index)
                out.append(ranking[i])
    for r, hit in enumerate(out[:k]):
        hit.rank = r
    return out[:k]
