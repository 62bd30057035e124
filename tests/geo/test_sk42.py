from __future__ import annotations

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
    assert format_sk42(position) == "X 5 455 781, Y 7 372 238"


def test_izium_site_agrees_with_proj_running_the_gost_shift_as_one_composite_operation() -> None:
    # A second route to the same answer: PROJ's own composite WGS 84 → EPSG:28407 operation via EPSG:15865.
    group = TransformerGroup("EPSG:4326", "EPSG:28407", always_xy=True)
    (composite,) = [t for t in group.transformers if "Pulkovo 1942 to WGS 84 (16)" in t.description]
    easting, northing = composite.transform(IZIUM_SITE.lon, IZIUM_SITE.lat)
    position = to_sk42(IZIUM_SITE)
    assert position.easting_m == pytest.approx(easting, abs=0.01)
    assert position.northing_m == pytest.approx(northing, abs=0.01)


def test_the_shift_is_pinned_where_proj_left_alone_would_pick_the_russian_one() -> None:
    # Left alone, PROJ picks the Russian shift EPSG:5044 here (its area's box reaches Izium): ~2 m different.
    default = Transformer.from_crs("EPSG:4326", "EPSG:28407", always_xy=True)
    easting, northing = default.transform(IZIUM_SITE.lon, IZIUM_SITE.lat)
    position = to_sk42(IZIUM_SITE)
    assert 0.5 < abs(position.easting_m - easting) + abs(position.northing_m - northing) < 10


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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("5455781 7372238", r"'5455781 7372238': not SK-42 coordinates"),
        ("X 5 455 781, Y 1 372 238", r"'X 5 455 781, Y 1 372 238': SK-42 zone 1 is outside 2..32"),
    ],
)
def test_unreadable_sk42_text_is_refused_naming_the_input(text: str, message: str) -> None:
    with pytest.raises(GeoError, match=message):
        parse_sk42(text)


def test_an_easting_without_its_zone_prefix_is_refused() -> None:
    with pytest.raises(GeoError, match="SK-42 Y 372238 does not start with its zone number 7"):
        SK42(7, 5455781.0, 372238.0)
