"""Refusal: the ordered rules that decide a composed answer must not be given.

Each rule is a small class in rules.py with its message (assistant/messages.py); RULES is their
order, first match wins. A new rule is one class and one line here.
"""
from assistant.compose.refuse.base import Refusal, RefusalCheck, RefusalRule
from assistant.compose.refuse.rules import (
    LowMatch,
    NoAge,
    NoAmount,
    NoContact,
    NoDate,
    NoFigure,
    NoLaw,
    NothingMatched,
    NoTimescale,
    OrderNotNamed,
    OtherRelation,
    UnheldDocument,
    UnheldLocalName,
    UnheldTermOfArt,
    UnknownName,
    UnmatchedName,
)

RULES: list[type[RefusalRule]] = [
    NothingMatched,
    # before the similarity cut-off: naming the term the guidance lacks says more than "does not appear to cover"
    UnheldTermOfArt,
    LowMatch,
    UnheldDocument,
    UnknownName,
    UnmatchedName,
    UnheldLocalName,
    NoTimescale,
    NoLaw,
    OrderNotNamed,
    NoAmount,
    NoContact,
    NoFigure,
    NoDate,
    NoAge,
    OtherRelation,
]


def first_refusal(check: RefusalCheck, rules: list[type[RefusalRule]] = RULES) -> Refusal | None:
    """The first rule's refusal, or None when every rule lets the answer stand."""
    for rule in rules:
        refusal = rule().check(check)
        if refusal is not None:
            return refusal
    return None


__all__ = ["RULES", "Refusal", "RefusalCheck", "RefusalRule", "first_refusal"]
