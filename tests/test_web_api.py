"""The JSON API and the no-JavaScript pages, through the real FastAPI app (TestClient)."""
import json
import re

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app


def _token(client) -> str:
    """The CSRF token the chat page gives this client's user for its forms."""
    return re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/").text).group(1)


@pytest.fixture(scope="module")
def client(data_dir, assistant, tmp_path_factory):
    db = tmp_path_factory.mktemp("web") / "web.sqlite3"
    return TestClient(create_app(data_dir, db, assistant=assistant))


def test_ask_returns_the_json_contract_with_a_turn_id(client):
    r = client.post("/api/ask", json={"question": "When must we offer a family group conference?"})
    assert r.status_code == 200
    body = r.json()
    for key in ("question", "answer", "refused", "reason", "citations", "timings_ms", "turn_id", "pii_detected"):
        assert key in body
    assert not body["refused"] and "pre-proceedings" in body["answer"]
    ns = {c["n"] for c in body["citations"]}
    assert ns and all(f"[{n}]" in body["answer"] for n in ns)


@pytest.mark.parametrize("payload,status", [
    ({"question": ""}, 422),
    ({"question": "   "}, 422),
    ({"question": "x" * 5000}, 422),
    ({}, 422),
    ({"question": "FNSP eligibility?", "filters": {"document": ["no-such-doc"]}}, 404),
    ({"question": "FNSP eligibility?", "filters": {"kind": ["bogus"]}}, 422),
])
def test_bad_requests_get_clear_4xx(client, payload, status):
    r = client.post("/api/ask", json=payload)
    assert r.status_code == status
    assert r.json()["detail"]


def test_filters_restrict_citations(client):
    r = client.post("/api/ask", json={"question": "What did Dorset do about family group conferences?",
                                      "filters": {"authority": ["Dorset"]}})
    body = r.json()
    assert not body["refused"]
    assert {c["authority"] for c in body["citations"]} == {"Dorset"}


def test_stream_sends_meta_deltas_and_done(client):
    with client.stream("POST", "/api/ask/stream", json={"question": "Who must facilitate family group decision making?"}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        raw = "".join(r.iter_text())
    events = [(b.split("\n")[0][7:], json.loads(b.split("\n")[1][6:])) for b in raw.strip().split("\n\n")]
    names = [e for e, _ in events]
    assert names[0] == "meta" and names[-1] == "done" and names.count("delta") >= 1
    streamed = "".join(d["text"] for e, d in events if e == "delta")
    done = events[-1][1]
    assert streamed == done["answer"]["answer"]
    assert "app-cite" in done["html"] and done["turn_id"] >= 1
    assert client.post("/api/ask/stream", json={"question": ""}).status_code == 422
    # the question never travels in a URL
    assert client.get("/api/ask/stream", params={"question": "Who leads?"}).status_code == 405


def test_refusal_and_emergency(client):
    r = client.post("/api/ask", json={"question": "What is the capital of France?"}).json()
    assert r["refused"] and r["reason"] and r["citations"] == []
    r = client.post("/api/ask", json={"question": "A child is in immediate danger at home, who leads the section 47 enquiry?"}).json()
    assert r["emergency"] and r["answer"].startswith("If a child is in immediate danger, call 999")


def test_search_documents_and_paragraph_anchors(client):
    hits = client.get("/api/search", params={"q": "FNSP eligibility", "k": 3}).json()
    assert len(hits) == 3 and hits[0]["anchor"].startswith("p-")
    docs = client.get("/api/documents").json()
    assert {"design-spec-wave2-full", "dorset-pathfinder-update-2024"} <= {d["doc_id"] for d in docs}
    full = client.get("/api/documents/design-spec-wave2-full").json()
    assert full["passages"] and full["chunks"] == len(full["passages"])
    page = client.get("/documents/design-spec-wave2-full")
    assert page.status_code == 200 and f'id="{full["passages"][3]["anchor"]}"' in page.text
    assert client.get("/api/documents/nope").status_code == 404
    assert client.get("/documents/nope").status_code == 404
    assert client.get("/api/search", params={"q": ""}).status_code == 422


def test_feedback_is_stored_and_checked(client):
    turn = client.post("/api/ask", json={"question": "Who are the lead safeguarding partners?"}).json()["turn_id"]
    r = client.post("/api/feedback", json={"turn_id": turn, "helpful": False, "reason": "Missing detail, ring 07700 900123"})
    assert r.status_code == 201
    stored = client.app.state.store.feedback(turn)
    assert stored[-1]["helpful"] == 0 and "07700" not in stored[-1]["reason"] and "[PHONE]" in stored[-1]["reason"]
    assert client.post("/api/feedback", json={"turn_id": 999999, "helpful": True}).status_code == 404
    # another user cannot leave feedback on this answer
    other = TestClient(client.app)
    assert other.post("/api/feedback", json={"turn_id": turn, "helpful": True}).status_code == 404


def test_history_is_redacted_per_user_and_deletable(client):
    q = "Olivia Brown DOB 21/09/2012, NHS 943 476 5919: who leads the section 47 enquiry?"
    r = client.post("/api/ask", json={"question": q})
    assert set(r.json()["pii_detected"]) == {"NAME", "DATE", "NHS_NUMBER"}
    # misspelt, so the answer's searched_for repeats the question: stored redacted too
    r = client.post("/api/ask", json={"question": "Olivia Brown DOB 21/09/2012: who leads the secton 47 enquirey?"})
    assert "Olivia" in r.json()["searched_for"]  # the user's own question, shown back to them
    hist = client.get("/api/history").json()
    dumped = json.dumps(hist)
    assert "Olivia" not in dumped and "5919" not in dumped and "[NHS_NUMBER]" in dumped
    other = TestClient(client.app)
    assert other.get("/api/history").json() == []
    assert client.delete("/api/history").json()["deleted"] >= 1
    assert client.get("/api/history").json() == []


def test_pii_check_endpoint(client):
    r = client.post("/api/pii", json={"text": "Mum Sarah at 22 Mill Lane, TS18 1AB"}).json()
    assert set(r["kinds"]) == {"NAME", "ADDRESS", "POSTCODE"} and "Sarah" not in r["redacted"]


def test_no_javascript_flow(client):
    page = client.get("/")
    assert page.status_code == 200 and 'action="/ask"' in page.text
    # personal data: warned first, nothing stored until "send anyway"
    before = len(client.get("/api/history").json())
    warn = client.post("/ask", data={"csrf": _token(client), "question": "My son Harry needs an FGC at pre-proceedings"})
    assert "personal data" in warn.text and "Send anyway" in warn.text
    assert len(client.get("/api/history").json()) == before
    r = client.post("/ask", data={"csrf": _token(client), "question": "My son Harry needs an FGC at pre-proceedings", "send_anyway": "1"},
                    follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/")
    assert "[NAME]" in page.text and "Harry" not in page.text and "app-cite" in page.text
    assert client.post("/ask", data={"csrf": _token(client), "question": ""}).status_code == 422


def test_health_and_openapi(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["documents"] >= 8
    spec = client.get("/openapi.json").json()
    for path in ("/api/ask", "/api/ask/stream", "/api/search", "/api/documents", "/api/documents/{doc_id}",
                 "/api/feedback", "/api/history", "/healthz", "/readyz"):
        assert path in spec["paths"], path


def test_a_part_not_covered_is_shown_and_copied(client):
    question = "Who leads section 47 enquiries, and what are Ofsted's inspection ratings for MACPTs?"
    r = client.post("/api/ask", json={"question": question}).json()
    assert not r["refused"] and r["not_covered"][0]["part"] == "What are Ofsted's inspection ratings for MACPTs?"
    assert client.post("/ask", data={"csrf": _token(client), "question": question}, follow_redirects=False).status_code == 303
    page = client.get("/").text
    assert "does not cover this part of your question" in page
    assert "What are Ofsted&#39;s inspection ratings for MACPTs?" in page
    assert "The guidance I hold does not cover: “What are Ofsted&#39;s inspection ratings for MACPTs?”" in page  # copy text
    assert r["not_covered"][0]["reason"] in page.replace("&#39;", "'")  # why, under the part


def test_a_refusal_for_missing_guidance_asks_the_chat_user_to_have_it_added(client):
    question = "When must the core group first meet?"
    r = client.post("/api/ask", json={"question": question}).json()
    assert r["refused"] and "core group" in r["missing_guidance"]
    client.post("/ask", data={"csrf": _token(client), "question": question}, follow_redirects=False)
    page = client.get("/").text
    assert "ask whoever looks after this assistant to add guidance on “core group”" in page
    assert "assistant ingest" not in page  # a chat user cannot run the CLI


def test_the_web_chat_shows_the_corrected_question(client):
    client.post("/ask", data={"csrf": _token(client), "question": "who shoud be the lead practioner in family help?"}, follow_redirects=False)
    page = client.get("/").text
    assert "Searched for: <q>who should be the lead practitioner in family help?</q>" in page


def test_a_follow_up_is_read_as_the_whole_question_it_stands_for(client):
    """In a conversation, "and for a child on a child protection plan?" extends the previous question;
    the answer says what was searched, and the next follow-up chains on from that."""
    conv = {"conversation": "follow-ups"}
    client.post("/api/ask", json={"question": "Who should be the Family Help Lead Practitioner?", **conv})
    r = client.post("/api/ask/stream", json={**conv, "question": "and for a child on a child protection plan?"})
    done = json.loads(r.text.split("event: done\ndata: ")[1].split("\n")[0])["answer"]
    assert done["searched_for"] == "Who should be the Family Help Lead Practitioner for a child on a child protection plan?"
    assert "should always be a social worker" in done["answer"]


def test_every_response_carries_the_security_headers(client):
    for path in ("/", "/healthz", "/api/documents", "/static/app.js"):
        r = client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"], path
        assert "script-src 'self'" in r.headers["content-security-policy"] and r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "same-origin"
    assert "<script>" not in client.get("/").text  # no inline script for the policy to block


def test_oversized_history_items_and_filter_lists_get_a_clear_4xx(client):
    long_item = {"question": "Who leads an FGC?", "history": ["x" * 5000]}
    r = client.post("/api/ask", json=long_item)
    assert r.status_code == 422 and "history" in r.json()["detail"]
    many = {"question": "Who leads an FGC?", "filters": {"authority": [f"A{i}" for i in range(101)]}}
    r = client.post("/api/ask", json=many)
    assert r.status_code == 422 and "authority" in r.json()["detail"]
    huge_filter = {"question": "Who leads an FGC?", "filters": {"authority": [f"A{i}" for i in range(33000)]}}
    r = client.post("/api/ask", json=huge_filter)
    assert r.status_code == 413 and r.json()["detail"]  # refused before it is read


def test_forms_need_their_token_and_other_sites_change_nothing(client):
    before = len(client.get("/api/history").json())
    assert client.post("/ask", data={"question": "Who leads an FGC?"}).status_code == 403
    assert client.post("/history/delete").status_code == 403
    forged = client.post("/ask", data={"question": "Who leads an FGC?", "csrf": "0" * 32})
    assert forged.status_code == 403 and "reload the page" in forged.text
    cross = client.post("/api/ask", json={"question": "Who leads an FGC?"}, headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    assert client.delete("/api/history", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert len(client.get("/api/history").json()) == before


def test_a_user_id_the_server_never_issued_is_ignored(client):
    from fastapi.testclient import TestClient

    stranger = TestClient(client.app)
    client.post("/api/ask", json={"question": "Who leads an FGC?"})
    assert client.get("/api/history").json()
    mine = client.cookies.get("ffa_user")
    assert mine and "." in mine  # signed
    stranger.cookies.set("ffa_user", mine.split(".")[0] + ".forged")
    r = stranger.get("/api/history")
    assert r.json() == [] and stranger.cookies.get("ffa_user") != mine


def test_a_user_asking_too_fast_is_told_to_wait(data_dir, assistant, tmp_path):
    from fastapi.testclient import TestClient

    from assistant.settings import Settings

    app = create_app(data_dir, tmp_path / "web.sqlite3", assistant=assistant, settings=Settings(rate_limit_per_minute=3))
    one, two = TestClient(app), TestClient(app)
    one.get("/")  # the chat page gives this browser its session
    codes = [one.post("/api/ask", json={"question": "Who leads an FGC?"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = one.post("/api/ask", json={"question": "Who leads an FGC?"})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0 and "a minute" in r.json()["detail"]
    # another user is not held back by the first
    assert two.post("/api/ask", json={"question": "Who leads an FGC?"}).status_code == 200


def test_an_oversized_body_gets_a_413(client):
    r = client.post("/api/ask", content=b'{"question": "' + b"x" * 70000 + b'"}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 413 and "larger than" in r.json()["detail"]
