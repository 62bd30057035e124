from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lestweforget.geo import GeoError, LatLon, distance_m, generalise, grid_cell

from .strategies import points

IZIUM_SITE = LatLon(49.220922, 37.244553)
cell_sizes = st.floats(min_value=10, max_value=50_000)


@given(points, cell_sizes)
def test_the_generalised_point_is_within_0_71_cells_of_the_precise_one(point: LatLon, cell_m: float) -> None:
    assert distance_m(point, generalise(point, cell_m)) <= 0.71 * cell_m


@given(points, cell_sizes, st.floats(0.001, 0.999), st.floats(0.001, 0.999))
def test_every_point_in_a_cell_gives_the_same_centre(
    point: LatLon, cell_m: float, north_fraction: float, east_fraction: float
) -> None:
    cell = grid_cell(point, cell_m)
    other = LatLon(
        cell.south + north_fraction * (cell.north - cell.south),
        cell.west + east_fraction * (cell.east - cell.west),
    )
    assert generalise(other, cell_m) == generalise(point, cell_m) == cell.centre


@given(points, cell_sizes)
def test_the_centre_is_a_fixed_point_and_anything_else_moves(point: LatLon, cell_m: float) -> None:
    centre = generalise(point, cell_m)
    assert generalise(centre, cell_m) == centre
    assume(point != centre)
    assert generalise(point, cell_m) != point


@given(points, cell_sizes)
def test_no_cell_is_larger_than_the_requested_size(point: LatLon, cell_m: float) -> None:
    cell = grid_cell(point, cell_m)
    assert distance_m(LatLon(cell.south, cell.west), LatLon(cell.north, cell.west)) <= cell_m * 1.000001
    widest_lat = 0.0 if cell.south <= 0 <= cell.north else min(cell.south, cell.north, key=abs)
    quarter = (cell.east - cell.west) / 4
    # Measure the width in quarters so a cell near a pole is not measured across the short way.
    width = sum(
        distance_m(LatLon(widest_lat, cell.west + i * quarter), LatLon(widest_lat, cell.west + (i + 1) * quarter))
        for i in range(4)
    )
    assert width <= cell_m * 1.001


def test_the_izium_site_generalised_to_2_km_moves_but_stays_nearby() -> None:
    public = generalise(IZIUM_SITE, 2000)
    assert public != IZIUM_SITE
    assert 0 < distance_m(IZIUM_SITE, public) <= 0.71 * 2000


def test_the_antimeridian_is_a_cell_edge_and_180_east_is_180_west() -> None:
    assert generalise(LatLon(10, 180), 1000) == generalise(LatLon(10, -180), 1000)
    assert grid_cell(LatLon(10, -180), 1000).west == -180.0


def test_the_poles_generalise_to_a_point_near_them() -> None:
    for pole in (LatLon(90, 0), LatLon(-90, 123)):
        assert distance_m(pole, generalise(pole, 5000)) <= 0.71 * 5000


@pytest.mark.parametrize("cell_m", [0.0, 0.5, -10.0, float("nan"), float("inf"), 2_000_000.0])
def test_unusable_cell_sizes_are_refused(cell_m: float) -> None:
    with pytest.raises(GeoError, match=f"cell size {cell_m!r} m is outside 1..1e\\+06 m"):
        generalise(IZIUM_SITE, cell_m)
