"""The web chat in a real browser: Debian's headless chromium driven by Playwright, against a
live uvicorn on 127.0.0.1. Screenshots go to test-artifacts/. axe-core (npm) checks accessibility."""
import shutil
from pathlib import Path

import pytest
from conftest import live_server

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def server(data_dir, assistant, tmp_path_factory):
    from assistant.api import create_app

    app = create_app(data_dir, tmp_path_factory.mktemp("web") / "web.sqlite3", assistant=assistant)
    with live_server(app) as url:
        yield url, app


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _ask(page, question: str, nth: int | None = None):
    """Type a question, press Ask, wait for the new turn (the last, or the nth) and return it."""
    page.fill("#question", question)
    page.click("#ask-button")
    turns = page.locator("#conversation .app-turn")
    turn = turns.last if nth is None else turns.nth(nth)
    turn.wait_for(timeout=20000)
    return turn


def _axe(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not a script tag: the page's CSP allows none but its own
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_ask_see_cited_answer_open_source_and_give_feedback(server, browser):
    url, app = server
    page = browser.new_page()
    page.goto(url)
    turn = _ask(page, "Who should be the family help lead practitioner?")
    assert "Family Help Lead Practitioner" in turn.locator(".app-answer-html").inner_text()
    page.screenshot(path=str(ARTIFACTS / "01-answer.png"), full_page=True)
    # "Copy answer with references" copies the answer and its references (it once copied the name of
    # a Python method: the template's t.copy found dict.copy)
    copy_text = turn.locator(".app-copy-text").input_value()
    assert copy_text.startswith(turn.locator(".app-answer-html").inner_text().split("[1]")[0].strip()[:40])
    assert "\n\nReferences\n[1] " in copy_text
    # open a citation: the side panel shows the passage with the quoted sentence highlighted
    turn.locator(".app-answer-html a.app-cite").first.click()
    panel = page.locator("#source-panel")
    panel.wait_for(state="visible")
    mark = panel.locator("mark").inner_text()
    assert mark and mark in panel.locator("#panel-passage").inner_text()
    assert page.locator("#panel-section").inner_text()
    assert page.locator("#panel-kind").inner_text().strip()  # kind badge: national / authority / evidence
    page.screenshot(path=str(ARTIFACTS / "02-source-panel.png"), full_page=True)
    # the link to the full document lands on the cited paragraph
    href = page.locator("#panel-link").get_attribute("href")
    assert href.startswith("/documents/") and "#p-" in href
    # feedback is stored
    turn_id = int(turn.get_attribute("data-turn"))
    turn.locator("input[name=reason]").fill("clear answer")
    turn.locator("button[name=helpful][value=yes]").click()
    page.locator(".app-feedback-thanks").wait_for()
    assert app.state.store.feedback(turn_id)[-1]["helpful"] == 1
    # follow-up question uses the conversation
    follow_up = _ask(page, "and at pre-proceedings?", nth=1)
    assert page.locator("#conversation .app-turn").count() == 2
    # read as the whole question it stands for, and shown so
    follow_up.locator(".app-searched-for").wait_for()
    assert "lead practitioner at pre-proceedings" in follow_up.locator(".app-searched-for").inner_text()
    page.close()


def test_refusal_looks_different_and_pii_warns(server, browser):
    url, _ = server
    page = browser.new_page()
    page.goto(url)
    _ask(page, "What is the statutory deadline for issuing an EHCP?")
    refusal = page.locator("#conversation .app-refusal").last
    assert "does not cover this" in refusal.inner_text()
    page.screenshot(path=str(ARTIFACTS / "03-refusal.png"), full_page=True)
    # personal data: a warning before anything is sent
    n = page.locator("#conversation .app-turn").count()
    page.fill("#question", "Jayden Smith, DOB 03/04/2016, needs an FGC: when is it offered?")
    page.click("#ask-button")
    page.locator("#pii-js-warning").wait_for(state="visible")
    assert "name" in page.locator("#pii-kinds").inner_text()
    page.screenshot(path=str(ARTIFACTS / "04-pii-warning.png"), full_page=True)
    assert page.locator("#conversation .app-turn").count() == n
    page.click("#js-send-anyway")
    page.locator("#conversation .app-turn").nth(n).wait_for(timeout=20000)
    assert "Jayden" not in page.locator("#conversation .app-turn").nth(n).inner_text()
    page.close()


def test_works_without_javascript_and_at_320px(server, browser):
    url, _ = server
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    page = ctx.new_page()
    page.goto(url)
    page.fill("#question", "Can a special guardian get a Family Network Support Package?")
    page.click("#ask-button")
    page.wait_for_load_state()
    turn = page.locator("#conversation .app-turn").last
    assert "not eligible" in turn.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.screenshot(path=str(ARTIFACTS / "05-no-js-320px.png"), full_page=True)
    # a citation without JavaScript opens the document at the cited paragraph
    turn.locator(".app-answer-html a.app-cite").first.click()
    page.wait_for_load_state()
    assert "/documents/" in page.url and "#p-" in page.url
    anchor = page.url.split("#")[1]
    assert page.locator(f"#{anchor}").is_visible()
    page.screenshot(path=str(ARTIFACTS / "06-document-view.png"))
    ctx.close()


def test_keyboard_only(server, browser):
    url, _ = server
    page = browser.new_page()
    page.goto(url)
    page.keyboard.press("Tab")  # skip link first
    assert page.evaluate("document.activeElement.className").find("govuk-skip-link") >= 0
    page.focus("#question")
    page.keyboard.type("Who chairs child protection conferences under the pathfinder?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator("#conversation .app-turn").last.wait_for(timeout=20000)
    cite = page.locator("#conversation .app-answer-html a.app-cite").first
    cite.focus()
    page.keyboard.press("Enter")
    page.locator("#source-panel").wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "source-panel"
    page.close()


@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed: run `npm install` (.ci/run does)")
def test_axe_no_serious_or_critical_violations(server, browser):
    url, _ = server
    page = browser.new_page()
    page.goto(url)
    _ask(page, "What must parents be told when a section 47 enquiry starts?")
    page.locator("#conversation a.app-cite").first.click()
    assert _axe(page) == []
    page.goto(url + "/documents/design-spec-wave2-full")
    assert _axe(page) == []
    page.goto(url + "/history")
    assert _axe(page) == []
    page.goto(url + "/quiz?topic=family+networks&n=5")
    assert _axe(page) == []
    page.screenshot(path=str(ARTIFACTS / "07-quiz-builder.png"), full_page=True)
    # the first coverage check of an authority matches 140 expectations (about 15 s on 2 cores)
    page.goto(url + "/coverage?authority=Lincolnshire", timeout=120000)
    assert _axe(page) == []
    page.screenshot(path=str(ARTIFACTS / "08-coverage.png"))
    page.close()


def test_the_api_reference_works_offline(server, browser):
    """/docs loads Swagger UI from this site (no network here) and lists the API's operations."""
    url, _ = server
    page = browser.new_page()
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(url + "/docs")
    page.locator(".opblock-summary-path", has_text="/api/ask").first.wait_for(timeout=20000)
    assert not failed and not [s for s in page.locator("script").evaluate_all("s => s.map(x => x.src)") if
                               s and not s.startswith(url)]
    page.close()
