"""Cutting routes at ±180° and finding the narrowest longitude span."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lestweforget.exports import TrackPoint
from lestweforget.exports.antimeridian import longitude_extent, split_at_antimeridian


def lons(parts: tuple[tuple[TrackPoint, ...], ...]) -> list[list[float]]:
    return [[point.longitude for point in part] for part in parts]


def test_route_that_stays_on_one_side_is_one_part() -> None:
    points = (TrackPoint(49.0, 37.0), TrackPoint(49.1, 37.1))
    assert split_at_antimeridian(points) == (points,)


def test_eastward_crossing_ends_at_180_and_restarts_at_minus_180() -> None:
    start = datetime(2023, 1, 1, tzinfo=UTC)
    parts = split_at_antimeridian(
        (TrackPoint(0.0, 179.0, start, 10.0), TrackPoint(3.0, -179.0, start.replace(hour=1), 20.0))
    )
    assert lons(parts) == [[179.0, 180.0], [-180.0, -179.0]]
    crossing = parts[0][1]
    assert (crossing.latitude, crossing.elevation_m, crossing.time) == (1.5, 15.0, start.replace(minute=30))
    assert parts[1][0].latitude == crossing.latitude


def test_westward_crossing_ends_at_minus_180() -> None:
    parts = split_at_antimeridian((TrackPoint(0.0, -179.5), TrackPoint(0.0, 179.5), TrackPoint(0.0, 179.0)))
    assert lons(parts) == [[-179.5, -180.0], [180.0, 179.5, 179.0]]


def test_point_on_the_meridian_is_not_doubled() -> None:
    parts = split_at_antimeridian((TrackPoint(0.0, 179.0), TrackPoint(0.0, -180.0), TrackPoint(0.0, -179.0)))
    assert lons(parts) == [[179.0, 180.0], [-180.0, -179.0]]


def test_route_starting_on_the_meridian_does_not_leave_a_one_point_part() -> None:
    parts = split_at_antimeridian((TrackPoint(0.0, 180.0), TrackPoint(0.0, -179.0)))
    assert lons(parts) == [[-180.0, -179.0]]


def test_minus_180_and_180_are_one_meridian() -> None:
    parts = split_at_antimeridian((TrackPoint(0.0, 180.0), TrackPoint(1.0, -180.0)))
    assert lons(parts) == [[180.0, 180.0]]


@pytest.mark.parametrize(
    ("intervals", "extent"),
    [
        ([], None),
        ([(10.0, 10.0)], (10.0, 10.0)),
        ([(-70.6, -70.6), (37.2, 37.2)], (-70.6, 37.2)),
        ([(177.0, 177.0), (-178.0, -178.0)], (177.0, -178.0)),
        ([(-10.0, 10.0), (170.0, 180.0), (-180.0, -160.0)], (170.0, 10.0)),
        ([(-180.0, 180.0)], (-180.0, 180.0)),
    ],
)
def test_longitude_extent_is_the_narrowest_span(
    intervals: list[tuple[float, float]], extent: tuple[float, float] | None
) -> None:
    assert longitude_extent(intervals) == extent


def _width(west: float, east: float) -> float:
    return east - west if west <= east else east + 360 - west


def _inside(longitude: float, west: float, east: float) -> bool:
    return west <= longitude <= east if west <= east else longitude >= west or longitude <= east


longitudes = st.floats(min_value=-180, max_value=180, allow_nan=False)


@given(st.lists(longitudes, min_size=1, max_size=8))
def test_extent_holds_every_point_and_no_narrower_span_does(points: list[float]) -> None:
    extent = longitude_extent([(lon, lon) for lon in points])
    assert extent is not None
    west, east = extent
    assert all(_inside(lon, west, east) for lon in points)
    # Every narrowest span starts at one of the points: try them all.
    best = min(_width(start, end) for start in points for end in points if all(_inside(p, start, end) for p in points))
    assert _width(west, east) == pytest.approx(best, abs=1e-9)
