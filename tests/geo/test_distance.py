from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lestweforget.geo import (
    COMPASS_NAMES_EN,
    GeoError,
    LatLon,
    Offset,
    compass_point,
    describe_offset,
    distance_m,
    initial_bearing_deg,
)

from .strategies import points

IZIUM_CITY = LatLon(49.21278, 37.25694)
IZIUM_SITE = LatLon(49.220922, 37.244553)
MEAN_EARTH_RADIUS_M = 6_371_008.8


def _haversine_m(a: LatLon, b: LatLon) -> float:
    """Great-circle distance on a sphere: an independent oracle within 0.6 % of the ellipsoidal one."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlambda = phi2 - phi1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * MEAN_EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def test_the_izium_site_is_about_1_28_km_north_west_of_the_city_point() -> None:
    offset = describe_offset(IZIUM_CITY, IZIUM_SITE)
    assert offset.distance_m == pytest.approx(1278, abs=5)
    assert offset.bearing_deg == pytest.approx(315, abs=1)
    assert offset.compass == "NW"
    assert COMPASS_NAMES_EN[offset.compass] == "north-west"
    assert offset.distance_m == pytest.approx(_haversine_m(IZIUM_CITY, IZIUM_SITE), rel=0.005)


def test_distance_across_the_antimeridian_is_the_short_way() -> None:
    east, west = LatLon(0, 179.9), LatLon(0, -179.9)
    assert distance_m(east, west) == pytest.approx(22_264, abs=1)
    assert initial_bearing_deg(east, west) == pytest.approx(90)
    assert initial_bearing_deg(west, east) == pytest.approx(270)


def test_from_the_north_pole_every_way_is_south_and_from_the_south_pole_north() -> None:
    assert initial_bearing_deg(LatLon(90, 0), LatLon(0, 90)) == 180.0
    assert initial_bearing_deg(LatLon(-90, 0), LatLon(10, -45)) == 0.0
    assert describe_offset(LatLon(90, 0), IZIUM_SITE).compass == "S"


def test_towards_the_north_pole_is_north_and_pole_to_pole_is_half_a_meridian() -> None:
    assert initial_bearing_deg(IZIUM_SITE, LatLon(90, 0)) == pytest.approx(0.0, abs=1e-9)
    assert distance_m(LatLon(90, 0), LatLon(-90, 0)) == pytest.approx(20_003_931.5, abs=1)


def test_coincident_points_are_zero_metres_apart_with_bearing_zero() -> None:
    assert describe_offset(IZIUM_SITE, IZIUM_SITE) == Offset(0.0, 0.0, "N")


@given(points, points)
def test_geodesic_distance_agrees_with_haversine_within_the_flattening(a: LatLon, b: LatLon) -> None:
    # The sphere is 0.56 % long on a meridian at the equator, where the ellipsoid curves least.
    assert distance_m(a, b) == pytest.approx(_haversine_m(a, b), rel=0.006, abs=1e-6)


@given(points, points)
def test_bearing_is_in_0_to_360_and_distance_is_symmetric(a: LatLon, b: LatLon) -> None:
    assert 0.0 <= initial_bearing_deg(a, b) < 360.0
    assert distance_m(a, b) == pytest.approx(distance_m(b, a), rel=1e-9, abs=1e-6)


@pytest.mark.parametrize(
    ("bearing", "eight", "sixteen"),
    [
        (0.0, "N", "N"),
        (11.24, "N", "N"),
        (11.25, "N", "NNE"),
        (22.5, "NE", "NNE"),
        (45.0, "NE", "NE"),
        (90.0, "E", "E"),
        (135.0, "SE", "SE"),
        (180.0, "S", "S"),
        (202.5, "SW", "SSW"),
        (270.0, "W", "W"),
        (292.5, "NW", "WNW"),
        (315.0, "NW", "NW"),
        (337.5, "N", "NNW"),
        (359.9, "N", "N"),
        (360.0, "N", "N"),
        (-45.0, "NW", "NW"),
    ],
)
def test_compass_points_with_boundaries_going_clockwise(bearing: float, eight: str, sixteen: str) -> None:
    assert compass_point(bearing) == eight
    assert compass_point(bearing, points=16) == sixteen


def test_four_point_compass() -> None:
    assert [compass_point(b, points=4) for b in (0, 44.9, 45, 135, 225, 315)] == [
        "N",
        "N",
        "E",
        "S",
        "W",
        "N",
    ]


def test_every_compass_point_has_an_english_name() -> None:
    names = {compass_point(b, points=16) for b in range(0, 360, 5)}
    assert names == set(COMPASS_NAMES_EN)
    assert COMPASS_NAMES_EN["NNE"] == "north-north-east"


def test_bad_compass_arguments_are_refused() -> None:
    with pytest.raises(GeoError, match="compass points 32 is not 4, 8 or 16"):
        compass_point(10.0, points=32)
    with pytest.raises(GeoError, match="bearing nan is not a finite number of degrees"):
        compass_point(math.nan)


@given(st.floats(min_value=-720, max_value=720))
def test_compass_point_is_periodic(bearing: float) -> None:
    assert compass_point(bearing, 16) == compass_point(bearing + 360.0, 16) or math.isclose(
        (bearing % 22.5), 11.25, abs_tol=1e-9
    )


@given(st.lists(st.tuples(points, points), min_size=1, max_size=20))
def test_distances_in_one_call_are_each_pair_s_distance(pairs: list[tuple[LatLon, LatLon]]) -> None:
    from lestweforget.geo.distance import distances_m

    found = distances_m(
        [a.lat for a, _ in pairs], [a.lon for a, _ in pairs], [b.lat for _, b in pairs], [b.lon for _, b in pairs]
    )
    assert found == pytest.approx([distance_m(a, b) for a, b in pairs], abs=1e-6)


def test_distances_refuse_sequences_of_different_lengths() -> None:
    from lestweforget.geo.distance import distances_m

    assert distances_m([], [], [], []) == []
    with pytest.raises(GeoError, match="as many"):
        distances_m([1.0], [2.0], [3.0], [])
