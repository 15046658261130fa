"""What a question asks for, and whether quoted text holds it.

A figure for "how many / what share / maximum", a timescale for "how long / within what", a
statute for "what does the law say", and the content of a named document the corpus may not
hold. The composer uses these to pick sentences (a figure that sits in the sentence after the
best match) and to refuse when the quotes hold no answer of the asked kind.
"""
from __future__ import annotations

import re
from typing import Callable

from assistant.settings import Understanding
from assistant.text import holds_phrase, tokens

TIMESCALE_Q = re.compile(
    r"\b(how many (working )?(days|weeks|months|hours)|how (long|soon|quickly)|within (how|what)|timescales?|"
    r"time ?frames?|deadlines?|by when|how much time|how (often|frequently))\b",
    re.I,
)
TIME_EXPR = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|ten|fifteen|twenty)[\s-]+(working[\s-]+)?(minutes?|days?|weeks?|months?|hours?|years?)\b|"
    r"\b(a|per)\s+(working\s+)?(minute|hour|day|week|fortnight|month|year)\b|\bsame[- ]day\b|"
    r"\bas soon as possible\b|\bimmediate(ly)?\b|\bduration of\b|\bby (the )?end of\b|"
    r"\b(daily|weekly|fortnightly|monthly|quarterly|annually|yearly)\b|\bevery\s+(\d+\s+)?(working\s+)?(days?|weeks?|months?|years?)\b",
    re.I,
)

_TIME_WORDS = set(tokens("long soon quickly time often period duration within day week month year hour minute"))
# "How soon…?" is answered by the point in a process something happens: "Should offer parental
# representation to all parents from the point of section 47 enquiry". "How long…?" is not.
SOON_Q = re.compile(r"\b(how (soon|quickly|early)|by when)\b", re.I)
POINT_EXPR = re.compile(r"\b(from|at) the (point|start|outset|beginning)\b", re.I)


# "within 12 working days of the strategy discussion that started the section 47 enquiry": what
# follows "of" is the event the time runs from, not what the timescale is of
ANCHORED_TIME = re.compile(rf"(?:{TIME_EXPR.pattern})\s+(?:of|after|from|following)\b[^,;:.]*", re.I)


def timescale_words(question: str, text: str) -> set[str]:
    """The words a text holding a time expression shares with the question, time words aside: what
    the timescale is of. "The front door decides within one working day of a referral" shares
    "front door decide" with "Within how long must the front door decide on a referral?", and
    nothing with "Within how many working days must an initial child protection conference be
    held?"; the event a time runs from is not what it is of: "The ICPC is held within 12 working
    days of the strategy discussion that started the section 47 enquiry" shares nothing with "How
    long does a section 47 enquiry take?"; "as long as 14 years" shares no more than "long" with
    "How long must records be kept?"."""
    expressions = [TIME_EXPR, POINT_EXPR] if SOON_Q.search(question) else [TIME_EXPR]
    if not any(e.search(text) for e in expressions):
        return set()
    text = ANCHORED_TIME.sub(" ", text)
    for e in expressions:
        text = e.sub(" ", text)
    shared = set(tokens(TIMESCALE_Q.sub(" ", question))) & set(tokens(text))
    return shared - _TIME_WORDS


# A question that asks one fact: a time, a person, a figure or a yes or no. Its answer is the
# sentence that gives the fact and what it cannot stand without, read at a glance; a list, a
# comparison or "what happens…?" needs the room of a longer answer.
_ONE_FACT_Q = re.compile(
    r"^\W*(?:[\w'-]+(?: [\w'-]+)?\s*[:,-]\s+)?(?:who|when|(?:can|could|do|does|did|is|are|must|should|will|may|has|have)\b)|"
    r"\b(?:how (?:long|soon|quickly|fast|often|frequently|many|much|old)|within (?:how|what)|by when|what age|timescales?|"
    r"deadlines?)\b", re.I)
_MANY_FACTS_Q = re.compile(r"\b(?:list|lists|steps|stages|strands|expectations|responsibilities|duties|roles|"
                           r"differences?|differ|compare[sd]?|comparison|versus|vs|both|all (?:the )?\w+|what (?:are|were) the|"
                           r"which (?:are|were)|what happens|explain|describe|summar\w+|overview)\b", re.I)


def asks_one_fact(question: str) -> bool:
    """The question asks one fact (a time, a person, a figure, a yes or no), not a list, a comparison
    or an account of a process."""
    return bool(_ONE_FACT_Q.search(question)) and not _MANY_FACTS_Q.search(question)


# A question that asks for a value of something: a person, a time, a figure or an age, whose answer is
# only an answer if it is of the thing asked
VALUE_Q = re.compile(r"\b(who|whom|when)\b|\bhow (often|frequently|long|soon|quickly|many|much|old)\b|"
                     r"\bwithin (how|what)\b|\bby when\b|\btimescales?\b|\bwhat age\b", re.I)


# "maximum caseload" asks for a figure; the specification's "minimum expectations" (and standards,
# requirements) are its duties, not a number
NUMBER_Q = re.compile(r"\b(how (many|much)|what (percentage|proportion|share|amount)|number of|"
                      r"(maximum|minimum)(?! (policy )?(expectations?|requirements?|standards?|offer)\b)|"
                      r"what (is|was|are|were) the (average|mean|median|total)|(the|a|any) (\w+ )?limit)\b", re.I)
# "What is the average caseload of…?": the figure must be one of caseloads, not any figure quoted
SUMMARY_FIGURE_Q = re.compile(r"\bwhat (?:is|was|are|were) the (?:average|mean|median|typical|total) (\w+)", re.I)


# "What percentage of staff felt…?" wants a share, which "across all three phases" is not
SHARE_Q = re.compile(r"\bwhat (percentage|per ?cent|proportion|share|fraction)\b|\bhow many per ?cent\b", re.I)
PERCENT_Q = re.compile(r"\b(percentage|per ?cent)\b", re.I)
PERCENT_TEXT = re.compile(r"\d\s?%|\bper ?cent\b", re.I)
SHARE_TEXT = re.compile(r"\d\s?%|\bper ?cent\b|\b(half|halves|thirds?|quarters?|fifths?)\b|\bone in \w+|"
                        r"\b\d+ (out )?of (the )?\d+\b", re.I)


# a question that asks for a number of days, weeks or years, or a time, is answered by a duration
TIME_UNIT_Q = re.compile(r"\b(minutes?|hours?|days?|weeks?|fortnights?|months?|years?|time|long|often|frequently)\b", re.I)


# "How many coordinators…?": a count, which neither a duration nor a sum of money is; "the caseload
# limit" is no duration either ("How much did timeliness improve?" may be answered in days, "the
# maximum amount" in pounds)
COUNT_Q = re.compile(r"\bhow many\b|\bnumber of\b", re.I)
LIMIT_Q = re.compile(r"\b(limit|maximum|minimum)\b", re.I)
MONEY_AMOUNT = re.compile(r"£\s?\d[\d,.]*(?:\s?(?:m|k|bn|million|billion|thousand)\b)?", re.I)


def figure_test(question: str) -> Callable[[str], bool] | None:
    """The test a text must pass to give the figure a number question asks for: a share for "what
    percentage / proportion…?" (a percentage for "percentage"), else any figure the question does
    not already hold (for a count, not a duration or a sum of money). None when the question asks
    for no figure."""
    if not NUMBER_Q.search(question):
        return None
    share = PERCENT_TEXT if PERCENT_Q.search(question) else SHARE_TEXT if SHARE_Q.search(question) else None
    # a count is of people or things: "within three working days" is no number of coordinators, "up
    # to £1,000" no number of anything; "10 working days" is no caseload limit
    counts = COUNT_Q.search(question) is not None
    durations = (counts or LIMIT_Q.search(question) is not None) and not TIME_UNIT_Q.search(question)

    def figures(text: str) -> set[str]:
        text = TIME_EXPR.sub(" ", text) if durations else text
        return new_figures(MONEY_AMOUNT.sub(" ", text) if counts else text, question)

    if share is None:
        return lambda text: bool(figures(text))
    return lambda text: bool(figures(text)) and share.search(text) is not None


# "How many local areas are in Wave 2?": a figure of local areas ("ten local areas", "3 (of 7) Wave 2
# areas") answers it; "Wave 2 areas: 164" (survey responses from those areas) holds a figure too
_HOW_MANY = re.compile(r"\bhow many ((?:[\w-]+ ){0,2}?[\w-]+?s)\b", re.I)
_CELL_BREAK = re.compile(r"[;:|]")


def counted_figure_test(question: str, gap: int = Understanding().count_gap) -> Callable[[str], bool] | None:
    """For "how many X…?", a test that a text puts a new figure just before X (labels such as
    "Wave 2" removed); None for other questions. A preference, never a reason to refuse: the
    counted thing is often named otherwise ("how many LAs" and "ten local areas")."""
    m = _HOW_MANY.search(question)
    counted = tokens(m.group(1).split()[-1]) if m else []
    if not counted:
        return None
    asked = {w.lower() for w in re.findall(r"[\w-]+", question)}

    def test(text: str) -> bool:
        # within one cell of a table row: in "Wave 1 areas: 228; Wave 2 areas: 164" the 228 is Wave 1's
        for cell in _CELL_BREAK.split(_LABEL.sub(" ", text)):
            words = re.findall(r"[\w-]+", cell)
            for i, w in enumerate(words):
                if tokens(w) == counted and any(_NUMBER.fullmatch(x) and x.lower() not in asked
                                                for x in words[max(0, i - gap):i]):
                    return True
        return False
    return test


def figure_of(question: str, units: list[str]) -> bool:
    """For "what is the average X…?", some quoted unit holds a new figure and speaks of X; any other
    number question needs a quoted figure of the asked kind (figure_test)."""
    holds = figure_test(question)
    m = SUMMARY_FIGURE_Q.search(question)
    if not m:
        return any(holds(u) for u in units)
    what = set(tokens(m.group(1)))
    return any(holds(u) and what & set(tokens(u)) for u in units)


# "When did Dorset go live…?", "What date…?": a date, which a passage about the thing without one does
# not give ("When was the Stockton scrutiny presentation given?" answered with the deck's contents). A
# past "when" about a situation ("When did families find FGCs helpful?") names no event, so is left out.
DATE_Q = re.compile(
    r"\bwhen (was|were|did|will)\b[^?]*\b(go(es|ne)? live|went live|launch\w*|start\w*|begin|began|begun|publish\w*|"
    r"agreed|signed|set up|introduced|established|announced|selected|appointed|meet|met|opened|held|given|"
    r"take place|took place|submitted|approved|completed|created|first|presented|written|dated|discussed|considered|"
    r"debated|reported)\b|"
    r"\b(what|which) (date|year|month)s?\b|\b(since|until|till) when\b|\b(go-live|start|launch|term|closing) dates?\b",
    re.I,
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(rf"\b((19|20)\d\d|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})\b|\b({_MONTHS}|(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)\b")


# the year of a statute or guidance title is part of its name: "Children Act 1989", "Working Together 2023";
# so is a cited publication's bare year in brackets after its author or title ("Stable Homes, built on love -
# Department for Education (2023)" in Lincolnshire's appendix list had been the date the report was presented)
_TITLE_YEAR = re.compile(r"\b(Acts?|Together(?: to Safeguard Children)?)\s+(?:of\s+)?(19|20)\d\d\b|(?<=[A-Za-z] )\((19|20)\d\d\)")


def new_dates(text: str, question: str) -> set[str]:
    """Dates (a year, a month, a dd/mm/yy) in the text that the question does not already hold. Month
    names count only capitalised: "may" is a verb."""
    def dates(s: str) -> set[str]:
        s = _TITLE_YEAR.sub(" ", s)
        return {m.group(0).lower().rstrip(".")[:3] if m.group(3) else m.group(0) for m in _DATE.finditer(s)}

    return dates(text) - dates(question)


# "How much did the DfE pay…?", "What is the salary band…?": an amount of money, not any figure (a date
# is a figure too).
MONEY_Q = re.compile(
    r"\bhow much\b[^?]*\b(pay|paid|costs?|spen[dt]|funding|funded|budget|money|salary|allowance|fees?)\b|"
    r"\bwhat (is|was|are|were) the\b[^?]*\b(salary|salaries|costs?|budget|fees?|allowance|pay)\b|"
    r"\bwhat (salary|salaries|pay|allowance|fee|budget)\b",
    re.I,
)
MONEY_TEXT = re.compile(r"£\s?\d|\b\d+(\.\d+)?\s?(m|k|bn|million|billion|thousand)\b|\bpounds\b", re.I)
# "one" is left out: "one size fits all", "one local area" are not figures.
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*|\b(?:two|three|four|five|six|seven|eight|nine|ten|twelve|dozen|hundred|thousand|million|half|third|quarter)\b", re.I)

# Numbers that name things rather than count them ("Wave 2", "section 47", "Appendix 5, Q23"), lists
# of them included ("Wave 1 and 2 local areas", "Phase 1 + 2", "sections 17 and 47")
_LABEL = re.compile(r"\b(waves?|phases?|appendix|appendices|sections?|tables?|figures?|chapters?|parts?|tiers?|levels?|"
                    r"stages?|pillars?|pages?|paras?|paragraphs?|pp?\.?|q|s)\s?\d+(?:\.\d+)*(?:(?:\s*,\s*\d+)*\s*(?:and|&|\+|/|or|-|–)\s*\d+)?\b"
                    # a guidance's or statute's year names it: "Working Together 2023 says … (p87)" counts nothing
                    r"|\b(?:working together(?: to safeguard children)?|act)\s*\(?\d{4}\)?", re.I)
_NUMBER_WORDS = {w: str(i) for i, w in enumerate("zero one two three four five six seven eight nine ten".split())}


def new_figures(text: str, question: str) -> set[str]:
    """Figures in the text that the question does not already hold: "Wave 1" in "the Wave 1 area
    that calls FHLPs Early Help Consultants" is not an answer to "how many Early Help Workers?"."""
    def figures(s: str) -> set[str]:
        return {_NUMBER_WORDS.get(m.lower(), m.lower()) for m in _NUMBER.findall(s)}

    return figures(_LABEL.sub(" ", text)) - figures(question)


# "What did a Dorset worker say about…?", "How did families feel…?": what people said, which the
# reports give as quotations, in the first person ("it has made my life easier as a worker")
SAY_Q = re.compile(r"\b(what|how) did (a|an|one|the|some)?\s*[\w' ]{0,30}?\b(say|said|tell|told|describe|feel|think)\b",
                   re.I)
TESTIMONY_TEXT = re.compile(r"\b(?-i:I|I'm|I've|I'd)\b|\b(me|my)\b|[“\"]", re.I)


def testimony_test(question: str) -> Callable[[str], bool] | None:
    """For "what did … say / feel…?", a test that a text gives someone's own words; else None."""
    return (lambda text: TESTIMONY_TEXT.search(text) is not None) if SAY_Q.search(question) else None


def date_test(question: str) -> Callable[[str], bool] | None:
    """For a date question, a test that a text holds a date the question does not; else None."""
    return (lambda text: bool(new_dates(text, question))) if DATE_Q.search(question) else None


def money_test(question: str) -> Callable[[str], bool] | None:
    """An amount of money for "How much money/funding…?"; None when the question asks for none. A date
    or a count is a figure, but no answer to what a council was paid."""
    if not MONEY_Q.search(question):
        return None
    return lambda text: MONEY_TEXT.search(text) is not None


# "At what age are children invited to conferences?", "How old must a carer be?": an age, which
# "a child under one year old" or "aged 16 or over" gives and "of an age or understanding" does not
AGE_Q = re.compile(r"\b(what|which|minimum|maximum|lower|upper) age\b|\bhow old\b|\bage limit\b", re.I)
_AGE_NUMBER = r"(\d+|one|two|three|four|five|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen)"
AGE_TEXT = re.compile(rf"\b(aged?|ages)\s+(of\s+)?{_AGE_NUMBER}\b|\b{_AGE_NUMBER}[\s-]+(years?|yrs?)[\s-]+(of age|old)\b|"
                      r"\b(under|over|below|above)\s+(the age of\s+)?\d+\b|\b\d+\s+(or|and)\s+(over|older|above|under|younger)\b",
                      re.I)


def age_test(question: str) -> Callable[[str], bool] | None:
    """For "what age / how old…?", a test that a text gives an age; else None."""
    return (lambda text: AGE_TEXT.search(text) is not None) if AGE_Q.search(question) else None


def asked_tests(question: str) -> list[Callable[[str], bool]]:
    """A test for each kind of thing the question asks for: a figure it does not already hold, an
    amount of money, someone's own words, a date, an age (none when it asks for none of these)."""
    tests = (figure_test(question), money_test(question), testimony_test(question), date_test(question),
             age_test(question))
    return [t for t in tests if t is not None]


def asked_kind(question: str) -> Callable[[str], bool] | None:
    """A test of whether a text holds every kind of thing the question asks for (asked_tests), or
    None when it asks for none. The question is read once; the test then runs on every sentence of
    the passages being ranked."""
    tests = asked_tests(question)
    return (lambda text: all(t(text) for t in tests)) if tests else None


def holds_asked_kind(question: str, text: str) -> bool | None:
    """asked_kind for one text: True or False, or None when the question asks for no such kind."""
    test = asked_kind(question)
    return None if test is None else test(text)


# "What is the phone number for…?": contact details, which a passage about the service does not give.
# "What's the out of hours number for…?", "the number for the front door": a number that is called
# rather than counted (never "the number of…")
CONTACT_Q = re.compile(r"\b(phone|telephone|contact|mobile) (number|details)\b|\bemail address\b|\bweb ?(site|page) address\b|"
                       r"\bnumber (for|to (call|ring))\b|\b(what is|what's|whats) (the|their|its) ([\w-]+ ){0,4}number\b(?! of)",
                       re.I)
# "Who wrote the report?": a report's author line ("Report Author: … Tel: …") is the answer, so it is
# quotable, though no contact details are required
AUTHOR_Q = re.compile(r"\bwho (wrote|authored|prepared|presented|signed)\b|\bauthor(s|ed)?\b|\bwritten by\b", re.I)
CONTACT_TEXT = re.compile(r"\b0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b|\S+@\S+\.[a-z]{2,}|\bhttps?://|\bwww\.", re.I)
_CONTACT_WORDS = set(tokens("phone telephone mobile number email address contact contacted details website web page call ring"))


def contact_for(question: str, units: list[str], place_words: set[str] = frozenset()) -> bool:
    """Some quoted unit gives contact details and speaks of what the question wants them for:
    "… who can be contacted on 07787 887175" is the report author's number, not the front door's.
    Contact words and the council's name (place_words) do not count as speaking of it."""
    wanted = set(tokens(question)) - _CONTACT_WORDS - place_words
    return any(CONTACT_TEXT.search(u) and wanted & set(tokens(u)) for u in units)


# "What does the law say…", "What does a court need to grant an EPO?": the pathfinder guidance is
# policy, not statute; a question about what the law or a court requires needs passages that speak
# of statute.
LAW_Q = re.compile(r"\b(by law|in law|the law|legally|legal (requirement|duty|limit|maximum|minimum)s?|legislation|"
                   r"(a|the) (court|judge|magistrates?)s? (need|needs|require|requires|consider|considers|decide|decides)|"
                   r"grounds for (an?|the) (\w+ ){1,3}order)\b", re.I)
# "Public Law Outline" names the pre-proceedings process, not what the law requires.
LAW_TEXT = re.compile(r"\b(statut\w*|Children(?:'s)? Act|Act (?:of )?(?:19|20)\d\d|legislat\w*|regulations?|legal(ly)?|"
                      r"(?<!public )law(?! outline))\b", re.I)
_ORDER = re.compile(r"((?:[\w'-]+\s+){1,2})orders?\b", re.I)


def order_named(question: str) -> list[str]:
    """The words naming the court order a question is about: "… when granting a child assessment
    order?" -> [child, assessment]; "… before it makes a care order?" -> [care]. Empty if none."""
    m = _ORDER.search(question)
    return [w for w in m.group(1).lower().split() if tokens(w)] if m else []


def speaks_of_order(order: list[str], text: str) -> bool:
    """The text names that order: its words followed by "order(s)", as stems."""
    return holds_phrase(tokens(text), tokens(" ".join([*order, "order"])))


# Documents practitioners name that the bundled corpus does not hold (users may ingest them).
NAMED_DOCUMENTS = [
    # the title, not the everyday words: "How did FHLPs and LCPPs working together help social workers?"
    (r"(?-i:\bWorking Together\b)|\bworking together (to safeguard|20\d\d|guidance)\b",
     "Working Together to Safeguard Children 2023"),
    (r"keeping children safe in education|\bKCSIE\b", "Keeping Children Safe in Education"),
    (r"SEND code of practice", "The SEND Code of Practice"),
]


def asks_content_of(pattern: str, question: str) -> bool:
    """ "How many days … under Working Together?" asks what that document says; "Why was the
    specification updated to refer to Working Together 2023?" asks about the held documents."""
    return re.search(rf"\b(under|according to|in|per|by|does|do|says?|requires?)\s+(the\s+)?({pattern})",
                     question, re.I) is not None
