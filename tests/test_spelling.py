"""Misspelt questions: corrected to the index's words, with the real dictionary (pyspellchecker's
English list) deciding what is a word."""
import pytest

from assistant.understand.spelling import SpellingCorrector

VOCABULARY = ["The family group conference is offered at pre-proceedings.",
              "The lead practitioner should be whoever is best placed.", "Safeguarding partners organised it."]


@pytest.fixture(scope="module")
def speller():
    return SpellingCorrector(VOCABULARY)


@pytest.mark.parametrize("typed,fixed", [
    ("famliy", "family"),  # two letters swapped: one edit
    ("confrence", "conference"),
    ("practioner", "practitioner"),  # two letters missing: two edits in a long word
    ("safegaurding", "safeguarding"),
])
def test_a_misspelt_word_is_corrected_to_a_word_of_the_index(speller, typed, fixed):
    assert speller.suggest(typed) == fixed


@pytest.mark.parametrize("word", [
    "lawyer",  # an English word the index does not hold: the refusal checks judge it, not the speller
    "organise", "behaviour", "paediatrics",  # British spellings are English words too
    "fgc",  # under four letters
    "jayden",  # no word of the index near enough
])
def test_a_word_is_left_alone_unless_misspelt_and_near_a_word_of_the_index(speller, word):
    assert speller.suggest(word) is None


def test_names_and_acronyms_are_not_corrected_but_the_first_word_is(speller):
    c = speller.correct("Famliy group confrence for Jaydne and the FMAILY?")
    assert c.text == "Family group conference for Jaydne and the FMAILY?"
    assert c.changes == {"Famliy": "Family", "confrence": "conference"}


def test_a_misspelt_question_is_answered_and_says_what_was_searched(assistant):
    ans = assistant.ask("famliy group confrence - when should it be offerred?")
    assert not ans.refused, ans.reason
    assert ans.searched_for == "family group conference - when should it be offered?"
    assert "pre-proceedings" in ans.answer
    assert assistant.ask("When should a family group conference be offered?").searched_for is None

