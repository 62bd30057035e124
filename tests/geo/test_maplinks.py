from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given

from lestweforget.geo import (
    GeoError,
    LatLon,
    apple_directions_url,
    apple_maps_url,
    google_directions_url,
    google_maps_url,
    osm_directions_url,
    osm_url,
    parse_map_link,
)

from .strategies import points

IZIUM_SITE = LatLon(49.220922, 37.244553)
IZIUM_CITY = LatLon(49.21278, 37.25694)
PIN = LatLon(49.2209, 37.2445)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.google.com/maps/@49.2209,37.2445,17z",
        "https://www.google.com/maps/@49.2209,37.2445,350m/data=!3m1!1e3",
        "https://www.google.com/maps?q=49.2209,37.2445",
        "https://www.google.com/maps?q=loc:49.2209,37.2445",
        "https://maps.google.com/?ll=49.2209,37.2445&z=15",
        "https://maps.google.com.ua/maps?q=49.2209,+37.2445",
        "https://www.google.com/maps/search/49.2209,+37.2445?entry=ttu",
        "https://www.google.com/maps/search/49.2209,37.2445/@49.1,37.1,15z",
        "https://www.google.com/maps/place/49.2209,37.2445",
        "https://www.google.com/maps/search/?api=1&query=49.2209%2C37.2445",
        "https://www.google.com/maps/dir/?api=1&destination=49.2209,37.2445",
        "https://www.google.com/maps/dir/49.1,37.1/49.2209,37.2445/@49.15,37.15,12z/data=!4m2!4m1!3e2",
        "https://www.google.com/maps/place/Izium/@49.19,37.25,13z/data=!3m1!4b1!4m6!3m5!1s0x4126:0x9a!8m2!3d49.2209!4d37.2445!16s",
        "https://www.google.de/maps/place/Pishchanske+cemetery/@49.1,37.1,15z/data=!4m5!3m4!1s0x0:0x0!8m2!3d49.2209!4d37.2445",
    ],
)
def test_google_maps_links(url: str) -> None:
    assert parse_map_link(url) == PIN


def test_google_dropped_pin_link_with_dms_in_the_path() -> None:
    url = "https://www.google.com/maps/place/49%C2%B013'15.3%22N+37%C2%B014'40.4%22E/@49.22,37.24,17z"
    point = parse_map_link(url)
    assert point.lat == pytest.approx(49 + 13 / 60 + 15.3 / 3600)
    assert point.lon == pytest.approx(37 + 14 / 60 + 40.4 / 3600)


def test_the_marked_place_wins_over_the_map_view() -> None:
    url = "https://www.google.com/maps/place/X/@10.0,20.0,13z/data=!4m5!3m4!8m2!3d49.2209!4d37.2445"
    assert parse_map_link(url) == PIN
    assert parse_map_link("https://www.openstreetmap.org/?mlat=49.2209&mlon=37.2445#map=16/10.0/20.0") == PIN


@pytest.mark.parametrize(
    "url",
    [
        "https://www.openstreetmap.org/#map=17/49.2209/37.2445",
        "https://www.openstreetmap.org/?mlat=49.2209&mlon=37.2445",
        "https://www.openstreetmap.org/?mlat=49.2209&mlon=37.2445#map=16/49.2209/37.2445&layers=H",
        "https://openstreetmap.org/?lat=49.2209&lon=37.2445&zoom=15",
        "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route=49.1%2C37.1%3B49.2209%2C37.2445",
        "www.openstreetmap.org/?mlat=49.2209&mlon=37.2445",
    ],
)
def test_openstreetmap_links(url: str) -> None:
    assert parse_map_link(url) == PIN


@pytest.mark.parametrize(
    "url",
    [
        "https://maps.apple.com/?ll=49.2209,37.2445",
        "https://maps.apple.com/?q=49.2209,37.2445",
        "https://maps.apple.com/?q=Izium%20site&ll=49.2209,37.2445&z=16",
        "https://maps.apple.com/?sll=49.2209,37.2445&z=10",
        "https://maps.apple.com/?daddr=49.2209,37.2445&dirflg=w",
        "https://maps.apple.com/place?coordinate=49.2209,37.2445&name=Marked%20Location",
    ],
)
def test_apple_maps_links(url: str) -> None:
    assert parse_map_link(url) == PIN


@pytest.mark.parametrize(
    "url",
    [
        "https://yandex.ru/maps/?ll=37.2445%2C49.2209&z=16",
        "https://yandex.ua/maps/?ll=37.2445,49.2209&z=16&l=sat",
        "https://yandex.ru/maps/?pt=37.2445,49.2209&z=16",
        "https://yandex.com/maps/?pt=37.2445,49.2209,pm2rdm&ll=10.0,20.0&z=16",
        "https://yandex.ru/maps/?whatshere%5Bpoint%5D=37.2445%2C49.2209&whatshere%5Bzoom%5D=17",
        "https://yandex.ru/maps/?rtext=49.1%2C37.1~49.2209%2C37.2445&rtt=auto",
    ],
)
def test_yandex_links_put_longitude_first_except_in_routes(url: str) -> None:
    assert parse_map_link(url) == PIN


def test_geo_uri_is_a_map_link_too() -> None:
    assert parse_map_link("geo:49.2209,37.2445;u=30") == PIN


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "https://www.google.com/maps/place/Izium",
            "Google Maps link has no coordinates (a place name only): ",
        ),
        (
            "https://www.google.com/maps/search/?api=1&query=Izium+cemetery",
            "Google Maps link has no coordinates (a place name only): ",
        ),
        ("https://www.google.com/maps", "Google Maps link has no coordinates (no point in it): "),
        (
            "https://www.google.com/maps/place/A/data=!3d49.1!4d37.1!3d49.2!4d37.2",
            "Google Maps link marks 2 different places, cannot tell which: ",
        ),
        (
            "https://www.openstreetmap.org/node/123456",
            "OpenStreetMap link has no coordinates (a link to a map object, not to a point): ",
        ),
        (
            "https://www.openstreetmap.org/directions?route=49.1%2C37.1%3B",
            "OpenStreetMap link has no coordinates (a route without a destination point): ",
        ),
        ("https://maps.apple.com/?q=Izium", "Apple Maps link has no coordinates (a place name only): "),
        (
            "https://yandex.ru/maps/?text=Izium",
            "Yandex Maps link has no coordinates (a search or an organisation only): ",
        ),
        ("https://yandex.ru/maps/?pt=37,49~38,50", "Yandex Maps link marks 2 places, cannot tell which: "),
        ("https://maps.app.goo.gl/AbCdEf123", "short link hides its coordinates behind a redirect"),
        ("https://goo.gl/maps/AbCdEf123", "short link hides its coordinates behind a redirect"),
        ("https://osm.org/go/0uXc~Vq", "short link hides its coordinates behind a redirect"),
        ("https://example.com/?ll=49.2,37.2", "not a map link this atlas reads"),
        ("https://www.google.com/search?q=49.2,37.2", "not a map link this atlas reads"),
        ("https://www.google.com/maps/@95.2209,37.2445,17z", "latitude 95.2209 is outside -90..90"),
    ],
)
def test_links_without_a_readable_point_are_refused_naming_the_link_and_why(url: str, message: str) -> None:
    with pytest.raises(GeoError, match=re.escape(message)) as raised:
        parse_map_link(url)
    assert url in str(raised.value)


def test_outgoing_links_have_the_documented_shapes() -> None:
    assert osm_url(IZIUM_SITE) == (
        "https://www.openstreetmap.org/?mlat=49.220922&mlon=37.244553#map=16/49.220922/37.244553"
    )
    assert google_maps_url(IZIUM_SITE) == "https://www.google.com/maps/search/?api=1&query=49.220922,37.244553"
    assert google_directions_url(IZIUM_SITE) == (
        "https://www.google.com/maps/dir/?api=1&destination=49.220922,37.244553"
    )
    assert apple_directions_url(IZIUM_SITE) == "https://maps.apple.com/?daddr=49.220922,37.244553"


def test_directions_links_carry_the_start_point_when_given() -> None:
    google = urlsplit(google_directions_url(IZIUM_SITE, from_=IZIUM_CITY))
    assert parse_qs(google.query)["origin"] == ["49.212780,37.256940"]
    osm = urlsplit(osm_directions_url(IZIUM_SITE, from_=IZIUM_CITY))
    assert parse_qs(osm.query)["route"] == ["49.212780,37.256940;49.220922,37.244553"]
    assert parse_qs(urlsplit(osm_directions_url(IZIUM_SITE)).query)["route"] == [";49.220922,37.244553"]


def test_apple_maps_link_labels_the_pin_with_an_escaped_name() -> None:
    url = apple_maps_url(IZIUM_SITE, name="Izium burial site & forest")
    assert parse_qs(urlsplit(url).query)["q"] == ["Izium burial site & forest"]
    assert parse_map_link(url) == IZIUM_SITE


def test_osm_zoom_outside_0_to_20_is_refused() -> None:
    with pytest.raises(GeoError, match=r"OpenStreetMap zoom 21 is outside 0..20"):
        osm_url(IZIUM_SITE, zoom=21)


BUILDERS: list[Callable[[LatLon], str]] = [
    osm_url,
    osm_directions_url,
    lambda p: osm_directions_url(p, from_=IZIUM_CITY),
    google_maps_url,
    google_directions_url,
    lambda p: google_directions_url(p, from_=IZIUM_CITY),
    apple_maps_url,
    lambda p: apple_maps_url(p, name="Site 1, the forest"),
    apple_directions_url,
]


@pytest.mark.parametrize("build", BUILDERS)
@given(point=points)
def test_every_link_we_build_reads_back_to_its_point(build: Callable[[LatLon], str], point: LatLon) -> None:
    back = parse_map_link(build(point))
    assert abs(back.lat - point.lat) <= 5e-7 + 1e-12
    assert abs(back.lon - point.lon) <= 5e-7 + 1e-12
