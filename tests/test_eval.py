"""The evaluation harness: gold data lint, evaluators on known outputs, the CLI end to end."""
import json
from collections import Counter

import pytest
import yaml
from typer.testing import CliRunner

from assistant.cli import app
from assistant.evaluate import load_gold
from assistant.evaluate.answers import AnswerEvaluator
from assistant.evaluate.gold import GoldItem, passage_matches
from assistant.evaluate.refusal import RefusalEvaluator
from assistant.evaluate.retrieval import RetrievalEvaluator
from assistant.evaluate.systems import (
    NaiveLangChainRag,
    Passage,
    ProjectSystem,
    SystemOutput,
)
from assistant.index.embedders import STANDARD_EMBEDDER


def test_gold_set_shape():
    items = load_gold()
    assert len(items) >= 150
    assert {i.split for i in items} == {"dev", "test"}
    assert sum(i.refuse for i in items) >= 30
    assert sum(bool(i.pii) for i in items) >= 20
    types = Counter(i.type for i in items)
    for t in ("who", "when", "duty", "eligibility", "number", "local", "lay", "abbreviation", "multi",
              "refuse-injection", "refuse-not-covered", "refuse-advice", "refuse-offtopic"):
        assert types[t] >= 3, t
    for i in items:
        assert i.refuse or (i.evidence and i.facts), i.id


def test_no_test_item_restates_a_dev_item():
    """Tuning on dev must not leak into test: no test question (personal data stripped) may ask
    what a dev question asks, in nearly the same words, about the same passage."""
    from assistant.evaluate.lint import leaks

    assert not leaks(load_gold())


def test_the_gold_set_lints_clean(assistant):
    """Every quote is in the index (quotes, not chunk ids: re-chunking must not silently orphan an
    item) and every key fact is stated by the item's evidence passages."""
    from assistant.evaluate.lint import lint_gold

    assert lint_gold(load_gold(), assistant.snapshot) == []


def test_gold_lint_names_each_problem(data_dir, tmp_path):
    dev_q = "Who should be the Family Help Lead Practitioner?"
    items = [
        dict(id="g1", split="dev", type="who", question=dev_q, evidence=["whoever is best placed"], facts=[["best placed"]]),
        dict(id="g2", split="test", type="who", question=dev_q, evidence=["whoever is best placed"], facts=[["best placed"]]),
        dict(id="g3", split="dev", type="who", question="Q?", evidence=["a sentence no document holds"], facts=[["x"]]),
        dict(id="g4", split="dev", type="who", question="Q2?", evidence=["whoever is best placed"], facts=[["a judge"]]),
        dict(id="g5", split="train", type="who", question="Q3?", refuse=True),
        dict(id="g6", split="dev", type="Whos", question="Q4?", refuse=True),
    ]
    gold = tmp_path / "gold.yaml"
    gold.write_text(yaml.safe_dump({"items": items}))
    res = CliRunner().invoke(app, ["eval", "--lint", "--gold", str(gold), "--data", str(data_dir)])
    assert res.exit_code == 1
    for line in ("g2: restates a dev item: g1", "g3: quote not in the index", "g4: fact not in its evidence: a judge",
                 "g5: unknown split", "g6: type spelt two ways: 'Whos' (elsewhere 'who')"):
        assert line in res.output, res.output
    assert "g1:" not in res.output


def test_every_document_is_covered(assistant):
    from assistant.evaluate.runner import evidence_document

    docs = {evidence_document(i, assistant.snapshot) for i in load_gold() if not i.refuse}
    assert "(evidence not found)" not in docs
    assert set(assistant.snapshot.documents) - {"glossary"} <= docs  # the glossary is ours, not a seed


def _item(**kw):
    base = dict(id="x1", split="test", type="who", question="Who?", evidence=["independent coordinator"],
                facts=[["independent coordinator"], ["by default"]])
    return GoldItem(**{**base, **kw})


def test_retrieval_metrics_on_a_known_ranking():
    item = _item()
    ranked = [Passage(doc_id="d", text="unrelated"), Passage(doc_id="d", text="unrelated too"),
              Passage(doc_id="d", text="FGDM is facilitated by an Independent  Coordinator.")]
    res = RetrievalEvaluator().evaluate("s", [item], [SystemOutput(ranked=ranked, answer="")])
    assert res.aggregate["hit@1"] == 0 and res.aggregate["hit@3"] == 1
    assert res.aggregate["mrr"] == pytest.approx(1 / 3, abs=1e-3)
    assert 0 < res.aggregate["ndcg@10"] < 1


def test_ndcg_stays_within_one_when_a_quote_is_restated():
    """One quote found in three passages: the ideal ranking holds one relevant passage, so the
    item scores 1 for finding it first, not more for finding its restatements too."""
    item = _item()
    ranked = [Passage(doc_id="d", text=f"FGDM is facilitated by an independent coordinator ({n}).") for n in range(3)]
    res = RetrievalEvaluator().evaluate("s", [item], [SystemOutput(ranked=ranked, answer="")])
    assert res.per_item[0]["ndcg@10"] == 1.0


def test_intervals_bracket_the_value_and_narrow_with_more_items():
    from assistant.evaluate.intervals import (
        bootstrap_interval,
        intervals,
        wilson_interval,
    )

    graded_few, graded_many = [1, 0.5, 0] * 7, [1, 0.5, 0] * 70
    lo, hi = bootstrap_interval(graded_few)
    assert lo < 0.5 < hi and bootstrap_interval(graded_few) == (lo, hi)  # seeded: the same report twice
    lo2, hi2 = bootstrap_interval(graded_many)
    assert lo < lo2 < 0.5 < hi2 < hi
    assert bootstrap_interval([]) is None
    # pass/fail: Wilson, which does not claim certainty from six passes out of six
    assert wilson_interval(130, 139) == pytest.approx((0.8815, 0.9656), abs=1e-3)
    assert wilson_interval(6, 6)[0] < 0.7 and wilson_interval(6, 6)[1] == 1.0
    # per metric, the rows it is a mean over: refusal recall over the must-refuse items only
    items = [_item(id="a"), _item(id="b"), _item(id="c", refuse=True, evidence=[], facts=[])]
    outs = [SystemOutput(ranked=[], answer="x [1]"), SystemOutput(ranked=[], answer="", refused=True),
            SystemOutput(ranked=[], answer="", refused=True)]
    ci = intervals({"refusal": RefusalEvaluator().evaluate("s", items, outs)})
    assert ci["refusal.refusal_recall"] == wilson_interval(1, 1)
    assert ci["refusal.false_refusal_rate"] == wilson_interval(1, 2)


def test_answer_metrics_catch_bad_citations():
    item = _item()
    passage = Passage(doc_id="d", text="Ensure FGDM is facilitated by an independent coordinator.")
    good = SystemOutput(ranked=[passage], cited=[passage],
                        answer="FGDM is facilitated by an independent coordinator [1].")
    out_of_range = SystemOutput(ranked=[passage], cited=[passage],
                                answer="FGDM is facilitated by an independent coordinator [2].")
    unsupported = SystemOutput(ranked=[passage], cited=[passage],
                               answer="Parents receive 500 pounds every week from the council [1].\nThe coordinator is independent [1].")
    res = AnswerEvaluator().evaluate("s", [item, item, item], [good, out_of_range, unsupported])
    rows = res.per_item
    assert rows[0]["citation_valid"] == 1 and rows[0]["citation_precision"] == 1 and rows[0]["key_facts"] == 0.5
    assert rows[1]["citation_valid"] == 0
    assert rows[2]["citation_precision"] == 0.5 and rows[2]["citation_coverage"] == 1


def test_answer_length_is_measured_and_single_fact_answers_are_held_to_80_words():
    passage = Passage(doc_id="d", text="Ensure FGDM is facilitated by an independent coordinator.")
    short = SystemOutput(ranked=[passage], cited=[passage], answer="An independent coordinator facilitates FGDM. [1]")
    long = SystemOutput(ranked=[passage], cited=[passage], answer=" ".join(["word"] * 90) + " [1]")
    items = [_item(id="a", type="who"), _item(id="b", type="who"), _item(id="c", type="list")]
    res = AnswerEvaluator().evaluate("s", items, [short, long, long])
    assert [r["words"] for r in res.per_item] == [5, 90, 90]
    assert res.aggregate["words_p50"] == 90
    assert res.aggregate["single_fact_within_80_words"] == 0.5  # the list item is not held to it


def test_an_answer_is_scored_on_whether_its_first_sentence_answers():
    passage = Passage(doc_id="d", text="Ensure FGDM is facilitated by an independent coordinator.")
    leads = SystemOutput(ranked=[passage], cited=[passage],
                         answer="FGDM is facilitated by an independent coordinator. [1] Families are invited. [1]")
    trails = SystemOutput(ranked=[passage], cited=[passage],
                          answer="Families are invited. [1] FGDM is facilitated by an independent coordinator. [1]")
    res = AnswerEvaluator().evaluate("s", [_item(id="a"), _item(id="b")], [leads, trails])
    assert [r["first_holds_fact"] for r in res.per_item] == [1, 0]
    assert res.aggregate["first_sentence_answers"] == 0.5


def test_refusal_metrics():
    items = [_item(id="a"), _item(id="b"), _item(id="c", refuse=True, evidence=[], facts=[]),
             _item(id="d", refuse=True, evidence=[], facts=[])]
    outs = [SystemOutput(ranked=[], answer="x [1]"), SystemOutput(ranked=[], answer="", refused=True),
            SystemOutput(ranked=[], answer="", refused=True), SystemOutput(ranked=[], answer="y [1]")]
    agg = RefusalEvaluator().evaluate("s", items, outs).aggregate
    assert agg["refusal_precision"] == 0.5 and agg["refusal_recall"] == 0.5
    assert agg["false_refusal_rate"] == 0.5 and agg["refusal_accuracy"] == 0.5


def test_an_uncovered_part_must_be_named_and_the_rest_answered():
    items = [_item(id=i, uncovered=["Ofsted"]) for i in "abc"]
    outs = [SystemOutput(ranked=[], answer="x [1]", not_covered=["What did Ofsted judge?"]),
            SystemOutput(ranked=[], answer="x [1]"),  # answered all of it as if covered
            SystemOutput(ranked=[], answer="", refused=True, not_covered=["What did Ofsted judge?"])]
    res = RefusalEvaluator().evaluate("s", items, outs)
    assert [r["uncovered_named"] for r in res.per_item] == [1, 0, 0]
    assert abs(res.aggregate["uncovered_part_named"] - 1 / 3) < 1e-3


def test_two_part_questions_are_answered_part_by_part_through_the_harness(assistant):
    out = ProjectSystem(assistant).run("When did Dorset's Family Group Conference service go live, and what is its phone number?")
    assert not out.refused and "1st June 2024" in out.answer
    assert out.not_covered == ["What is its phone number?"]


def test_a_follow_up_item_is_asked_in_its_conversation(assistant):
    """A gold item with `history` is asked as a follow-up: the project reads it as the whole question,
    a baseline puts the previous question's words before it."""
    item = GoldItem(id="f", split="dev", type="follow-up", history=["Who should be the Family Help Lead Practitioner?"],
                    question="and for a child on a child protection plan?", evidence=["should always be a social worker"],
                    facts=[["social worker"]])
    out = ProjectSystem(assistant).run(item.question, item.history)
    assert passage_matches(item, out.ranked[0].text, out.ranked[0].section)
    assert "social worker" in out.answer
    assert ProjectSystem(assistant).run(item.question).ranked[0].text != out.ranked[0].text  # history matters


def test_project_system_answers_a_pii_question_without_using_the_personal_data(assistant):
    out = ProjectSystem(assistant).run("Olivia Brown (DOB 21/09/2012) is on a child protection plan: must her lead practitioner be a social worker?")
    assert set(out.pii) == {"NAME", "DATE"}
    assert not out.refused and "social worker" in out.answer.lower()
    assert "Olivia" not in json.dumps([p.model_dump() for p in out.cited])


def test_naive_langchain_baseline_returns_four_passages(assistant):
    rag = NaiveLangChainRag(assistant)
    out = rag.run("When must we offer a family group conference?")
    assert len(out.ranked) == 4 and out.answer.endswith("[1]") and not out.refused
    assert all(len(p.text) <= 1000 for p in out.ranked)
    assert rag.n_chunks > 100


def test_eval_cli_writes_reports_and_fails_below_a_threshold(data_dir, tmp_path):
    runner = CliRunner()
    loose = tmp_path / "loose.yaml"
    loose.write_text(yaml.safe_dump({"thresholds": {"answers.citation_validity": {"min": 1.0},
                                                    "refusal.refusal_accuracy": {"min": 0.5},
                                                    "quiz.key_supported": {"min": 1.0}},
                                     # targets are reported, never gated: an unreachable one leaves the exit code 0
                                     "targets": {"retrieval.hit@5": {"min": 1.01}, "refusal.refusal_accuracy": {"min": 0.5},
                                                 "coverage.agreement": {"min": 0.85}}}))
    out = tmp_path / "out"
    res = runner.invoke(app, ["eval", "--split", "dev", "--no-baselines", "--no-coverage", "--data", str(data_dir),
                              "--out", str(out), "--thresholds", str(loose)])
    assert res.exit_code == 0, res.output
    for name in ("items.csv", "items.json", "summary.json", "report.html"):
        assert (out / name).stat().st_size > 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["passed"] and summary["n_items"] == len(load_gold(split="dev"))
    assert "<svg" in (out / "report.html").read_text()
    assert summary["run"]["embedder"] == STANDARD_EMBEDDER and len(summary["run"]["gold_sha256"]) == 64
    assert summary["run"]["composer"] == "extractive" and set(summary["run"]["documents"]) >= {"glossary"}
    lo, hi = summary["intervals"]["assistant"]["retrieval.hit@5"]
    assert lo <= summary["systems"]["assistant"]["retrieval.hit@5"] <= hi
    assert summary["systems"]["assistant"]["quiz.questions"] == 50
    assert "answers.llm_answer_rate" not in summary["systems"]["assistant"]  # no LLM composer in this run
    # every failing item says why, in words; a passing one says nothing
    from assistant.evaluate.runner import failing_items

    rows = json.loads((out / "items.json").read_text())
    failing = {r["id"] for r in failing_items(rows)}
    assert failing and all(bool(r["failure"]) == (r["id"] in failing) for r in rows)
    assert any("below the top 5" in r["failure"] or "key facts missing" in r["failure"] for r in rows)
    assert "why it fails" in (out / "report.html").read_text()
    assert (out / "sample-quiz.gift").read_text().count("::Q") == 50
    # personal data never reaches the reports
    assert "Jayden" not in (out / "items.csv").read_text()
    targets = {t["metric"]: t for t in summary["targets"]}
    assert set(targets) == {"retrieval.hit@5", "refusal.refusal_accuracy"}  # coverage was not run: not reported
    assert not targets["retrieval.hit@5"]["met"] and "outside the 95% interval" in targets["retrieval.hit@5"]["status"]
    assert targets["refusal.refusal_accuracy"]["met"]
    assert "target retrieval.hit@5 >= 1.01: not met" in res.output
    assert "Targets (the goals" in (out / "report.html").read_text()

    strict = tmp_path / "strict.yaml"
    strict.write_text(yaml.safe_dump({"thresholds": {"retrieval.hit@5": {"min": 1.01}}}))
    res = runner.invoke(app, ["eval", "--split", "dev", "--no-baselines", "--no-quiz", "--no-coverage", "--data", str(data_dir),
                              "--out", str(out), "--thresholds", str(strict)])
    assert res.exit_code == 1
    assert "retrieval.hit@5" in res.output
    # thresholds measured on test do not gate a dev run: they are reported
    strict.write_text(yaml.safe_dump({"split": "test", "thresholds": {"retrieval.hit@5": {"min": 1.01}}}))
    res = runner.invoke(app, ["eval", "--split", "dev", "--no-baselines", "--no-quiz", "--no-coverage", "--data", str(data_dir),
                              "--out", str(out), "--thresholds", str(strict)])
    assert res.exit_code == 0 and "gate test runs only" in res.output and "retrieval.hit@5" in res.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["gated"] is False and summary["failures"]

    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump({"thresholds": {}, "targets": {"retrieval.hit@5": {"min": 0.9, "max": 1.0}}}))
    res = runner.invoke(app, ["eval", "--split", "dev", "--no-baselines", "--no-quiz", "--no-coverage", "--data", str(data_dir),
                              "--out", str(out), "--thresholds", str(broken)])
    assert res.exit_code != 0 and "exactly one of min or max" in res.output


def test_paired_comparison_of_two_runs(tmp_path):
    """evals/compare_runs.py: the paired difference of two runs, and whether the split can tell them apart."""
    import subprocess
    import sys
    from pathlib import Path

    def rows(hits):
        return [{"id": f"t{i}", "must_refuse": 0, "hit@5": h, "key_facts": 1.0, "refused": 0} for i, h in enumerate(hits)]

    for name, hits in (("before", [1] * 50 + [0] * 50), ("same", [1] * 50 + [0] * 50),
                       ("after", [1] * 90 + [0] * 10)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "items.json").write_text(json.dumps(rows(hits)))
    script = Path(__file__).resolve().parents[1] / "evals" / "compare_runs.py"
    run = lambda a, b: subprocess.run([sys.executable, str(script), str(tmp_path / a), str(tmp_path / b)],  # noqa: E731
                                      capture_output=True, text=True, check=True).stdout
    better = next(line for line in run("before", "after").splitlines() if line.startswith("hit@5"))
    assert "0.500 -> 0.900" in better and "(higher)" in better and "40 up, 0 down" in better
    same = next(line for line in run("before", "same").splitlines() if line.startswith("hit@5"))
    assert "(no detectable change)" in same
    # what the two runs measured besides the code: a different gold file or corpus is named first
    record = {"gold_sha256": "a" * 64, "embedder": "minilm", "documents": {"d1": "x", "d2": "y"}, "composer": "extractive"}
    (tmp_path / "before" / "summary.json").write_text(json.dumps({"run": record}))
    (tmp_path / "after" / "summary.json").write_text(json.dumps({"run": {**record, "gold_sha256": "b" * 64,
                                                                          "documents": {"d1": "x", "d2": "z"}}}))
    notes = [line for line in run("before", "after").splitlines() if line.startswith("note:")]
    assert len(notes) == 2 and "gold file differs" in notes[0] and "corpus differs" in notes[1] and "d2" in notes[1]


def test_a_dev_difference_reweighted_to_the_test_splits_document_mix(tmp_path):
    """compare_runs.py --mix: a gain that sits in one document counts for that document's share of
    the other run's items, not of dev's (dev is half evaluation report, test a sixth)."""
    import subprocess
    import sys
    from pathlib import Path

    def rows(hits_a, hits_b):
        return [{"id": f"d{i}", "document": doc, "type": kind, "must_refuse": 0, "hit@5": h, "key_facts": 1.0, "refused": 0}
                for i, (doc, kind, h) in enumerate([("report", "definition", h) for h in hits_a]
                                                   + [("spec", "duty", h) for h in hits_b])]

    runs = {"before": rows([0] * 50, [1] * 50), "after": rows([1] * 50, [1] * 50),
            "test": [{**r, "id": f"t{i}"} for i, r in enumerate(rows([1] * 10, [1] * 90))]}
    for name, data in runs.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "items.json").write_text(json.dumps(data))
    script = Path(__file__).resolve().parents[1] / "evals" / "compare_runs.py"
    for by in ("document", "type"):
        out = subprocess.run([sys.executable, str(script), str(tmp_path / "before"), str(tmp_path / "after"),
                              "--mix", str(tmp_path / "test"), "--by", by],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        at = next(i for i, line in enumerate(out) if line.startswith("hit@5"))
        assert "0.500 -> 1.000" in out[at]  # on dev's own mix: +0.5
        assert f"weighted to test's {by} mix: +0.100 (+0.100..+0.100)" in out[at + 1]  # the report is 10 % of test


def test_calibrated_cutoffs_do_in_the_pipeline_what_the_sweep_counted(data_dir):
    """The sweep models refusal from recorded features; the cut-offs it picks, set on a real
    assistant, must refuse exactly the items it counted (guards and answer-type checks included)."""
    from assistant.assistant import Assistant
    from assistant.evaluate.calibrate import calibrate
    from assistant.settings import Settings

    dev = load_gold(split="dev")
    items = [i for i in dev if not i.refuse][:12] + [i for i in dev if i.refuse][:8]
    result = calibrate(Assistant.open(data_dir, build=False), items)
    assert result["n"] == len(items) and 0.10 <= result["min_sentence_similarity"] <= 0.80
    tuned = Assistant.open(data_dir, settings=Settings(min_sentence_similarity=result["min_sentence_similarity"],
                                                       min_term_coverage=result["min_term_coverage"]), build=False)
    correct = sum(tuned.ask(i.question).refused == i.refuse for i in items)
    assert correct == result["correct"]
