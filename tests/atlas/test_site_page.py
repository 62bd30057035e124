from __future__ import annotations

import re

import pytest
from django.test import Client

from lestweforget import geo

SITE_URL = "/sites/izium-mass-burial-site/"


@pytest.fixture
def page(client: Client, demo: object) -> str:
    response = client.get(SITE_URL)
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_site_page_shows_the_point_in_every_coordinate_form(page: str) -> None:
    point = geo.LatLon(49.220922, 37.244553)
    assert "49.220922, 37.244553" in page
    assert geo.format_dms(point) in page
    assert geo.to_mgrs(point) in page
    assert geo.to_plus_code(point) in page
    assert geo.format_sk42(geo.to_sk42(point)) in page
    assert "geo:49.220922,37.244553;u=300" in page


def test_site_page_offers_directions_in_three_map_apps(page: str) -> None:
    assert "openstreetmap.org" in page
    assert "google.com/maps/dir/" in page
    assert "maps.apple.com" in page


def test_site_page_says_how_far_and_which_way_from_the_city_centre(page: str) -> None:
    assert re.search(r"1\.3 km north-west of central Izium", _text(page))


def test_safety_note_comes_before_the_directions(page: str) -> None:
    safety = page.index('class="safety"')
    directions = page.index('class="directions"')
    assert safety < directions
    assert "mine" in _text(page[safety:directions]).lower()


def test_disputed_counts_are_shown_side_by_side_with_their_sources(page: str) -> None:
    group = re.search(r'<div class="claim-group disputed" data-subject="bodies_exhumed">(.*?)</div>', page, re.S)
    assert group, "the body counts are not marked as disputed"
    text = _text(group.group(1))
    assert "447" in text and "436" in text
    assert "sources disagree" in text
    # Every row cites a source that is listed in the sources section.
    for key in re.findall(r'href="#source-([a-z0-9-]+)"', group.group(1)):
        assert f'id="source-{key}"' in page


def test_site_page_has_a_citable_url_and_downloads(page: str) -> None:
    assert f"http://testserver{SITE_URL}" in page
    for fmt in ("geojson", "kml", "gpx", "csv"):
        assert f"{SITE_URL}export.{fmt}" in page


def test_site_page_in_ukrainian_shows_ukrainian_text(client: Client, demo: object) -> None:
    response = client.get("/uk" + SITE_URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'lang="uk"' in text
    assert "Масове поховання в Ізюмі" in text
    assert "Джерела" in text
    assert '447 <span class="unit">тіл</span>' in text


def test_atlas_lists_the_site_and_its_marker(client: Client, demo: object) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-slug="izium-mass-burial-site"' in html
    assert '"lat": 49.220922' in html and '"lon": 37.244553' in html
    assert "2022-02-24" in html


def test_unknown_site_gets_a_404_that_names_it(client: Client, demo: object) -> None:
    response = client.get("/sites/no-such-place/")
    assert response.status_code == 404
    assert "no-such-place" in response.content.decode()


def test_unknown_export_format_gets_a_400_that_names_it(client: Client, demo: object) -> None:
    response = client.get(SITE_URL + "export.shp")
    assert response.status_code == 400
    body = response.content.decode()
    assert "shp" in body and "geojson" in body


def test_unpublished_site_is_not_found(client: Client, demo: object) -> None:
    from lestweforget.atlas.models import Site

    Site.objects.filter(slug="izium-mass-burial-site").update(is_published=False)
    assert client.get(SITE_URL).status_code == 404
    assert "izium-mass-burial-site" not in client.get("/").content.decode()
    assert client.get("/api/sites/izium-mass-burial-site").status_code == 404
