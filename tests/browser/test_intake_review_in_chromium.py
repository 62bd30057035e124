"""An editor imports an article through the upload form and decides its items on the review page, in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from accounts import sign_in_in_browser
from lestweforget.atlas.models import Event
from lestweforget.intake.models import ArticleImport, ProposedEvent

QUALITY_SET = Path(__file__).resolve().parents[2] / "benchmarks" / "articles"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def _sign_in(page: Any, server: str) -> None:
    user = User.objects.create_superuser("editor", "editor@example.org", "pw-for-tests-only")
    sign_in_in_browser(page, server, user, "pw-for-tests-only")


@pytest.mark.django_db(transaction=True)
def test_upload_review_and_accept_an_event(page: Any, live_server: Any, artifacts: Path) -> None:
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/intake/articleimport/upload/")
    page.set_input_files("#id_file", str(QUALITY_SET / "en-02-final-count.md"))
    page.select_option("#id_site", "izium-mass-burial-site")
    page.fill("#id_url", "https://kestrel.example/izium-final-count")
    page.click("input[type=submit]")
    page.wait_for_selector("text=Imported as a draft")
    row = ArticleImport.objects.get()
    assert page.url.endswith(f"/admin/intake/articleimport/{row.pk}/change/")
    body = page.inner_text("body")
    for text in ("Final count at Izium: 447 bodies", "Kestrel", "sources disagree", "from 16 to 23 September"):
        assert text in body, text
    page.screenshot(path=str(artifacts / "intake-review-1280.png"), full_page=True)

    event = ProposedEvent.objects.get(article=row, date="2022-09-23")
    prefix = page.eval_on_selector(
        f"input[name^='proposed_events-'][name$='-id'][value='{event.pk}']", "input => input.name.slice(0, -3)"
    )
    page.fill(f"[name='{prefix}-title']", "Exhumation ends: 447 bodies")
    page.select_option(f"[name='{prefix}-kind']", "exhumation")
    page.select_option(f"[name='{prefix}-decide']", "accept")
    page.click("input[name=_continue]")
    page.wait_for_selector("text=was changed successfully")
    event.refresh_from_db()
    assert event.decision == "accepted" and event.event is not None
    made = Event.objects.get(pk=event.event.pk)
    assert (made.title_en, made.kind, made.site.slug) == (
        "Exhumation ends: 447 bodies",
        "exhumation",
        "izium-mass-burial-site",
    )
    assert list(made.sources.values_list("key", flat=True)) == [row.source.key]
    # Decided rows are read-only now.
    assert page.is_disabled(f"[name='{prefix}-title']")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=str(artifacts / "intake-review-390.png"), full_page=False)
    page.goto(f"{live_server.url}/uk/admin/intake/articleimport/{row.pk}/change/")
    assert (
        "Запропоновані твердження" in page.inner_text("body")
        or "запропоновані твердження" in page.inner_text("body").lower()
    )
