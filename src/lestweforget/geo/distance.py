"""Distance and direction between two points on the WGS84 ellipsoid (geodesics, via pyproj.Geod)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from pyproj import Geod

from lestweforget.geo.errors import GeoError
from lestweforget.geo.point import LatLon

_WGS84: Final = Geod(ellps="WGS84")

_COMPASS_16: Final = (
    "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW",
)  # fmt: skip

COMPASS_NAMES_EN: Final[dict[str, str]] = {
    "N": "north",
    "NNE": "north-north-east",
    "NE": "north-east",
    "ENE": "east-north-east",
    "E": "east",
    "ESE": "east-south-east",
    "SE": "south-east",
    "SSE": "south-south-east",
    "S": "south",
    "SSW": "south-south-west",
    "SW": "south-west",
    "WSW": "west-south-west",
    "W": "west",
    "WNW": "west-north-west",
    "NW": "north-west",
    "NNW": "north-north-west",
}


@dataclass(frozen=True)
class Offset:
    """Where a target lies from an origin: geodesic distance, initial bearing and its compass point."""

    distance_m: float
    bearing_deg: float
    compass: str


def _inverse(a: LatLon, b: LatLon) -> tuple[float, float]:
    azimuth, _back_azimuth, distance = _WGS84.inv(a.lon, a.lat, b.lon, b.lat)
    return float(azimuth), float(distance)


def distance_m(a: LatLon, b: LatLon) -> float:
    """Geodesic distance in metres on WGS84; the short way across the antimeridian and over the poles."""
    return _inverse(a, b)[1]


def distances_m(
    a_lats: Sequence[float], a_lons: Sequence[float], b_lats: Sequence[float], b_lons: Sequence[float]
) -> list[float]:
    """Geodesic distances in metres on WGS84 between the points a[i] and b[i], in one call to pyproj (a loop of
    `distance_m` costs a Python call and a point check per pair). Latitudes and longitudes in degrees, as H3 and
    stored sites give them (not checked); raises GeoError if the sequences differ in length."""
    if not len(a_lats) == len(a_lons) == len(b_lats) == len(b_lons):
        raise GeoError("distances_m needs as many latitudes as longitudes at both ends")
    if not a_lats:
        return []
    _azimuths, _back, distances = _WGS84.inv(list(a_lons), list(a_lats), list(b_lons), list(b_lats))
    return [float(d) for d in distances]


def initial_bearing_deg(a: LatLon, b: LatLon) -> float:
    """Initial bearing from `a` towards `b`, clockwise from true north in [0, 360).

    From a pole every way is south (or north): 180 from the North Pole, 0 from the South Pole.
    Coincident points have no direction; they get 0.
    """
    if a.lat == 90.0 and b.lat != 90.0:
        return 180.0
    if a.lat == -90.0 and b.lat != -90.0:
        return 0.0
    azimuth, distance = _inverse(a, b)
    if distance == 0.0:
        return 0.0
    # % 360 can return 360.0 for a tiny negative float; fold it back.
    bearing = azimuth % 360.0
    return 0.0 if bearing >= 360.0 else bearing


def compass_point(bearing_deg: float, points: int = 8) -> str:
    """The nearest of 4, 8 or 16 compass points ("N", "NE", "NNE", ...); a boundary bearing goes clockwise."""
    if points not in (4, 8, 16):
        raise GeoError(f"compass points {points!r} is not 4, 8 or 16")
    if not math.isfinite(bearing_deg):
        raise GeoError(f"bearing {bearing_deg!r} is not a finite number of degrees")
    sector_deg = 360.0 / points
    index = math.floor((bearing_deg % 360.0) / sector_deg + 0.5) % points
    return _COMPASS_16[index * (16 // points)]


def describe_offset(origin: LatLon, target: LatLon, points: int = 8) -> Offset:
    """How far and which way `target` is from `origin` ("1.28 km NW")."""
    bearing = initial_bearing_deg(origin, target)
    return Offset(distance_m(origin, target), bearing, compass_point(bearing, points))
