from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lestweforget.geo import GeoError, LatLon, format_decimal, format_degrees, parse_decimal

from .strategies import points

IZIUM_SITE = LatLon(49.220922, 37.244553)


def test_izium_site_in_decimal_degrees() -> None:
    assert format_decimal(IZIUM_SITE) == "49.220922, 37.244553"
    assert format_decimal(IZIUM_SITE, places=3) == "49.221, 37.245"


def test_south_and_west_are_negative() -> None:
    assert format_decimal(LatLon(-33.8688, -70.6693), places=4) == "-33.8688, -70.6693"


def test_a_value_that_rounds_to_zero_loses_its_minus_sign() -> None:
    assert format_degrees(-0.0000001, 6) == "0.000000"
    assert format_decimal(LatLon(-0.0000001, -0.0000004)) == "0.000000, 0.000000"


def test_decimal_places_outside_0_to_12_are_refused() -> None:
    with pytest.raises(GeoError, match=r"decimal places 13 is outside 0..12"):
        format_decimal(IZIUM_SITE, places=13)


@pytest.mark.parametrize("text", ["49.220922, 37.244553", "49.220922 37.244553", "49.220922;37.244553"])
def test_parse_decimal_reads_the_usual_separators(text: str) -> None:
    assert parse_decimal(text) == IZIUM_SITE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("49.2", "'49.2': not two decimal numbers"),
        ("49°13′N 37°14′E", "not two decimal numbers"),
        ("149.2, 37.2", "'149.2, 37.2': latitude 149.2 is outside -90..90"),
    ],
)
def test_parse_decimal_refuses_other_forms_naming_the_input(text: str, message: str) -> None:
    with pytest.raises(GeoError, match=message):
        parse_decimal(text)


@given(points, st.integers(min_value=0, max_value=9))
def test_decimal_text_round_trips_within_its_printed_precision(point: LatLon, places: int) -> None:
    back = parse_decimal(format_decimal(point, places))
    half_step = 0.5 * 10**-places + 1e-12
    assert abs(back.lat - point.lat) <= half_step
    assert abs(back.lon - point.lon) <= half_step
