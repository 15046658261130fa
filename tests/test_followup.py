"""Follow-up questions read as the whole question they stand for (understand/followup.py), with the real
glossary."""
import pytest

from assistant.retrieve.hybrid import place_words
from assistant.understand.followup import standalone
from assistant.understand.glossary import default_glossary

COUNCILS = {c: place_words([c]) for c in ("Dorset", "Lincolnshire", "Stockton-on-Tees")}


@pytest.mark.parametrize("previous,follow_up,whole", [
    # a phrase that starts with a preposition extends the previous question
    ("Who should be the Family Help Lead Practitioner?", "and for a child on a child protection plan?",
     "Who should be the Family Help Lead Practitioner for a child on a child protection plan?"),
    ("When must we offer FGDM?", "and at pre-proceedings?", "When must we offer FGDM at pre-proceedings?"),
    ("Who leads the MACPT?", "what about in Lincolnshire?", "Who leads the MACPT in Lincolnshire?"),
    # a named thing takes the place of the previous one, determiner and all
    ("When must we offer FGDM?", "and an FGC?", "When must we offer an FGC?"),
    ("What is the FHLP?", "and the LCPP?", "What is the LCPP?"),
    # a council takes the place of the previous one
    ("Who leads Stockton's Integrated Front Door working group?", "and Dorset?",
     "Who leads Dorset's Integrated Front Door working group?"),
    ("When did the MACPTs go live?", "what about Dorset?", "When did the MACPTs go live in Dorset?"),
    # a question of its own that leans on the previous one borrows its topic
    ("What is an FNSP?", "and who is not eligible?", "Who is not eligible? (FNSP)"),
])
def test_a_follow_up_is_the_whole_question(previous, follow_up, whole):
    assert standalone(follow_up, previous, default_glossary(), COUNCILS) == whole


@pytest.mark.parametrize("previous,question", [
    ("What is an FNSP?", "Who should be the Family Help Lead Practitioner?"),  # a question of its own
    ("What is an FNSP?", "when must an FGC be offered?"),
    ("What is an FNSP?", "and what must local areas do to embed family group decision making across every service?"),
])
def test_a_question_that_stands_alone_is_left_alone(previous, question):
    assert standalone(question, previous, default_glossary(), COUNCILS) is None


def test_a_new_question_is_not_read_as_a_follow_up(assistant):
    """Only a question that leans on the one before borrows its words, and then it says so."""
    new = assistant.ask("Who chairs an initial child protection conference?",
                        history=["When must we offer a family group conference?"])
    assert new.searched_for is None
    leaning = assistant.ask("what about their timescales?", history=["When must we offer a family group conference?"])
    assert leaning.searched_for and "family group conference" in leaning.searched_for
