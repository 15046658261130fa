"""Whether the quotes say the question's verb of the thing it asks about, or of another thing.

Asked "How often must a child on a CP plan be visited?", a council's chapter on children in care
answers "A child in care is visited within one week…": the same verb and the same kind of value,
of another child. Word overlap passes it; the relation (what is visited) does not
(understand/relation.py reads it with a parser).
"""
from __future__ import annotations

from typing import Callable

from assistant.compose.evidence import Evidence
from assistant.retrieve.hybrid import Query, place_words
from assistant.retrieve.sentences import Candidate
from assistant.text import tokens
from assistant.understand.intent import VALUE_Q
from assistant.understand.relation import (
    Relation,
    asked_relation,
    lemma_words,
    naming_words,
    relations,
)


def other_relation(ev: Evidence, q: Query, chosen: list[Candidate]) -> tuple[str, str] | None:
    """For a question asking a value (who, when, how often, how many…) of what its verb acts on:
    the other thing the quotes say the verb of, and the thing asked, when every quote that uses the
    verb speaks of something else. A quote's thing is read with its place (heading, list lead-in,
    document title), which a sentence leaves to say what it speaks of ("Conferences are chaired by…"
    under "Child Protection Conferences"). A quote or passage that holds the verb and every word of
    the thing, however the parser reads it ("Lead Officer: …" under a pillar's row), answers it."""
    asked = asked_relation(q.text) if VALUE_Q.search(q.text) else None
    if asked is None:
        return None
    ignore = place_words(q.authorities)
    wanted = naming_words(asked.naming, ignore)
    if not wanted:
        return None
    wanted_alt = wanted | naming_words(" ".join(ev.glossary.expansions(asked.naming)), ignore)
    verb_words = set(tokens(asked.verb))  # "lead to": "to" is a stop word
    other = None
    for cand in chosen:
        text, place = ev.text(cand), _place(ev, cand)
        if verb_words | wanted <= lemma_words(text) | _words(ev, place):
            return None
        for rel in relations(text):
            if rel.verb != asked.verb or rel.pointing or rel.asks:
                continue
            context = _words(ev, f"{rel.patient} {place}")
            context |= _spelt_out(ev, asked.naming, context)
            if _same_thing(asked, wanted, wanted_alt, rel, naming_words(rel.patient, ignore), context):
                return None
            other = other or rel.written
    if other is None:
        return None
    passages = {cand.chunk_index: cand for cand in chosen}.values()
    if any(verb_words | wanted <= _words(ev, f"{ev.snap.chunks[c.chunk_index].text} {_place(ev, c)}") for c in passages):
        return None
    return _mid_sentence(other), _mid_sentence(asked.written)


def says_asked(ev: Evidence, q: Query) -> Callable[[Candidate], bool] | None:
    """A test of whether a quote says the question's verb of the thing it asks about: "Who chairs child
    protection conferences?" is answered where a quote holds "chair" in any form and names a
    conference, in its own words or its heading's ("Conferences are chaired by…", "the role that the
    Independent Chair fulfils within Child Protection Conferences": a role is named by the noun as
    often as by the verb). None when the parser finds no such verb in the question."""
    asked = asked_relation(q.text)
    if asked is None:
        return None
    verb = asked.verb.split()[0]  # "lead to": the verb itself

    def says(cand: Candidate) -> bool:
        text = ev.text(cand)
        return verb in lemma_words(text) and asked.head in _words(ev, text) | _words(ev, _place(ev, cand))
    return says


def _same_thing(asked: Relation, wanted: set[str], wanted_alt: set[str], rel: Relation, said: set[str],
                context: set[str]) -> bool:
    """The quote's thing may be the one asked about: one's head names the other, and they do not each
    carry a word the other lacks ("a child in care" and "a child on a CP plan" do; "the offer" is
    only less exact than "its family group conference offer")."""
    if asked.head not in context and rel.head not in wanted_alt:
        return False
    return not (said - wanted_alt) or not (wanted - context)


def _place(ev: Evidence, cand: Candidate) -> str:
    """What a quote leaves to its place: its passage's heading, its list's lead-in, its document's title."""
    c = ev.snap.chunks[cand.chunk_index]
    return f"{c.section} {ev.lead_in(cand.chunk_index)} {ev.snap.documents[c.doc_id].meta.title}"


def _words(ev: Evidence, text: str) -> set[str]:
    """The text's words and those of the glossary names it uses by either name."""
    return set(lemma_words(ev.glossary.with_other_names(text)))


def _spelt_out(ev: Evidence, asked: str, context: set[str]) -> set[str]:
    """The words of the question's abbreviations ("CiC") whose spelt-out names the context holds."""
    out: set[str] = set()
    for abbreviations, spelt in ev.glossary.named_things(asked):
        if set(tokens(spelt)) <= context:
            out |= set(tokens(" ".join(abbreviations))) | set(tokens(spelt))
    return out


def _mid_sentence(phrase: str) -> str:
    """A phrase for the middle of a sentence: "A child in care" is "a child in care"."""
    first, _, rest = phrase.partition(" ")
    return f"{first.lower()} {rest}".strip() if first in ("A", "An", "The") else phrase
