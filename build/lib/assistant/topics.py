"""The reform's topics and the words that name them, in one place.

`TOPICS` holds the guidance's own phrases for each strand (and the front door): the quiz builder
picks passages with them. `EVERYDAY` adds the looser words staff and families use ("nan",
"conference", "assessment"); together they sort chat questions by topic for the gap report, but
they are too loose to pick guidance passages for a quiz."""
from __future__ import annotations

import re

TOPICS: dict[str, list[str]] = {
    "safeguarding arrangements": ["safeguarding partner", "multi-agency safeguarding arrangements", "masa", "education forum",
                                  "partnership chair", "scrutiny", "information sharing", "practice framework"],
    "family help": ["family help", "fhlp", "lead practitioner", "family help assessment", "team around the family"],
    "child protection": ["child protection", "macpt", "lcpp", "section 47", "parental representation", "strategy"],
    "family networks": ["family network", "fgdm", "family group", "fgc", "fnsp", "pre-proceedings"],
    "front door": ["front door", "referral", "triage", "threshold"],
}
EVERYDAY: dict[str, list[str]] = {
    "safeguarding arrangements": ["partnership", "education"],
    "family help": ["early help", "assessment", "child in need", "section 17", "s17"],
    "child protection": ["s47", "conference", "parental represent"],
    "family networks": ["kinship", "grand", "nan", "aunt"],
    "front door": ["ifd", "mash"],
}
_TOPIC_PATTERNS = {
    topic: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in TOPICS[topic] + EVERYDAY.get(topic, [])) + ")", re.I)
    for topic in TOPICS
}


def topic_of(text: str) -> str:
    """The first topic whose words the text uses, or "other"."""
    return next((topic for topic, pattern in _TOPIC_PATTERNS.items() if pattern.search(text)), "other")
