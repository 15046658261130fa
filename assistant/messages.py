"""Every sentence the assistant says in its own voice, in one place.

The answers themselves are quotes of the guidance; these are the words around them: refusals
and their reasons, the emergency signpost, the guards' replies and the errors a question gets.
A reviewer checking tone or a translator reads this file alone. Templates take their values
with str.format.
"""
from __future__ import annotations

EMERGENCY_SIGNPOST = (
    "If a child is in immediate danger, call 999 now. If you are worried about a child's safety, "
    "contact your local authority children's services front door now: do not wait for this assistant."
)
NOT_COVERED = "The guidance I hold does not cover this."
EMERGENCY_ONLY = ("This reads as a child at risk now, so the answer is where to get help, not guidance: "
                  "ask again once the child is safe.")
NOT_COVERED_PARTS = "The guidance I hold does not cover: {parts}"
ADD_GUIDANCE_HINT = "To answer this, add {missing_guidance} to the index: assistant ingest PATH_TO_DOCUMENT"

# questions the assistant cannot take
EMPTY_QUESTION = "The question is empty."
LONG_QUESTION = "The question is {length} characters long; the limit is {limit}."

# the guards, before any retrieval
INJECTION = "The question asks me to change or ignore my instructions; I only answer from the guidance I hold."
MEDICAL_ADVICE = ("The question asks for medical advice, which the guidance I hold does not give: for a child's "
                  "health, ask a doctor or call NHS 111, or 999 in an emergency.")
LEGAL_ADVICE = ("The question asks for legal advice, which the guidance I hold does not give; ask a solicitor or "
                "a qualified adviser.")
SMALL_TALK = ("That is not a question about the guidance. Ask me about the Families First reforms, for "
              "example: Who should be the Family Help Lead Practitioner?")

# the refusal rules (compose/refuse), in the order they are checked
NOTHING_MATCHED = "Nothing in the guidance I hold matches this question."
UNHELD_TERM = "The guidance I hold does not mention {term}."
UNHELD_TERM_GUIDANCE = "guidance on “{term}” (such as {document})"
LOW_MATCH = "The guidance I hold does not appear to cover this question."
UNHELD_DOCUMENT = "{document} is not among the documents I hold, so I cannot say what it says."
UNKNOWN_NAME = "The question names {name}, which the guidance I hold does not mention."
COUNCIL_SILENT = ("The papers I hold from {council} say nothing that answers this; asked without the council's "
                  "name, the national guidance may.")
PASSAGES_MISS_NAME = "The passages I found do not mention {name}, so they do not answer this question."
COUNCIL_MISSES_NAME = "The papers I hold from {councils} do not mention {name}."
NO_TIMESCALE = ("The guidance I hold does not state a timescale for this (statutory timescales are in "
                "{document}).")
NO_LAW = ("The passages I found do not say what the law requires here (the guidance I hold is the pathfinder's "
          "policy, not statute).")
ORDER_NOT_NAMED = ("The passages I found do not speak of a {order} order, so they cannot say what the law requires "
                   "for it (the guidance I hold is the pathfinder's policy, not statute).")
NO_AMOUNT = "The guidance I hold does not give an amount of money for this."
NO_CONTACT = ("The guidance I hold does not give contact details for this; your local authority's website "
              "will.")
NO_FIGURE = "The guidance I hold does not give a figure for this."
NO_DATE = "The guidance I hold does not give a date for this."
NO_AGE = "The guidance I hold does not give an age for this."
OTHER_RELATION = "The passages I found say this of {other}, not of {asked}."

# the last check before an answer leaves
UNVERIFIED = "The answer could not be verified against its sources."
