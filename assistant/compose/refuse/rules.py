"""The refusal rules, each a reason a composed answer must not be given (order: refuse/__init__.py)."""
from __future__ import annotations

from assistant import messages
from assistant.compose.evidence import names_in
from assistant.compose.refuse.base import Refusal, RefusalCheck, RefusalRule
from assistant.compose.refuse.names import (
    ages_what_was_asked,
    dates_what_was_asked,
    figures_what_was_asked,
    missing_document,
    timescale_of_asked,
    unheld_local_name,
    unmatched_name,
)
from assistant.compose.refuse.relations import other_relation
from assistant.retrieve.hybrid import named_authorities, place_words
from assistant.text import tokens
from assistant.understand.intent import (
    AGE_Q,
    CONTACT_Q,
    DATE_Q,
    LAW_Q,
    LAW_TEXT,
    NAMED_DOCUMENTS,
    NUMBER_Q,
    TIMESCALE_Q,
    contact_for,
    figure_of,
    money_test,
    order_named,
    speaks_of_order,
)

WORKING_TOGETHER = NAMED_DOCUMENTS[0]


class NothingMatched(RefusalRule):
    message = messages.NOTHING_MATCHED

    def check(self, c: RefusalCheck) -> Refusal | None:
        return None if c.chosen else self.refuse()


class UnheldTermOfArt(RefusalRule):
    """A term of art with guidance of its own (corpus/terms_of_art.yaml) that no passage names.
    What a court needs for an order is left to NoLaw, which says why."""

    message = messages.UNHELD_TERM

    def check(self, c: RefusalCheck) -> Refusal | None:
        term = None if LAW_Q.search(c.q.text) else c.terms.unheld(c.q.text)
        if not term:
            return None
        return self.refuse(messages.UNHELD_TERM_GUIDANCE.format(term=term, document=WORKING_TOGETHER[1]), term=term)


class LowMatch(RefusalRule):
    """The best quote is too unlike the question, or the quotes hold too few of its words: the
    cut-offs are calibrated for each embedder (settings.py)."""

    message = messages.LOW_MATCH

    def check(self, c: RefusalCheck) -> Refusal | None:
        best_cos = max(x.cos for x in c.chosen)
        min_similarity, min_coverage = c.settings.refusal_cutoffs(c.evidence.snap.embedder_name)
        return self.refuse() if best_cos < min_similarity or c.coverage < min_coverage else None


class UnheldDocument(RefusalRule):
    message = messages.UNHELD_DOCUMENT

    def check(self, c: RefusalCheck) -> Refusal | None:
        document = missing_document(c.evidence, c.q.text, c.quoted)
        return self.refuse(document, document=document) if document else None


class UnknownName(RefusalRule):
    """A question that names something the corpus never mentions ("Ofsted", "EHCP") asks about
    what the guidance does not hold, however well its other words match. A council whose documents
    are held is known by their metadata, though its procedures say "the local authority"."""

    message = messages.UNKNOWN_NAME

    def check(self, c: RefusalCheck) -> Refusal | None:
        ev = c.evidence
        for word in names_in(c.q.text):
            if named_authorities(ev.snap, word):  # a council held (its documents' metadata), named or not in their text
                continue
            if len(word) == 2 and word.isupper():
                if ev.absent(word, ev.stats.df.keys()):
                    return self.refuse(name=word)
                continue
            terms = tokens(word)
            if terms and all(t not in ev.stats.df for t in terms) and not ev.glossary.expansions(word):
                return self.refuse(name=word)
        return None


class UnmatchedName(RefusalRule):
    """A name the corpus mentions elsewhere but none of the quoted passages does ("What Ofsted
    rating did Lincolnshire get?" answered with Lincolnshire's pathfinder report) means the
    passages are about something else."""

    message = messages.PASSAGES_MISS_NAME

    def check(self, c: RefusalCheck) -> Refusal | None:
        word = unmatched_name(c.evidence, c.q.text, c.chosen)
        if word is None:
            return None
        council = sorted(named_authorities(c.evidence.snap, word))
        if council:  # the council's papers hold nothing on this that matched
            return self.refuse(message=messages.COUNCIL_SILENT, council=council[0])
        return self.refuse(name=word)


class UnheldLocalName(RefusalRule):
    """A question about a council asks what that council does; its own papers must name the thing
    asked about (unheld_local_name)."""

    message = messages.COUNCIL_MISSES_NAME

    def check(self, c: RefusalCheck) -> Refusal | None:
        name = unheld_local_name(c.evidence, c.q)
        return self.refuse(councils=", ".join(sorted(c.q.authorities)), name=name) if name else None


class NoTimescale(RefusalRule):
    message = messages.NO_TIMESCALE

    def check(self, c: RefusalCheck) -> Refusal | None:
        if not TIMESCALE_Q.search(c.q.text) or any(timescale_of_asked(c.evidence, c.q, u) for u in c.units):
            return None
        pattern, name = WORKING_TOGETHER
        return self.refuse(None if c.evidence.holds_document(pattern) else name, document=name)


class NoLaw(RefusalRule):
    """What the law requires is answered only by passages that speak of statute."""

    message = messages.NO_LAW

    def check(self, c: RefusalCheck) -> Refusal | None:
        return self.refuse() if LAW_Q.search(c.q.text) and not LAW_TEXT.search(c.quoted) else None


class OrderNotNamed(RefusalRule):
    """A passage citing the Children Act is no answer to what a court weighs for an order it never names."""

    message = messages.ORDER_NOT_NAMED

    def check(self, c: RefusalCheck) -> Refusal | None:
        if not LAW_Q.search(c.q.text):
            return None
        order = order_named(c.q.text)
        return self.refuse(order=" ".join(order)) if order and not speaks_of_order(order, c.quoted) else None


class NoAmount(RefusalRule):
    message = messages.NO_AMOUNT

    def check(self, c: RefusalCheck) -> Refusal | None:
        money = money_test(c.q.text)
        return self.refuse() if money is not None and not money(c.quoted) else None


class NoContact(RefusalRule):
    message = messages.NO_CONTACT

    def check(self, c: RefusalCheck) -> Refusal | None:
        if CONTACT_Q.search(c.q.text) and not contact_for(c.q.text, c.units, place_words(c.q.authorities)):
            return self.refuse()
        return None


class NoFigure(RefusalRule):
    message = messages.NO_FIGURE

    def check(self, c: RefusalCheck) -> Refusal | None:
        if not NUMBER_Q.search(c.q.text):
            return None
        if figure_of(c.q.text, c.units) and any(figures_what_was_asked(c.evidence, c.q, x) for x in c.chosen):
            return None
        return self.refuse()


class NoDate(RefusalRule):
    """A date only in a list's lead-in is no date of what was asked: the quoted sentences must give it."""

    message = messages.NO_DATE

    def check(self, c: RefusalCheck) -> Refusal | None:
        if DATE_Q.search(c.q.text) and not any(dates_what_was_asked(c.evidence, c.q, x) for x in c.chosen):
            return self.refuse()
        return None


class NoAge(RefusalRule):
    """"At what age…?" is answered by an age of what was asked (names.ages_what_was_asked)."""

    message = messages.NO_AGE

    def check(self, c: RefusalCheck) -> Refusal | None:
        if not AGE_Q.search(c.q.text) or any(ages_what_was_asked(c.evidence, c.q, x) for x in c.chosen):
            return None
        return self.refuse()


class OtherRelation(RefusalRule):
    """The quotes say what the question asks, but of another thing (relations.other_relation)."""

    message = messages.OTHER_RELATION

    def check(self, c: RefusalCheck) -> Refusal | None:
        found = other_relation(c.evidence, c.q, c.chosen)
        return self.refuse(other=found[0], asked=found[1]) if found else None
