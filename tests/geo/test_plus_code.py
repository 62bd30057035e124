from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lestweforget.geo import GeoError, LatLon, from_plus_code, plus_code_area, to_plus_code

from .strategies import latitudes

IZIUM_SITE = LatLon(49.220922, 37.244553)
IZIUM_CITY = LatLon(49.21278, 37.25694)


def test_izium_site_as_a_full_code() -> None:
    assert to_plus_code(IZIUM_SITE) == "8GXV66CV+9R7"
    assert to_plus_code(IZIUM_SITE, length=10) == "8GXV66CV+9R"
    assert to_plus_code(IZIUM_SITE, length=8) == "8GXV66CV+"


def test_a_full_code_reads_as_the_centre_of_its_area() -> None:
    area = plus_code_area("8GXV66CV+9R7")
    assert area.south <= IZIUM_SITE.lat <= area.north
    assert area.west <= IZIUM_SITE.lon <= area.east
    assert from_plus_code("8gxv66cv+9r7") == area.centre


def test_a_short_code_is_recovered_against_a_nearby_reference() -> None:
    assert from_plus_code("CV+9R7", reference=IZIUM_CITY) == from_plus_code("8GXV66CV+9R7")


def test_a_short_code_without_a_reference_is_refused() -> None:
    with pytest.raises(GeoError, match=r"'CV\+9R7': a short Plus Code needs a reference point"):
        from_plus_code("CV+9R7")


def test_a_short_code_with_a_town_name_is_refused_rather_than_geocoded() -> None:
    with pytest.raises(GeoError, match=r"'CV\+9R7 Izium': a Plus Code followed by a place name"):
        from_plus_code("CV+9R7 Izium", reference=IZIUM_CITY)


@pytest.mark.parametrize("code", ["8GXV66CV9R7", "8GXV66CV+9R7A", "hello", "IIII+II"])
def test_invalid_codes_are_refused_naming_the_code(code: str) -> None:
    with pytest.raises(GeoError, match=re.escape(f"'{code}': not a valid Plus Code")):
        from_plus_code(code)


@pytest.mark.parametrize("length", [0, 3, 9, 16])
def test_lengths_the_standard_does_not_use_are_refused(length: int) -> None:
    with pytest.raises(GeoError, match=f"Plus Code length {length} is not one of"):
        to_plus_code(IZIUM_SITE, length)


def test_180_east_and_180_west_give_one_code() -> None:
    assert to_plus_code(LatLon(0, 180)) == to_plus_code(LatLon(0, -180))


@pytest.mark.parametrize("point", [LatLon(89.99999999999999, 0), LatLon(0, 179.99999999999997), LatLon(90, 180)])
def test_points_a_hair_below_the_limits_get_codes_that_read_back(point: LatLon) -> None:
    for length in (2, 10, 11, 15):
        area = plus_code_area(to_plus_code(point, length))
        assert area.north - point.lat <= area.north - area.south


@given(
    st.builds(LatLon, latitudes, st.floats(min_value=-180, max_value=180, exclude_max=True)),
    st.sampled_from([2, 4, 6, 8, 10, 11, 12, 13]),
)
def test_code_round_trips_to_within_its_own_cell(point: LatLon, length: int) -> None:
    area = plus_code_area(to_plus_code(point, length))
    centre = from_plus_code(to_plus_code(point, length))
    # The north pole is clipped into the topmost cell, so allow the latitude to sit on the cell's edge.
    assert abs(centre.lat - point.lat) <= (area.north - area.south) / 2 + 1e-9
    lon_difference = abs((centre.lon - point.lon + 180) % 360 - 180)
    assert lon_difference <= (area.east - area.west) / 2 + 1e-9
