"""Personal data in a question: detect it (to warn the practitioner) and redact it (for logs,
history and the gap report). Rules, not a model, so every hit can be explained:

- EMAIL, PHONE (UK formats: 0… or +44…), POSTCODE (UK), ADDRESS (house number + street);
- NHS_NUMBER: ten digits whose modulus-11 check digit is valid (a random ten-digit number
  usually is not, so reference numbers and counts are not flagged);
- NI_NUMBER: two prefix letters allowed by HMRC, six digits, suffix A–D;
- DATE: a full date next to a birth cue ("DOB", "born", "date of birth"), or any numeric
  dd/mm/yyyy date; "went live on 1st June 2024" is guidance, not personal data;
- NAME: a capitalised word after a cue ("named", "called", "my son", "Mum", "Mr"), a
  "Firstname Surname" right before a date of birth, an age or a street address, a capitalised word
  after a verb of contact ("Please call Gemma on…", "ask Jo"), or one whose possessive is a person
  of the child's life ("Liam's lead practitioner", "Ruby's nan"). A council is not a person:
  "call Dorset children's services" and "Stockton's social workers" name none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Collection, Iterable


@dataclass(frozen=True)
class PiiMatch:
    kind: str
    start: int
    end: int
    text: str


def _nhs_valid(digits: str) -> bool:
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_FULL_DATE = rf"\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\s+\d{{4}}"
_BIRTH_CUE = r"(?:d\.?o\.?b\.?|date of birth|born(?: on)?|birthday(?: is)?)"
_CUES = (
    r"named|called|name is|son|daughter|grandson|granddaughter|nephew|niece|child|boy|girl|baby|infant|"
    r"mum|mom|dad|mother|father|nan|nana|gran|grandad|grandma|grandpa|brother|sister|aunt|uncle|carer|"
    r"mr|mrs|ms|miss|dr"
)
# capitalised words that follow a cue in ordinary guidance questions ("child Protection Plan")
_NOT_NAMES = {
    "protection", "help", "in", "need", "network", "networks", "family", "group", "support", "services",
    "social", "care", "the", "a", "an", "and", "on", "at", "is", "has", "was", "who", "what", "with",
    "arrangements", "order", "orders", "plan", "plans", "lead", "practitioner", "team", "conference",
}

_ADDRESS = (r"\b\d{1,4}[a-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Close|Drive|Way|"
            r"Crescent|Court|Gardens|Place|Terrace|Grove|Row|Hill|Walk|View|Park|Square|Mews)\b")
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("EMAIL", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("NI_NUMBER", re.compile(r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.I)),
    # the last digit takes no separator with it: "07123 456789 and…" redacts to "[PHONE] and…"
    ("PHONE", re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){8,9}\d(?!\d)")),
    ("POSTCODE", re.compile(r"\b(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b", re.I)),
    ("ADDRESS", re.compile(_ADDRESS)),
]
_NHS = re.compile(r"(?<!\d)(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?!\d)")
_DATE_WITH_CUE = re.compile(rf"\b{_BIRTH_CUE}\s*:?\s*({_FULL_DATE})\b|\b({_FULL_DATE})\s*\(?\s*{_BIRTH_CUE}", re.I)
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}\b")
# cues may chain ("Dad called Kieran"); the name itself is matched case-sensitively
_NAME_AFTER_CUE = re.compile(rf"\b(?:(?i:{_CUES})\.?,?\s+)+([A-Z][a-z]{{1,20}}(?:\s+[A-Z][a-z]{{1,20}})?)\b")
# "Jayden Smith (DOB …)", "Jayden Smith, aged 9", "Jayden Smith, 14 Elm Road, …": a full name right
# before a birth date, an age or a street address
_NAME_BEFORE_DOB = re.compile(
    rf"\b([A-Z][a-z]{{1,20}}\s+[A-Z][a-z'-]{{1,20}})\s*[,(]?\s*(?:(?i:{_BIRTH_CUE}|aged?\s+\d|\(\d{{1,2}}\))|{_ADDRESS})")


# "Please call Gemma on …", "I spoke to Jo": a capitalised word after a verb of contact, unless what
# follows makes it an organisation ("call Dorset children's services", "ring Stockton's front door")
_CONTACT_VERB = r"call|ring|phone|text|email|e-mail|message|contact|ask|tell|(?:speak|spoke|spoken|talk|talked) (?:to|with)"
_ORGANISATION_NEXT = (r"(?:'s|children|council|county|borough|city|social|services?|front|family|safeguarding|police|"
                      r"nhs|health|mash|ifd|team|hub|local|first)\b")
_NAME_AFTER_CONTACT = re.compile(
    rf"\b(?i:{_CONTACT_VERB})\s+([A-Z][a-z]{{1,20}})\b(?!\s*(?i:{_ORGANISATION_NEXT}))(?!'s)")
# "Liam's lead practitioner", "Ruby's nan": a possessive whose object is a person in the child's life
_PERSON_OF_CHILD = (r"(?:mum|mom|mummy|dad|daddy|mother|father|parents?|nan|nana|gran|granny|grandma|grandad|grandpa|"
                    r"grandparents?|aunt|auntie|uncle|brother|sister|siblings?|step-?(?:mum|dad|father|mother)|"
                    r"(?:foster )?carers?|social worker|lead practitioner|key worker|teacher|school|nursery|GP|"
                    r"health visitor|childminder)\b")
_NAME_POSSESSIVE = re.compile(rf"\b([A-Z][a-z]{{1,20}})'s\s+(?i:{_PERSON_OF_CHILD})")
# council and place names read like first names to these two rules ("Dorset's social workers"): names
# with a place's ending, and England's single-word councils that have none. Endings that first names
# share ("-ley": Riley, Finley; "-by": Ruby, Toby; "-ey": Casey) are left out, at the cost of flagging
# "Bromley's social workers"
_PLACE_ENDING = re.compile(r"(?:shire|set|ton|ham|pool|ford|field|bury|wich|chester|caster|mouth|wall|"
                           r"borough|minster|tees|land|port|gate|head|dale|side|sea)$", re.I)
_COUNCILS = {
    "kent", "essex", "devon", "norfolk", "suffolk", "surrey", "cumbria", "leeds", "bristol", "newcastle", "leicester",
    "coventry", "derby", "hull", "york", "knowsley", "wirral", "wigan", "redcar", "cleveland", "thurrock", "medway",
    "swindon", "torbay", "poole", "croydon", "bromley", "bexley", "lambeth", "southwark", "hackney", "islington",
    "ealing", "brent", "barnet", "harrow", "hillingdon", "hounslow", "merton", "enfield", "haringey", "newham",
    "lewisham", "greenwich", "havering", "redbridge", "wandsworth", "richmond", "dudley", "sandwell", "walsall",
    "solihull", "telford", "reading", "slough", "windsor", "wokingham", "bracknell", "lincoln", "barnsley",
    "kirklees", "rutland", "halton", "sefton", "camden", "sutton", "kingston", "durham", "plymouth",
}
# services a caller rings by name: "Should I call Childline?"
_SERVICES = {"childline", "ofsted", "cafcass", "barnardo", "barnardos", "samaritans", "kooth", "shelter", "citizens"}


# a first name with an age ("Jayden (aged 4)", "Mia, 6,"), a school ("at Oakwood Primary"), a family
# ("the Smith family"), a full name doing what people do ("Kayleigh Jones lives…"), the town after an
# address ("14 Elm Road in Tunbridge Wells")
_NAME_WITH_AGE = re.compile(r"\b([A-Z][a-z]{1,20})\s*(?:\(\s*aged?\s+\d{1,2}\s*\)|,\s*aged?\s+\d{1,2}\b|\(\d{1,2}\))")
_SCHOOL = re.compile(r"\b((?:[A-Z][a-z]+\s+){1,3}(?:Primary|Secondary|Academy|School|Infants|Juniors|Nursery|College)"
                     r"(?:\s+School)?)\b")
_NOT_SCHOOLS = re.compile(r"^(Virtual|Special|Independent|Residential|Local|Maintained|The|A|Every|Each|Primary|"
                          r"Secondary|Designated|Safeguarding|Family|Free)\b")
_FAMILY_NAME = re.compile(r"\bthe ([A-Z][a-z]{1,20}) family\b")
_FULL_NAME_DOING = re.compile(
    r"\b([A-Z][a-z]{1,20}\s+[A-Z][a-z'-]{1,20})\s+(?:lives|lived|is|was|has|had|said|says|told|needs|attends|"
    r"goes|went|moved|disclosed|came|keeps)\b")
# "for Kayleigh Jones": two capitalised words, the first no English word, the guidance's or a place's
_UNKNOWN_FULL_NAME = re.compile(r"(?<![.?!:]\s)(?<!^)\b([A-Z][a-z]{1,20})\s+([A-Z][a-z'-]{1,20})\b")
# "jane smith born 3/4/2019", "my client tyler brown (dob 01/02/2018)": a name in lower case is still a
# name when a birth date follows it
_LOWER_NAME_BEFORE_DOB = re.compile(
    rf"\b([a-z]{{2,20}}\s+[a-z'-]{{2,20}})\s*[,(]?\s*(?i:{_BIRTH_CUE})\s*:?\s*(?:{_FULL_DATE})", re.I)
_NOT_LOWER_NAMES = {"was", "is", "were", "been", "be", "being", "baby", "child", "children", "babies", "son", "daughter",
                    "boy", "girl", "who", "that", "which", "and", "or", "the", "a", "an", "my", "our", "their", "his",
                    "her", "client", "pupil", "student", "infant", "twins", "sibling", "siblings"}
_TOWN_AFTER_ADDRESS = re.compile(rf"(?:{_ADDRESS})(,?\s+(?:in|near)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)")


def _extra_names(text: str) -> list[PiiMatch]:
    found = []
    for m in _NAME_WITH_AGE.finditer(text):
        if m.group(1).lower() not in _NOT_NAMES and not _place_or_service(m.group(1)):
            found.append(PiiMatch("NAME", m.start(1), m.end(1), m.group(1)))
    for m in _SCHOOL.finditer(text):
        if not _NOT_SCHOOLS.match(m.group(1)):
            found.append(PiiMatch("SCHOOL", m.start(1), m.end(1), m.group(1)))
    for m in _FAMILY_NAME.finditer(text):
        if m.group(1).lower() not in _NOT_NAMES and not _place_or_service(m.group(1)):
            found.append(PiiMatch("NAME", m.start(1), m.end(1), m.group(1)))
    for m in _FULL_NAME_DOING.finditer(text):
        first = m.group(1).split()[0]
        if not _ordinary_word(first) and not _place_or_service(first):
            found.append(PiiMatch("NAME", m.start(1), m.end(1), m.group(1)))
    for m in _UNKNOWN_FULL_NAME.finditer(text):
        first, second = m.group(1), m.group(2)
        if not (_ordinary_word(first) or _place_or_service(first) or _place_or_service(second)):
            found.append(PiiMatch("NAME", m.start(1), m.end(2), m.group(0)))
    for m in _LOWER_NAME_BEFORE_DOB.finditer(text):
        words = m.group(1).split()
        if not {w.lower() for w in words} & _NOT_LOWER_NAMES:
            found.append(PiiMatch("NAME", m.start(1), m.end(1), m.group(1)))
    for m in _TOWN_AFTER_ADDRESS.finditer(text):
        found.append(PiiMatch("ADDRESS", m.start(), m.end(), m.group(0)))
    return found


@lru_cache(maxsize=4096)
def _ordinary_word(word: str) -> bool:
    """An English word or one of the guidance's own (not a first name): "Family Help is…" names no one."""
    return word.lower() in _NOT_NAMES or word.lower() in _english_words()


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    from spellchecker import (
        SpellChecker,  # the word list in its wheel; loaded once, when a name needs it
    )

    return frozenset(SpellChecker().word_frequency.words())


def _place_or_service(word: str) -> bool:
    low = word.lower()
    return low in _COUNCILS or low in _SERVICES or _PLACE_ENDING.search(word) is not None


def council_words(councils: Iterable[str]) -> set[str]:
    """The words of councils' names ("Isle of Wight": isle, wight), lower case: the `places` below."""
    return {w for council in councils for w in re.findall(r"[a-z]{3,}", council.lower())}


def detect_pii(text: str, places: Collection[str] = ()) -> list[PiiMatch]:
    """All personal-data matches in `text`, left to right, without overlaps. `places`: words of the
    councils the index holds (lower case), which are never a person's name: "Oakridge Council" or
    "the Penmarsh Front Door" read like a full name to the rules below, and a question stripped of
    its council's name is answered from another council's papers."""
    found: list[PiiMatch] = []
    for kind, pattern in _PATTERNS:
        found += [PiiMatch(kind, m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]
    for m in _NHS.finditer(text):
        if _nhs_valid("".join(m.groups())):
            found.append(PiiMatch("NHS_NUMBER", m.start(), m.end(), m.group(0)))
    for m in _DATE_WITH_CUE.finditer(text):
        g = 1 if m.group(1) else 2
        found.append(PiiMatch("DATE", m.start(g), m.end(g), m.group(g)))
    found += [PiiMatch("DATE", m.start(), m.end(), m.group(0)) for m in _NUMERIC_DATE.finditer(text)]
    for pattern in (_NAME_AFTER_CUE, _NAME_BEFORE_DOB):
        for m in pattern.finditer(text):
            words = m.group(1).split()
            if words[0].lower() in _NOT_NAMES:
                continue
            if len(words) > 1 and words[1].lower() in _NOT_NAMES:
                words = words[:1]
            name = " ".join(words)
            start = m.start(1)
            found.append(PiiMatch("NAME", start, start + len(name), name))
    for pattern in (_NAME_AFTER_CONTACT, _NAME_POSSESSIVE):
        for m in pattern.finditer(text):
            name = m.group(1)
            if name.lower() not in _NOT_NAMES and not _place_or_service(name):
                found.append(PiiMatch("NAME", m.start(1), m.end(1), name))
    found += _extra_names(text)
    if places:
        held = set(places)
        found = [p for p in found if p.kind != "NAME" or not held & set(re.findall(r"[a-z]+", p.text.lower()))]
    found += _repeated_names(text, [p.text for p in found if p.kind == "NAME"])
    # a phone pattern also matches a valid NHS number written with a leading 0: keep the stronger
    found.sort(key=lambda p: (p.start, -(p.end - p.start), p.kind != "NHS_NUMBER"))
    out: list[PiiMatch] = []
    for p in found:
        if out and p.start < out[-1].end:
            continue
        out.append(p)
    return out


def _repeated_names(text: str, names: list[str]) -> list[PiiMatch]:
    """Every other occurrence of a name found once, and of its parts: "Jane Smith, born 3/4/2019,
    told me Jane Smith…" and "… Jane said" are all Jane. A part that is also an ordinary word of the
    guidance's vocabulary ("Will", "May") counts only when capitalised."""
    parts = {n for name in names for n in [name, *name.split()] if len(n) >= 3 and n.lower() not in _NOT_NAMES}
    return [PiiMatch("NAME", m.start(), m.end(), m.group(0))
            for part in sorted(parts, key=len, reverse=True)
            for m in re.finditer(rf"(?<![\w-]){re.escape(part)}(?![\w-])", text)]


def pii_kinds(text: str) -> set[str]:
    return {p.kind for p in detect_pii(text)}


_TRAILING_CUE = re.compile(r"\b(?i:nhs|nhs (?:no\.?|number)|tel|phone|mobile|email|ni number)\s*:?\s*$")


def strip_pii(text: str, places: Collection[str] = ()) -> str:
    """The question without its personal data, for retrieval and composition: names and
    numbers add nothing to what the guidance says and would only dilute the match. `places` as in
    detect_pii."""
    found = detect_pii(text, places)
    if not found:  # "What is the phone number for the front door?" asks for contact details: keep "phone"
        return text.strip()
    out, last = [], 0
    for p in found:
        out.append(_TRAILING_CUE.sub("", text[last:p.start]))  # "NHS 634…" leaves no stray "NHS"
        last = p.end
    out.append(text[last:])
    # the words that label personal data go with it ("Mum's phone is …", "(DOB)")
    text = re.sub(rf"\(?\b(?i:{_BIRTH_CUE}|tel|phone|email|nhs (?:no\.?|number)|ni number)\s*:?\s*\)?(?=[\s,.;:)]|$)", " ", "".join(out))
    return re.sub(r"\s+([,.:;?])", r"\1", re.sub(r"\(\s*\)|\s{2,}", " ", text)).strip(" ,;-")


def redact(text: str, places: Collection[str] = ()) -> str:
    """Replace personal data with [KIND] markers, for logs, stored history and reports. `places` as
    in detect_pii (without them a council's name may be taken for a person's: the safe mistake)."""
    out, last = [], 0
    for p in detect_pii(text, places):
        out.append(text[last:p.start])
        out.append(f"[{p.kind}]")
        last = p.end
    out.append(text[last:])
    return "".join(out)
