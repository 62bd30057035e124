from __future__ import annotations

import re

import pytest
from django.test import Client

from lestweforget import geo
from lestweforget.exports.locale_text import coordinates_text

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
    group = re.search(r'<div class="claim-group disputed" data-subject="bodies_exhumed">(.*?)</table>', page, re.S)
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


def test_atlas_page_loads_its_sites_from_the_viewport(client: Client, demo: object) -> None:
    html = client.get("/").content.decode()
    assert 'data-viewport-url="/api/viewport"' in html and "register/explore.js" in html
    # The page itself holds no site: the viewport gives them, at their public points, with the timeline.
    assert "izium-mass-burial-site" not in html
    view = client.get("/api/viewport", {"bbox": "36,48,38,50", "zoom": "12"}).json()
    point = next(p for p in view["points"] if p["slug"] == "izium-mass-burial-site")
    assert (point["lat"], point["lon"]) == (49.220922, 37.244553)
    dates = [e["date"] for e in client.get("/api/viewport/timeline", {"bbox": "36,48,38,50"}).json()["events"]]
    assert "2022-09-16" in dates


def test_unknown_site_gets_a_404_that_names_it(client: Client, demo: object) -> None:
    response = client.get("/sites/no-such-place/")
    assert response.status_code == 404
    assert "no-such-place" in response.content.decode()


@pytest.mark.parametrize("path", [SITE_URL + "export.shp", SITE_URL + "export.pdf", "/export/atlas.shp"])
def test_unknown_export_format_gets_a_404_that_names_it(client: Client, demo: object, path: str) -> None:
    # An export in a format the atlas does not make is a file that does not exist, not a bad request.
    response = client.get(path)
    assert response.status_code == 404
    body = response.content.decode()
    assert path.rsplit(".", 1)[1] in body and "geojson" in body


def test_unpublished_site_is_not_found(client: Client, demo: object) -> None:
    from lestweforget.atlas.models import Site

    Site.objects.filter(slug="izium-mass-burial-site").update(is_published=False)
    assert client.get(SITE_URL).status_code == 404
    assert "izium-mass-burial-site" not in client.get("/").content.decode()
    assert client.get("/api/sites/izium-mass-burial-site").status_code == 404


OUTSIDE_SK42_RECORD = """
sources:
  - key: test-source
    kind: report
    title: "[Test report]"
    publisher: "Test NGO"
    url: "https://example.org/report"
    published: "2024-04-07"
    language: en
settlements: []
sites:
  - slug: outside-sk42-test-site
    kind: memorial
    names:
      - {language: en, name: "Test memorial south of the equator", primary: true}
      - {language: uk, name: "Тестовий меморіал на південь від екватора", primary: true}
    summary: {en: "A test site outside the SK-42 grid.", uk: "Тестове місце поза сіткою СК-42."}
    location:
      latitude: -1.9306
      longitude: 30.0603
      uncertainty_m: 25
      method: {en: "Survey", uk: "Обстеження"}
      source: test-source
events: []
"""


@pytest.fixture
def outside_sk42(db: None, tmp_path) -> str:
    from lestweforget.atlas.demo import load_record_file

    path = tmp_path / "outside.yaml"
    path.write_text(OUTSIDE_SK42_RECORD, encoding="utf-8")
    load_record_file(path)
    return "/sites/outside-sk42-test-site/"


@pytest.mark.parametrize(
    ("prefix", "unavailable"),
    [
        ("", "outside the area of the SK-42 grid (6° E eastward to 168° W, 35° N to 82° N)"),
        ("/uk", "поза межами сітки СК-42 (від 6° сх. д. на схід до 168° зх. д., від 35° до 82° пн. ш.)"),
    ],
)
def test_a_site_outside_sk42_shows_every_other_form_and_says_why_sk42_is_missing(
    client: Client, outside_sk42: str, prefix: str, unavailable: str
) -> None:
    response = client.get(prefix + outside_sk42)
    assert response.status_code == 200
    page = response.content.decode()
    point = geo.LatLon(-1.9306, 30.0603)
    # South and east: "1°55′50,2″ пд. ш." in Ukrainian, as geo writes it in English.
    assert coordinates_text(geo.format_dms(point), prefix.strip("/") or "en") in page
    assert geo.to_mgrs(point) in page
    assert geo.to_plus_code(point) in page
    assert "geo:-1.9306,30.0603;u=25" in page
    sk42 = re.search(r'<dd><span class="coord-sk42 form-unavailable">(.*?)</span></dd>', page)
    assert sk42 and unavailable in sk42.group(1)


def test_the_field_guide_of_a_site_outside_sk42_says_why_sk42_is_missing(outside_sk42: str) -> None:
    from lestweforget.atlas.models import Site
    from lestweforget.photos.field_guide import field_guide

    guide = field_guide(Site.objects.get(slug="outside-sk42-test-site"), "en", "http://testserver")
    forms = dict(guide.coordinate_forms)
    assert forms["SK-42 (Pulkovo 1942) Gauss-Krüger"].startswith("outside the area of the SK-42 grid")
    assert forms["geo: URI"] == "geo:-1.9306,30.0603;u=25"


def test_the_ukrainian_page_writes_coordinates_in_ukrainian_and_keeps_a_form_for_map_apps(
    client: Client, demo: object
) -> None:
    page = client.get("/uk/sites/izium-mass-burial-site/").content.decode()
    decimal = re.search(r'<code class="coord-decimal">([^<]+)</code>', page)
    dms = re.search(r'<code class="coord-dms">([^<]+)</code>', page)
    assert decimal and decimal.group(1) == "49,220922°\u00a0пн.\u00a0ш. 37,244553°\u00a0сх.\u00a0д."
    assert dms and dms.group(1) == "49°13′15,3″\u00a0пн.\u00a0ш. 37°14′40,4″\u00a0сх.\u00a0д."
    # What a navigation app reads is kept, marked so that nothing translates it.
    assert '<code class="coord-decimal-machine" translate="no">49.220922, 37.244553</code>' in page
    assert 'href="geo:49.220922,37.244553;u=300"' in page
    english = client.get("/sites/izium-mass-burial-site/").content.decode()
    assert "coord-decimal-machine" not in english
