"""The external suite: frozen, well formed, built into an index of its own, and scored with the check
that a question naming a council never cites another council's papers."""
import shutil

import yaml

from assistant.evaluate.authority import AuthorityEvaluator
from assistant.evaluate.gold import GoldItem, load_gold
from assistant.evaluate.suites import SUITES, fingerprints, read_frozen
from assistant.evaluate.systems import Passage, SystemOutput


def test_the_external_suite_is_as_frozen():
    """Its questions and documents change only by a recorded decision to re-freeze (FROZEN)."""
    assert fingerprints() == read_frozen()


def test_the_external_suite_has_the_shape_it_promises():
    suite = SUITES["external"]
    docs = yaml.safe_load(suite.manifest.read_text(encoding="utf-8"))["documents"]
    assert len(docs) >= 12 and len({d["authority"] for d in docs}) >= 8
    items = load_gold(suite.gold)
    assert len(items) >= 150 and {i.split for i in items} == {"external"}
    assert sum(i.refuse for i in items) >= 30
    assert {"yesno", "list", "comparison", "count"} <= {i.type for i in items}


def test_the_suite_builds_beside_the_users_index_and_its_quotes_are_in_it(data_dir, tmp_path):
    from assistant import Assistant
    from assistant.evaluate.lint import lint_gold

    data = tmp_path / "data"
    shutil.copytree(data_dir, data)
    suite = SUITES["external"]
    folder = suite.prepare(data)
    assert folder == data / "suites" / "external"
    a = Assistant.open(folder, build=False)
    assert {d.meta.authority for d in a.snapshot.documents.values()} >= {"Brackenshire", "Westmarsh", "Kingsmere"}
    assert lint_gold(load_gold(suite.gold), a.snapshot) == []
    # the user's own index is untouched
    assert "brackenshire-fgc" not in Assistant.open(data, build=False).snapshot.documents


def _out(*authorities):
    return SystemOutput(ranked=[], answer="x", cited=[Passage(doc_id="d", text="t", authority=a) for a in authorities])


def test_another_councils_papers_cited_for_a_named_council_are_counted():
    named = {"Brackenshire and Westmarsh?": {"Brackenshire", "Westmarsh"}, "in Brackenshire?": {"Brackenshire"}}
    ev = AuthorityEvaluator(lambda q: named.get(q, set()))
    items = [GoldItem(id="a", split="external", type="when", question="in Brackenshire?"),
             GoldItem(id="b", split="external", type="comparison", question="Brackenshire and Westmarsh?"),
             GoldItem(id="c", split="external", type="when", question="nationally?")]
    res = ev.evaluate("assistant", items, [_out("Westmarsh", None), _out("Westmarsh", "Brackenshire"), _out("Kingsmere")])
    assert [r["other_council_cited"] for r in res.per_item] == [1, 0]  # c names no council: not counted
    assert res.aggregate == {"other_council_cited": 0.5, "naming_a_council": 2}


def test_an_unknown_suite_is_refused_clearly():
    from typer.testing import CliRunner

    from assistant.cli import app

    result = CliRunner().invoke(app, ["eval", "--suite", "nope"])
    assert result.exit_code != 0 and "--suite must be one of gold, external, external-dev" in result.output
