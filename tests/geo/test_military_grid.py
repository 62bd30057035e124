from __future__ import annotations

import math
import re

import mgrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pyproj import Transformer

from lestweforget.geo import GeoError, LatLon, distance_m, from_mgrs, normalise_mgrs, to_mgrs, truncate_mgrs

from .strategies import utm_points

IZIUM_SITE = LatLon(49.220922, 37.244553)


def _utm(point: LatLon, zone: int) -> tuple[float, float]:
    """Easting and northing from PROJ's own UTM, an oracle independent of the GeoTrans code in `mgrs`."""
    epsg = (32600 if point.lat >= 0 else 32700) + zone
    easting, northing = Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True).transform(
        point.lon, point.lat
    )
    return easting, northing


def test_izium_site_agrees_with_the_mgrs_package_and_with_pyproj_utm_zone_37n() -> None:
    reference = to_mgrs(IZIUM_SITE)
    assert reference == "37U CQ 72173 53498"
    assert reference.replace(" ", "") == mgrs.MGRS().toMGRS(IZIUM_SITE.lat, IZIUM_SITE.lon)
    easting, northing = _utm(IZIUM_SITE, 37)
    assert (math.floor(easting) % 100_000, math.floor(northing) % 100_000) == (72173, 53498)


@given(utm_points)
def test_mgrs_digits_are_pyproj_utm_metres_truncated(point: LatLon) -> None:
    # The centimetre just south of the equator is read as on it (see the test below), so PROJ disagrees there.
    assume(not -1e-7 < point.lat < 0)
    zone, _band, _square, easting_digits, northing_digits = _fields(to_mgrs(point))
    easting, northing = _utm(point, zone)
    # Truncation leaves the true metres 0..1 above the digits (rounding would leave -0.5..0.5). GeoTrans and
    # PROJ agree to a fraction of a millimetre, so only a point on a metre line may land a hair below it.
    assert -1e-3 <= _metres_above(int(easting_digits), easting) < 1.001
    assert -1e-3 <= _metres_above(int(northing_digits), northing) < 1.001


def _fields(reference: str) -> tuple[int, str, str, str, str]:
    match = re.fullmatch(r"(\d+)([C-X]) ([A-Z]{2}) (\d{5}) (\d{5})", reference)
    assert match is not None, reference
    return int(match.group(1)), match.group(2), match.group(3), match.group(4), match.group(5)


def _metres_above(truncated: int, metres: float) -> float:
    """How far UTM metres lie above the digits within the 100 km square, wrapped into -50..50 km."""
    return (metres - truncated + 50_000) % 100_000 - 50_000


@given(utm_points)
def test_to_and_from_mgrs_round_trip_within_one_and_a_half_metres(point: LatLon) -> None:
    assert distance_m(point, from_mgrs(to_mgrs(point))) <= 1.5


@given(utm_points, st.integers(min_value=0, max_value=5))
def test_fewer_digits_are_a_truncation_of_the_full_reference(point: LatLon, digits: int) -> None:
    assert to_mgrs(point, digits) == truncate_mgrs(to_mgrs(point), digits)


def test_precision_reduction_truncates_and_never_rounds() -> None:
    assert truncate_mgrs("37U CQ 72179 53499", 4) == "37U CQ 7217 5349"
    assert truncate_mgrs("37UCQ7217953499", 1) == "37U CQ 7 5"
    assert truncate_mgrs("37U CQ 72179 53499", 0) == "37U CQ"
    assert to_mgrs(IZIUM_SITE, digits=3) == "37U CQ 721 534"


def test_truncation_cannot_add_digits() -> None:
    with pytest.raises(GeoError, match="'37U CQ 721 534': has 3 digits per axis, cannot give 5"):
        truncate_mgrs("37U CQ 721 534", 5)


@pytest.mark.parametrize("text", ["37U CQ 72173 53498", "37UCQ7217353498", "37ucq 72173 53498", " 37u cq7217353498 "])
def test_spaced_unspaced_and_lower_case_references_read_the_same(text: str) -> None:
    assert normalise_mgrs(text) == "37U CQ 72173 53498"
    assert from_mgrs(text) == from_mgrs("37U CQ 72173 53498")


@pytest.mark.parametrize(
    ("text", "easting_m", "northing_m"),
    [
        ("37U CQ 72173 53498", 72173.5, 53498.5),
        ("37U CQ 721 534", 72150.0, 53450.0),
        ("37U CQ", 50000.0, 50000.0),
    ],
)
def test_a_reference_reads_as_the_centre_of_the_cell_it_names(text: str, easting_m: float, northing_m: float) -> None:
    easting, northing = _utm(from_mgrs(text), 37)
    assert easting % 100_000 == pytest.approx(easting_m, abs=0.02)
    assert northing % 100_000 == pytest.approx(northing_m, abs=0.02)


def test_southern_and_western_points_use_their_own_zones_and_bands() -> None:
    assert to_mgrs(LatLon(-33.8568, 151.2153), 0) == "56H LH"
    assert to_mgrs(LatLon(40.6892, -74.0445), 0) == "18T WL"


@pytest.mark.parametrize("lat", [-1e-12, -1e-9, -9e-8, 0.0])
def test_a_point_a_hair_south_of_the_equator_gets_a_reference_that_reads_back(lat: float) -> None:
    point = LatLon(lat, 0.0)
    assert distance_m(point, from_mgrs(to_mgrs(point))) <= 1.5


def test_the_north_pole_is_in_the_polar_ups_grid_and_reads_back() -> None:
    assert to_mgrs(LatLon(90, 0)) == "Z AH 00000 00000"
    assert distance_m(from_mgrs("Z AH 00000 00000"), LatLon(90, 0)) < 1.0


def test_the_south_pole_is_in_the_polar_ups_grid_and_reads_back() -> None:
    assert to_mgrs(LatLon(-90, 0)) == "B AN 00000 00000"
    assert distance_m(from_mgrs("B AN 00000 00000"), LatLon(-90, 0)) < 1.0


@given(
    st.builds(
        LatLon,
        st.one_of(st.floats(min_value=84.001, max_value=90), st.floats(min_value=-90, max_value=-80.001)),
        st.floats(min_value=-180, max_value=180),
    )
)
def test_polar_points_round_trip_through_ups_within_one_and_a_half_metres(point: LatLon) -> None:
    reference = to_mgrs(point)
    assert reference[0] in "ABYZ"
    assert distance_m(point, from_mgrs(reference)) <= 1.5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello", r"'hello': not an MGRS reference"),
        ("37UCQ1", r"'37UCQ1': MGRS easting and northing need the same number of digits, got 1"),
        ("37ICQ12", r"'37ICQ12': not an MGRS reference"),
        ("99UCQ11", r"'99UCQ11': UTM zone 99 is outside 1..60"),
        ("37XCQ12", r"'37XCQ12': not a valid MGRS reference"),
        ("37U CQ 123456 123456", r"'37U CQ 123456 123456': not an MGRS reference"),
    ],
)
def test_unreadable_references_are_refused_naming_the_input(text: str, message: str) -> None:
    with pytest.raises(GeoError, match=message):
        from_mgrs(text)


def test_digits_outside_0_to_5_are_refused() -> None:
    with pytest.raises(GeoError, match=r"MGRS digits 6 is outside 0..5"):
        to_mgrs(IZIUM_SITE, digits=6)


def test_a_square_outside_its_latitude_band_is_refused_not_warned_about() -> None:
    with pytest.raises(GeoError, match=r"'37CAA1234': not a valid MGRS reference \(square AA is not in band 37C\)"):
        from_mgrs("37CAA1234")
