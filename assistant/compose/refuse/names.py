"""The tests the refusal rules read the evidence with: names the quotes must hold, and whether a
quoted timescale, figure or date is of what the question asks about."""
from __future__ import annotations

import re
from typing import Callable

from assistant.compose.evidence import Evidence, names_in
from assistant.retrieve.hybrid import Query, named_authorities
from assistant.retrieve.sentences import Candidate
from assistant.text import holds_phrase, tokens
from assistant.understand.intent import (
    NAMED_DOCUMENTS,
    age_test,
    asks_content_of,
    figure_test,
    new_dates,
    timescale_words,
)

# "Designated Family Judge", "Signs of Safety"
_NAME_RUN = re.compile(r"\b[A-Z][A-Za-z]{2,}(?: (?:(?:of|and|for|the) )?[A-Z][A-Za-z]{2,})*\b")
_COMPARED_WITH = re.compile(r"\b(compared? (with|to)|differ\w* from|than|versus|vs)\b", re.I)
_FIGURE_WORDS = frozenset(tokens("number numbers many much percentage per cent proportion share amount total average "
                                 "mean median figure"))
_AGE_WORDS = frozenset(tokens("age ages aged old older young younger child children young people person year years"))
_DATE_WORDS = frozenset(tokens("date dates year years month months day days time next last coming"))


def missing_document(ev: Evidence, question: str, quoted: str = "") -> str | None:
    """A question about a named document the corpus does not hold cannot be answered from it,
    unless the question is about what the held documents say of it and the quotes speak of it
    ("Why was the Wave 2 specification updated to refer to Working Together 2023?" is answered
    by the specification; "How many days … under Working Together?" is not)."""
    for pattern, name in NAMED_DOCUMENTS:
        if not re.search(pattern, question, re.I) or ev.holds_document(pattern):
            continue
        if asks_content_of(pattern, question) or not re.search(pattern, quoted, re.I):
            return name
    return None


def unmatched_name(ev: Evidence, question: str, chosen: list[Candidate]) -> str | None:
    """The first name of the question that none of the quoted passages holds."""
    quoted = {c.chunk_index for c in chosen}
    evidence = ev.vocabulary(quoted)
    return next((word for word in names_in(question) if ev.absent(word, evidence, quoted)), None)


def unheld_local_name(ev: Evidence, q: Query) -> str | None:
    """A question about a council asks what that council does: "Who is the Designated Family Judge
    for Dorset?", "Does Lincolnshire use Signs of Safety?". If the council's own papers never name
    the thing asked about, passages that name it elsewhere (a national pilot, the evaluation's
    training for health teams) and passages about that council (another topic) do not answer it
    together. What a council is compared with ("… compared with the Wave 1 areas?") is not asked
    of the council. Returns the name as the question writes it."""
    named = q.authorities
    if not named:
        return None
    question = _COMPARED_WITH.split(q.text)[0]
    chunks = [i for i, c in enumerate(ev.snap.chunks) if ev.snap.documents[c.doc_id].meta.authority in named]
    held = ev.vocabulary(chunks)
    for word in names_in(question):
        if not named_authorities(ev.snap, word) and ev.absent(word, held, chunks):
            return next((m.group(0) for m in _NAME_RUN.finditer(question) if word in m.group(0).split()), word)
    # a named thing asked in lower case ("an integrated front door") is a name too, which the papers
    # name by its words in one sentence: "the timeliness of assessments, both for those at Early
    # Help" speaks of early help assessments
    for terms, spelt in ev.glossary.named_things(question):
        words = tokens(spelt)
        if all(ev.absent(t, held, chunks) for t in terms) and not any(
                holds_phrase(ev.sequence(ci), words) for ci in chunks) and not _in_one_sentence(ev, words, chunks):
            return f"the {spelt}"
    return None


def _in_one_sentence(ev: Evidence, words: list[str], chunks: list[int]) -> bool:
    """Some sentence of the passages holds every one of the words."""
    wanted = set(words)
    return any(wanted <= sentence for ci in chunks for sentence in ev.sentence_words(ci))


def _names_thing(text: str, abbreviations: tuple[str, ...], spelt: str) -> bool:
    """The text names the thing: one of its abbreviations, or every word of its spelt-out name
    ("family network meetings" names a family network meeting, "the timeliness of assessments, both
    for those at Early Help" early help assessments)."""
    return (set(tokens(spelt)) <= set(tokens(text))
            or re.search(rf"\b{re.escape(spelt.lower())}", text.lower()) is not None
            or any(re.search(rf"\b{re.escape(a)}s?\b", text) for a in abbreviations))


def timescale_of_asked(ev: Evidence, q: Query, text: str) -> bool:
    """The text gives a timescale of what the question asks about (intent.timescale_words). The
    words of a thing the question names count only when the text names it too: "families" in
    "some families have engaged with CSC teams for as long as 14 years" is no timescale of a
    "family group conference"."""
    return bool(timescale_words(q.text, text) - _words_of_unnamed_things(ev, q, text))


def _words_of_unnamed_things(ev: Evidence, q: Query, text: str) -> set[str]:
    """The words of the things the question names (glossary names) that the text does not name: the
    "child" of "child protection chairs" is no word the text shares with the question when the text
    speaks of a child in care."""
    return {w for abbreviations, spelt in ev.glossary.named_things(q.text)
            if not _names_thing(text, abbreviations, spelt) for w in tokens(spelt)}


def figures_what_was_asked(ev: Evidence, q: Query, cand: Candidate) -> bool:
    """A quoted sentence (or its list's lead-in) gives a figure and speaks of what the question
    counts: "A significant proportion of Health staff (67%) reported uncertainty…" is no share of
    "What proportion of FHLPs were not social workers?", though it holds a share."""
    return _gives_of_asked(ev, q, cand, figure_test(q.text), _FIGURE_WORDS)


def ages_what_was_asked(ev: Evidence, q: Query, cand: Candidate) -> bool:
    """A quoted sentence (or its list's lead-in) gives an age and speaks of what the question asks
    the age for: "a child under one year old with an injury" gives the age of no child invited to
    a conference. The child whose age is asked is not what it is asked for."""
    return _gives_of_asked(ev, q, cand, age_test(q.text), _AGE_WORDS)


def _gives_of_asked(ev: Evidence, q: Query, cand: Candidate, holds: Callable[[str], bool],
                    kind_words: frozenset[str]) -> bool:
    """The sentence or its list's lead-in passes `holds` (it gives a value of the asked kind), and the
    sentence itself speaks of what the question asks it of: a word of the question beside the
    council's name, the words of the kind (`kind_words`) and the words of a thing the question names
    that the sentence does not ("until the child is 18" is no caseload limit of child protection chairs)."""
    lead = ev.lead_in(cand.chunk_index)
    text = ev.text(cand)
    if not (holds(text) or (bool(lead) and holds(lead))):
        return False
    unnamed = _words_of_unnamed_things(ev, q, f"{lead} {text}" if lead else text)
    return ev.shares_asked_words(q, cand, kind_words | unnamed, own_words_only=True)


def dates_what_was_asked(ev: Evidence, q: Query, cand: Candidate) -> bool:
    """A quoted sentence gives a date and speaks of what the question dates: "In July 2023, the
    DfE announced Lincolnshire as one of the initial three Pathfinders" dates nothing of "What
    are the school term dates in Lincolnshire?", though it holds a date and the council's name."""
    return bool(new_dates(ev.text(cand), q.text)) and ev.shares_asked_words(q, cand, _DATE_WORDS)
