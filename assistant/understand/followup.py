"""Follow-up questions in a conversation: "Who should be the FHLP?" then "and for a child on a child
protection plan?".

A follow-up leaves out what the question before it said. Searched with the previous question's words
tacked on ("and for a child on a child protection plan? Who should be the Family Help Lead
Practitioner?"), its own words and the earlier ones competed, and the answer was about MACPT
functions. So an elliptical follow-up is read as the whole question it stands for:

- a phrase that starts with a preposition extends the previous question: "and at pre-proceedings?"
  after "When must we offer FGDM?" is "When must we offer FGDM at pre-proceedings?";
- a named thing (a glossary entry: "and an FGC?") takes the place of the one the previous question
  named: "When must we offer an FGC?";
- a council takes the place of the previous question's council, or is added: "and Dorset?" after
  "Who leads Stockton's MACPT?" is "Who leads Dorset's MACPT?";
- a question of its own that leans on the previous one ("and who is not eligible?") borrows its
  topic and council, as the later part of a two-part question does (understand/parts.py).

Anything else is left to the caller. The rewritten question is what is searched and composed, and the
answer shows it (`Answer.searched_for`), so a wrong reading is visible.
"""
from __future__ import annotations

import re

from assistant.settings import Understanding
from assistant.text import tokens
from assistant.understand.glossary import Glossary
from assistant.understand.parts import (
    DEFAULTS,
    clause_starts_question,
    with_context,
    with_council,
)

_LEAD = re.compile(r"^\s*(?:(?:and|but|also|so|then|ok|okay)\b[\s,]*)?(?:(?:what|how)\s+about\b\s*)?", re.I)
_PREPOSITION = re.compile(r"^(?:for|in|at|with|under|during|after|before|when|if|once|on|from|to|by|within|without|"
                          r"where|while|throughout)\b", re.I)
_DETERMINER = re.compile(r"^(?:a|an|the|its|their|his|her|your|my|our)\s+", re.I)


def _mention(text: str, abbreviations: tuple[str, ...], spelt: str) -> re.Match | None:
    """Where the text names a thing, with the determiner before it."""
    names = [re.escape(a) + r"s?" for a in abbreviations] + [re.escape(spelt).replace(r"\ ", r"[\s-]+") + r"s?"]
    return re.search(rf"\b(?:(?:a|an|the)\s+)?(?:{'|'.join(names)})\b", text, re.I)


def _councils_named(text: str, councils: dict[str, set[str]]) -> list[str]:
    return [name for name, words in councils.items() if set(tokens(text)) & words]


# a question that leans on the one before: it opens as a continuation ("and…", "what about…"), or
# points back ("it", "they", "that one") without saying at what
_LEANS = re.compile(r"^\W*(and|or|but|also|so|then|what about|how about|same for|for|in|at|with|without)\b|"
                    r"\b(it|its|they|them|their|this|that|these|those|there|he|she|him|his|her|one|ones)\b", re.I)


def leans_on_previous(question: str) -> bool:
    """The question cannot be read without the one before it; a question of its own ("Who chairs an
    ICPC?" after one about FGCs) is answered as asked."""
    return bool(_LEANS.search(question))


def standalone(question: str, previous: str, glossary: Glossary, councils: dict[str, set[str]],
               limits: Understanding = DEFAULTS) -> str | None:
    """The whole question a follow-up stands for, or None when it stands alone or is not one of the
    kinds above. `councils` maps each council the index holds to the words of its name."""
    lead = _LEAD.match(question)
    fragment = question[lead.end():].strip().rstrip("?").strip()
    prev = previous.strip().rstrip("?").strip()
    if not fragment or not prev or len(fragment.split()) > limits.max_fragment_words:
        return None
    if clause_starts_question(fragment):
        if not lead.group(0).strip():
            return None  # a question that does not begin "and…" / "what about…" stands alone
        part = f"{fragment[0].upper()}{fragment[1:]}?"
        prev_councils = _councils_named(prev, councils)
        out = with_council(with_context(part, previous, glossary.topic_terms(previous), glossary.topic_terms(part), limits),
                           prev_councils, bool(_councils_named(part, councils)))
        return out if out != part else None
    if _PREPOSITION.match(fragment):
        return f"{prev} {fragment}?"
    named = _councils_named(fragment, councils)
    if named and len(fragment.split()) <= 3:
        return _with_council(prev, fragment, councils)
    for abbreviations, spelt in glossary.named_things(fragment):
        for old_abbreviations, old_spelt in glossary.named_things(prev):
            if (old_abbreviations, old_spelt) == (abbreviations, spelt):
                continue
            m = _mention(prev, old_abbreviations, old_spelt)
            if m:
                return f"{prev[: m.start()]}{_in_place_of(fragment, m.group(0), prev[: m.start()])}{prev[m.end():]}?"
    return None


def _in_place_of(fragment: str, mention: str, before: str) -> str:
    """The follow-up's thing, worded to stand where the previous one stood: its own determiner ("the
    LCPP" for "an FNSP"), the previous one's if it has none, none after a possessive ("Dorset's
    MACPTs", not "Dorset's its MACPTs")."""
    own, old = _DETERMINER.match(fragment), _DETERMINER.match(mention)
    if re.search(r"['’]s\s*$", before):
        return fragment[own.end():] if own else fragment
    return fragment if own or not old else f"{old.group(0)}{fragment}"


def _with_council(prev: str, council: str, councils: dict[str, set[str]]) -> str:
    """The previous question about another council: its council's name replaced ("Stockton's MACPT"
    becomes "Dorset's MACPT"), or "in Dorset" added when it named none."""
    words = set().union(*(councils[c] for c in _councils_named(prev, councils)))
    if not words:
        return f"{prev} in {council}?"
    out, replaced = [], False
    for piece in re.findall(r"[\w-]+(?:['’]s)?|[^\w-]+", prev):
        if set(tokens(piece)) & words:
            if not replaced:  # "Stockton-on-Tees" is one piece; a second mention is dropped
                out.append(council + ("'s" if piece.endswith(("'s", "’s")) else ""))
                replaced = True
            continue
        out.append(piece)
    return re.sub(r"\s{2,}", " ", "".join(out)).strip() + "?"
