"""Tokenising shared by BM25, the glossary expansion and the support checks."""
from __future__ import annotations

import re

STOPWORDS = frozenset(
    """a an and are as at be been being by can could did do does for from had has have how i if in
    into is it its me my of on or our should so than that the their them then there these they this
    to was we were what when where which who whom whose why will with would you your yours about
    any all also after before being both each few more most other some such only own same too very
    just now may might must shall us he she his her him do does did doing up down out over under
    again further once here am whether within without per via its it's i'm i've we're they're
    want wants wanted wanting know knows knew wonder wondering wondered please tell tells telling told
    ask asks asked asking thanks thank hi hello hey""".split()  # conversational filler: "Mum wants to know …"
)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# "long-term", "in the short term": one word about duration, not a school or court term ("What are
# the school term dates in Dorset?" found its term in Dorset's "longer-term plans").
_TERM_IDIOM = re.compile(r"\b(long|longer|short|shorter|medium|mid|near)[\s-]+term\b")


# Words these endings would join to a different word: specification is not "specific", a foundation
# not "found", "designated" not "design" (checked over every word of the bundled corpus). "Decision"
# keeps apart from "decide" for another reason: "Family Group Decision Making" is a name, and "How
# should Stockton decide…?" matched every FGDM sentence.
_FALSE_FRIENDS = frozenset(
    "specification foundation publication projection direction format designat situation generation".split())
# (ending, replacement, shortest remaining stem)
_NOUN_ENDINGS = (("clusion", "clud", 2), ("provision", "provid", 0), ("ation", "", 4), ("ion", "", 4))


# Irregular past forms meet their verbs: "Who leads the MACPT?" and "Be led by a … social worker",
# "How did staff feel…?" and "staff felt…", "What did the evaluation find?" and "… found that".
_IRREGULAR = {
    "led": "lead", "held": "hold", "met": "meet", "paid": "pay", "made": "make", "found": "find",
    "felt": "feel", "took": "take", "taken": "take", "gave": "give", "given": "give", "said": "say",
    "thought": "think", "kept": "keep", "chose": "choose", "chosen": "choose", "brought": "bring",
    "built": "build", "sent": "send", "spent": "spend", "began": "begin", "begun": "begin", "saw": "see",
    "seen": "see", "sought": "seek", "taught": "teach", "understood": "understand", "wrote": "write",
    "written": "write", "grew": "grow", "grown": "grow",
    # an agent noun that means its verb here: "Who holds the case?" and "The FHLP must remain case holder"
    "holder": "hold", "holders": "hold",
}


def stem(word: str) -> str:
    """A light English stemmer: enough to match plurals and -ing/-ed forms."""
    w = _IRREGULAR.get(word, word)
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: len(w) - len(suffix)] + repl
            break
    if w in _FALSE_FRIENDS or w.rstrip("e") in _FALSE_FRIENDS:
        return w.rstrip("e")
    # A noun in -ion meets its verb: supervision/supervised, consultation/consulted, inclusion/included,
    # escalation/escalated (the -at of an -ate verb goes below). A few nouns change their verb's ending.
    for suffix, repl, shortest in _NOUN_ENDINGS:
        if w.endswith(suffix) and len(w) - len(suffix) >= shortest:
            w = w[: len(w) - len(suffix)] + repl
            break
    # final e's go too, so that package/packages, make/making and agree/agreed/agrees meet
    bare = w.rstrip("e")
    if len(bare) < 3:
        return w
    # an -ate verb meets its -ation noun: escalate/escalated/escalation, evaluate/evaluation
    if bare.endswith("at") and len(bare) >= 6:
        return bare[:-2]
    # an -ence/-ance noun meets its adjective: confidence/confident, relevance/relevant
    if bare.endswith(("enc", "anc")) and len(bare) >= 6:
        return bare[:-1] + "t"
    return bare


def tokens(text: str, keep_stopwords: bool = False) -> list[str]:
    text = _TERM_IDIOM.sub(r"\1term", text.lower().replace("’", "'"))
    out = []
    for t in _TOKEN.findall(text):
        t = t.split("'")[0]
        if not keep_stopwords and (t in STOPWORDS or len(t) < 2 and not t.isdigit()):
            continue
        out.append(stem(t))
    return out


def holds_phrase(words: list[str], phrase: list[str]) -> bool:
    """The token list holds the phrase's tokens side by side, in order."""
    n = len(phrase)
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1))
