"""What a black-box reader of the atlas page met: a cited address with values the atlas cannot read (left out before
any request and named, the sentence agreeing with how many), a histogram whose time axis skipped months, a cited
search that opened on the whole country, and a search that found nothing shown as a bare "0"."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from atlas_page import atlas_ready, url_query

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_tab(browser: object, grey_tiles: Callable[[object], None]) -> Callable[[int, str], tuple[Any, Any, list[str]]]:
    """A fresh tab that records every console error and warning, and every request that failed."""

    def open_at(width: int, language: str) -> tuple[Any, Any, list[str]]:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale=language)  # type: ignore[attr-defined]
        grey_tiles(context)
        tab = context.new_page()
        troubles: list[str] = []
        tab.on("console", lambda msg: troubles.append(msg.text) if msg.type in ("error", "warning") else None)
        tab.on("pageerror", lambda error: troubles.append(str(error)))
        tab.on("response", lambda r: troubles.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        return context, tab, troubles

    return open_at


def _fits(tab: object) -> None:
    widths = tab.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")  # type: ignore[attr-defined]
    assert widths[0] <= widths[1], widths


@pytest.mark.parametrize(
    ("language", "prefix", "width"), [("en-GB", "", 1280), ("uk-UA", "/uk", 390), ("uk-UA", "/uk", 1280)]
)
def test_unreadable_values_are_left_out_before_any_request_and_named(
    open_tab, demo_server: str, artifacts: Path, language: str, prefix: str, width: int
) -> None:
    context, tab, troubles = open_tab(width, language)
    asked: list[str] = []
    tab.on("request", lambda r: asked.append(r.url) if "/api/" in r.url else None)
    tab.goto(demo_server + prefix + "/?from=2022-13-45&kind=zzz&z=abc")
    atlas_ready(tab)
    assert troubles == []  # no 400 or 422, no console error, no "does not conform to yyyy-MM-dd" warning
    assert asked and not any("2022-13-45" in url or "zzz" in url or "abc" in url for url in asked), asked
    assert tab.locator("input[name=from]").input_value() == ""
    text = tab.locator("#atlas-problem").text_content() or ""
    assert all(value in text for value in ("«2022-13-45»", "«zzz»", "«abc»")), text
    if prefix:
        # Three values: the plural, "значення, яких … тож їх пропущено", and no English but the cited values.
        assert "яких" in text and "їх пропущено" in text, text
        assert not re.search(r"[A-Za-z]", re.sub(r"«[^»]*»", "", text)), text
    else:
        assert "values the atlas cannot read, so they were left out" in text, text
    view = url_query(tab.url)
    assert "from" not in view and "kind" not in view and view["z"] != "abc", view
    tab.screenshot(path=str(artifacts / f"atlas-unreadable-{prefix.strip('/') or 'en'}-{width}.png"), full_page=True)
    _fits(tab)
    context.close()


def test_one_unreadable_value_is_named_in_the_singular(open_tab, demo_server: str) -> None:
    context, tab, troubles = open_tab(390, "uk-UA")
    tab.goto(demo_server + "/uk/?lat=north&lon=37.25&z=12")
    atlas_ready(tab)
    text = tab.locator("#atlas-problem").text_content() or ""
    assert "«north»" in text and "якого" in text and "його пропущено" in text, text
    assert troubles == []
    context.close()


def _months(tab: object) -> list[str]:
    return [node.get_attribute("data-month") or "" for node in tab.locator("#histogram .bar").all()]  # type: ignore[attr-defined]


def _consecutive(months: list[str]) -> bool:
    index = [int(month[:4]) * 12 + int(month[5:7]) for month in months]
    return bool(index) and index == list(range(index[0], index[0] + len(index)))


def test_the_histogram_s_time_axis_has_every_month(open_tab, register_server: str, artifacts: Path) -> None:
    for prefix, width in (("", 1280), ("/uk", 390)):
        context, tab, troubles = open_tab(width, "uk-UA" if prefix else "en-GB")
        # The range asked starts before the first event: the axis starts with it.
        tab.goto(register_server + prefix + "/?lat=48.6&lon=31.2&z=6&from=2021-11-01")
        atlas_ready(tab)
        months = _months(tab)
        assert months[0] == "2021-11" and _consecutive(months), months
        empty = tab.locator("#histogram .bar[data-month='2021-12']")
        assert empty.evaluate("node => node.getBoundingClientRect().height") == 0
        title = empty.get_attribute("title") or ""
        assert title == ("грудень 2021: 0" if prefix else "December 2021: 0"), title
        axis = tab.locator("#histogram-axis").text_content() or ""
        assert axis.startswith("листопад 2021" if prefix else "November 2021"), axis
        assert troubles == []
        tab.screenshot(path=str(artifacts / f"atlas-axis-{prefix.strip('/') or 'en'}-{width}.png"), full_page=True)
        _fits(tab)
        context.close()


def test_a_cited_search_opens_on_its_matches_as_the_form_does(open_tab, register_server: str) -> None:
    context, tab, troubles = open_tab(1280, "en-GB")
    tab.goto(register_server + "/")
    atlas_ready(tab)
    country = int(url_query(tab.url)["z"])
    tab.locator("input[name=q]").fill("Izium")
    tab.locator("#atlas-filters button[type=submit]").click()
    tab.wait_for_url("**q=Izium**")
    atlas_ready(tab)
    by_form = url_query(tab.url)
    assert int(by_form["z"]) > country

    fresh = context.new_page()
    fresh.goto(register_server + "/?q=Izium")
    atlas_ready(fresh)
    cited = url_query(fresh.url)
    assert cited["z"] == by_form["z"], (cited, by_form)
    assert abs(float(cited["lat"]) - float(by_form["lat"])) < 0.01
    assert abs(float(cited["lon"]) - float(by_form["lon"])) < 0.01

    # A view named in the address wins over the matches.
    fresh.goto(register_server + "/?q=Izium&lat=48.6&lon=31.2&z=6")
    atlas_ready(fresh)
    view = url_query(fresh.url)
    assert (view["lat"][:4], view["lon"][:4], view["z"]) == ("48.6", "31.2", "6")
    assert troubles == []
    context.close()


@pytest.mark.parametrize(("language", "prefix"), [("en-GB", ""), ("uk-UA", "/uk")])
@pytest.mark.parametrize("width", [390, 1280])
def test_a_search_that_finds_nothing_says_so_and_offers_to_clear(
    open_tab, demo_server: str, artifacts: Path, language: str, prefix: str, width: int
) -> None:
    context, tab, troubles = open_tab(width, language)
    tab.goto(demo_server + prefix + "/?lat=49.21&lon=37.25&z=12&q=Atlantis&kind=mass_grave")
    atlas_ready(tab)
    assert tab.locator("#sites-count").text_content() == "0"
    empty = tab.locator("#sites-empty")
    assert empty.is_visible()
    sentence = empty.locator("p").text_content() or ""
    if prefix:
        assert sentence.startswith("Жодне місце") and not re.search(r"[A-Za-z]", empty.text_content() or ""), sentence
    else:
        assert sentence.startswith("No sites in view match these filters"), sentence
    tab.screenshot(path=str(artifacts / f"atlas-nothing-{prefix.strip('/') or 'en'}-{width}.png"), full_page=True)
    _fits(tab)
    tab.locator("#clear-filters").click()
    tab.wait_for_function("() => !new URLSearchParams(location.search).has('q')")
    atlas_ready(tab)
    assert int(tab.locator("#sites-count").text_content() or 0) > 0
    assert not empty.is_visible()
    assert tab.locator("input[name=q]").input_value() == "" and tab.locator("select[name=kind]").input_value() == ""
    assert "kind" not in url_query(tab.url)
    assert troubles == []
    context.close()
