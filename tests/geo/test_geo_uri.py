from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lestweforget.geo import GeoError, LatLon, ParsedLocation, parse_geo_uri, to_geo_uri

from .strategies import points

IZIUM_SITE = LatLon(49.220922, 37.244553)


def test_izium_site_with_its_uncertainty() -> None:
    assert to_geo_uri(IZIUM_SITE, uncertainty_m=300) == "geo:49.220922,37.244553;u=300"
    assert to_geo_uri(IZIUM_SITE) == "geo:49.220922,37.244553"
    assert to_geo_uri(LatLon(-33.5, -70.25), uncertainty_m=12.5) == "geo:-33.5,-70.25;u=12.5"


def test_a_coordinate_that_rounds_to_zero_has_no_minus_sign() -> None:
    assert to_geo_uri(LatLon(-0.0000001, 1.5)) == "geo:0,1.5"


def test_a_negative_uncertainty_is_refused() -> None:
    with pytest.raises(GeoError, match="uncertainty -1 m is not a finite number of metres"):
        to_geo_uri(IZIUM_SITE, uncertainty_m=-1)


def test_parse_reads_point_uncertainty_and_altitude() -> None:
    parsed = parse_geo_uri("geo:49.220922,37.244553,120.5;u=300")
    assert parsed == ParsedLocation(IZIUM_SITE, uncertainty_m=300.0, altitude_m=120.5)
    assert (parsed.lat, parsed.lon) == (49.220922, 37.244553)


def test_scheme_and_parameter_names_are_case_insensitive_and_wgs84_crs_is_accepted() -> None:
    parsed = parse_geo_uri("GEO:49.2,37.2;CRS=WGS84;U=12;label=site")
    assert parsed == ParsedLocation(LatLon(49.2, 37.2), uncertainty_m=12.0)


def test_the_android_share_form_reads_the_query_point() -> None:
    assert parse_geo_uri("geo:0,0?q=49.2209,37.2445(Izium site)").point == LatLon(49.2209, 37.2445)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("geo:49.2,37.2;crs=nad27", "geo: URI crs 'nad27' is not supported, only wgs84"),
        ("geo:1e5,3", "geo: URI coordinates must be 'lat,lon' or 'lat,lon,alt' in plain decimals"),
        ("geo:+49,37", "geo: URI coordinates must be 'lat,lon' or 'lat,lon,alt' in plain decimals"),
        ("geo:49", "geo: URI coordinates must be 'lat,lon' or 'lat,lon,alt' in plain decimals"),
        ("geo:91,0", "latitude 91.0 is outside -90..90"),
        ("geo:49,37;u=-3", "geo: URI uncertainty '-3' is not a number of metres"),
        ("geo:49,37;u=abc", "geo: URI uncertainty 'abc' is not a number of metres"),
        ("geo:0,0?q=Izium", "geo: URI has no coordinates (a search for a place name only)"),
        ("geox:49,37", "not a geo: URI"),
    ],
)
def test_bad_geo_uris_are_refused_naming_the_input(text: str, message: str) -> None:
    with pytest.raises(GeoError, match=re.escape(f"{text!r}: {message}")):
        parse_geo_uri(text)


@given(points, st.one_of(st.none(), st.floats(min_value=0, max_value=100_000)))
def test_geo_uri_round_trips(point: LatLon, uncertainty_m: float | None) -> None:
    parsed = parse_geo_uri(to_geo_uri(point, uncertainty_m))
    assert abs(parsed.lat - point.lat) <= 5e-7 + 1e-12
    assert abs(parsed.lon - point.lon) <= 5e-7 + 1e-12
    if uncertainty_m is None:
        assert parsed.uncertainty_m is None
    else:
        assert parsed.uncertainty_m == pytest.approx(uncertainty_m, abs=0.05 + 1e-9)


@pytest.mark.parametrize(
    ("text", "point"),
    [
        # Android and the apps that share through it put the point in q=, read by the typed-coordinates reader.
        ("geo:0,0?q=49.2209,37.2445(Izium site)", LatLon(49.2209, 37.2445)),
        ("geo:0,0?q=49.2209%2C37.2445%20(Izium%20site)", LatLon(49.2209, 37.2445)),
        ("geo:0,0?q=49 13 15.24N, 37 14 40.2E", LatLon(49 + 13 / 60 + 15.24 / 3600, 37 + 14 / 60 + 40.2 / 3600)),
        ("geo:0,0?q=49.2209N,37.2445E&z=16", LatLon(49.2209, 37.2445)),
        # Organic Maps writes the point twice, and used to write "&z=" and "(name)" straight after it.
        ("geo:40.7127400,-74.0059965?z=9.0&q=40.7127400,-74.0059965(Nova%20Iorque)", LatLon(40.71274, -74.0059965)),
        ("geo:54.683486138,25.289361259&z=14(Forto%20dvaras)", LatLon(54.683486138, 25.289361259)),
        ("geo:49.2209,37.2445(Site)", LatLon(49.2209, 37.2445)),
        ("geo:49.2209,37.2445?z=17", LatLon(49.2209, 37.2445)),
        ("geo:0,0", LatLon(0, 0)),
    ],
)
def test_what_apps_write_around_rfc_5870(text: str, point: LatLon) -> None:
    assert parse_geo_uri(text).point == point


def test_a_query_point_that_disagrees_with_the_uri_is_noted() -> None:
    parsed = parse_geo_uri("geo:49.2209,37.2445?q=50.0,36.0(elsewhere)")
    assert parsed.point == LatLon(49.2209, 37.2445)
    assert parsed.notes == ("its q= search names another point, 50.000000, 36.000000; read the URI's own point",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("geo:0,0?q=95.0,37.0", "geo: URI search q='95.0,37.0' is not coordinates"),
        ("geo:0,0?q=49.2,37.2&q=50,36", "geo: URI has 2 q= searches, cannot tell which"),
    ],
)
def test_bad_query_points_are_refused_naming_the_uri(text: str, message: str) -> None:
    with pytest.raises(GeoError, match=re.escape(f"{text!r}: {message}")):
        parse_geo_uri(text)
