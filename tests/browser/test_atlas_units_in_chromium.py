"""Choosing an oblast, then one of its raions, narrows the atlas's list; the raion list offers only that oblast's
raions; the choice lives in the URL and comes back on a reload. At a phone's width and a desktop's, in both
languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from atlas_page import atlas_ready, url_query

from lestweforget.atlas.demo import load_demo
from lestweforget.atlas.models import Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KHARKIV = "UA63000000000041885"
IZIUM = "UA63040000000023521"
KUPIANSK = "UA63080000000032022"


@pytest.fixture
def units_server(live_server: object) -> str:
    load_demo()
    # A published site in Kupiansk raion, near enough to be in view with the Izium sites.
    far = Site.objects.get(slug="izium-police-station-basement")
    far.latitude, far.longitude = 49.71, 37.61
    far.save()
    assert Site.objects.get(slug=far.slug).raion_code == KUPIANSK
    return live_server.url  # type: ignore[attr-defined, no-any-return]


def _slugs(page: object) -> list[str]:
    return [item.get_attribute("data-slug") for item in page.locator(".site-item").all()]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("width", "language"), [(390, "uk"), (1280, "en"), (390, "en"), (1280, "uk")])
def test_choosing_an_oblast_then_a_raion_narrows_the_list_and_survives_a_reload(
    browser, units_server: str, artifacts: Path, width: int, language: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    prefix = "/uk" if language == "uk" else ""
    page.goto(f"{units_server}{prefix}/?lat=49.45&lon=37.4&z=9")
    atlas_ready(page)
    assert sorted(_slugs(page)) == ["izium-mass-burial-site", "izium-police-station-basement"]

    page.locator("select[name=oblast]").select_option(KHARKIV)
    visible = page.locator("select[name=raion] optgroup:not([hidden])")
    assert visible.count() == 1 and visible.get_attribute("data-oblast") == KHARKIV
    names = [text.strip() for text in visible.locator("option").all_inner_texts()]
    assert ("Ізюмський район" if language == "uk" else "Izium raion") in names and len(names) == 7
    page.locator("select[name=raion]").select_option(IZIUM)
    page.locator("#atlas-filters button[type=submit]").click()
    page.wait_for_url(f"**raion={IZIUM}**")
    atlas_ready(page)
    assert _slugs(page) == ["izium-mass-burial-site"]
    query = url_query(page.url)
    assert (query["oblast"], query["raion"]) == (KHARKIV, IZIUM)

    page.reload()
    atlas_ready(page)
    assert page.locator("select[name=oblast]").input_value() == KHARKIV
    assert page.locator("select[name=raion]").input_value() == IZIUM
    assert _slugs(page) == ["izium-mass-burial-site"]
    page.screenshot(path=str(artifacts / f"atlas-units-{width}-{language}.png"), full_page=True)
    # Another oblast hides Kharkiv's raions and lets go of the chosen one.
    page.locator("select[name=oblast]").select_option("UA46000000000026241")
    assert page.locator("select[name=raion]").input_value() == ""
    assert errors == []
    context.close()


def test_a_unit_cited_by_its_p_code_shows_in_the_form_and_the_oblast_is_any_in_the_feminine(
    browser, units_server: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto(f"{units_server}/uk/?lat=49.45&lon=37.4&z=9&oblast=UA63")
    atlas_ready(page)
    assert page.locator("select[name=oblast]").input_value() == KHARKIV
    assert sorted(_slugs(page)) == ["izium-mass-burial-site", "izium-police-station-basement"]
    # "Область" is feminine: "будь-яка", where the kind and the raion take "будь-який".
    assert page.locator("select[name=oblast] option[value='']").inner_text() == "будь-яка"
    assert page.locator("select[name=raion] option[value='']").inner_text() == "будь-який"
    context.close()
