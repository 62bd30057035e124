from __future__ import annotations

import math

import pytest

from lestweforget.geo import GeoError, LatLon


def test_integers_are_stored_as_floats_so_equal_points_compare_equal() -> None:
    point = LatLon(49, 37)
    assert point == LatLon(49.0, 37.0)
    assert isinstance(point.lat, float) and isinstance(point.lon, float)
    assert hash(point) == hash(LatLon(49.0, 37.0))


def test_poles_and_antimeridian_are_valid_points() -> None:
    assert LatLon(90, 180).lat == 90.0
    assert LatLon(-90, -180).lon == -180.0


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        (95.1, 0.0, "latitude 95.1 is outside -90..90"),
        (-90.5, 0.0, "latitude -90.5 is outside -90..90"),
        (0.0, 180.01, "longitude 180.01 is outside -180..180"),
        (math.nan, 0.0, "latitude nan is not a finite number"),
        (0.0, math.inf, "longitude inf is not a finite number"),
    ],
)
def test_out_of_range_or_non_finite_values_are_refused_naming_the_value(lat: float, lon: float, message: str) -> None:
    with pytest.raises(GeoError, match=message):
        LatLon(lat, lon)


def test_a_boolean_or_string_is_not_a_coordinate() -> None:
    with pytest.raises(GeoError, match="latitude True is not a number"):
        LatLon(True, 0.0)  # type: ignore[arg-type]
    with pytest.raises(GeoError, match="longitude '37' is not a number"):
        LatLon(0.0, "37")  # type: ignore[arg-type]


def test_points_are_immutable() -> None:
    point = LatLon(49.2, 37.2)
    with pytest.raises(AttributeError):
        point.lat = 0.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("lon", "expected"),
    [(190.0, -170.0), (360.0, 0.0), (-190.0, 170.0), (540.0, -180.0), (180.0, 180.0), (-180.0, -180.0)],
)
def test_normalised_wraps_longitudes_past_the_antimeridian(lon: float, expected: float) -> None:
    assert LatLon.normalised(10.0, lon) == LatLon(10.0, expected)


def test_normalised_never_wraps_latitude() -> None:
    with pytest.raises(GeoError, match="latitude 91"):
        LatLon.normalised(91.0, 0.0)
    with pytest.raises(GeoError, match="longitude nan"):
        LatLon.normalised(0.0, math.nan)
