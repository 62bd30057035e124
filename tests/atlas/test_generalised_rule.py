"""A generalised site says and does one thing on its page, in the API, the downloads and the field guide: no
directions, distances no finer than its radius, coordinates no more precise than its radius allows."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.test import Client

from lestweforget import geo
from lestweforget.atlas import public
from lestweforget.atlas.models import Site

GENERALISED = ["sensitive-test-site", "izium-police-station-basement"]
DIRECTION_HOSTS = ("openstreetmap.org/directions", "google.com/maps/dir", "maps.apple.com/?daddr")


@pytest.fixture
def both(demo: object, sensitive_site: object) -> None:
    return None


def _decimals(number: str) -> int:
    return len(number.split(".")[1]) if "." in number else 0


@pytest.mark.parametrize("slug", GENERALISED)
@pytest.mark.parametrize("prefix", ["", "/uk"])
def test_the_page_offers_no_directions_and_says_how_to_ask(
    client: Client, both: None, settings: object, slug: str, prefix: str
) -> None:
    settings.CONTACT_EMAIL = "editors@example.org"  # type: ignore[attr-defined]
    html = client.get(f"{prefix}/sites/{slug}/").content.decode()
    for host in DIRECTION_HOSTS:
        assert host not in html
    assert 'class="open-in"' not in html
    assert 'href="mailto:editors@example.org"' in html.split('id="getting-there"')[1]


@pytest.mark.parametrize("slug", GENERALISED)
def test_distances_and_coordinates_on_the_page_are_no_finer_than_the_radius(
    client: Client, both: None, slug: str
) -> None:
    site = Site.objects.get(slug=slug)
    radius = site.public_uncertainty_m
    step = geo.distance_step_m(radius)
    places = geo.precision_for_radius(radius).decimal_places
    for prefix in ("", "/uk"):
        html = client.get(f"{prefix}/sites/{slug}/").content.decode()
        if site.settlement is not None:
            offset = re.search(r'<p class="offset">(.*?)</p>', html, re.S)
            assert offset is not None
            text = offset.group(1)
            assert "bearing" not in text and "°" not in text
            assert re.search(r"(about|близько) ", text)
            # Every distance told is a whole number of steps.
            for number in re.findall(r"(\d+(?:[.,]\d+)?) (?:km|км)", text):
                assert round(float(number.replace(",", ".")) * 1000) % step == 0, text
            assert not re.search(r"\d (m|м)\b", text)
        decimal = re.search(r'<code class="coord-decimal">([^<]+)</code>', html)
        assert decimal is not None
        assert all(_decimals(n.replace(",", ".")) <= places for n in re.findall(r"-?\d+(?:[.,]\d+)?", decimal.group(1)))
        dms = re.search(r'<code class="coord-dms">([^<]+)</code>', html)
        assert dms is not None and not re.search(r"\d[.,]\d+″", dms.group(1))
        if radius >= 1852:  # a minute of arc: seconds would claim more than is known
            assert "″" not in dms.group(1)


@pytest.mark.parametrize("slug", GENERALISED)
def test_api_and_downloads_round_the_point_as_the_page_does(client: Client, both: None, slug: str) -> None:
    site = Site.objects.get(slug=slug)
    places = geo.precision_for_radius(site.public_uncertainty_m).decimal_places
    one = client.get(f"/api/sites/{slug}").json()
    listed = next(s for s in client.get("/api/sites").json()["items"] if s["slug"] == slug)
    for answer in (one, listed):
        assert _decimals(repr(answer["latitude"])) <= places
        assert _decimals(repr(answer["longitude"])) <= places
    assert (one["latitude"], one["longitude"]) == public.published_coordinates(site)
    for url in (f"/sites/{slug}/export.geojson", "/export/atlas.geojson"):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        features = json.loads(body)["features"]
        feature = next(f for f in features if f["id"] == slug)
        lon, lat = feature["geometry"]["coordinates"][:2]
        assert (lat, lon) == public.published_coordinates(site)
    gpx = client.get(f"/sites/{slug}/export.gpx").content.decode()
    for value in re.findall(r'(?:lat|lon)="([^"]+)"', gpx):
        assert _decimals(value) <= places, value


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize("slug", GENERALISED)
def test_the_guide_says_why_directions_are_withheld(
    client: Client, both: None, settings: object, slug: str, language: str
) -> None:
    from lestweforget.photos.field_guide import site_guide

    settings.CONTACT_EMAIL = "editors@example.org"  # type: ignore[attr-defined]
    site = public.public_site(slug)
    with zipfile.ZipFile(io.BytesIO(site_guide(site, language, "https://atlas.example.org"))) as bundle:
        html = bundle.read("index.html").decode()
    getting_there = html.split('<section id="getting-there">')[1].split("</section>")[0]
    assert 'class="directions-withheld"' in getting_there
    assert "editors@example.org" in getting_there
    assert re.search(r"not published|не публікується", getting_there)
    # No live distance and arrow either: they would lead to the place, and to the metre.
    assert 'id="live"' not in html
    places = geo.precision_for_radius(site.public_uncertainty_m).decimal_places
    coordinates = html.split('<section id="coordinates">')[1].split("</section>")[0]
    decimal = re.search(r"<code[^>]*>(-?\d+\.\d+), (-?\d+\.\d+)</code>", coordinates)
    assert decimal is not None and _decimals(decimal.group(1)) <= places


def test_a_public_site_keeps_its_full_precision_and_its_directions(client: Client, demo: object) -> None:
    html = client.get("/sites/izium-mass-burial-site/").content.decode()
    assert "49.220922, 37.244553" in html
    assert all(host in html for host in DIRECTION_HOSTS)
    assert re.search(r'<span class="bearing">\(bearing \d+°\)</span>', html)


def test_the_about_page_gives_the_editors_address_from_lwf_contact_email(
    client: Client, db: None, settings: object
) -> None:
    settings.CONTACT_EMAIL = "editors@example.org"  # type: ignore[attr-defined]
    for prefix in ("", "/uk"):
        assert 'href="mailto:editors@example.org"' in client.get(f"{prefix}/about/").content.decode()
    settings.CONTACT_EMAIL = ""  # type: ignore[attr-defined]
    assert "mailto:" not in client.get("/about/").content.decode()


@pytest.mark.parametrize("slug", GENERALISED)
def test_the_map_draws_the_point_where_the_page_puts_it(client: Client, both: None, slug: str) -> None:
    """The viewport's points and list give a generalised site at the digits its page and API give, not the stored
    point's full digits (a black-box tester found 49.2146232280527 on the map while the page said 49.21)."""
    site = Site.objects.get(slug=slug)
    published = public.published_coordinates(site)
    box = f"{site.public_longitude - 0.1},{site.public_latitude - 0.1},{site.public_longitude + 0.1},"
    box += f"{site.public_latitude + 0.1}"
    for url in (f"/api/viewport?bbox={box}&zoom=14", f"/api/viewport/list?bbox={box}"):
        answer = client.get(url).json()
        found = [p for p in answer.get("points", answer.get("items", [])) if p["slug"] == slug]
        assert found, url
        assert (found[0]["lat"], found[0]["lon"]) == published, url


def _boxes_around_the_rounding(site: Site) -> tuple[str, str]:
    """Two boxes whose southern or northern edge runs between the site's stored public latitude and its published
    (rounded) one: the first holds only the stored point, the second only the published one."""
    stored, published = site.public_latitude, public.published_coordinates(site)[0]
    assert stored != published
    edge = (stored + published) / 2
    west, east = site.published_longitude - 0.5, site.published_longitude + 0.5
    if published < stored:
        return f"{west},{edge},{east},{edge + 1}", f"{west},{edge - 1},{east},{edge}"
    return f"{west},{edge - 1},{east},{edge}", f"{west},{edge},{east},{edge + 1}"


def _slugs_found(client: Client, bbox: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    found["/api/sites"] = {s["slug"] for s in client.get("/api/sites", {"bbox": bbox}).json()["items"]}
    export = client.get("/export/atlas.geojson", {"bbox": bbox})
    features = json.loads(b"".join(export.streaming_content))["features"]
    found["/export/atlas.geojson"] = {f["id"] for f in features}
    found["/api/viewport/list"] = {s["slug"] for s in client.get("/api/viewport/list", {"bbox": bbox}).json()["items"]}
    view = client.get("/api/viewport", {"bbox": bbox, "zoom": 14}).json()
    found["/api/viewport"] = {p["slug"] for p in view["points"]}
    assert view["total"] == len(found["/api/viewport"])
    return found


@pytest.mark.parametrize("slug", GENERALISED)
def test_a_box_keeps_a_generalised_site_by_the_point_readers_see(client: Client, both: None, slug: str) -> None:
    """A bounding box (the API's, the downloads', the map's) matches a generalised site's point as published, rounded
    to its radius, never the stored grid point's full digits: a box whose edge runs between the two leaves the site
    out when only the stored point is inside, and keeps it when the published point is."""
    site = Site.objects.get(slug=slug)
    assert (site.published_latitude, site.published_longitude) == public.published_coordinates(site)
    holds_stored, holds_published = _boxes_around_the_rounding(site)
    for url, slugs in _slugs_found(client, holds_stored).items():
        assert slug not in slugs, url
    for url, slugs in _slugs_found(client, holds_published).items():
        assert slug in slugs, url
