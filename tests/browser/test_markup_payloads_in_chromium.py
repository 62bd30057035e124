"""Markup stored in every text field that reaches a public page stays text: in Chromium, on every public page, in
every map tooltip and popup, and in the field guide, no dialog opens, no payload runs, and the Content-Security-
Policy refuses nothing (so nothing even tried). One payload goes in through the admin itself, signed in, with the
admin's own scripts also running under the policy."""

from __future__ import annotations

import io
import itertools
import textwrap
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import Model
from walk_site import load_walk_diary

from accounts import sign_in_in_browser
from lestweforget.atlas.models import Approach, Claim, ClaimSubject, Event, Settlement, Site, SiteName, Source
from lestweforget.photos.models import Contributor, Diary, DiaryEntry, Photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "payload-site"
PASSWORD = "a long editor passphrase 9"
# Each sets the canary and opens a dialog if it ever runs.
PAYLOADS = (
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    "<script>window.__pwned=1;alert(1)</script>",
    '"><svg onload="window.__pwned=1;alert(1)">',
    '\'><iframe srcdoc="<script>parent.__pwned=1</script>">',
    '<a href="javascript:window.__pwned=1;alert(1)">x</a>',
    "</textarea></title><style>*{display:none}</style><b onmouseover=alert(1)>",
)
# Every text field that a public page, an export or the field guide shows.
PUBLIC_TEXT_FIELDS: dict[type[Model], tuple[str, ...]] = {
    Site: ("summary_en", "summary_uk", "location_method_en", "location_method_uk"),
    SiteName: ("name", "note_en", "note_uk"),
    Settlement: ("name_en", "name_uk"),
    Approach: ("start_name_en", "start_name_uk", "directions_en", "directions_uk", "safety_en", "safety_uk"),
    Event: ("title_en", "title_uk", "description_en", "description_uk"),
    ClaimSubject: ("label_en", "label_uk"),
    Claim: ("value", "unit", "asserted_by", "note_en", "note_uk"),
    Source: ("title", "publisher", "author"),
    Diary: ("title_en", "title_uk", "introduction_en", "introduction_uk"),
    DiaryEntry: ("caption_en", "caption_uk", "text_en", "text_uk", "waypoint_name_en", "waypoint_name_uk"),
    Photo: ("caption_en", "caption_uk", "credit", "licence"),
    Contributor: ("pseudonym",),
}
RECORD = textwrap.dedent(
    f"""
    sources:
      - {{key: payload-record, kind: report, title: "Record", publisher: "NGO", url: "https://example.org/r"}}
      - {{key: payload-second, kind: article, title: "Second", publisher: "Paper", url: "https://example.org/s"}}
    claim_subjects:
      - {{key: victims, label: {{en: "Victims", uk: "Жертви"}}}}
    settlements:
      - slug: payload-town
        names: {{en: "Town", uk: "Місто"}}
        latitude: 43.47
        longitude: 11.88
    sites:
      - slug: {SLUG}
        kind: memorial
        settlement: payload-town
        names:
          - {{language: en, name: "Payload site", primary: true, note: {{en: "note", uk: "примітка"}}}}
          - {{language: uk, name: "Місце", primary: true}}
        summary: {{en: "A test memorial beside a real photo walk.", uk: "Тестовий меморіал."}}
        location:
          latitude: 43.46625
          longitude: 11.8823
          uncertainty_m: 20
          method: {{en: "GPS", uk: "GPS"}}
          source: payload-record
        approach:
          start_name: {{en: "Station square", uk: "Площа"}}
          start_latitude: 43.47
          start_longitude: 11.887
          mode: walk
          directions: {{en: "Walk south-west.", uk: "Ідіть."}}
          safety: {{en: "Stay on the paths.", uk: "Тримайтеся стежок."}}
          last_checked: "2024-01-10"
          sources: [payload-record]
        statuses:
          - {{status: reported, date: "2023-05-02", source: payload-record}}
        claims:
          - {{subject: victims, value: "3", number: 3,
              asserted: "2023-05-02", asserted_by: "police", source: payload-record, note: {{en: "n", uk: "п"}}}}
          - {{subject: victims, value: "4", number: 4,
              asserted: "2023-06-02", asserted_by: "paper", source: payload-second}}
    events:
      - {{site: {SLUG}, kind: discovery, date: "2023-05-01", title: {{en: "Found", uk: "Знайдено"}},
          description: {{en: "d", uk: "о"}}, sources: [payload-record]}}
      - {{settlement: payload-town, kind: liberation, date: "2022-09-10", title: {{en: "Freed", uk: "Звільнено"}},
          sources: [payload-second]}}
    """
)
WATCH = (
    "window.__csp = []; window.__dialogs = 0;"
    "document.addEventListener('securitypolicyviolation', function (e) {"
    "  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);"
    "});"
)


def _store_payloads() -> dict[str, str]:
    """A payload in every public text field (cycled, each numbered so unique fields stay unique); field -> value.

    Each row is validated as the admin validates it, so this is what an editor could have typed."""
    numbered = (f"{payload} #{n}" for n, payload in enumerate(itertools.cycle(PAYLOADS)))
    stored: dict[str, str] = {}
    for model, fields in PUBLIC_TEXT_FIELDS.items():
        for row in model.objects.all():
            for name in fields:
                value = next(numbered)[: row._meta.get_field(name).max_length or None]
                setattr(row, name, value)
                stored[f"{model._meta.label}.{name}#{row.pk}"] = value
            row.full_clean(validate_unique=False, validate_constraints=False)
            row.save()
    # A URL the URL validator would refuse, as a bulk import or an old row could hold it.
    Source.objects.filter(key="payload-second").update(url="javascript:window.__pwned=1;alert(1)")
    return stored


@pytest.fixture
def payload_site(live_server: Any, settings: Any, tmp_path: Path) -> dict[str, Any]:
    load_walk_diary(settings, tmp_path, RECORD, SLUG, "Walk", "Team")
    for entry in DiaryEntry.objects.order_by("position")[:3]:
        entry.waypoint_name_en = f"Stop {entry.position}"
        entry.save()
    stored = _store_payloads()
    User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    return {"server": live_server.url, "stored": stored}


@pytest.fixture
def watched(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH)
    context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def _assert_nothing_ran(page: Any, where: str) -> None:
    page.wait_for_timeout(200)  # an onerror or onload payload would have fired by now
    assert page.dialogs == [], f"{where}: a dialog opened"
    assert page.evaluate("window.__pwned") is None, f"{where}: a payload ran"
    assert page.evaluate("window.__csp") == [], f"{where}: the policy refused something"
    assert (
        page.evaluate(
            "document.querySelectorAll('iframe, svg[onload], img[onerror], script:not([src])"
            ':not([type="application/json"])\').length'
        )
        == 0
    ), where


def _hover_every(page: Any, selector: str) -> list[str]:
    """Hover each marker matching ``selector`` and read its tooltip's text."""
    texts = []
    markers = page.locator(selector)
    for index in range(markers.count()):
        markers.nth(index).hover(force=True)
        tooltip = page.locator(".leaflet-tooltip").last
        tooltip.wait_for()
        texts.append(tooltip.inner_text())
        assert tooltip.locator("img, svg, script, iframe, a").count() == 0
    return texts


@pytest.mark.parametrize("prefix", ["", "/uk"])
def test_markup_stays_text_on_every_public_page_and_map(
    watched: Any, payload_site: dict[str, Any], prefix: str, artifacts: Path
) -> None:
    page, server = watched, payload_site["server"]
    for path in ("/", "/about/", f"/sites/{SLUG}/", "/sites/no-such-site/"):
        page.goto(server + prefix + path)
        _assert_nothing_ran(page, prefix + path)
    page.goto(server + prefix + "/")
    page.locator(f"path.site-marker[data-slug='{SLUG}']").click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    # The name's markup is the link's text; the link itself is the only element the popup holds.
    assert "<" in popup.inner_text() and "#" in popup.inner_text()
    assert popup.locator("*").count() == 3 and popup.locator("a").count() == 1
    _assert_nothing_ran(page, "atlas popup")

    page.goto(server + prefix + f"/sites/{SLUG}/")
    page.wait_for_selector(".diary-map .waypoint-marker")
    site_tooltip = _hover_every(page, "#site-map path.site-marker")
    waypoint_tooltips = _hover_every(page, ".diary-map .waypoint-marker")
    assert any("#" in text and "<" in text for text in site_tooltip + waypoint_tooltips)
    assert len(waypoint_tooltips) == DiaryEntry.objects.count()  # every entry has a (payload) waypoint name
    text = page.locator("main").inner_text()
    assert "<script>window.__pwned=1;alert(1)</script>" in text
    assert page.locator("a[href^='javascript:']").count() == 0
    page.screenshot(path=str(artifacts / f"payloads{prefix.replace('/', '-')}.png"), full_page=True)
    _assert_nothing_ran(page, "site page after its tooltips")


def test_markup_stays_text_in_the_offline_field_guide(
    watched: Any, payload_site: dict[str, Any], tmp_path: Path
) -> None:
    with urllib.request.urlopen(f"{payload_site['server']}/sites/{SLUG}/guide.zip") as response:
        zipfile.ZipFile(io.BytesIO(response.read())).extractall(tmp_path / "guide")
    watched.goto((tmp_path / "guide" / "index.html").as_uri())
    shown = watched.locator("body").inner_text()
    assert '<img src=x onerror="window.__pwned=1;alert(1)">' in shown and "<a href=" in shown
    _assert_nothing_ran(watched, "field guide")


def test_a_payload_typed_into_the_admin_is_stored_and_the_admin_runs_under_the_policy(
    watched: Any, payload_site: dict[str, Any]
) -> None:
    page, server = watched, payload_site["server"]
    sign_in_in_browser(page, server, User.objects.get(username="editor"), PASSWORD)
    page.wait_for_url("**/admin/")
    event = Event.objects.get(site__slug=SLUG)
    page.goto(f"{server}/admin/atlas/event/{event.pk}/change/")
    typed = '<img src=x onerror="window.__pwned=1;alert(1)"> typed in the admin'
    page.fill("#id_title_en", typed)
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/atlas/event/")
    assert Event.objects.get(pk=event.pk).title_en == typed
    _assert_nothing_ran(page, "admin")
    page.goto(f"{server}/admin/atlas/site/{Site.objects.get(slug=SLUG).pk}/change/")
    page.wait_for_selector(".inline-group")
    _assert_nothing_ran(page, "admin site form with inlines")
    page.goto(f"{server}/sites/{SLUG}/")
    assert typed in page.locator("#timeline").inner_text()
    _assert_nothing_ran(page, "site page after the admin edit")


def test_the_api_docs_run_under_the_policy(watched: Any, payload_site: dict[str, Any]) -> None:
    watched.goto(payload_site["server"] + "/api/docs")
    watched.wait_for_selector(".swagger-ui .opblock")
    assert watched.locator(".swagger-ui .opblock").count() >= 5
    _assert_nothing_ran(watched, "API docs")
