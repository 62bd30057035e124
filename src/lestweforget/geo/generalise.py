"""Generalising a precise point for publication: snap it to the centre of a fixed grid cell of about `cell_m`.

The grid is a fixed function of `cell_m` alone: rows of equal latitude height, each row cut into equal columns
that start at the antimeridian. Every point in a cell gives the same centre, so the published point tells
nothing about where in the cell the precise one lies. Sizes are measured on the WGS84 ellipsoid so no cell
is larger than `cell_m` on any side; the centre is never farther than about 0.71 × `cell_m` from the point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from lestweforget.geo.errors import GeoError
from lestweforget.geo.point import LatLon

_A_M: Final = 6_378_137.0
_F: Final = 1 / 298.257223563
_E2: Final = _F * (2 - _F)
# The longest degree of latitude on WGS84 is at the poles, where the meridian is flattest.
_MAX_METRES_PER_DEGREE_LAT: Final = math.radians(_A_M / math.sqrt(1 - _E2))
_MIN_CELL_M: Final = 1.0
_MAX_CELL_M: Final = 1_000_000.0


@dataclass(frozen=True)
class GridCell:
    """One cell of the generalisation grid: its bounds in degrees and the centre that stands for it."""

    south: float
    west: float
    north: float
    east: float
    centre: LatLon


def _metres_per_degree_lon(lat_deg: float) -> float:
    phi = math.radians(lat_deg)
    return math.radians(_A_M * math.cos(phi) / math.sqrt(1 - _E2 * math.sin(phi) ** 2))


def grid_cell(p: LatLon, cell_m: float) -> GridCell:
    """The generalisation cell holding `p`; refuses a cell size outside 1 m..1000 km."""
    if not (math.isfinite(cell_m) and _MIN_CELL_M <= cell_m <= _MAX_CELL_M):
        raise GeoError(f"cell size {cell_m!r} m is outside {_MIN_CELL_M:g}..{_MAX_CELL_M:g} m")
    rows = math.ceil(180.0 * _MAX_METRES_PER_DEGREE_LAT / cell_m)
    row_deg = 180.0 / rows
    row = min(math.floor((p.lat + 90.0) / row_deg), rows - 1)
    south = -90.0 + row * row_deg
    # Floating sums can land a hair past the pole or the antimeridian; the bounds must stay valid degrees.
    north = min(90.0, -90.0 + (row + 1) * row_deg)
    # A row is widest at its edge nearest the equator; size the columns there so none exceeds cell_m.
    widest_lat = 0.0 if south <= 0.0 <= north else min(abs(south), abs(north))
    columns = max(1, math.ceil(360.0 * _metres_per_degree_lon(widest_lat) / cell_m))
    column_deg = 360.0 / columns
    # 180°E and 180°W are one meridian; put it in the first column.
    lon = -180.0 if p.lon == 180.0 else p.lon
    column = min(math.floor((lon + 180.0) / column_deg), columns - 1)
    west = -180.0 + column * column_deg
    east = min(180.0, -180.0 + (column + 1) * column_deg)
    return GridCell(south, west, north, east, LatLon((south + north) / 2, (west + east) / 2))


def generalise(p: LatLon, cell_m: float) -> LatLon:
    """The centre of the grid cell of about `cell_m` holding `p` (the same for every point in that cell)."""
    return grid_cell(p, cell_m).centre
