"""The optional LLM composer against a real OpenAI-compatible HTTP server on 127.0.0.1.

No PyPI-shipped model can answer guidance questions here (see README), so the server started
in this test replies with scripted completions; the HTTP API, langchain client and the
verification step are all real. The script is chosen so each verification rule is exercised.
"""
import re
import time

import pytest
from fastapi import FastAPI

from assistant import Assistant
from conftest import live_server
from assistant.compose.llm import OpenAICompatibleGenerator

SCRIPT = {"reply": ""}


def make_server():
    app = FastAPI()

    @app.post("/v1/chat/completions")
    def complete(body: dict):
        prompt = SCRIPT["prompt"] = body["messages"][-1]["content"]
        content = SCRIPT["reply"].replace("{fgc}", str(passage_number(prompt, "pre-proceedings letter sent to a family")))
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
