"""The quiz builder: facts, keys, provably wrong distractors, determinism, exports that parse."""
import csv
import io
import json
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.quiz import QuizBuilder
from assistant.quiz.builder import BLANK
from assistant.quiz.export import export

ROOT = Path(__file__).resolve().parents[1]
GIFT_PARSER = ROOT / "node_modules" / "gift-pegjs"


@pytest.fixture(scope="module")
def builder(assistant):
    return QuizBuilder(assistant)


@pytest.fixture(scope="module")
def quiz(builder):
    return builder.build("family networks", 12, ["mcq", "true_false", "cloze"], seed=7)


def test_every_question_carries_a_key_and_a_citation_that_proves_it(quiz, builder):
    assert len(quiz.questions) == 12
    assert {q.type for q in quiz.questions} == {"mcq", "true_false", "cloze"}
    for q in quiz.questions:
        c = q.citation
        assert c.quote in c.passage and c.title and c.section
        assert builder.snap.chunks[builder.snap.by_id[c.chunk_id]].text == c.passage
        if q.type in ("mcq", "cloze"):
            assert BLANK in q.stem and q.stem.replace(BLANK, q.answer) == q.statement
            assert q.answer.lower() in c.passage.lower() or q.answer.lower() in q.statement.lower()
        if q.type == "mcq":
            assert len(q.options) == 4 and q.answer in q.options and len(set(q.options)) == 4
        if q.type == "true_false" and q.answer == "False":
            assert q.stem != q.statement and q.distractors


def test_distractors_are_same_type_and_absent_from_the_passage(quiz, builder):
    for q in quiz.questions:
        for d in q.distractors:
            kind = q.term_type
            if kind != "number":
                assert d in builder.inventory.alternatives(kind, builder.inventory.aliases(kind, d)[0]) or \
                    any(d == g[0] for g in builder.inventory.groups[kind])
                assert not builder.inventory.mentions(q.citation.passage, kind, d)


def test_a_distractor_the_corpus_supports_is_rejected(builder):
    """A wrong option must be wrong everywhere, not just absent from the cited passage: the
    specification says the MACPT leads strategy discussions and section 47 enquiries, so "MACPT"
    cannot be a distractor for a statement that says so of the LCPP."""
    from assistant.quiz.facts import Fact

    statement = "The Lead Child Protection Practitioner is responsible for leading strategy discussions and section 47 enquiries."
    # cite a passage that mentions neither role, so only the corpus-wide check can reject it
    ci = next(i for i, c in enumerate(builder.snap.chunks)
              if c.doc_id == "dorset-pathfinder-update-2024" and "MACPT" not in c.text and "Multi-Agency" not in c.text)
    fact = Fact(ci, 0, statement, statement, builder.inventory.find(statement))
    hit = next(t for t in fact.terms if t.key == "Lead Child Protection Practitioner")
    passage = builder.snap.chunks[ci].text
    assert not builder._provably_wrong(fact, hit, "Multi-Agency Child Protection Team", passage)
    assert builder._provably_wrong(fact, hit, "Partnership Chair", passage)



def test_quiz_evaluator_flags_a_statement_the_corpus_makes(quiz, builder):
    """The evaluator's own check, which the builder does not make: the key swapped back into the
    stem says what the guidance says (a near paraphrase of one of its sentences); the
    distractors swapped in do not."""
    from assistant.evaluate.quiz import QuizQualityEvaluator

    ev = QuizQualityEvaluator()
    mcqs = [q for q in quiz.questions if q.type == "mcq" and q.term_type != "number"]
    assert mcqs
    for q in mcqs:
        assert ev._paraphrased(builder, q.statement, q.term_type, q.answer)
        for d in q.distractors:
            assert not ev._paraphrased(builder, q.stem.replace(BLANK, d), q.term_type, d)

def test_deterministic_for_a_seed_and_no_near_duplicates(builder, quiz):
    again = builder.build("family networks", 12, ["mcq", "true_false", "cloze"], seed=7)
    assert [q.model_dump() for q in again.questions] == [q.model_dump() for q in quiz.questions]
    other = builder.build("family networks", 12, ["mcq", "true_false", "cloze"], seed=8)
    assert [q.id for q in other.questions] != [q.id for q in quiz.questions]
    statements = [q.statement for q in quiz.questions]
    assert len(set(statements)) == len(statements)


def test_regenerating_one_question_keeps_the_others(builder, quiz):
    dropped = quiz.questions[2].id
    again = builder.build("family networks", 12, ["mcq", "true_false", "cloze"], seed=7, exclude={dropped})
    ids = [q.id for q in again.questions]
    assert dropped not in ids and len(ids) == 12
    assert [q.id for q in quiz.questions if q.id != dropped] == ids[:11]


def test_local_scope_uses_the_authority_documents(builder):
    local = builder.build("all", 40, ["cloze"], seed=3, authority="Dorset")
    kinds = {(q.citation.kind, q.citation.authority) for q in local.questions}
    assert ("local", "Dorset") in kinds
    assert all(q.citation.kind == "national" or q.citation.authority == "Dorset" for q in local.questions)
    national = builder.build("all", 40, ["cloze"], seed=3)
    assert all(q.citation.kind == "national" for q in national.questions)


def test_bad_options_get_clear_errors(builder):
    with pytest.raises(ValueError, match="unknown topic"):
        builder.build("knitting")
    with pytest.raises(ValueError, match="unknown question type"):
        builder.build("all", types=["essay"])
    with pytest.raises(ValueError, match="unknown document"):
        builder.build("all", documents=["nope"])


def test_moodle_xml_parses_back(quiz):
    root = ET.fromstring(export(quiz, "moodle-xml").split("\n", 1)[1])
    qs = [q for q in root.findall("question") if q.get("type") != "category"]
    assert len(qs) == len(quiz.questions)
    for el, q in zip(qs, quiz.questions):
        assert el.get("type") == {"mcq": "multichoice", "true_false": "truefalse", "cloze": "shortanswer"}[q.type]
        right = [a.findtext("text") for a in el.findall("answer") if a.get("fraction") == "100"]
        if q.type == "true_false":
            assert right == [q.answer.lower()]
        else:
            assert q.answer in right
        assert q.citation.quote in el.find("generalfeedback").findtext("text")


def test_csv_and_html_exports(quiz):
    rows = list(csv.DictReader(io.StringIO(export(quiz, "csv"))))
    assert [r["id"] for r in rows] == [q.id for q in quiz.questions]
    assert all(r["answer"] and r["quote"] for r in rows)
    page = export(quiz, "html")
    assert "Answer key" in page and page.count("<li>") >= 2 * len(quiz.questions)


@pytest.mark.skipif(not GIFT_PARSER.exists() or not shutil.which("node"),
                    reason="gift-pegjs not installed: run `npm install` (.ci/run does)")
def test_gift_parses_back_with_a_gift_parser(quiz, tmp_path):
    path = tmp_path / "quiz.gift"
    path.write_text(export(quiz, "gift"))
    parsed = json.loads(subprocess.run(["node", str(ROOT / "tests/js/parse_gift.js"), str(path)],
                                       capture_output=True, text=True, check=True).stdout)
    questions = [p for p in parsed if p["type"] != "Description"]
    assert len(questions) == len(quiz.questions)
    for p, q in zip(questions, quiz.questions):
        if q.type == "true_false":
            assert p["type"] == "TF" and p["isTrue"] == (q.answer == "True")
        elif q.type == "mcq":
            assert p["type"] == "MC"
            right = [c["text"]["text"] for c in p["choices"] if c["isCorrect"]]
            assert right == [q.answer]
            assert len(p["choices"]) == 4
        else:
            assert p["type"] == "Short"
            assert q.answer in [c["text"]["text"] for c in p["choices"]]


def test_quiz_cli(data_dir, tmp_path):
    out = tmp_path / "q.xml"
    res = CliRunner().invoke(app, ["quiz", "--topic", "child protection", "--n", "5", "--types", "mcq,cloze",
                                   "--seed", "7", "--out", str(out), "--data", str(data_dir)])
    assert res.exit_code == 0, res.output
    assert ET.parse(out).getroot().tag == "quiz"
    res = CliRunner().invoke(app, ["quiz", "--topic", "knitting", "--data", str(data_dir)])
    assert res.exit_code == 2 and "unknown topic" in res.output


def test_trainer_web_page(data_dir, assistant, tmp_path):
    import re

    from fastapi.testclient import TestClient

    from assistant.api import create_app

    client = TestClient(create_app(data_dir, tmp_path / "web.sqlite3", assistant=assistant))
    page = client.get("/quiz", params={"topic": "child protection", "n": 4, "seed": 5})
    assert page.status_code == 200
    ids = re.findall(r'<li class="app-turn" id="(q-[0-9a-f]+)"', page.text)
    assert len(ids) == 4 and page.text.count("govuk-inset-text") == 4  # each question shows its citation
    again = client.get("/quiz", params={"topic": "child protection", "n": 4, "seed": 5, "drop": ids[1]})
    new_ids = re.findall(r'<li class="app-turn" id="(q-[0-9a-f]+)"', again.text)
    assert ids[1] not in new_ids and new_ids[:1] == ids[:1] and len(new_ids) == 4
    gift = client.get("/quiz/export", params={"fmt": "gift", "topic": "child protection", "n": 4, "seed": 5})
    assert gift.status_code == 200 and gift.text.count("::Q") == 4
    assert client.get("/quiz", params={"topic": "knitting"}).status_code == 422
