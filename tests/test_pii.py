"""The personal-data guard: what it flags, what it leaves alone, and what redaction stores."""
import pytest

from assistant.guard import detect_pii, pii_kinds, redact, strip_pii


@pytest.mark.parametrize("text,kinds", [
    ("NHS number 943 476 5919", {"NHS_NUMBER"}),
    ("NHS number 943 476 5918", set()),  # checksum fails: not an NHS number
    ("her NI number is JH 45 67 89 A", {"NI_NUMBER"}),
    ("ring me on 07700 900123", {"PHONE"}),
    ("write to sw.team@lincolnshire.gov.uk", {"EMAIL"}),
    ("they live at 14 Rosewood Close, DT1 2AB", {"ADDRESS", "POSTCODE"}),
    ("Jayden Smith, DOB 03/04/2016", {"NAME", "DATE"}),
    ("my daughter Amelia was born on 12 March 2019", {"NAME", "DATE"}),
    ("Dad called Kieran asked", {"NAME"}),
    # a full name before a street address is a name, as before a date of birth
    ("Jayden Smith, 14 Elm Road, is missing", {"NAME", "ADDRESS"}),
    ("Family Help, 14 Elm Road?", {"ADDRESS"}),  # the service's name is not a person's
    # a first name after a verb of contact, or whose possessive is a person in the child's life
    ("Please call Gemma on 07700 900456: must an LCPP be a social worker?", {"NAME", "PHONE"}),
    ("I spoke to Jo about the plan", {"NAME"}),
    ("Liam's lead practitioner is a youth worker", {"NAME"}),
    ("Riley's nan wants to help", {"NAME"}),
])
def test_detects(text, kinds):
    assert pii_kinds(text) == kinds


@pytest.mark.parametrize("text", [
    "Our internal Family Group Conference (FGC) Service went live on 1st June 2024",
    "Who is the Lead Child Protection Practitioner for a child on a Child Protection Plan?",
    "The total funding we will receive for the programme is £4,897,346.",
    "Within one working day of a referral being made",
    "Is the child in need assessment shared with the MACPT?",
    # councils and services are not people, after a verb of contact or before a possessive
    "Can I ring Stockton's front door?",
    "Should I call Childline?",
    "call Dorset children's services",
    "Do Lincolnshire's social workers chair child protection conferences?",
    "What did Dorset's lead practitioners say?",
    "Ask Wolverhampton about FGCs",
])
def test_leaves_guidance_language_alone(text):
    assert detect_pii(text) == []


def test_redact_and_strip():
    q = "Olivia Brown (DOB 21/09/2012), NHS 943 476 5919: who leads the section 47 enquiry?"
    assert redact(q) == "[NAME] (DOB [DATE]), NHS [NHS_NUMBER]: who leads the section 47 enquiry?"
    stripped = strip_pii(q)
    assert "Olivia" not in stripped and "5919" not in stripped and "section 47 enquiry" in stripped
    # the words that label personal data go only with personal data: without any, "phone" is the question
    assert strip_pii("Mum's phone is 07700 900123, what must she be told?") == "Mum's is, what must she be told?"
    assert strip_pii("What is the phone number for the front door?") == "What is the phone number for the front door?"
    # a phone number's last digit takes no space with it
    assert redact("The aunt's mobile is 07123 456789 and she wants to help") == "The aunt's mobile is [PHONE] and she wants to help"


def test_every_occurrence_of_a_name_is_redacted():
    """A name found once (after a cue, before a date of birth) is redacted wherever it recurs,
    whole or in part."""
    from assistant.guard import redact

    text = "Jane Smith, born 3/4/2019, told me Jane Smith was hit. Later Jane said Smith left."
    assert redact(text) == "[NAME], born [DATE], told me [NAME] was hit. Later [NAME] said [NAME] left."
    assert redact("Please call Gemma on 07700 900456. Gemma knows.") == "Please call [NAME] on [PHONE]. [NAME] knows."


@pytest.mark.parametrize("text,redacted", [
    ("Kayleigh Jones lives at 14 Elm Road in Tunbridge Wells, what happens at the s47?",
     "[NAME] lives at [ADDRESS], what happens at the s47?"),
    ("Jayden (aged 4) at Oakwood Primary has bruises, who leads?", "[NAME] (aged 4) at [SCHOOL] has bruises, who leads?"),
    ("the Smith family need an FGC, when is it offered?", "the [NAME] family need an FGC, when is it offered?"),
    # role words, services and councils stay
    ("How is Family Help delivered in Dorset?", "How is Family Help delivered in Dorset?"),
    ("Does the Virtual School Head attend the conference?", "Does the Virtual School Head attend the conference?"),
])
def test_names_ages_schools_families_and_towns(text, redacted):
    from assistant.guard import redact

    assert redact(text) == redacted


def test_no_guidance_question_is_redacted():
    """Precision: none of the gold questions without personal data loses a word to the redactor."""
    from assistant.evaluate.gold import load_gold
    from assistant.guard import pii_kinds

    clean = [i.question for i in load_gold() if not i.pii]
    assert len(clean) > 500 and not [q for q in clean if pii_kinds(q)]


def test_a_held_council_s_name_is_not_redacted_from_what_is_logged():
    """The evaluation's item files redact personal data; "the Penmarsh Threshold of Need" read as a
    full name had become "the [NAME] of Need" in an answer quoting the council's procedure."""
    from assistant.guard import council_words, redact

    places = council_words(["Penmarsh", "Isle of Wight"])
    assert places == {"penmarsh", "isle", "wight"}
    text = "Contacts are screened against the Penmarsh Threshold of Need."
    assert "[NAME]" in redact(text) and redact(text, places) == text
    assert redact("Kayleigh Jones moved to Penmarsh.", places).startswith("[NAME]")
