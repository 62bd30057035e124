"""The whole view of the atlas page lives in its URL: open a cited URL and see the same view (centre, zoom, filters,
time range, selected site), change it and the URL follows, open that URL afresh and the view comes back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from atlas_page import atlas_ready, url_query

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITED = "/?lat=49.21&lon=37.25&z=13&kind=mass_grave&from=2022-09-01&to=2022-09-30&site=izium-mass-burial-site"


def test_a_cited_view_opens_as_it_was_cited(page, demo_server: str, artifacts: Path) -> None:
    page.goto(demo_server + CITED)
    atlas_ready(page)
    view = url_query(page.url)
    assert view["z"] == "13" and abs(float(view["lat"]) - 49.21) < 1e-3 and abs(float(view["lon"]) - 37.25) < 1e-3
    assert (view["kind"], view["from"], view["to"], view["site"]) == (
        "mass_grave",
        "2022-09-01",
        "2022-09-30",
        "izium-mass-burial-site",
    )
    assert page.locator("select[name=kind]").input_value() == "mass_grave"
    assert page.locator("input[name=from]").input_value() == "2022-09-01"
    # The kind filter keeps the burial site and drops the police station, on the map and in the list.
    assert page.locator(".site-item").count() == 1
    assert page.locator(".site-item.selected[data-slug='izium-mass-burial-site']").count() == 1
    assert page.locator("path.site-marker.selected[data-slug='izium-mass-burial-site']").count() == 1
    assert page.locator("path.site-marker[data-slug='izium-police-station-basement']").count() == 0
    dates = [node.get_attribute("datetime") for node in page.locator("#events time").all()]
    assert dates and all("2022-09-01" <= date <= "2022-09-30" for date in dates)
    assert page.locator(".event.selected").count() == len(dates)  # every event in view is the selected site's
    page.screenshot(path=str(artifacts / "atlas-cited-view.png"), full_page=True)
    assert page.js_errors == []


def test_a_changed_view_round_trips_through_its_url(page, browser, demo_server: str) -> None:
    page.goto(demo_server + "/?lat=49.21&lon=37.25&z=12")
    atlas_ready(page)
    page.locator("select[name=kind]").select_option("detention_site")
    page.locator("#atlas-filters button[type=submit]").click()
    atlas_ready(page)
    page.locator(".site-item[data-slug='izium-police-station-basement']").click()
    assert page.locator(".site-item.selected").count() == 1
    page.locator(".leaflet-control-zoom-in").click()
    page.wait_for_url("**z=13**")
    atlas_ready(page)
    cited = page.url
    view = url_query(cited)
    assert (view["kind"], view["site"], view["z"]) == ("detention_site", "izium-police-station-basement", "13")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    fresh = context.new_page()
    fresh.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    fresh.goto(cited)
    atlas_ready(fresh)
    assert url_query(fresh.url) == view
    assert fresh.locator("select[name=kind]").input_value() == "detention_site"
    slugs = [item.get_attribute("data-slug") for item in fresh.locator(".site-item").all()]
    assert slugs == ["izium-police-station-basement"]
    assert fresh.locator(".site-item.selected").count() == 1
    context.close()
    assert page.js_errors == []


def test_a_phone_opens_on_the_sites_and_a_search_goes_to_them(browser, demo_server: str) -> None:
    """A black-box tester's phone opened the atlas on an empty part of the country ("Sites in view 0"), and a search
    for "Ізюмі" left the map where it was; the language links dropped the view."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="uk-UA")
    context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    phone = context.new_page()
    phone.goto(demo_server + "/uk/")
    atlas_ready(phone)
    assert phone.locator("#sites-count").text_content() == "2"
    view = url_query(phone.url)
    english = url_query(phone.locator("nav.language a[hreflang='en']").get_attribute("href") or "")
    assert (english["lat"], english["lon"], english["z"]) == (view["lat"], view["lon"], view["z"])
    phone.goto(demo_server + "/uk/?lat=48.6&lon=24.0&z=7")  # the far west: nothing in view
    atlas_ready(phone)
    assert phone.locator("#sites-count").text_content() == "0"
    phone.fill("input[name=q]", "Ізюмі")
    phone.locator("#atlas-filters button[type=submit]").click()
    phone.wait_for_function("() => document.getElementById('sites-count').textContent !== '0'")
    atlas_ready(phone)
    assert int(phone.locator("#sites-count").text_content() or 0) >= 1
    assert url_query(phone.url)["q"] == "Ізюмі"
    context.close()


def test_back_and_forward_step_through_what_the_reader_asked(page, demo_server: str) -> None:
    """A tester's Back left the atlas: every search, filter and choice replaced the one history entry."""
    page.goto(demo_server + "/about/")
    page.goto(demo_server + "/?lat=49.21&lon=37.25&z=12")
    atlas_ready(page)
    page.locator("select[name=kind]").select_option("detention_site")
    page.locator("#atlas-filters button[type=submit]").click()
    page.wait_for_url("**kind=detention_site**")
    atlas_ready(page)
    page.locator(".site-item[data-slug='izium-police-station-basement'] .kind").click()
    page.wait_for_url("**site=izium-police-station-basement**")

    page.go_back()
    atlas_ready(page)
    assert "site" not in url_query(page.url) and url_query(page.url)["kind"] == "detention_site"
    page.go_back()
    atlas_ready(page)
    assert "kind" not in url_query(page.url)
    assert page.locator("select[name=kind]").input_value() == ""
    page.wait_for_function("() => document.querySelectorAll('.site-item').length === 2")
    page.go_forward()
    atlas_ready(page)
    assert page.locator("select[name=kind]").input_value() == "detention_site"
    page.wait_for_function("() => document.querySelectorAll('.site-item').length === 1")
    page.go_back()
    page.go_back()
    page.wait_for_url("**/about/")
    assert page.js_errors == []


def test_a_new_search_lets_go_of_the_site_chosen_before(page, demo_server: str) -> None:
    page.goto(demo_server + "/?lat=49.21&lon=37.25&z=12&site=izium-police-station-basement")
    atlas_ready(page)
    page.fill("input[name=q]", "Ізюм")
    page.locator("#atlas-filters button[type=submit]").click()
    page.wait_for_url("**q=**")
    atlas_ready(page)
    assert "site" not in url_query(page.url)
    assert page.locator(".site-item.selected").count() == 0


def test_a_cited_address_with_unreadable_filters_says_so_in_the_reader_s_language(browser, demo_server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="uk-UA")
    context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    phone = context.new_page()
    phone.goto(demo_server + "/uk/?lat=49.21&lon=37.25&z=12&from=2022-13-45&kind=zzz&status=bad")
    atlas_ready(phone)
    problem = phone.locator("#atlas-problem")
    assert problem.is_visible()
    text = problem.text_content() or ""
    # Every field left out is named, not only the last the API refused.
    assert "2022-13-45" in text and "zzz" in text and "bad" in text, text
    text = text.replace("bad", "")
    assert not re.search(r"[A-Za-z]", text.replace("zzz", "")), text  # Ukrainian only, the cited value aside
    view = url_query(phone.url)
    assert "from" not in view and "kind" not in view and "status" not in view
    assert phone.locator("#sites-count").text_content() == "2"
    context.close()
