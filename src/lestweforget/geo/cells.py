"""H3 hexagonal cells (Uber's H3, v4 API) for clustering sites on a map and "what is nearby" queries."""

from __future__ import annotations

import math

import h3

from lestweforget.geo.distance import distances_m
from lestweforget.geo.errors import GeoError
from lestweforget.geo.point import LatLon

MAX_RESOLUTION = 15


def _check_resolution(resolution: int) -> None:
    if isinstance(resolution, bool) or not isinstance(resolution, int) or not 0 <= resolution <= MAX_RESOLUTION:
        raise GeoError(f"H3 resolution {resolution!r} is outside 0..{MAX_RESOLUTION}")


def _check_cell(cell: str) -> None:
    if not isinstance(cell, str) or not h3.is_valid_cell(cell):
        raise GeoError(f"{cell!r}: not an H3 cell index")


def h3_cell(p: LatLon, resolution: int) -> str:
    """The H3 cell index holding `p` at `resolution` (0 coarsest .. 15 finest)."""
    _check_resolution(resolution)
    cell: str = h3.latlng_to_cell(p.lat, p.lon, resolution)
    return cell


def h3_centre(cell: str) -> LatLon:
    """The centre point of an H3 cell; refuses a string that is not a valid cell index."""
    _check_cell(cell)
    lat, lon = h3.cell_to_latlng(cell)
    return LatLon.normalised(lat, lon)


def h3_parent(cell: str, resolution: int) -> str:
    """The cell at the coarser ``resolution`` holding ``cell`` (the cell itself at its own resolution)."""
    _check_cell(cell)
    _check_resolution(resolution)
    if resolution > h3.get_resolution(cell):
        raise GeoError(f"H3 resolution {resolution} is finer than the cell's own ({h3.get_resolution(cell)})")
    parent: str = h3.cell_to_parent(cell, resolution)
    return parent


# The shortest degree of latitude (at the equator), in km.
_KM_PER_LATITUDE_DEGREE_MIN = 110.57


def h3_latitude_span_deg(resolution: int) -> float:
    """An upper bound, in degrees, of how far from south to north any cell at ``resolution`` reaches: four of H3's
    mean edge lengths (`average_hexagon_edge_length`; a regular hexagon is two edges across, vertex to vertex, and H3's
    edges vary less than twofold) over the shortest degree of latitude. What lets a query for cells overlapping a box
    bound both ends of their southern edge (a cell reaching the box starts at most this far south of it)."""
    _check_resolution(resolution)
    return 4 * float(h3.average_hexagon_edge_length(resolution, unit="km")) / _KM_PER_LATITUDE_DEGREE_MIN


def _circumradii_m(cells: list[str], centres: list[tuple[float, float]]) -> list[float]:
    """Each cell's circumradius (its centre to its farthest boundary vertex), measured in one geodesic call."""
    owners: list[int] = []
    a_lats: list[float] = []
    a_lons: list[float] = []
    b_lats: list[float] = []
    b_lons: list[float] = []
    for index, cell in enumerate(cells):
        for lat, lon in h3.cell_to_boundary(cell):
            owners.append(index)
            a_lats.append(centres[index][0])
            a_lons.append(centres[index][1])
            b_lats.append(lat)
            b_lons.append(lon)
    radii = [0.0] * len(cells)
    for owner, distance in zip(owners, distances_m(a_lats, a_lons, b_lats, b_lons), strict=True):
        radii[owner] = max(radii[owner], distance)
    return radii


def cells_within(p: LatLon, radius_km: float, resolution: int) -> frozenset[str]:
    """Every cell at `resolution` that could hold a point within `radius_km` of `p`.

    A superset: a query selects sites by these cells, then keeps those whose exact distance is in range.
    """
    _check_resolution(resolution)
    if not (math.isfinite(radius_km) and radius_km >= 0):
        raise GeoError(f"radius {radius_km!r} km is not a finite distance ≥ 0")
    origin = h3_cell(p, resolution)
    radius_m = radius_km * 1000.0
    origin_circumradius_m = _circumradii_m([origin], [h3.cell_to_latlng(origin)])[0]
    # Centres one ring apart are at least 1.5 circumradii apart (less on distorted cells: hence the margin).
    spacing_m = 1.5 * origin_circumradius_m * 0.8
    rings = math.ceil((radius_m + 2 * origin_circumradius_m) / spacing_m)
    cells = list(h3.grid_disk(origin, rings))
    centres = [h3.cell_to_latlng(cell) for cell in cells]
    reach = distances_m([p.lat] * len(cells), [p.lon] * len(cells), [c[0] for c in centres], [c[1] for c in centres])
    radii = _circumradii_m(cells, centres)
    return frozenset(
        cell for cell, distance, radius in zip(cells, reach, radii, strict=True) if distance <= radius_m + radius
    )
