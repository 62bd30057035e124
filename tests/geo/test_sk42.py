from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from pyproj import Transformer
from pyproj.transformer import TransformerGroup

from lestweforget.geo import (
    SK42,
    GeoError,
    LatLon,
    distance_m,
    format_sk42,
    from_sk42,
    parse_sk42,
    sk42_zone,
    to_sk42,
)

from .strategies import sk42_points

IZIUM_SITE = LatLon(49.220922, 37.244553)


def test_izium_site_is_in_zone_7_with_the_zone_in_front_of_the_easting() -> None:
    position = to_sk42(IZIUM_SITE)
    assert position.zone == 7
    assert 7_000_000 <= position.easting_m < 8_000_000
    assert format_sk42(position) == "X 5 455 781, Y 7 372 236"


def test_izium_site_agrees_with_proj_running_the_gost_shift_as_one_composite_operation() -> None:
    # A second route to the same answer: PROJ's own composite WGS 84 → EPSG:28407 operation via EPSG:5044.
    group = TransformerGroup("EPSG:4326", "EPSG:28407", always_xy=True)
    (composite,) = [t for t in group.transformers if "Pulkovo 1942 to WGS 84 (20)" in t.description]
    easting, northing = composite.transform(IZIUM_SITE.lon, IZIUM_SITE.lat)
    position = to_sk42(IZIUM_SITE)
    assert position.easting_m == pytest.approx(easting, abs=0.01)
    assert position.northing_m == pytest.approx(northing, abs=0.01)


def test_the_pinned_shift_is_the_one_proj_left_alone_picks_at_izium() -> None:
    # An independent PROJ reading (no operation named) agrees with the atlas to the centimetre.
    default = Transformer.from_crs("EPSG:4326", "EPSG:28407", always_xy=True)
    easting, northing = default.transform(IZIUM_SITE.lon, IZIUM_SITE.lat)
    position = to_sk42(IZIUM_SITE)
    assert position.easting_m == pytest.approx(easting, abs=0.01)
    assert position.northing_m == pytest.approx(northing, abs=0.01)


def test_sk42_and_wgs84_latitudes_and_longitudes_differ_by_the_datum_shift() -> None:
    # A Soviet-map position plotted as if it were WGS 84 lands about 100-150 m off; the shift is not zero.
    position = to_sk42(IZIUM_SITE)
    pulkovo_lon, pulkovo_lat = Transformer.from_crs("EPSG:28407", "EPSG:4284", always_xy=True).transform(
        position.easting_m, position.northing_m
    )
    assert 50 < distance_m(IZIUM_SITE, LatLon(pulkovo_lat, pulkovo_lon)) < 200


@pytest.mark.parametrize(
    ("lon", "zone"),
    [(6.0, 2), (35.999, 6), (36.0, 7), (41.99, 7), (179.99, 30), (-180.0, 31), (-174.0, 32), (-168.01, 32)],
)
def test_zone_is_floor_of_longitude_over_six_plus_one_counting_past_the_antimeridian(lon: float, zone: int) -> None:
    assert sk42_zone(LatLon(50.0, lon)) == zone


@pytest.mark.parametrize("lon", [5.99, 0.0, -10.0, -168.0, -100.0])
def test_longitudes_outside_zones_2_to_32_are_refused(lon: float) -> None:
    with pytest.raises(GeoError, match=f"longitude {lon} is outside SK-42 Gauss-Krüger zones 2..32"):
        to_sk42(LatLon(50.0, lon))


@settings(max_examples=60)
@given(sk42_points)
def test_to_and_from_sk42_round_trip_within_a_centimetre(point: LatLon) -> None:
    position = to_sk42(point)
    assert position.zone == sk42_zone(point)
    assert distance_m(point, from_sk42(position)) < 0.01


def test_text_form_reads_back() -> None:
    assert parse_sk42("X 5 455 781, Y 7 372 238") == SK42(7, 5455781.0, 7372238.0)
    assert parse_sk42("x=5455781.25 y=7372238") == SK42(7, 5455781.25, 7372238.0)
    assert parse_sk42("X 6 654 635; Y 32 555 643") == SK42(32, 6654635.0, 32555643.0)


IZIUM_SK42 = SK42(7, 5455781.0, 7372238.0)


@pytest.mark.parametrize(
    "text",
    [
        "X 5 455 781, Y 7 372 238",  # the form `lwf where` and the site page print
        "X 5455781 Y 7372238",
        "X=5455781, Y=7372238",
        "x: 5455781; y: 7372238 m",
        "X 54-55781 Y 73-72238",  # the sheet form: small leading digits, then the kilometre figure
        "X 54-55-781 Y 73-72-238",
        "Х 5455781 У 7372238",  # Cyrillic Х and У, as typed on a Ukrainian keyboard
        "Х=54-55781 У=73-72238",
        "Y 7 372 238, X 5 455 781",
        "SK-42: X 5455781 Y 7372238",
        "СК-42 Х 5\u00a0455\u00a0781 У 7\u00a0372\u00a0238",
        "zone 7, X 5455781 Y 372238",
        "X 5455781 Y 372238 зона 7",
        "5455781 7372238",  # bare: 7-digit whole metres cannot be degrees; X first as on Soviet maps
        "5455781, 7372238",
        "54-55781 73-72238",
    ],
)
def test_sk42_as_people_and_artillery_apps_write_it(text: str) -> None:
    assert parse_sk42(text) == IZIUM_SK42


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("X 5 455 781, Y 1 372 238", "SK-42 zone 1 is outside 2..32"),
        ("X 55781 Y 72238", "SK-42 X 55781 is an abbreviated coordinate, which repeats in every 100 km square"),
        ("X 5455781 Y 72238", "SK-42 Y 72238 is an abbreviated coordinate"),
        ("X 5455781 Y 372238", "SK-42 Y 372238 has no zone number in front"),
        ("zone 6, X 5455781 Y 7372238", "SK-42 Y 7372238 is in zone 7, not the zone 6 given"),
        ("X 5455781 X 7372238", "SK-42 coordinates need one X and one Y, found two X"),
        ("X 5455781", "not SK-42 coordinates"),
        ("5455781 7372238 100", "not SK-42 coordinates"),
    ],
)
def test_unreadable_sk42_text_is_refused_naming_the_input(text: str, message: str) -> None:
    with pytest.raises(GeoError, match=re.escape(f"{text!r}: {message}")):
        parse_sk42(text)


@settings(max_examples=60)
@given(sk42_points)
def test_what_format_sk42_prints_reads_back_in_every_spelling(point: LatLon) -> None:
    position = to_sk42(point)
    printed = format_sk42(position)
    assert parse_sk42(printed) == SK42(position.zone, round(position.northing_m), round(position.easting_m))
    x, y = f"{round(position.northing_m)}", f"{round(position.easting_m)}"
    sheet = f"X {x[:-5]}-{x[-5:]} Y {y[:-5]}-{y[-5:]}"
    assert parse_sk42(sheet) == parse_sk42(printed)


def test_an_easting_without_its_zone_prefix_is_refused() -> None:
    with pytest.raises(GeoError, match="SK-42 Y 372238 does not start with its zone number 7"):
        SK42(7, 5455781.0, 372238.0)


@pytest.mark.parametrize("lat", [35.0, 10.0, -40.0, 82.5])
def test_latitudes_outside_pulkovo_1942s_area_are_refused(lat: float) -> None:
    with pytest.raises(GeoError, match=f"latitude {lat} is outside SK-42's area"):
        to_sk42(LatLon(lat, 37.0))
