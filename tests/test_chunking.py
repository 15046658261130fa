"""Chunking follows the structure of every seed document."""
import re

import pytest

from assistant.ingest.corpus import load_corpus


@pytest.fixture(scope="module")
def docs():
    return {d.meta.doc_id: d for d in load_corpus()}


def find(doc, needle):
    hits = [c for c in doc.chunks if needle in c.text]
    assert hits, f"{needle!r} not found in {doc.meta.doc_id}"
    return hits[0]


def test_every_bundled_document_is_chunked(docs):
    assert set(docs) >= {
        "design-spec-wave2-full", "design-spec-wave2-changes", "design-spec-wave2-summary", "ffcp-evaluation-2025",
        "dorset-pathfinder-update-2024", "lincolnshire-pathfinder-scrutiny-2024", "stockton-ffp-scrutiny-2025", "glossary",
    }
    for d in docs.values():
        assert d.chunks, d.meta.doc_id
        for c in d.chunks:
            assert c.spans and all(0 <= s.start < s.end <= len(c.text) for s in c.spans)
            assert "**" not in c.text


def test_summary_spec_numbered_paragraphs_and_sections(docs):
    d = docs["design-spec-wave2-summary"]
    c = find(d, "Clarify the process for threshold decisions")
    assert c.paragraph == "37"
    assert c.section == "Family help › Minimum expectations"
    c = find(d, "Offer family group decision-making (FGDM) to all families by default")
    assert c.paragraph == "54" and c.section == "Family networks › Minimum expectations"
    # a paragraph broken by a page end is rejoined
    assert "throughout the early help system" in find(d, "In May 2022, the Independent Review").text


def test_full_spec_is_its_own_document_with_lead_ins(docs):
    d = docs["design-spec-wave2-full"]
    c = find(d, "Offer all families FGDM by default")
    assert c.text.startswith("Local areas must:")
    assert c.section.startswith("Family Networks › Minimum expectations: Develop model(s) of integrating family group decision making")
    assert c.spans[0].lead_in and c.span_text(c.spans[0]) == "Local areas must:"
    c = find(d, "Use FNSPs only when parental responsibility is still with the birth parents")
    assert c.text.startswith("Local areas should:") and "Family Network Support Packages" in c.section
    # the wrapped bullet lines are rejoined into one item
    c = find(d, "Must provide advice and consultation on child protection concerns")
    assert "MACPT and out of hours child protection activity" in c.text
    # every split of a long list repeats its lead-in
    for c in d.chunks:
        if c.is_list and "Must be responsible for" not in c.text and "The MACPT must" in c.section:
            assert c.text.startswith("The MACPT must:")
    # and the evaluation report no longer holds the appendix text
    ev = docs["ffcp-evaluation-2025"]
    assert not [c for c in ev.chunks if "Offer all families FGDM by default" in c.text]


def test_dorset_numbered_headings_and_labels(docs):
    d = docs["dorset-pathfinder-update-2024"]
    c = find(d, "Our internal Family Group Conference (FGC) Service went live on 1st June 2024")
    assert c.paragraph == "2.2.3"
    assert c.section.endswith("Family Networks reforms")
    c = find(d, "The total funding we will receive for the programme is £4,897,346")
    assert c.paragraph == "3.3" and c.section.startswith("Financial Implications")
    # "Current Risk: Low" is the value the lead-in announces, not a heading over "Residual Risk: Low"
    c = find(d, "the level of risk has been identified as:")
    assert "Current Risk: Low" in c.text and "Residual Risk: Low" in c.text and c.section == "Risk Assessment"


def test_lincolnshire_sections(docs):
    d = docs["lincolnshire-pathfinder-scrutiny-2024"]
    c = find(d, "the crucial role that the Independent Chair fulfils within Child Protection Conferences")
    assert "Risks and Challenges" in c.section


def test_stockton_table_and_lists(docs):
    d = docs["stockton-ffp-scrutiny-2025"]
    # the four-column slide table becomes readable "header: cell" items, no HTML
    c = find(d, "Family Help Lead Practitioners (FHLP): Safeguarding partners should establish the FHLP role")
    assert "<p>" not in c.text and "<b>" not in c.text
    c = find(d, "leading section 47 enquiries;")
    assert c.section == "Multi-Agency Child Protection Teams (MACPTs) › Functions of a MACPT"
    assert c.text.count("\n- ") >= 10  # one item per function, not one run-on line
    c = find(d, "The child is in need and should be assessed under section 17")
    assert c.text.startswith("Within one working day of a referral being made")
    # a slide's numbered circles ("- 1**", or "- 1" above its text) order the points: they become
    # list items, not figures in the text ("2 Stockton-on-Tees selected…" is no answer to "how many?")
    c = find(d, "Stockton-on-Tees selected by DfE to receive support")
    assert "- Stockton-on-Tees selected by DfE" in c.text and "2 Stockton" not in c.text
    assert "- Financial allocation for LAs confirmed" in c.text
    c = find(d, "Social workers with child protection expertise are critical")
    assert "- Social workers with child protection expertise" in c.text and "4 Social" not in c.text


def test_footnote_marks_leave_the_text_and_footnotes_stay(docs):
    report = docs["ffcp-evaluation-2025"]
    assert find(report, "3 (of 3) Wave 1 areas").text.count("areas⁷") == 0
    assert not any(re.search(r"[^\d\s][¹²³⁴-⁹]", c.text) for d in docs.values() for c in d.chunks)
    # the footnote itself is kept, labelled with its number
    assert find(report, "Wave 1 case study local areas: Dorset").paragraph == "note 2"
    from assistant.ingest.blocks import clean_inline

    assert clean_inline("Operation Soteria ¹⁶ and four") == "Operation Soteria and four"
    assert clean_inline("areas<sup>7</sup> and see[^3] there") == "areas and see there"
    assert clean_inline("10⁶ cells") == "10⁶ cells"  # a power, not a mark


def test_slide_circles_are_neither_text_nor_paragraph_labels():
    from assistant.ingest.structure import parse_structure

    text = ("Our priorities:\n- 1** 2.1 Family help reforms start in April\n"
            "2** 3.4 Child protection teams are in place\n- 2.5 A numbered paragraph of the deck\n")
    circles, numbered = parse_structure(text, "markdown")
    assert circles.items == ["2.1 Family help reforms start in April", "3.4 Child protection teams are in place"]
    assert circles.label is None
    # a plain bullet's own number is still the document's paragraph label
    assert (numbered.label, numbered.text) == ("2.5", "A numbered paragraph of the deck")


def test_lettered_items_are_items_not_a_page_break():
    from assistant.ingest.structure import parse_structure

    # lower-case like a line continued after a page end, but each starts with its own letter
    text = ("- 21. Which types of training have you taken part in?\n - a. Safeguarding\n"
            " - b. Relevant current theories\n - i. Lead Child Protection Practitioner (LCPP) training\n"
            " - j. Family Group Conference training\n - iv. Other\n")
    (block,) = parse_structure(text, "markdown")
    assert block.label == "21"
    assert block.text.splitlines()[1:] == ["- a. Safeguarding", "- b. Relevant current theories",
                                           "- i. Lead Child Protection Practitioner (LCPP) training",
                                           "- j. Family Group Conference training", "- iv. Other"]
    # a real continuation still joins its line
    (block,) = parse_structure("- The local area will work\n- throughout the early help system.\n", "markdown")
    assert "work throughout the early help system." in " ".join(block.items or [block.text])


def test_bare_numbers_in_a_list_of_figures_stay_items():
    from assistant.ingest.structure import parse_structure

    blocks = parse_structure("Caseloads by team:\n- 12\n- 15\n", "markdown")
    assert [b.items for b in blocks if b.kind == "list"] == [["12", "15"]]


def test_table_rows_ending_in_a_figure_are_not_contents_lines(docs):
    # "Recruitment to LCPP role(s)\t6" ends in a number like a contents line ("Introduction\t2"),
    # but inside a table it is a row: the figures of Appendix 3 and the methodology tables are kept
    d = docs["ffcp-evaluation-2025"]
    c = find(d, "Recruitment to LCPP role(s); Yes - in place/ delivered: 6")
    assert c.section.startswith("Appendix 3")
    find(d, "Family help single assessment in place and live; Yes - in place/ delivered: 4")
    c = find(d, "Case Study Group: Wave 2 case study local areas; Stakeholder Group: Strategic stakeholders")
    assert "Sample size: 16" in c.text
    # a contents page is still no passage ("Overarching system reform<tab>4"), nor what is left of one
    summary = docs["design-spec-wave2-summary"]
    assert not any(re.search(r"Overarching system reform\W{1,3}4\b", x.text) for x in summary.chunks)
    assert not [x.section for x in d.chunks if x.section in ("Contents", "List of tables", "List of figures")]


def test_evaluation_report_sections(docs):
    d = docs["ffcp-evaluation-2025"]
    c = find(d, "all local areas had completed implementation")
    assert c.section.startswith("FFCP set-up and delivery progress")
    # a quotation's attribution ends its paragraph: the next paragraph is not run into it
    c = find(d, "to maintain the role.")
    sentence = next(c.span_text(s) for s in c.spans if "to maintain the role." in c.span_text(s))
    assert sentence.endswith("– Strategic Lead, Wave 1") and "Conflicting priorities" not in sentence


def test_wave1_wave2_comparison_table_keeps_its_columns(docs):
    """The Appendix 4 table: rows with an empty Wave 1 cell, cells wrapped over PDF lines and a
    header repeated after a page break stay in one table under the real header, so no row is
    labelled with another row's text."""
    d = docs["design-spec-wave2-changes"]
    c = find(d, "Will lead section 47 enquiries, take statutory child protection decisions")
    assert "- Wave 2 expectation: Will lead section 47 enquiries" in c.text
    c = find(d, "Must be employed for the duration of the pathfinder")
    assert ("Wave 1 expectation: Must be permanent LA employees.; "
            "Wave 2 expectation: Must be employed for the duration of the pathfinder.") in c.text
    assert not any("Wave one).:" in ch.text for ch in d.chunks)  # a data row never becomes a header
    c = find(d, "Functions will cover child protection enquiries, decision-making, planning, intervention")
    assert "Must be responsible for leading strategy discussions and section 47 enquiries, overseeing" in c.text
    c = find(d, "what the scope is for part-time or session working")
    assert c.text.startswith("- Wave 1 expectation: ")
