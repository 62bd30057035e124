"""The atlas page when the register holds more than the map can draw one by one: the country view shows counts per
area that add up to the sites in view, the list pages through them, the timeline becomes a histogram by month, and
choosing a site in one of the three marks it in the other two (its point over the clusters, its months in the
histogram); a month of the histogram becomes the time range."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from atlas_page import atlas_ready, url_query

from lestweforget.atlas.models import Event
from lestweforget.register import synthetic, viewport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNTRY = "/?lat=48.6&lon=31.2&z=6"


def _no_overflow(page: object) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")  # type: ignore[attr-defined]
    assert width[0] <= width[1], f"the page is {width[0]} px wide in a {width[1]} px window"


def test_country_view_counts_pages_and_marks_a_choice_in_all_three(page, register_server: str) -> None:
    page.goto(register_server + COUNTRY)
    atlas_ready(page)
    in_view = int(page.locator("#sites-count").text_content() or 0)
    assert in_view > viewport.POINT_LIMIT
    counts = [int(node.get_attribute("data-count") or 0) for node in page.locator(".cluster-marker").all()]
    assert counts and sum(counts) == in_view
    assert page.locator("path.site-marker").count() == 0  # counts, not points, at this zoom

    # The list pages through the sites in view, never repeating one.
    assert page.locator(".site-item").count() == 50
    page.locator("#sites-more").click()
    page.wait_for_function("() => document.querySelectorAll('.site-item').length === 100")
    slugs = [node.get_attribute("data-slug") for node in page.locator(".site-item").all()]
    assert len(set(slugs)) == 100

    # Many events: the timeline is a histogram by month.
    assert page.locator("#histogram").is_visible()
    assert int(page.locator("#events-count").text_content() or 0) > viewport.EVENT_LIMIT

    # Choose a site in the list: it is marked on the map over the clusters, and its event's month in the histogram.
    chosen = str(slugs[3])
    page.locator(f".site-item[data-slug='{chosen}'] .kind").click()
    assert url_query(page.url)["site"] == chosen
    assert page.locator(".site-item.selected").count() == 1
    assert page.locator(f"path.site-marker.selected[data-slug='{chosen}']").count() == 1
    month = Event.objects.get(site__slug=chosen).date.strftime("%Y-%m")
    page.wait_for_selector(f"#histogram .bar.selected[data-month='{month}']")
    assert page.locator("#histogram .bar.selected").count() == 1

    # That month of the histogram becomes the time range, and the timeline counts what the bar said.
    bar = page.locator(f"#histogram .bar[data-month='{month}']")
    said = int(re.findall(r"\d+", bar.get_attribute("aria-label") or "")[-1])
    bar.click()
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('from') === '{month}-01'")
    atlas_ready(page)
    assert url_query(page.url)["to"].startswith(month + "-")
    assert int(page.locator("#events-count").text_content() or 0) == said
    assert page.locator(f".event.selected[data-site='{chosen}']").count() == (1 if said <= viewport.EVENT_LIMIT else 0)
    assert page.js_errors == []


def test_histogram_on_a_ukrainian_phone(browser, register_server: str, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="uk-UA")
    context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    phone = context.new_page()
    phone.goto(register_server + "/uk" + COUNTRY)
    atlas_ready(phone)
    assert phone.locator("#histogram").is_visible()
    labels = [node.get_attribute("aria-label") or "" for node in phone.locator("#histogram .bar").all()]
    assert labels
    # Months named in Ukrainian by the server (`viewport` month labels), lower case, as a month stands on its own
    # ("вересень 2022: 12"); no Latin, no bare "2022-09".
    assert all(re.fullmatch(r"[а-яіїєґ’']+ \d{4}: \d+", label) for label in labels), labels[:3]
    phone.screenshot(path=str(artifacts / "atlas-histogram-uk-phone.png"), full_page=True)
    _no_overflow(phone)
    # A count on the map zooms in on its area (by two steps); the whole country holds too many sites to draw.
    phone.goto(register_server + "/uk/?lat=48.6&lon=31.2&z=5")
    atlas_ready(phone)
    phone.locator(".cluster-marker").first.click()
    phone.wait_for_function("() => new URLSearchParams(location.search).get('z') === '7'")
    atlas_ready(phone)
    context.close()


# The tester's crowd: at about 6,000 sites zooms 3 and 4 drew counts on top of each other (the phone's first view).
CROWD = 6000


@pytest.fixture
def crowd_server(live_server: object) -> str:
    synthetic.generate(CROWD, seed=13)
    return live_server.url  # type: ignore[attr-defined, no-any-return]


def _overlapping(page: object) -> list[tuple[str, str]]:
    """Pairs of cluster markers (by count) whose boxes on screen intersect."""
    boxes = page.evaluate(  # type: ignore[attr-defined]
        """() => Array.from(document.querySelectorAll('.cluster-marker')).map(node => {
          const r = node.getBoundingClientRect();
          return [node.getAttribute('data-count'), r.left, r.top, r.right, r.bottom];
        })"""
    )
    return [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_no_two_counts_on_the_map_overlap(browser, crowd_server: str, artifacts: Path, width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="uk-UA")
    context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page = context.new_page()
    for zoom in (3, 4, 5):
        page.goto(f"{crowd_server}/uk/?lat=49&lon=33&z={zoom}")
        atlas_ready(page)
        markers = page.locator(".cluster-marker")
        # At zoom 3 the whole country is some 105 px wide: room for one or two 60 px counts, no more.
        assert markers.count() >= (1 if zoom == 3 else 2)
        page.screenshot(path=str(artifacts / f"atlas-clusters-{width}px-z{zoom}.png"), full_page=True)
        assert _overlapping(page) == [], f"z={zoom} at {width} px"
        # The counts still add up to the sites in view.
        counts = [int(node.get_attribute("data-count") or 0) for node in markers.all()]
        assert sum(counts) == int(page.locator("#sites-count").text_content() or 0)
    context.close()
