from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lestweforget.geo import GeoError, LatLon, format_ddm, format_dms, parse_coordinates

from .strategies import points

IZIUM_SITE = LatLon(49.220922, 37.244553)


def test_izium_site_in_degrees_minutes_seconds() -> None:
    assert format_dms(IZIUM_SITE) == "49°13′15.3″N 37°14′40.4″E"
    assert format_dms(IZIUM_SITE, seconds_places=0) == "49°13′15″N 37°14′40″E"


def test_izium_site_in_degrees_and_decimal_minutes() -> None:
    assert format_ddm(IZIUM_SITE) == "49°13.255′N 37°14.673′E"


def test_south_and_west_get_their_hemisphere_letters() -> None:
    assert format_dms(LatLon(-33.856784, -70.651311)) == "33°51′24.4″S 70°39′04.7″W"


def test_seconds_that_round_up_to_sixty_carry_into_the_minutes_and_degrees() -> None:
    # 49.9999999° is 49°59′59.99964″: printed to 0.1″ it must become 50°00′00.0″, never 49°59′60.0″.
    assert format_dms(LatLon(49.9999999, -0.99999999)) == "50°00′00.0″N 1°00′00.0″W"
    assert format_ddm(LatLon(10.9999999, 0.0)) == "11°00.000′N 0°00.000′E"


def test_a_point_that_rounds_to_the_equator_is_north_not_minus_zero_south() -> None:
    assert format_dms(LatLon(-0.000001, -0.000001)) == "0°00′00.0″N 0°00′00.0″E"


def test_the_antimeridian_and_poles_print() -> None:
    assert format_dms(LatLon(90, 180), 0) == "90°00′00″N 180°00′00″E"
    assert format_dms(LatLon(-90, -180), 0) == "90°00′00″S 180°00′00″W"


def test_places_outside_0_to_6_are_refused() -> None:
    with pytest.raises(GeoError, match=r"seconds places 7 is outside 0..6"):
        format_dms(IZIUM_SITE, seconds_places=7)
    with pytest.raises(GeoError, match=r"minutes places -1 is outside 0..6"):
        format_ddm(IZIUM_SITE, minutes_places=-1)


@given(points, st.integers(min_value=0, max_value=4))
def test_dms_round_trips_through_the_parser_within_its_printed_precision(point: LatLon, places: int) -> None:
    back = parse_coordinates(format_dms(point, places))
    half_step_deg = 0.5 * 10**-places / 3600 + 1e-12
    assert abs(back.lat - point.lat) <= half_step_deg
    assert abs(back.lon - point.lon) <= half_step_deg


@given(points, st.integers(min_value=0, max_value=5))
def test_ddm_round_trips_through_the_parser_within_its_printed_precision(point: LatLon, places: int) -> None:
    back = parse_coordinates(format_ddm(point, places))
    half_step_deg = 0.5 * 10**-places / 60 + 1e-12
    assert abs(back.lat - point.lat) <= half_step_deg
    assert abs(back.lon - point.lon) <= half_step_deg
