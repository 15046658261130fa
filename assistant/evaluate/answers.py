"""Answers: key facts, and whether the citations hold.

- key-fact recall: share of an item's key facts (any alternative) found in the answer;
- expected passage cited: one of the citations contains an evidence quote;
- citation validity: every [n] in the answer refers to a citation;
- citation coverage: every sentence / list item of the answer carries a citation;
- citation precision: every cited unit is supported by the passage it cites. Support is the
  lexical check of assistant.verify.support (≥ 70 % of the unit's content words, stemmed, occur
  in the passage and every number appears verbatim); a unit citing several passages needs one.
- first sentence answers: share of the answers whose first sentence (or list item) holds one of the
  item's key facts: the answer leads with the sentence that answers, not with its context;
- answer length: the median words of the answers given (citation markers aside), and the share of
  the answers to single-fact items (a timescale, a person, a yes or no, a figure) within
  SINGLE_FACT_WORDS, the length a practitioner reads at a glance;
- LLM answer rate (only when an LLM composer is evaluated, `assistant eval --llm URL`): share of
  the answers that are the model's own after verification, not the extractive fallback that
  replaces an unreachable, declining or wholly unsupported model answer.
"""
from __future__ import annotations

from assistant.evaluate.gold import GoldItem, facts_found, passage_matches
from assistant.evaluate.results import EvalResult, mean, percentile
from assistant.evaluate.systems import SystemOutput
from assistant.support import is_supported
from assistant.verify.citations import MARKER, answer_units, cited_numbers

# the gold item types that ask for one fact, and the length such an answer should keep within
SINGLE_FACT_TYPES = {"when", "who", "yesno", "number", "count"}
SINGLE_FACT_WORDS = 80


def answer_words(answer: str) -> int:
    return len(MARKER.sub(" ", answer).split())


def citation_scores(out: SystemOutput) -> dict:
    units = answer_units(out.answer)
    markers = cited_numbers(out.answer)
    valid = all(1 <= n <= len(out.cited) for n in markers) if markers else False
    covered = [bool(MARKER.search(u)) for u in units]
    supported = []
    for u in units:
        ns = [n for n in cited_numbers(u) if 1 <= n <= len(out.cited)]
        if ns:
            body = MARKER.sub("", u).strip(" -•")
            supported.append(any(is_supported(body, out.cited[n - 1].text) for n in ns))
    return {
        "citation_valid": int(valid),
        "citation_coverage": mean(covered) if units else 0.0,
        "citation_precision": mean(supported) if supported else 0.0,
    }


class AnswerEvaluator:
    name = "answers"

    def evaluate(self, system: str, items: list[GoldItem], outputs: list[SystemOutput]) -> EvalResult:
        rows = []
        for item, out in zip(items, outputs):
            if item.refuse:
                continue
            row = {"id": item.id, "refused": int(out.refused)}
            # a refused answerable item scores zero on facts and evidence: refusal is not free
            row["key_facts"] = 0.0 if out.refused and item.facts else facts_found(item, out.answer)
            row["evidence_cited"] = int(any(passage_matches(item, p.text, p.section) for p in out.cited))
            if not out.refused:
                row.update(citation_scores(out))
                row["words"] = answer_words(out.answer)
                units = answer_units(out.answer)
                if item.facts and units:
                    row["first_holds_fact"] = int(bool(facts_found(item, units[0])))
                row["single_fact"] = int(item.type in SINGLE_FACT_TYPES)
                if out.composer is not None:
                    row["composer"] = out.composer
            rows.append(row)
        answered = [r for r in rows if not r["refused"]]
        agg = {
            "key_facts": mean(r["key_facts"] for r in rows),
            "expected_passage_cited": mean(r["evidence_cited"] for r in rows),
            "citation_validity": mean(r["citation_valid"] for r in answered),
            "citation_coverage": mean(r["citation_coverage"] for r in answered),
            "citation_precision": mean(r["citation_precision"] for r in answered),
            "first_sentence_answers": mean(r["first_holds_fact"] for r in answered if "first_holds_fact" in r),
            "words_p50": percentile((r["words"] for r in answered), 50),
            "single_fact_within_80_words": mean(r["words"] <= SINGLE_FACT_WORDS for r in answered if r["single_fact"]),
            "n": len(rows),
        }
        if any(r.get("composer", "extractive") != "extractive" for r in answered):  # an LLM composer ran
            agg["llm_answer_rate"] = mean(r.get("composer") == "llm" for r in answered)
        return EvalResult(evaluator=self.name, system=system, per_item=rows, aggregate=agg)
