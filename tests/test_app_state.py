"""The web app's state (history, feedback) behind SQLAlchemy: the same behaviour on SQLite and on a
real PostgreSQL server started here, only redacted text stored, and nothing kept past retention."""
import tempfile
import time

import pytest
from servers import start_postgres
from sqlalchemy import text, update

from assistant.api.store import Store, turns
from assistant.models import Answer

RAW = "Kayleigh Jones, born 03/04/2019, lives at 12 Elm Road in Tunbridge Wells: who is her FHLP?"


@pytest.fixture(scope="module")
def postgres_url():
    import shutil

    folder = tempfile.mkdtemp(prefix="assistant-pg-")
    url, proc = start_postgres(folder)
    yield url
    proc.terminate()
    proc.wait(timeout=30)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        yield Store(tmp_path / "web.sqlite3")
    else:
        s = Store(request.getfixturevalue("postgres_url"))
        yield s
        with s.engine.begin() as db:  # the server outlives the test: leave its tables empty
            db.execute(text("DELETE FROM turns")); db.execute(text("DELETE FROM feedback"))  # noqa: E702


def _answer(question: str, refused: bool = False) -> Answer:
    return Answer(question=question, answer="an answer", refused=refused, confidence=0.3 if refused else 0.9)


def test_history_and_feedback_round_trip_with_only_redacted_text(store):
    turn = store.add_turn("u1", "c1", _answer(RAW, refused=True))
    store.add_turn("u2", "c9", _answer("Who chairs conferences?"))
    [mine] = store.turns("u1")
    assert mine["id"] == turn and mine["refused"] and "Kayleigh" not in mine["question"]
    assert "Kayleigh" not in mine["answer"].question and "Elm Road" not in mine["question"]
    assert store.turn("u2", turn) is None  # another user's turn is not theirs to read
    store.add_feedback("u1", turn, helpful=False, reason="Kayleigh Jones was not found")
    [fb] = store.feedback(turn)
    assert fb["helpful"] == 0 and "Kayleigh" not in fb["reason"]
    gaps = store.low_confidence_turns()
    assert [g["refused"] for g in gaps] == [1] and "Kayleigh" not in gaps[0]["question"]
    with store.engine.connect() as db:  # nothing raw anywhere in the database
        dump = " ".join(str(v) for table in ("turns", "feedback")
                        for row in db.execute(text(f"SELECT * FROM {table}")) for v in row)
    assert "Kayleigh" not in dump and "Elm Road" not in dump and "03/04/2019" not in dump
    assert store.delete_history("u1") == 1 and store.turns("u1") == [] and store.feedback(turn) == []
    assert len(store.turns("u2")) == 1


def test_nothing_is_kept_past_the_retention_period(store):
    old = store.add_turn("u1", "c1", _answer("Who chairs conferences?"))
    store.add_feedback("u1", old, helpful=True, reason=None)
    with store.engine.begin() as db:  # written 31 days ago
        db.execute(update(turns).values(created=time.time() - 31 * 86400))
        db.execute(text("UPDATE feedback SET created = :t"), {"t": time.time() - 31 * 86400})
    recent = store.add_turn("u1", "c1", _answer("Who leads section 47 enquiries?"))  # a write purges
    assert [t["id"] for t in store.turns("u1")] == [recent] and store.feedback(old) == []


def test_retention_zero_keeps_history_until_the_user_deletes_it(tmp_path):
    store = Store(tmp_path / "web.sqlite3", retention_days=0)
    turn = store.add_turn("u1", "c1", _answer("Who chairs conferences?"))
    with store.engine.begin() as db:
        db.execute(update(turns).values(created=time.time() - 400 * 86400))
    assert store.purge() == 0 and [t["id"] for t in store.turns("u1")] == [turn]


def test_the_web_app_keeps_its_state_in_postgresql(postgres_url, data_dir, assistant):
    from fastapi.testclient import TestClient

    from assistant.api.app import create_app
    from assistant.settings import Settings

    app = create_app(data_dir, assistant=assistant, settings=Settings(database_url=postgres_url))
    with TestClient(app) as client:
        r = client.post("/api/ask", json={"question": "Who should be the family help lead practitioner?"})
        assert r.status_code == 200 and r.json()["citations"]
        history = client.get("/api/history").json()
    assert history and history[-1]["question"].startswith("Who should be")
    with app.state.store.engine.connect() as db:
        assert db.execute(text("SELECT count(*) FROM turns")).scalar() >= 1
        assert app.state.store.engine.dialect.name == "postgresql"


RED_TEAM = [
    "Jane Smith, born 3/4/2019, told me Jane Smith was hit. Who leads the enquiry?",
    "Who leads the s47 for Kayleigh Jones and what is the capital of France?",
    "kayleigh jones born 03/04/2019 lives at 12 Elm Road in Tunbridge Wells: who is her FHLP?",
    "Jayden (aged 4) at Oakwood Primary has bruises, who leads?",
    "the Smith family need an FGC, when is it offered?",
    "my client tyler brown (dob 01/02/2018) needs an FNSP, can his nan get one?",
]
RAW_PARTS = ["Jane Smith", "Kayleigh", "kayleigh", "Jones", "jones", "3/4/2019", "03/04/2019", "Elm Road", "Tunbridge",
       "Jayden", "Oakwood", "Smith family", "tyler", "brown", "01/02/2018"]


def test_no_raw_personal_data_in_the_database_logs_or_gap_report_after_the_red_team_phrasings(
        data_dir, assistant, tmp_path, caplog):
    import logging

    from fastapi.testclient import TestClient

    from assistant.api.app import create_app

    caplog.set_level(logging.DEBUG)
    app = create_app(data_dir, tmp_path / "web.sqlite3", assistant=assistant)
    with TestClient(app) as client:
        for q in RED_TEAM:
            r = client.post("/api/ask", json={"question": q, "history": [RED_TEAM[0]]})
            assert r.status_code == 200
            client.post("/api/feedback", json={"turn_id": r.json()["turn_id"], "helpful": False,
                                               "reason": f"nothing about {q}"})
            with client.stream("POST", "/api/ask/stream", json={"question": q}) as s:
                assert s.status_code == 200 and "event: done" in "".join(s.iter_text())
        page = client.get("/")
        token = page.text.split('name="csrf" value="')[1].split('"')[0]
        assert client.post("/ask", data={"question": RED_TEAM[2], "send_anyway": "1", "csrf": token},
                           follow_redirects=False).status_code == 303
        gap_report = client.get("/coverage").text + client.get("/coverage/export", params={"fmt": "html"}).text
        history = client.get("/history").text
    with app.state.store.engine.connect() as db:
        dump = " ".join(str(v) for table in ("turns", "feedback") for row in db.execute(text(f"SELECT * FROM {table}"))
                        for v in row)
    assert "[NAME]" in dump  # the turns were stored, redacted
    for where, content in (("database", dump), ("logs", caplog.text), ("gap report", gap_report),
                           ("history page", history)):
        leaked = [r for r in RAW_PARTS if r in content]
        assert not leaked, f"{where} holds {leaked}"
