"""Review before publishing, in Chromium: a contributor proposes an edit to a published site, the public page stays
as it was, an editor accepts it side by side, the page changes, and the ledger holds both steps; a reader sends a
suggestion from the site page without an account."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.html import escape

from accounts import sign_in
from lestweforget.atlas import evidence_records
from lestweforget.atlas.models import Site
from lestweforget.editorial import permissions
from lestweforget.editorial.roles import assign_role
from lestweforget.editorial.submissions import Submission

SITE = "izium-mass-burial-site"
NEW_SUMMARY = "Checked on site in November 2026: the memorial sign stands at the forest gate."

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def _as(browser: Any, server: str, name: str, role: str) -> Any:
    """A browser tab signed in as a new account in ``role`` (its session cookie made by Django's test client)."""
    user = User.objects.create_user(name, f"{name}@example.org", "a long passphrase 1")
    assign_role(user, role)
    client = Client()
    sign_in(client, User.objects.get(pk=user.pk))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}])
    context.set_default_timeout(90_000)  # a shared two-core machine under a full parallel run is slow
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))  # the site has none; not this test's
    tab = context.new_page()
    tab.js_errors = []
    tab.on("pageerror", lambda error: tab.js_errors.append(str(error)))
    tab.on("console", lambda msg: tab.js_errors.append(msg.text) if msg.type == "error" else None)
    return tab


@pytest.mark.django_db(transaction=True)
def test_a_proposed_revision_goes_live_only_when_an_editor_accepts(
    browser: Any, page: Any, live_server: Any, artifacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(permissions, "is_verified", lambda user: bool(user is not None and user.is_authenticated))
    server = live_server.url
    site = Site.objects.get(slug=SITE)
    published = site.summary_en

    contributor = _as(browser, server, "field-contributor", permissions.CONTRIBUTOR)
    contributor.goto(f"{server}/editorial/propose/site/{site.pk}/")
    assert contributor.input_value("#id_summary_en") == published
    contributor.fill("#id_summary_en", NEW_SUMMARY)
    contributor.click("#propose-form button[type=submit]")
    contributor.wait_for_selector("text=Sent for review as number")
    assert "waiting" in contributor.inner_text("#my-submissions")

    page.goto(f"{server}/sites/{SITE}/")
    body = page.inner_text("main")
    assert NEW_SUMMARY not in body and published.split(".")[0] in body

    editor = _as(browser, server, "desk-editor", permissions.EDITOR)
    editor.goto(f"{server}/admin/")
    assert "1 waits for review" in editor.inner_text("#review-waiting")
    editor.click("#review-waiting a")
    submission = Submission.objects.get()
    editor.click(f"#queue a[href$='/editorial/queue/{submission.pk}/']")
    row = editor.locator("#changes tr[data-field='summary_en']")
    assert NEW_SUMMARY in row.locator(".proposed").inner_text()
    assert published.split(".")[0] in row.locator(".current").inner_text()
    editor.screenshot(path=str(artifacts / "review-side-by-side-1280.png"), full_page=True)
    editor.click("#decide-form button[value=accept]")
    editor.wait_for_selector("text=Nothing waits for review.")

    page.goto(f"{server}/sites/{SITE}/")
    assert NEW_SUMMARY in page.inner_text("main")
    assert escape(published) not in page.content()

    ledger = evidence_records.open_ledger()
    actions = [(e.action, e.actor) for e in ledger.entries()]
    contributor_id = User.objects.get(username="field-contributor").pk
    editor_id = User.objects.get(username="desk-editor").pk
    assert ("review.proposed", f"user:{contributor_id}") in actions
    assert ("review.accepted", f"user:{editor_id}") in actions
    assert actions.index(("review.proposed", f"user:{contributor_id}")) < actions.index(
        ("review.accepted", f"user:{editor_id}")
    )
    assert ledger.checkpoints()[-1].size == ledger.size()  # signed after the request, not only after imports
    evidence_records.open_store()  # no photos here: an empty store, so that verify can run
    report = evidence_records.verify_atlas()
    assert report.ok, report.problems
    assert contributor.js_errors == [] and editor.js_errors == [] and page.js_errors == []


@pytest.mark.django_db(transaction=True)
def test_a_reader_suggests_a_correction_from_the_site_page(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/uk/sites/{SITE}/")
    page.click("section.suggest summary")
    honeypot = page.locator("#suggest-website").bounding_box()
    assert honeypot is not None and honeypot["x"] + honeypot["width"] <= 0  # off the page: for programs only
    page.fill("#suggest-message", "Табличку біля воріт лісу знесло вітром.")
    page.click(".suggest-form button[type=submit]")
    page.wait_for_selector("text=Дякуємо")
    assert page.url.endswith("/uk/suggest/thanks/")
    submission = Submission.objects.get()
    assert (submission.kind, submission.site.slug, submission.status) == ("suggestion", SITE, "pending")
    page.goto(f"{live_server.url}/uk/sites/{SITE}/")
    assert "Табличку біля воріт" not in page.content()
    assert page.js_errors == []
