"""Checks on the question itself, before any retrieval: danger, injection, advice requests,
(personal data is detected and redacted by assistant.guard)."""
from __future__ import annotations

import re

from assistant import messages
from assistant.guard.danger import danger_model

_EMERGENCY = re.compile(
    r"\b(immediate(ly)? (danger|risk)|in danger (right )?now|(is|are) being (hurt|hit|beaten|abused|attacked) (right )?now|"
    r"(going|about|threaten(ed|ing)?) to (kill|hurt|harm) (him|her|them|the child|the baby|a child)|"
    r"(child|baby|he|she) (is|has) (been )?(left alone|unconscious|not breathing|missing)( right)? now|"
    r"kill (him|her|them)self|suicid|right now .{0,40}(danger|hurt|harm|unsafe)|not safe (at home )?(right )?now|"
    # a life at risk now: "my baby has stopped breathing", "he won't wake up", "she's taken an overdose"
    r"(stopped|not|isn't|is not|isnt) breathing|unresponsive|(won't|will not|can't|cannot) wake (him |her |them )?up|"
    r"(taken|took) an overdose|self[- ]harm\w*|"
    # a child missing, or a disclosure of harm: "… is missing from home", "her stepdad hits her and she's
    # scared to go home tonight"
    r"(is|has gone|went|gone|been reported) missing(?! from education)|missing from (home|care|school)|"
    r"(scared|afraid|frightened|too scared) (to go|of going) home|"
    r"(hits|hit|beats|beat|beating|punche[sd]|punching|kicks|kicked|hurts|hurting|burn(s|ed|t)|abus(es|ed|ing)|"
    r"touch(es|ed|ing)|rap(es|ed)) (her|him|them|me|the (child|baby|boy|girl)))\b",
    re.I,
)
# A particular child harmed, or a worry about one: "I think my neighbour's child is being hurt". Not
# "who will be on the team if social workers think my child is being harmed?", which asks what happens.
_CONCERN = re.compile(
    r"\b(((my|our|his|her|their|this) |(a|the|my|our|his|her|their) \w+(?:'s|’s) )"
    r"(child|children|son|daughter|baby|kids?|grandchild\w*|grand(son|daughter)s?|niece|nephew|pupil|student)s? "
    r"(is|are) being (hurt|hit|beaten|abused|harmed|neglected|attacked)|"
    r"(i think|i'm worried|i am worried|i suspect)\b.{0,60}\b(is|are) being (hurt|hit|beaten|abused|harmed|"
    r"neglected|attacked))\b",
    re.I,
)
_INJECTION = re.compile(
    r"(ignore|disregard|forget|override)\b.{0,40}\b(instruction|rule|prompt|guidance|above|previous|system)|"
    r"\b(system prompt|jailbreak|developer mode|you are now|pretend (to be|you are)|act as (an? )?(unrestricted|different))|"
    r"(reveal|print|show|repeat) (your|the) (prompt|instructions|system)",
    re.I,
)
_LEGAL_ADVICE = re.compile(
    r"\b(legal advice|should i (sue|appeal|get a solicitor|take .{0,20} to court)|can i (sue|appeal))\b", re.I)
_MEDICAL_ADVICE = re.compile(
    r"\b(medical advice|diagnos(e|is)|what (dose|medication|medicine)|prescri(be|ption)|"
    r"should (i|we) (take|bring) .{0,30}\bto (a ?& ?e|hospital|the hospital|(a|the|our|my) (doctor|gp))|"
    r"is it safe to give)(?=\W|$)",
    re.I,
)


_CONDITIONAL = re.compile(r"\b(if|whether|when|in case|suppose)\b[^.?!]*$", re.I)

# A particular child, or the asker: "my son", "our baby", "the toddler", "a pupil", "a girl at my youth
# club", "the 6 week old", "4 month old", "me" (in "hurts me"). A general question names children in
# the plural or as "a child" in the abstract, and is about what happens, not about this child.
_CHILD = (r"(child|children|kids?|son|daughter|baby|babies|brother|sister|niece|nephew|grand(child|son|daughter)|"
          r"toddler|infant|boy|girl|teen(ager)?|pupil|foster child|step(son|daughter)|little (boy|girl|brother|sister|one))")
_PARTICULAR = re.compile(
    rf"\b((my|our|his|her|their|your)( \w+(?:'s|’s)?)? {_CHILD}s?|(the|this) {_CHILD}\b(?! protection)|"
    # "there's a child locked outside", "a baby was brought in with…", "my friend is 14"
    rf"\bthere(?:'s|’s| is| are) (a|an|some|two|three) (\w+ )?{_CHILD}|\ba {_CHILD} (was|has been) "
    rf"(brought|admitted|taken|found)\b|\bmy (friend|neighbou?r|cousin|classmate) is \d+\b|"
    rf"\ba (teenage )?{_CHILD} (in|at|from) (my|our|the)|\ba pupil\b|\b\d+[- ](week|month|year)s?[- ]old\b|"
    rf"^\W*(infant|baby|toddler|child) with\b|\b(i'?m|i am) \d+\b|\bI childmind\b|"
    rf"(hurts?|hits?|touch(es|ed)?|abused|molested|raped|beats?) me\b|\bmy (mum|dad|stepdad|stepmum|uncle)'?s? |"
    rf"\bmy (friend|neighbou?r|cousin)'?s\b|^\W*{_CHILD} (is|has|was)\b)",
    re.I,
)
# what is done to a child, or the injury it leaves
_HARM = re.compile(
    r"\b(hit(s|ting)?|beat(s|ing|en)?|punch\w*|kick(s|ed|ing)?|slap\w*|shak(e|es|ing)|shook|shaken|burn(s|ed|t)?|"
    r"bit(e|es|ten)?|grab\w*|chok\w*|strangl\w*|throttl\w*|touch(es|ed|ing)?|molest\w*|rap(e|ed|es|ing)|"
    r"sexually \w+|abus(e|es|ed|ing)|groom(ed|ing)|hurt(s|ing)?|assault\w*|exploit(s|ed|ing)|"
    r"threaten\w* to|lock(s|ed)? (her|him|them|outside|out|up)|(left|leaves?) (\w+ ){0,3}(on (their|her|his) own|alone)|"
    r"forc\w+ (her|him) to|paying (her|him) for sex|into (her|his|my) bed|sleeping together|private parts|"
    r"bruis\w*|fractur\w*|broken (arm|leg|bone|rib|wrist)|injur\w*|bleed\w*|(bite|belt) marks|marks on|"
    r"black eye|cuts|frenulum|floppy|passed out|scared to go home)\b",
    re.I,
)
# hiding harm from the people who would protect the child
_CONCEAL = re.compile(
    r"\b(hide|hiding|cover( up)?|stop (the )?[\w ]{0,20}(finding out|seeing|noticing|asking)|make sure (nobody|no one) "
    r"(notices|sees|finds out)|(don'?t|doesn'?t|won'?t) (see|notice|find out|ask)|social (services|workers) (don'?t|won'?t) "
    r"find out)\b",
    re.I,
)
# an injury no one accounts for
_UNEXPLAINED = re.compile(
    r"\b(unexplained|no explanation|(can'?t|cannot|can ?not|don'?t know how|nobody knows how|no one knows how|"
    r"(do|does)n'?t know how)\b|(says|said|claims?) (she|he|they) fell|story keeps changing|"
    r"blam(e|es|ed|ing) (it on )?(the|his|her|their|a) (sibling|brother|sister|dog|other child))",
    re.I,
)
# the asker is there, now: "what do I do", "I saw", "tonight"
_FIRST_HAND = re.compile(r"\b(what (do|should|can) (i|we) do|i (saw|heard|have seen|witnessed|noticed|found)|tonight|"
                         r"right now|at the moment)\b", re.I)
# someone else's suspicion, which asks what happens next: "…if social workers think my child is being harmed?"
_PROCESS_CONDITION = re.compile(
    r"\b(if|whether|when)\b[^.?!]{0,40}\b(think|thinks|suspect|suspects|believe|believes|decide|decides)\b", re.I)


def is_emergency(question: str) -> bool:
    """A child in danger now, a disclosure of abuse, an injury to a particular child (the more so an
    unexplained one), or a wish to hide harm: the question gets the emergency signpost alone. The
    phrase rules decide first; what they let through, the learnt model (danger.py) reads again."""
    if rules_fire(question):
        return True
    model = danger_model()
    return model is not None and model.fires(question)


def rules_fire(question: str) -> bool:
    """The phrase rules alone."""
    concern = _CONCERN.search(question)
    if _EMERGENCY.search(question) or (concern is not None and not _CONDITIONAL.search(question[: concern.start()])):
        return True
    harm = _HARM.search(question)
    if harm is None:
        return False
    if _CONCEAL.search(question) or _UNEXPLAINED.search(question) or _FIRST_HAND.search(question):
        return True
    return bool(_PARTICULAR.search(question)) and not _PROCESS_CONDITION.search(question)


def injection_reason(question: str) -> str | None:
    if _INJECTION.search(question):
        return messages.INJECTION
    return None


def advice_reason(question: str) -> str | None:
    if _MEDICAL_ADVICE.search(question):
        return messages.MEDICAL_ADVICE
    if _LEGAL_ADVICE.search(question):
        return messages.LEGAL_ADVICE
    return None


# "thanks", "hello", "ok great": a chat message that asks nothing; answered with a quote it was not
_SMALL_TALK = frozenset(("thanks", "thank", "you", "cheers", "great", "ok", "okay", "hello", "hi", "hey", "bye",
                         "goodbye", "good", "morning", "afternoon", "evening", "please", "brilliant", "perfect",
                         "lovely", "cool", "nice", "ta", "much", "very", "so", "that", "helps", "helpful",
                         "got", "it", "fine", "yes", "no", "sure"))


def small_talk_reason(question: str) -> str | None:
    words = re.findall(r"[a-z]+", question.lower())
    if words and all(w in _SMALL_TALK for w in words):
        return messages.SMALL_TALK
    return None
