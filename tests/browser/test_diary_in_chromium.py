"""The site page's photo diary in real Chromium: the story, its maps, and graphic photos shown only on request."""

from __future__ import annotations

import io
import re
import textwrap
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pytest
from walk_site import load_walk_diary

from lestweforget.atlas.record_ledger import unrecorded
from lestweforget.photos.models import DiaryEntry, Photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "walk-browser-site"
# A made-up memorial in the middle of the real walk near Arezzo, so every photo is within the import's 5 km.
RECORD = textwrap.dedent(
    f"""
    sources:
      - key: walk-browser-record
        kind: report
        title: "[Test record beside a real photo walk]"
        url: "https://example.org/walk"
        language: en
    settlements: []
    sites:
      - slug: {SLUG}
        kind: memorial
        names:
          - {{language: en, name: "Walk browser site", primary: true}}
        summary: {{en: "A test memorial beside a real photo walk."}}
        location: {{latitude: 43.46625, longitude: 11.8823, uncertainty_m: 20, source: walk-browser-record}}
        approach:
          start_name: {{en: "Station square"}}
          start_latitude: 43.47
          start_longitude: 11.887
          mode: walk
          directions: {{en: "Walk south-west along the lane."}}
          safety: {{en: "Stay on the marked paths."}}
          last_checked: "2024-01-10"
    events: []
    """
)


@pytest.fixture
def diary_page(live_server: Any, settings: Any, tmp_path: Path) -> dict[str, Any]:
    load_walk_diary(settings, tmp_path, RECORD, SLUG, "Afternoon walk", "Field Team West")
    entries = list(DiaryEntry.objects.order_by("position").select_related("photo"))
    with unrecorded():
        for entry in (entries[2], entries[6]):
            Photo.objects.filter(pk=entry.photo_id).update(content_note=Photo.ContentNote.HUMAN_REMAINS)
        # The walk's files give no heading; one as a phone writes it (degrees from true north) shows the wedge.
        Photo.objects.filter(pk=entries[1].photo_id).update(heading_deg=90.0, heading_ref="T")
    entries[0].waypoint_name_en = "Entrance from the lane"
    entries[0].save()
    entries[4].waypoint_name_en = "The old wall"
    entries[4].save()
    return {
        "server": live_server.url,
        "url": f"{live_server.url}/sites/{SLUG}/",
        "graphic": [f"/photos/{entries[i].photo.web_sha256}/web.jpg" for i in (2, 6)],
    }


def test_diary_renders_with_route_waypoints_and_camera_positions(
    page: Any, diary_page: dict[str, Any], artifacts: Path
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(diary_page["url"])
    diary = page.locator("article.diary")
    assert "Afternoon walk" in diary.locator("h3").inner_text()
    assert "Field Team West" in diary.locator(".byline").inner_text()
    page.wait_for_selector(".diary-map path.diary-route")
    assert page.locator(".diary-map .waypoint-marker").count() == 2
    assert page.locator(".diary-map .waypoint-marker").first.inner_text() == "1"
    assert page.locator(".diary-entry").count() == 9
    maps = page.locator(".entry-map")
    assert maps.count() == 9
    for index in range(9):
        assert maps.nth(index).locator("path.camera-marker").count() == 1, f"entry {index + 1}"
        assert maps.nth(index).locator("path.camera-heading").count() == (1 if index == 1 else 0)
    assert "The camera faced east (90°)." in page.locator(".diary-entry").nth(1).inner_text()
    assert ">16:28<" in page.locator(".diary-entry").first.inner_html()

    first, second = diary_page["graphic"]
    graphic = page.locator(".diary-entry.graphic")
    assert graphic.count() == 2
    for index in range(2):
        image = graphic.nth(index).locator(".photo-frame img")
        assert image.get_attribute("src") is None and "withheld" in image.get_attribute("class")
        assert "blur" in image.evaluate("img => getComputedStyle(img).filter")
        assert "human remains" in graphic.nth(index).locator(".content-note").inner_text()
    assert not any(url.endswith(first) or url.endswith(second) for url in requested)

    graphic.nth(0).locator("button.reveal").click()
    revealed = graphic.nth(0).locator(".photo-frame img")
    revealed.evaluate("img => img.decode()")
    assert revealed.get_attribute("src") == first
    assert revealed.evaluate("img => img.naturalWidth") > 0
    assert "blur" not in revealed.evaluate("img => getComputedStyle(img).filter")
    assert graphic.nth(0).locator(".content-note").count() == 0
    still = graphic.nth(1).locator(".photo-frame img")
    assert still.get_attribute("src") is None and "withheld" in still.get_attribute("class")
    assert graphic.nth(1).locator("button.reveal").is_visible()
    assert any(url.endswith(first) for url in requested)
    assert not any(url.endswith(second) for url in requested)

    # A full-page screenshot does not scroll, so lazy photos further down are loaded first.
    page.evaluate(
        "Promise.all([...document.querySelectorAll('.diary-entry .photo-frame img[src]')]"
        ".map(img => { img.loading = 'eager'; return img.decode(); }))"
    )
    page.screenshot(path=str(artifacts / "diary.png"), full_page=True)
    assert page.js_errors == []


def test_reloading_forgets_a_revealed_photo(page: Any, diary_page: dict[str, Any]) -> None:
    page.goto(diary_page["url"])
    page.locator(".diary-entry.graphic button.reveal").first.click()
    page.reload()
    assert page.locator(".diary-entry.graphic img[data-src]").count() == 2
    assert page.js_errors == []


def test_downloaded_guide_works_offline_from_file_and_points_to_the_site(
    browser: Any, page: Any, diary_page: dict[str, Any], tmp_path: Path, artifacts: Path
) -> None:
    page.goto(diary_page["url"])
    href = page.locator("a.guide-download").get_attribute("href")
    assert href == f"/sites/{SLUG}/guide.zip"
    with urllib.request.urlopen(diary_page["server"] + href) as response:
        zipfile.ZipFile(io.BytesIO(response.read())).extractall(tmp_path / "guide")
    # 1 km due south of the site (43.46625, 11.8823): 1000 m / 111 km per degree of latitude.
    context = browser.new_context(
        geolocation={"latitude": 43.46625 - 0.008993, "longitude": 11.8823},
        permissions=["geolocation"],
        viewport={"width": 390, "height": 844},
        is_mobile=True,
    )
    context.set_offline(True)
    left: list[str] = []

    def only_files(route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            left.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_files)
    guide = context.new_page()
    errors: list[str] = []
    guide.on("pageerror", lambda error: errors.append(str(error)))
    guide.goto((tmp_path / "guide" / "index.html").as_uri())
    assert guide.locator("h1").inner_text() == "Walk browser site"
    assert guide.locator("figure.entry").count() == 9
    assert guide.locator("figure.graphic img[src]").count() == 0
    guide.wait_for_function("() => document.querySelector('#live-site .live-distance').textContent !== ''")
    distance = guide.locator("#live-site .live-distance").inner_text()
    assert re.fullmatch(r"1[.,]0 km", distance), distance
    assert guide.locator("#live-site .live-direction").inner_text().startswith("north")
    guide.screenshot(path=str(artifacts / "diary-guide-offline.png"), full_page=True)
    context.close()
    assert left == [] and errors == []
