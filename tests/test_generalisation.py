"""Councils and their short names as users write them: a council held only by its documents'
metadata is known, its questions are answered from its own papers, and its short form is never
"corrected" into an ordinary word."""
from assistant import Assistant

WESTBROOK = """# Child Protection Conferences

## Scope of this chapter

This chapter sets out how the local authority arranges child protection conferences.

## Chairing

1.1 Every initial child protection conference is chaired by an Independent Reviewing Officer from the Safeguarding Unit.

1.2 The chair meets the parents before the conference to explain how it will run.
"""


def test_a_council_known_only_by_metadata_is_answered_from_its_own_papers(own_data, tmp_path):
    from assistant.index.update import ingest

    doc = tmp_path / "westbrook-cp-conferences.md"
    doc.write_text(WESTBROOK, encoding="utf-8")
    ingest(own_data, [doc], authority="Westbrook")
    a = Assistant.open(own_data, build=False)
    ans = a.ask("Who chairs child protection conferences in Westbrook?")
    assert "names Westbrook" not in (ans.reason or "")
    assert not ans.refused and "Independent Reviewing Officer" in ans.answer
    assert {c.authority for c in ans.citations} <= {"Westbrook", None}
    # another council's question is never answered from Westbrook's papers
    other = a.ask("Who chairs child protection conferences in Lincolnshire?")
    assert all(c.authority != "Westbrook" for c in other.citations)


def test_a_held_council_s_name_before_a_capitalised_word_is_not_taken_for_a_person(own_data, tmp_path):
    """"Westbrook Safeguarding Unit" reads like a full name to the personal-data rules; a council the
    index holds is no person, so its name stays in the question searched for, the answer comes from
    its papers and the page does not warn of personal data. A person's name still goes."""
    from assistant.index.update import ingest

    doc = tmp_path / "westbrook-cp-conferences.md"
    doc.write_text(WESTBROOK, encoding="utf-8")
    ingest(own_data, [doc], authority="Westbrook")
    a = Assistant.open(own_data, build=False)
    question = "Does the Westbrook Safeguarding Unit chair child protection conferences?"
    assert "Westbrook" in a.searchable(question).text and not a.personal_data(question)
    ans = a.ask(question)
    assert not ans.refused and any(c.authority == "Westbrook" for c in ans.citations)
    assert all(c.authority in ("Westbrook", None) for c in ans.citations)
    assert [p.text for p in a.personal_data("Kayleigh Jones lives in Westbrook")] == ["Kayleigh Jones"]


def test_a_county_s_short_form_is_not_corrected_and_names_it(assistant):
    searched = assistant.searchable("what does lincs say about its independent chair?")
    assert "lines" not in searched.text and not searched.changes
    ans = assistant.ask("what does lincs say about its independent chair?")
    assert not ans.refused and any(c.authority == "Lincolnshire" for c in ans.citations)
    assert assistant.searchable("famliy group confrence in lincs").changes == {"famliy": "family",
                                                                               "confrence": "conference"}


FSF_PROCEDURE = """# Family Safety Forum

## Scope of this chapter

This chapter applies to every Eastholme practitioner who works with a Family Safety Forum (FSF).

## Meetings

3.1 The FSF meets every six weeks, and within ten working days of a new worry about the child.

3.2 The lead practitioner writes the FSF plan and shares it with the family within five working days.
"""


def test_an_abbreviation_a_document_defines_is_learnt(own_data, tmp_path):
    """Eastholme's procedure spells out "Family Safety Forum (FSF)" once and says "the TAF" after:
    a question in either form reaches the sentence that uses the other."""
    from assistant.index.update import ingest

    doc = tmp_path / "eastholme-fsf.md"
    doc.write_text(FSF_PROCEDURE, encoding="utf-8")
    ingest(own_data, [doc], authority="Eastholme")
    a = Assistant.open(own_data, build=False)
    assert "family safety forum" in " ".join(a.glossary.expansions("How often does the FSF meet?")).lower()
    ans = a.ask("How often must the family safety forum meet in Eastholme?")
    assert not ans.refused and "every six weeks" in ans.answer
