"""Sign-in with OpenID Connect against a real provider started here on 127.0.0.1 (oidc-provider-mock,
built on Authlib), roles, the admin pages and the audit log: through the API (TestClient) and in the
real browser (Debian chromium): an admin uploads a document and a practitioner's next question cites it."""
import hashlib
import shutil
import time
from pathlib import Path

import pytest
from conftest import live_server
from test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

PROCEDURE = """# Family Safety Meetings

## Scope of this chapter

This chapter applies to every Westbrook practitioner who arranges a Family Safety Meeting.

## Timescales

3.1 A Family Safety Meeting is held within seven working days of a new worry about the child.

3.2 The meeting is chaired by a Safety Meeting Coordinator who is not the family's lead practitioner.
"""
USERS = {"admin-ann": {"name": "Ann Admin", "roles": ["admin"]},
         "lead-lee": {"name": "Lee Lead", "roles": ["policy_lead"], "authority": "Westbrook"},
         "pat-prac": {"name": "Pat Practitioner", "roles": ["practitioner"], "authority": "Westbrook"}}


@pytest.fixture(scope="module")
def provider():
    from oidc_provider_mock import User, run_server_in_thread

    with run_server_in_thread(port=0, user_claims=[User(sub=s, claims=c) for s, c in USERS.items()]) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def site(provider, data_dir, tmp_path_factory):
    from assistant.api import create_app
    from assistant.settings import Settings

    data = tmp_path_factory.mktemp("signin") / "data"
    shutil.copytree(data_dir, data)
    settings = Settings(oidc_issuer=provider, oidc_client_id="ffa-tests", oidc_client_secret="s3cret")
    app = create_app(data, settings=settings)
    with live_server(app) as url:
        yield url, app


def test_without_signing_in_pages_send_you_to_sign_in_and_the_api_answers_401(site):
    import httpx

    url, _ = site
    r = httpx.post(f"{url}/api/ask", json={"question": "Who chairs conferences?"})
    assert r.status_code == 401 and r.json()["detail"] == "Sign in first."
    r = httpx.get(f"{url}/coverage", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert httpx.get(f"{url}/healthz").status_code == 200
    # the sign-in page hands over to the provider
    r = httpx.get(f"{url}/login", follow_redirects=False)
    assert r.status_code == 302 and "/oauth2/authorize" in r.headers["location"]


def _sign_in(page, url: str, sub: str) -> None:
    page.goto(f"{url}/logout")
    page.goto(url)  # to the provider's page, which lists the test users
    page.click(f"button[value='{sub}']")
    page.wait_for_url(f"{url}/**")
    assert USERS[sub]["name"] in page.locator("#signed-in").inner_text()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (.ci/run installs it)")
def test_an_admin_uploads_a_document_and_a_practitioners_next_question_cites_it(site, tmp_path):
    from playwright.sync_api import sync_playwright

    url, app = site
    ARTIFACTS.mkdir(exist_ok=True)
    doc = tmp_path / "westbrook-family-safety-meetings.md"
    doc.write_text(PROCEDURE, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        _sign_in(page, url, "admin-ann")
        assert "Administrator" in page.locator("#signed-in").inner_text()
        page.goto(f"{url}/admin")
        page.set_input_files("#file", str(doc))
        page.fill("#title", "Family Safety Meetings")
        page.fill("#authority", "Westbrook")
        page.fill("#published", "2026-10")
        page.click("#upload-button")
        job = page.locator("li[id^='job-']").first
        deadline = time.monotonic() + 240
        while job.get_attribute("data-state") not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(1)
            page.goto(f"{url}/admin")
            job = page.locator("li[id^='job-']").first
        assert job.get_attribute("data-state") == "done", job.inner_text()
        assert page.locator("#doc-westbrook-family-safety-meetings").count() == 1
        page.screenshot(path=str(ARTIFACTS / "20-admin-documents.png"), full_page=True)
        page.goto(f"{url}/admin/audit")
        audit = page.locator("#audit").inner_text()
        assert "Ann Admin" in audit and "added" in audit
        assert hashlib.sha256(doc.read_bytes()).hexdigest() in audit

        _sign_in(page, url, "pat-prac")
        page.fill("#question", "When is a family safety meeting held?")
        page.click("#ask-button")
        turn = page.locator("#conversation .app-turn").last
        turn.wait_for(timeout=20000)
        assert "seven working days" in turn.locator(".app-answer-html").inner_text()
        cites = turn.get_attribute("data-citations") or turn.inner_html()
        assert "westbrook-family-safety-meetings" in cites
        page.screenshot(path=str(ARTIFACTS / "21-practitioner-cites-upload.png"), full_page=True)
        # a practitioner may not reach the admin or coverage pages
        for path in ("/admin", "/coverage", "/admin/audit", "/quiz"):
            assert page.goto(f"{url}{path}").status == 403
        assert "Coverage" not in page.locator("nav").inner_text()
        browser.close()


def test_roles_gate_the_pages_and_a_policy_lead_sees_only_their_councils_gaps(site):
    from playwright.sync_api import sync_playwright

    url, app = site
    store = app.state.store
    from assistant.models import Answer
    store.add_turn("someone-else", "c", Answer(question="What is the Northmoor rule on pets?", answer="",
                                               refused=True), authority="Northmoor")
    store.add_turn("pat", "c", Answer(question="What is the Westbrook rule on fostering pets?", answer="",
                                      refused=True), authority="Westbrook")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        _sign_in(page, url, "lead-lee")
        assert page.goto(f"{url}/admin").status == 403
        r = page.goto(f"{url}/coverage")
        assert r.status == 200
        text = page.content()
        assert "Westbrook rule on fostering pets" in text and "Northmoor" not in text
        # a form posted without its CSRF token is refused
        r = page.request.post(f"{url}/history/delete", form={"csrf": "forged"})
        assert r.status == 403
        browser.close()
