from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_atlas_shows_izium_then_its_page_shows_the_location_panel(page, demo_server: str, artifacts: Path) -> None:
    page.goto(demo_server + "/")
    page.wait_for_selector("#atlas[data-state='ready']")
    markers = page.locator("path.site-marker[data-slug='izium-mass-burial-site']")
    assert markers.count() == 1
    entry = page.locator(".site-item[data-slug='izium-mass-burial-site']")
    assert "Izium mass burial site" in entry.inner_text()
    page.screenshot(path=str(artifacts / "atlas.png"), full_page=True)

    entry.locator("a").click()
    page.wait_for_url("**/sites/izium-mass-burial-site/")
    panel = page.locator("#location")
    assert "49.220922, 37.244553" in panel.inner_text()
    assert page.locator("#site-map path.site-marker").count() == 1
    assert page.locator(".safety").is_visible()
    page.screenshot(path=str(artifacts / "site-page.png"), full_page=True)
    assert page.js_errors == []


def test_marker_popup_links_to_the_site_page(page, demo_server: str) -> None:
    # Close enough that the two Izium sites, 1.4 km apart, are two markers under the pointer, not one.
    page.goto(demo_server + "/?lat=49.21&lon=37.25&z=14")
    page.wait_for_selector("#atlas[data-state='ready']")
    page.locator("path.site-marker[data-slug='izium-mass-burial-site']").click(force=True)
    link = page.locator(".leaflet-popup-content a")
    link.wait_for()
    assert link.get_attribute("href").endswith("/sites/izium-mass-burial-site/")
    assert page.js_errors == []


def test_without_map_tiles_the_markers_and_list_still_show(browser, demo_server: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("https://**/*", lambda route: route.abort("internetdisconnected"))
    page.goto(demo_server + "/")
    page.wait_for_selector("#atlas[data-state='ready']")
    page.wait_for_selector("path.site-marker")
    assert page.locator(".site-item").count() >= 1
    assert errors == []
    context.close()


def test_ukrainian_page_on_a_phone_screen(browser, demo_server: str, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.route("https://**/*", lambda route: route.abort("internetdisconnected"))
    page.goto(demo_server + "/uk/sites/izium-mass-burial-site/")
    assert "Масове поховання в Ізюмі" in page.locator("h1").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px wide)"
    page.screenshot(path=str(artifacts / "site-page-uk-phone.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_source_s_content_note_is_a_line_of_text_not_a_cover_over_the_page(
    browser, demo_server: str, width: int
) -> None:
    """A black-box tester found a graphic source's note drawn as the photos' dark cover: the whole top of the site
    page black and nothing on it clickable."""
    from lestweforget.atlas.models import Source

    source = Source.objects.filter(event__site__slug="izium-mass-burial-site").first()
    assert source is not None
    Source.objects.filter(pk=source.pk).update(content_note=Source.ContentNote.GRAPHIC)
    context = browser.new_context(viewport={"width": width, "height": 844})
    context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(demo_server + "/uk/sites/izium-mass-burial-site/")
    note = page.locator(".source-content-note").first
    assert note.is_visible() and "Попередження" in note.inner_text()
    box = note.bounding_box()
    assert box is not None and box["height"] < 120  # a line or two of text, not a cover
    link = page.locator("nav.language a[hreflang='en']")
    centre = link.bounding_box()
    assert centre is not None
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest(\"a[hreflang='en']\") !== null",
        [centre["x"] + centre["width"] / 2, centre["y"] + centre["height"] / 2],
    )
    assert on_top
    link.click()
    page.wait_for_url("**/sites/izium-mass-burial-site/")
    assert "/uk/" not in page.url
    context.close()
