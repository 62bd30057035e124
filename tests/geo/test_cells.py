from __future__ import annotations

import h3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from lestweforget.geo import GeoError, LatLon, cells_within, distance_m, h3_cell, h3_centre, h3_latitude_span_deg

from .strategies import points

IZIUM_SITE = LatLon(49.220922, 37.244553)
WGS84 = Geod(ellps="WGS84")


def test_izium_site_cell_and_its_centre() -> None:
    cell = h3_cell(IZIUM_SITE, 9)
    assert cell == h3.latlng_to_cell(IZIUM_SITE.lat, IZIUM_SITE.lon, 9)
    assert h3.get_resolution(cell) == 9
    # A resolution 9 hexagon has edges of about 200 m, so its centre is within that of any point in it.
    assert distance_m(IZIUM_SITE, h3_centre(cell)) < 250


@given(points, st.integers(min_value=2, max_value=15))
def test_no_cell_reaches_further_north_to_south_than_the_latitude_span(point: LatLon, resolution: int) -> None:
    boundary = [lat for lat, _ in h3.cell_to_boundary(h3_cell(point, resolution))]
    if max(boundary) - min(boundary) > 90:  # a cell around a pole: no box query reaches there
        return
    assert max(boundary) - min(boundary) <= h3_latitude_span_deg(resolution)


@given(points, st.integers(min_value=0, max_value=15))
def test_a_point_lies_in_the_cell_of_its_own_cell_centre(point: LatLon, resolution: int) -> None:
    cell = h3_cell(point, resolution)
    assert h3_cell(h3_centre(cell), resolution) == cell


@settings(max_examples=40, deadline=None)
@given(
    points,
    st.floats(min_value=0.05, max_value=3.0),
    st.integers(min_value=7, max_value=9),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=360),
)
def test_cells_within_holds_the_cell_of_every_point_within_the_radius(
    origin: LatLon, radius_km: float, resolution: int, fraction: float, azimuth: float
) -> None:
    lon, lat, _ = WGS84.fwd(origin.lon, origin.lat, azimuth, fraction * radius_km * 1000)
    target = LatLon.normalised(lat, lon)
    assert h3_cell(target, resolution) in cells_within(origin, radius_km, resolution)


def test_cells_within_works_across_the_antimeridian_and_at_a_pole() -> None:
    across = cells_within(LatLon(0, 179.999), 1.0, 8)
    assert h3_cell(LatLon(0, -179.999), 8) in across
    assert h3_cell(LatLon(89.999, 10), 8) in cells_within(LatLon(90, 0), 1.0, 8)


def test_cells_within_a_zero_radius_is_the_point_s_own_cell_and_perhaps_its_touching_neighbours() -> None:
    found = cells_within(IZIUM_SITE, 0.0, 9)
    assert h3_cell(IZIUM_SITE, 9) in found
    assert len(found) <= 7


def test_resolution_and_cell_and_radius_are_checked() -> None:
    with pytest.raises(GeoError, match=r"H3 resolution 16 is outside 0..15"):
        h3_cell(IZIUM_SITE, 16)
    with pytest.raises(GeoError, match="'zz': not an H3 cell index"):
        h3_centre("zz")
    with pytest.raises(GeoError, match=r"radius -1.0 km is not a finite distance"):
        cells_within(IZIUM_SITE, -1.0, 9)
