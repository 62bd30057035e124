from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, quote, quote_plus, urlsplit

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
    parse_coordinates,
    parse_map_link,
    read_map_link,
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
        ("https://maps.apple/p/AbCdEf.123", "short link hides its coordinates behind a redirect"),
        ("https://yandex.ru/maps/-/CDq0zKpW", "short link hides its coordinates behind a redirect"),
        ("https://go.2gis.com/abc12", "short link hides its coordinates behind a redirect"),
        ("https://osm.org/go/0uXc!Vq", "not an OpenStreetMap short link code"),
        ("https://comaps.at/get", "not a map link this atlas reads"),
        ("https://maps.apple.com/place?place-id=I1234567890&name=Site", "by its identifier only"),
        ("https://2gis.ua/kyiv/firm/70000001", "a place known to 2GIS by its identifier only"),
        ("https://www.bing.com/maps?q=Izium", "Bing Maps link has no coordinates (a place name only)"),
        ("https://waze.com/ul?q=Izium", "Waze link has no coordinates (a place name only)"),
        ("https://www.openstreetmap.org/search?query=Izium", "(a search for a place name only)"),
        ("https://www.google.com/maps?q=95.0,37.2", "latitude 95.0 is outside -90..90"),
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


def test_osm_short_links_decode_offline() -> None:
    # "0GAjIv8h" is the wiki's example for 50.671530961990356, 6.09715461730957 at zoom 16.
    for url in (
        "https://osm.org/go/0GAjIv8h",
        "http://osm.org/go/0GAjIv8h?m=",
        "https://www.openstreetmap.org/go/0GAjIv8h",
    ):
        found = read_map_link(url)
        assert found.point == LatLon(50.671530961990356, 6.09715461730957)
        assert found.read_as == "OpenStreetMap short link"


@pytest.mark.parametrize(
    "url",
    [
        "https://comaps.at/ItdwBgeWW1/Hereford",
        "https://comaps.app/ItdwBgeWW1/Hereford",
        "https://omaps.app/ItdwBgeWW1/Hereford",
        "http://ge0.me/ItdwBgeWW1/Hereford",
        "ge0://ItdwBgeWW1/Hereford",
        "om://ItdwBgeWW1/Hereford",
        "https://comaps.at/ItdwBgeWW1",
        "comaps.at/ItdwBgeWW1/Hereford",
    ],
)
def test_comaps_organic_maps_and_maps_me_short_links_decode_their_code(url: str) -> None:
    point = parse_map_link(url)
    assert point.lat == pytest.approx(52.0553846, abs=1e-6)
    assert point.lon == pytest.approx(-2.7151898, abs=1e-6)


@pytest.mark.parametrize(
    "url",
    [
        # Organic Maps' "clear" links and its app API.
        "https://omaps.app/49.2209,37.2445/Site_A?z=16",
        "om://map?ll=49.2209,37.2445&n=Site%20A",
        "mapsme://map?ll=49.2209,37.2445",
        # Apple's unified Maps URLs (iOS 18.4) and the older map links.
        "https://maps.apple.com/place?coordinate=49.2209,37.2445&name=Site",
        "https://maps.apple.com/directions?destination=49.2209,37.2445&mode=walking",
        "https://maps.apple.com/directions?source=49.1,37.1&destination=49.2209%2C37.2445&mode=driving",
        "https://maps.apple.com/search?query=49.2209,37.2445",
        "https://maps.apple.com/frame?center=49.2209,37.2445&span=0.01,0.01",
        "https://maps.apple.com/?address=49.2209,37.2445",
        "maps://?q=49.2209,37.2445",
        # Google Maps URLs API, its iOS scheme and Android's navigation intent.
        "https://www.google.com/maps/@?api=1&map_action=map&center=49.2209%2C37.2445&zoom=15",
        "https://www.google.com/maps/@?api=1&map_action=pano&viewpoint=49.2209,37.2445&heading=90",
        "https://maps.google.com/maps?saddr=Izium&daddr=49.1,37.1+to:49.2209,37.2445",
        "comgooglemaps://?q=49.2209,37.2445&center=10,20",
        "google.navigation:q=49.2209,37.2445&mode=w",
        "https://www.google.com/maps/d/viewer?mid=1AbC&ll=49.2209%2C37.2445&z=15",
        # OpenStreetMap searches and directions by typed coordinates.
        "https://www.openstreetmap.org/search?query=49.2209%2C37.2445#map=16/49.1/37.1",
        "https://www.openstreetmap.org/directions?from=Izium&to=49.2209%2C37.2445",
        "https://www.openstreetmap.org/note/new?lat=49.2209&lon=37.2445#map=17/49.2209/37.2445",
        # Yandex's typed search (latitude first, like every typed search) and its navigator.
        "https://yandex.ru/maps/?text=49.2209%2C37.2445&z=15",
        "https://yandex.ua/maps/10367/izium/?ll=37.2445%2C49.2209&z=16",
        "https://maps.yandex.ru/?ll=37.2445,49.2209",
        "https://yandex.ru/navi/?whatshere%5Bpoint%5D=37.2445%2C49.2209",
        # 2GIS: longitude first.
        "https://2gis.ua/kyiv/geo/37.2445%2C49.2209?m=37.2445%2C49.2209%2F17",
        "https://2gis.ru/moscow?m=37.2445,49.2209/16",
        "https://2gis.com/geo/70030076/37.2445,49.2209",
        # Waze deep links and Bing Maps.
        "https://waze.com/ul?ll=49.2209%2C37.2445&navigate=yes&zoom=17",
        "https://www.waze.com/live-map/directions?to=ll.49.2209%2C37.2445",
        "https://www.bing.com/maps?cp=49.2209~37.2445&lvl=16",
        "https://www.bing.com/maps?sp=point.49.2209_37.2445_Site",
        "https://bing.com/maps/default.aspx?rtp=~pos.49.2209_37.2445_Site&rtop=0~1~0",
        # HERE WeGo, Mapy.cz, OsmAnd, Magic Earth.
        "https://share.here.com/l/49.2209,37.2445,Site?z=16",
        "https://wego.here.com/?map=49.2209,37.2445,16,normal",
        "https://mapy.cz/zakladni?x=37.2445&y=49.2209&z=16",
        "https://mapy.com/en/turisticka?source=coor&id=37.2445%2C49.2209&x=10&y=10",
        "https://osmand.net/map?pin=49.2209,37.2445#16/49.1/37.1",
        "https://osmand.net/go?lat=49.2209&lon=37.2445&z=16",
        "https://osmand.net/map#16/49.2209/37.2445",
        "https://magicearth.com/?lat=49.2209&lon=37.2445&name=Site",
        # Android's geo: forms.
        "geo:0,0?q=49.2209,37.2445(Site A)",
        "geo:49.2209,37.2445?z=16",
        "geo:49.2209,37.2445&z=14(Site)",
    ],
)
def test_every_map_app_link_kind(url: str) -> None:
    assert parse_map_link(url) == PIN


def test_waze_short_link_is_a_geohash() -> None:
    point = parse_map_link("https://waze.com/ul/hu8pvzwbp")
    assert point.lat == pytest.approx(46.0491085, abs=1e-6) and point.lon == pytest.approx(33.728199, abs=1e-6)


# Query text as people and tools type it; each is read inside every link kind exactly as typed alone.
TYPED = [
    "49.2209,37.2445",
    "49.2209, 37.2445",
    "49.2209N,37.2445E",
    "N 49.2209 E 37.2445",
    "49 13 15.24N, 37 14 40.2E",
    "49°13'15.24\"N 37°14'40.2\"E",
    "49 deg 13' 15.24\" N, 37 deg 14' 40.20\" E",
    "49.2209,37.2445 (Site A)",
    "49.2209 пн. ш., 37.2445 сх. д.",
    "-33.8688, -70.6693",
    "33°51′24″S 70°39′05″W",
    "37U CQ 72173 53498",
    "8GXV66CV+9R7",
    "X 5 455 781, Y 7 372 238",
]
IN_QUERY = [
    "https://www.google.com/maps?q={q}",
    "https://maps.google.com/maps?q={q}",
    "https://maps.google.com/maps?q=loc:{q}",
    "https://www.google.com/maps/search/?api=1&query={q}",
    "https://www.google.com/maps/dir/?api=1&destination={q}&travelmode=walking",
    "https://www.google.com/maps/@?api=1&map_action=map&center={q}",
    "https://www.google.com/maps/@?api=1&map_action=pano&viewpoint={q}",
    "https://maps.google.com/?ll={q}",
    "https://maps.google.com/maps?saddr=Izium&daddr={q}",
    "comgooglemaps://?q={q}",
    "https://maps.apple.com/?q={q}",
    "https://maps.apple.com/?ll={q}&q=Site",
    "https://maps.apple.com/?daddr={q}&dirflg=w",
    "https://maps.apple.com/?sll={q}",
    "https://maps.apple.com/place?coordinate={q}&name=Site",
    "https://maps.apple.com/directions?destination={q}&mode=walking",
    "https://maps.apple.com/search?query={q}",
    "https://maps.apple.com/frame?center={q}",
    "https://www.openstreetmap.org/search?query={q}",
    "https://www.openstreetmap.org/directions?from=Izium&to={q}",
    "https://www.openstreetmap.org/directions?route=49.1%2C37.1%3B{q}",
    "https://yandex.ru/maps/?text={q}",
    "https://yandex.ru/maps/?rtext=49.1%2C37.1~{q}",
    "geo:0,0?q={q}",
    "https://waze.com/ul?ll={q}&navigate=yes",
    "https://www.waze.com/live-map/directions?to=ll.{q}",
    "https://www.bing.com/maps?q={q}",
    "https://www.bing.com/maps?where1={q}",
    "https://osmand.net/map?pin={q}",
    "om://map?ll={q}&n=Site",
]
IN_PATH = [
    "https://www.google.com/maps/place/{p}",
    "https://www.google.com/maps/place/{p}/@10,20,15z",
    "https://www.google.com/maps/search/{p}",
    "https://www.google.com/maps/dir/Izium/{p}/",
]


@pytest.mark.parametrize("template", IN_QUERY + IN_PATH)
@pytest.mark.parametrize("typed", TYPED)
def test_every_link_kind_reads_its_query_with_the_typed_coordinates_reader(template: str, typed: str) -> None:
    url = template.format(q=quote_plus(typed), p=quote(typed, safe=""))
    assert parse_map_link(url) == parse_coordinates(typed)


@pytest.mark.parametrize(
    "url",
    [
        # The <iframe> "Embed a map" gives: the centre is !2d<longitude>!3d<latitude> inside pb.
        "https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2000!2d37.2445!3d49.2209!2m3!1f0!2f0!3f0!3m2!1i1024",
        "https://www.google.com/maps/embed?pb=!1m14!1m8!1m3!1d1000.5!2d37.2445!3d49.2209!3m2!1i1024!2i768!4f13.1",
    ],
)
def test_an_embedded_google_map_is_read_at_its_centre(url: str) -> None:
    assert read_map_link(url).point == PIN
