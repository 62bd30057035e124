"""The unzipped field guide in real Chromium, opened from file:// with the network cut off, as on a phone."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pyproj import Geod

from lestweforget.exports.guide import (
    DEFAULT_LABELS_EN,
    DEFAULT_LABELS_UK,
    FieldGuide,
    GuideDiary,
    GuidePhoto,
    GuideWaypoint,
    build_guide,
    format_distance,
)

pytestmark = pytest.mark.browser

SITE_LAT = 49.220922
SITE_LON = 37.244553
ONE_KM_SOUTH = {"latitude": SITE_LAT - 0.008993, "longitude": SITE_LON}
WAYPOINT_1 = (SITE_LAT - 0.0030, SITE_LON - 0.0010)
WAYPOINT_2 = (SITE_LAT - 0.0012, SITE_LON)


def jpeg(colour: tuple[int, int, int], text: str, size: tuple[int, int]) -> bytes:
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).text((16, 16), text, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def photo(photo_id: str, caption: str, position: tuple[float, float], note: str = "") -> GuidePhoto:
    colour = (110, 30, 30) if note else (30, 80, 110)
    return GuidePhoto(
        id=photo_id,
        caption=caption,
        text="",
        time_label="16:3" + photo_id[-1],
        latitude=position[0],
        longitude=position[1],
        heading_deg=0.0,
        content_note=note,
        web_jpeg=jpeg(colour, caption, (640, 427)),
        thumb_jpeg=jpeg(colour, caption, (160, 107)),
        credit="Test photographer",
    )


def make_guide(language: str) -> FieldGuide:
    labels = DEFAULT_LABELS_UK if language == "uk" else DEFAULT_LABELS_EN
    photos = (
        photo("photo-1", "Entrance from the road", WAYPOINT_1),
        photo("photo-2", "Exhumed graves", WAYPOINT_2, note="human remains"),
        photo("photo-3", "Numbered crosses", WAYPOINT_2),
        photo("photo-4", "A body bag", (SITE_LAT, SITE_LON), note="a body bag"),
    )
    return FieldGuide(
        language=language,
        site_name="Izium mass burial site" if language == "en" else "Масове поховання в Ізюмі",
        site_slug="izium-mass-burial-site",
        summary="A burial site in the pine forest by the Pishchanske cemetery.",
        settlement_offset="1.3 km north-west of central Izium",
        safety="The forest around Izium is among the most mined areas. Stay on hard roads and marked paths.",
        directions="From the centre, take the Kharkiv road north-west.",
        start_name="Central Izium",
        start_latitude=49.2085,
        start_longitude=37.2594,
        mode_label="On foot",
        last_checked_label="1 May 2024",
        latitude=SITE_LAT,
        longitude=SITE_LON,
        uncertainty_m=50.0,
        coordinate_forms=(
            ("Decimal degrees", "49.220922, 37.244553"),
            ("geo: URI", "geo:49.220922,37.244553"),
        ),
        diaries=(
            GuideDiary(
                title="An afternoon at the site",
                author="Pilgrim",
                visit_date_label="4 June 2023",
                introduction="We walked from the road to the graves.",
                photos=photos,
                waypoints=(
                    GuideWaypoint(1, "Entrance from the road", "", *WAYPOINT_1),
                    GuideWaypoint(2, "Numbered crosses", "", *WAYPOINT_2),
                ),
                route=(WAYPOINT_1, WAYPOINT_2, (SITE_LAT, SITE_LON)),
            ),
        ),
        sources=(("Reuters, 16 September 2022", "https://example.org/reuters/izium"),),
        citable_url="https://example.org/sites/izium-mass-burial-site/",
        generated_label="1 May 2024",
        labels=labels,
    )


@pytest.fixture(scope="module")
def guide_urls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    urls = {}
    for language in ("en", "uk"):
        folder = tmp_path_factory.mktemp(f"guide-{language}")
        zipfile.ZipFile(io.BytesIO(build_guide(make_guide(language)))).extractall(folder)
        urls[language] = (folder / "index.html").as_uri()
    return urls


class OfflinePage:
    """A page in its own context with the network cut off twice over, recording what tried to leave."""

    def __init__(self, browser: object, **context_options: object) -> None:
        self.context = browser.new_context(**context_options)  # type: ignore[attr-defined]
        self.context.set_offline(True)
        self.left: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        # Run by the browser before the page's own scripts, and outside its Content-Security-Policy.
        self.context.add_init_script(
            "window.__csp = []; document.addEventListener('securitypolicyviolation', "
            "function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });"
        )
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)

    def _route(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith("file://"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.left.append(url)
            route.abort("internetdisconnected")  # type: ignore[attr-defined]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def offline(browser: object) -> Iterator[list[OfflinePage]]:
    opened: list[OfflinePage] = []
    yield opened
    for each in opened:
        each.close()


def open_guide(browser: object, opened: list[OfflinePage], url: str, **options: object) -> OfflinePage:
    page = OfflinePage(browser, **options)
    opened.append(page)
    page.page.goto(url)
    return page


def located(browser: object, opened: list[OfflinePage], url: str, position: dict[str, float]) -> OfflinePage:
    guide = open_guide(
        browser,
        opened,
        url,
        geolocation=position,
        permissions=["geolocation"],
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    # A function, not an expression: Playwright evaluates an expression with eval() as it polls, which the
    # guide's Content-Security-Policy refuses.
    guide.page.wait_for_function("() => document.querySelector('#live-site .live-distance').textContent !== ''")
    return guide


def kilometres(text: str) -> float:
    match = re.fullmatch(r"(\d+(?:[.,]\d+)?) (km|км)", text.strip())
    assert match, f"{text!r} is not a distance in kilometres"
    return float(match.group(1).replace(",", "."))


def test_one_km_south_of_the_site_the_offline_guide_says_1_km_north(
    browser: object, offline: list[OfflinePage], guide_urls: dict[str, str], artifacts: Path
) -> None:
    guide = located(browser, offline, guide_urls["en"], ONE_KM_SOUTH)
    page = guide.page
    assert page.locator("h1").inner_text() == "Izium mass burial site"
    assert page.locator("#safety").is_visible()
    assert page.locator("#no-script").is_hidden()
    assert 0.95 <= kilometres(page.locator("#live-site .live-distance").inner_text()) <= 1.05
    direction = page.locator("#live-site .live-direction").inner_text()
    assert direction.startswith("north ·"), direction
    # No compass in a headless browser: the arrow turns by the bearing alone (0°, straight up) and says so.
    rotation = float(page.locator("#live-site .arrow").get_attribute("data-rotation"))
    assert min(rotation, 360 - rotation) < 1
    assert page.locator("#live-compass-note").inner_text() == DEFAULT_LABELS_EN["compass_unavailable"]
    assert page.locator("#live-waypoint .live-name").inner_text() == "1. Entrance from the road"
    assert page.locator(".sketch-you").first.get_attribute("visibility") == "hidden", "1 km off the sketch"
    page.wait_for_function(
        "() => [...document.images].filter(i => i.hasAttribute('src')).every(i => i.complete && i.naturalWidth > 0)"
    )
    page.screenshot(path=str(artifacts / "field-guide.png"), full_page=True)
    assert guide.left == [], f"requests left the page: {guide.left}"
    assert guide.errors == []


def test_ukrainian_guide_says_north_in_ukrainian(
    browser: object, offline: list[OfflinePage], guide_urls: dict[str, str]
) -> None:
    guide = located(browser, offline, guide_urls["uk"], ONE_KM_SOUTH)
    page = guide.page
    assert page.locator("h1").inner_text() == "Масове поховання в Ізюмі"
    assert 0.95 <= kilometres(page.locator("#live-site .live-distance").inner_text()) <= 1.05
    assert page.locator("#live-site .live-direction").inner_text().startswith("північ ·")
    assert page.locator("#live-site h3").inner_text() == "До місця"
    assert guide.left == [] and guide.errors == []


def test_a_graphic_photo_is_revealed_alone_when_its_note_is_clicked(
    browser: object, offline: list[OfflinePage], guide_urls: dict[str, str]
) -> None:
    guide = open_guide(browser, offline, guide_urls["en"])
    page = guide.page
    graphic = page.locator("figure.graphic")
    assert graphic.count() == 2
    assert page.locator("figure.graphic img[src]").count() == 0
    graphic.nth(0).get_by_role("button", name="This photo shows human remains. Show it").click()
    first = graphic.nth(0).locator("img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())
    assert first.get_attribute("src") == "images/graphic/photo-2-web.jpg"
    assert first.is_visible()
    assert first.evaluate("img => img.naturalWidth") == 640
    assert graphic.nth(1).locator("img").get_attribute("src") is None
    assert graphic.nth(1).locator(".reveal").is_visible()
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert guide.left == [] and guide.errors == []


def test_arrow_turns_by_bearing_minus_compass_heading(
    browser: object, offline: list[OfflinePage], guide_urls: dict[str, str]
) -> None:
    page = located(browser, offline, guide_urls["en"], ONE_KM_SOUTH).page
    # alpha 90 turns the phone's top to the west (heading 270°): the site, due north, is 90° to the right.
    page.evaluate(
        """() => window.dispatchEvent(new DeviceOrientationEvent(
            'deviceorientationabsolute', {alpha: 90, beta: 0, gamma: 0, absolute: true}))"""
    )
    rotation = float(page.locator("#live-site .arrow").get_attribute("data-rotation"))
    assert rotation == pytest.approx(90, abs=1)
    assert page.locator("#live-compass-note").inner_text() == DEFAULT_LABELS_EN["compass_active"]


def test_next_waypoint_moves_on_once_one_is_reached(
    browser: object, offline: list[OfflinePage], guide_urls: dict[str, str]
) -> None:
    guide = located(browser, offline, guide_urls["en"], ONE_KM_SOUTH)
    page = guide.page
    name = page.locator("#live-waypoint .live-name")
    assert name.inner_text() == "1. Entrance from the road"
    guide.context.set_geolocation({"latitude": WAYPOINT_1[0] + 0.0001, "longitude": WAYPOINT_1[1]})  # 11 m off
    page.wait_for_function("() => document.querySelector('#live-waypoint .live-name').textContent.startsWith('2.')")
    assert name.inner_text() == "2. Numbered crosses"
    assert page.locator(".sketch-you").first.get_attribute("visibility") == "visible"
    guide.context.set_geolocation({"latitude": SITE_LAT, "longitude": SITE_LON})
    page.locator("#live-at-site").wait_for()
    assert page.locator("#live-at-site").inner_text() == "You are at the site (within 50 m)."
    # Walking straight to the site passes no waypoint 2 within 30 m, so it is still the next one.
    assert name.inner_text() == "2. Numbered crosses"
    guide.context.set_geolocation({"latitude": WAYPOINT_2[0], "longitude": WAYPOINT_2[1]})
    page.locator("#live-waypoints-done").wait_for()
    assert page.locator("#live-waypoint").is_hidden()


def test_without_location_permission_it_says_so_and_the_guide_still_reads(
    browser: object, offline: list[OfflinePage], guide_urls: dict[str, str]
) -> None:
    guide = open_guide(browser, offline, guide_urls["en"])
    page = guide.page
    status = page.locator("#live-status")
    assert status.inner_text() == DEFAULT_LABELS_EN["allow_location"]
    page.locator("#live-start").click()
    page.wait_for_function(
        "text => document.querySelector('#live-status').textContent === text",
        arg=DEFAULT_LABELS_EN["no_location"],
    )
    assert page.locator("#live-site").is_hidden()
    assert page.locator("#directions").is_visible()
    assert page.locator("figure.entry:not(.graphic) img").first.evaluate("img => img.naturalWidth") == 640
    assert guide.left == [] and guide.errors == []


def test_without_javascript_everything_but_the_live_panel_reads(
    browser: object, offline: list[OfflinePage], guide_urls: dict[str, str]
) -> None:
    guide = open_guide(browser, offline, guide_urls["en"], java_script_enabled=False)
    page = guide.page
    assert page.locator("#live").is_hidden()
    assert page.get_by_text(DEFAULT_LABELS_EN["no_script"]).is_visible()
    for section in ("#safety", "#getting-there", "#coordinates", "#diary-1", "#sources"):
        assert page.locator(section).is_visible(), section
    assert page.locator("figure.entry:not(.graphic) img").first.evaluate("img => img.naturalWidth") == 640
    assert page.locator("figure.graphic img[src]").count() == 0
    # The note's link still lets the reader choose to open that one photo, as a file of its own.
    assert page.locator("figure.graphic .reveal").first.get_attribute("href") == "images/graphic/photo-2-web.jpg"
    assert guide.left == [] and guide.errors == []


def test_javascript_distances_agree_with_pyproj_and_with_the_printed_text(
    browser: object, offline: list[OfflinePage], guide_urls: dict[str, str]
) -> None:
    page = open_guide(browser, offline, guide_urls["en"]).page
    geod = Geod(ellps="WGS84")
    pairs = [
        (SITE_LAT - 0.008993, SITE_LON, SITE_LAT, SITE_LON),
        (49.2085, 37.2594, SITE_LAT, SITE_LON),
        (50.4501, 30.5234, 49.8397, 24.0297),  # Kyiv to Lviv
        (-33.9, -70.6, 35.7, 139.7),  # Santiago to Tokyo, across the Pacific
        (10.0, 179.99, 10.0, -179.99),  # across the antimeridian
        (0.0, 0.0, 0.5, 179.7),  # nearly antipodal: the sphere stands in
    ]
    for lat1, lon1, lat2, lon2 in pairs:
        result = page.evaluate("([a, b, c, d]) => window.LWFGuide.geodesic(a, b, c, d)", [lat1, lon1, lat2, lon2])
        azimuth, _back, distance = geod.inv(lon1, lat1, lon2, lat2)
        assert result["distanceM"] == pytest.approx(distance, rel=0.005), (lat1, lon1, lat2, lon2)
        if distance < 15_000_000:
            assert result["distanceM"] == pytest.approx(distance, abs=0.01)
            assert (result["bearingDeg"] - azimuth + 180) % 360 - 180 == pytest.approx(0, abs=1e-6)
    for metres in (0, 37.4, 99.6, 851, 994.9, 995, 1000.1, 1250, 1350, 9949, 23_400):
        shown = page.evaluate("m => window.LWFGuide.formatDistance(m)", metres)
        assert shown == format_distance(metres, DEFAULT_LABELS_EN), metres


def test_printed_on_a4_without_the_live_panel(
    browser: object, offline: list[OfflinePage], guide_urls: dict[str, str], artifacts: Path
) -> None:
    guide = located(browser, offline, guide_urls["en"], ONE_KM_SOUTH)
    page = guide.page
    assert page.locator("#live").evaluate("e => getComputedStyle(e).display") != "none"
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['#live', 'nav.contents', '#print-guide', 'figure.graphic .veil']
            .map(s => getComputedStyle(document.querySelector(s)).display)"""
    )
    assert hidden == ["none", "none", "none", "none"]
    assert page.locator("figure.graphic .print-only").first.inner_text() == "Photo not printed: it shows human remains."
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(255, 255, 255)"
    page.screenshot(path=str(artifacts / "field-guide-print.png"), full_page=True)
    pdf = artifacts / "field-guide.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    # A4 is 595 x 842 points (72 to the inch); Chromium rounds the page to whole hundredths of an inch.
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", data)
    assert boxes, "the PDF has no pages"
    for width, height in boxes:
        assert float(width) == pytest.approx(595.3, abs=1) and float(height) == pytest.approx(841.9, abs=1.5)
    assert guide.left == [] and guide.errors == []


def test_the_guide_runs_under_its_own_content_security_policy(
    browser: object, offline: list[OfflinePage], guide_urls: dict[str, str]
) -> None:
    guide = located(browser, offline, guide_urls["en"], {"latitude": SITE_LAT - 0.009, "longitude": SITE_LON})
    policy = guide.page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    # guide.js ran (the live panel shows a distance), every picture loaded, and nothing was refused.
    assert guide.page.locator("#live-site .live-distance").text_content()
    guide.page.locator("a.reveal").first.click()
    guide.page.wait_for_function(
        "() => Array.prototype.every.call(document.images, "
        "function (i) { return i.hidden || (i.complete && i.naturalWidth); })",
        timeout=60_000,
    )
    assert guide.page.evaluate("window.__csp") == []
    assert guide.errors == [] and guide.left == []
