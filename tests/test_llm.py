"""The optional LLM composer against a real OpenAI-compatible HTTP server on 127.0.0.1.

No PyPI-shipped model can answer guidance questions here (see README), so the server started
in this test replies with scripted completions; the HTTP API, langchain client and the
verification step are all real. The script is chosen so each verification rule is exercised.
"""
import re
import time

import pytest
from conftest import live_server
from fastapi import FastAPI

from assistant import Assistant
from assistant.compose.llm import OpenAICompatibleGenerator

SCRIPT = {"reply": ""}


def make_server():
    app = FastAPI()

    @app.post("/v1/chat/completions")
    def complete(body: dict):
        prompt = SCRIPT["prompt"] = body["messages"][-1]["content"]
        content = SCRIPT["reply"].replace("{fgc}", str(passage_number(prompt, "pre-proceedings letter sent to a family")))
        content = content.replace("{first sentence}", first_sentence(prompt))
        return {
            "id": "x", "object": "chat.completion", "created": int(time.time()), "model": body.get("model", "m"),
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    return app


def passage_number(prompt: str, phrase: str) -> int:
    """The [n] the prompt gave the passage containing `phrase` (a model would read it the same way)."""
    parts = re.split(r"\n\[(\d+)\] ", "\n" + prompt.split("Passages:", 1)[1])
    for n, body in zip(parts[1::2], parts[2::2]):
        if phrase in body:
            return int(n)
    return 99


def first_sentence(prompt: str) -> str:
    """A model that answers with the first sentence of passage [1], cited: what a faithful model
    does when the top passage answers."""
    body = prompt.split("Passages:", 1)[1].split("\n[2] ", 1)[0]
    text = body.split("\n", 2)[2].strip()  # after the "[1] title › section" line
    return re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].lstrip("- ") + " [1]"


@pytest.fixture(scope="module")
def server_url():
    with live_server(make_server()) as url:
        yield f"{url}/v1"


Q = "When must we offer a family group conference?"


def test_unsupported_sentences_are_removed(data_dir, server_url):
    a = Assistant.open(data_dir, build=False, generator=OpenAICompatibleGenerator(server_url))
    SCRIPT["reply"] = (
        "Local areas must offer and use the FGC model at the point of a pre-proceedings letter sent to a family [{fgc}]. "
        "Families are paid £500 for attending every conference [{fgc}]. "
        "The conference is chaired by a judge [9]."
    )
    ans = a.ask(Q)
    assert "[1]" in SCRIPT["prompt"] and "Passages:" in SCRIPT["prompt"]  # the model saw numbered passages
    assert ans.composer == "llm"
    assert "pre-proceedings letter" in ans.answer
    assert "£500" not in ans.answer and "judge" not in ans.answer
    assert {c.n for c in ans.citations} == {1}


def test_fully_unsupported_answer_falls_back_to_extractive(data_dir, server_url):
    a = Assistant.open(data_dir, build=False, generator=OpenAICompatibleGenerator(server_url))
    SCRIPT["reply"] = "Family group conferences happen on Tuesdays in the town hall [1]. They last exactly 3 hours [2]."
    ans = a.ask(Q)
    assert ans.composer.startswith("extractive")
    assert not ans.refused and "pre-proceedings" in ans.answer


def test_unreachable_model_falls_back(data_dir):
    a = Assistant.open(data_dir, build=False, generator=OpenAICompatibleGenerator("http://127.0.0.1:9/v1", timeout=2))
    ans = a.ask(Q)
    assert ans.composer == "extractive (LLM unavailable)" and ans.citations


def test_eval_scores_the_llm_composer(data_dir, server_url, tmp_path):
    """`assistant eval --llm URL` puts the LLM composer through the same gold items: the per-item
    composer, the share of answers that survived verification, and the generate stage's latency."""
    import json

    import yaml
    from typer.testing import CliRunner

    from assistant.cli import app
    from assistant.evaluate.gold import load_gold

    dev = load_gold(split="dev")
    items = [i for i in dev if not i.refuse][:6] + [i for i in dev if i.refuse][:2]
    gold = tmp_path / "gold.yaml"
    gold.write_text(yaml.safe_dump({"items": [i.model_dump() for i in items]}))
    loose = tmp_path / "t.yaml"
    loose.write_text(yaml.safe_dump({"thresholds": {"answers.citation_validity": {"min": 1.0}}}))

    def run(reply: str, out):
        SCRIPT["reply"] = reply
        res = CliRunner().invoke(app, ["eval", "--split", "dev", "--gold", str(gold), "--thresholds", str(loose),
                                       "--no-baselines", "--no-quiz", "--no-coverage", "--llm", server_url,
                                       "--data", str(data_dir), "--out", str(out)])
        assert res.exit_code == 0, res.output
        return json.loads((out / "summary.json").read_text()), json.loads((out / "items.json").read_text()), res.output

    summary, rows, output = run("{first sentence}", tmp_path / "faithful")
    agg = summary["systems"]["assistant"]
    answered = [r for r in rows if not r["refused"]]
    assert answered and all(r["composer"] in ("llm", "extractive (LLM answer not supported)") for r in answered)
    assert agg["answers.llm_answer_rate"] > 0.5 and agg["answers.citation_precision"] == 1.0
    assert agg["latency.generate_ms_p50"] > 0
    assert summary["run"]["composer"] == f"llm local at {server_url}"
    assert "answers.llm_answer_rate" in output and "LLM answers kept" in (tmp_path / "faithful" / "report.html").read_text()

    summary, rows, _ = run("Conferences are held on Tuesdays in the town hall [1].", tmp_path / "unsupported")
    assert summary["systems"]["assistant"]["answers.llm_answer_rate"] == 0.0
    assert {r["composer"] for r in rows if not r["refused"]} == {"extractive (LLM answer not supported)"}


def test_the_web_api_answers_through_the_llm_composer(data_dir, server_url):
    """`assistant serve --llm URL --workers N` hands each worker its Settings, LLM included."""
    from fastapi.testclient import TestClient

    from assistant.api.app import app_for
    from assistant.settings import Settings

    SCRIPT["reply"] = "{first sentence}"
    with TestClient(app_for(Settings(data=data_dir, llm_url=server_url))) as client:
        body = client.post("/api/ask", json={"question": Q}).json()
    assert body["composer"] == "llm" and body["citations"] and body["answer"].endswith("[1]")


def test_the_model_gets_the_question_as_searched(data_dir, server_url):
    """No personal data leaves for the model, and a follow-up reaches it whole."""
    a = Assistant.open(data_dir, build=False, generator=OpenAICompatibleGenerator(server_url))
    SCRIPT["reply"] = "{first sentence}"
    a.ask("Olivia Brown, DOB 21/09/2012: when must we offer a family group conference?")
    assert "Olivia" not in SCRIPT["prompt"] and "2012" not in SCRIPT["prompt"]
    assert "when must we offer a family group conference" in SCRIPT["prompt"].lower()
    a.ask("and at pre-proceedings?", history=["When must we offer FGDM?"])
    assert "When must we offer FGDM at pre-proceedings?" in SCRIPT["prompt"]
