"""UTM grid references ("37U 372238 5455781"), the form GPS receivers such as Garmin's show on their grid page.

The letter after the zone is the MGRS latitude band (C..X without I and O), as receivers print it. Some people
write N or S for the hemisphere instead; N and S are bands too (0..8°N, 32..40°N), so a reference is read as a
band first and as a hemisphere only when the band does not hold the point. The zone of a point follows MGRS,
Norway's and Svalbard's exceptions included, so UTM and MGRS always agree on it.
"""

from __future__ import annotations

import math
import re
from functools import cache

from pyproj import Transformer
from pyproj.enums import TransformDirection

from lestweforget.geo.errors import GeoError
from lestweforget.geo.military_grid import to_mgrs
from lestweforget.geo.point import LatLon

_BANDS = "CDEFGHJKLMNPQRSTUVWX"
_SOUTHERNMOST_DEG = -80.0
_BAND_DEG = 8.0
_NORTHERNMOST_DEG = 84.0
# A receiver rounds to the metre, so a point on a band's edge may compute a hair outside it.
_BAND_SLACK_DEG = 0.01

_TEXT = re.compile(
    r"""\s*(?:UTM\s*)?(?P<zone>\d{1,2})\s*(?P<letter>[C-HJ-NP-X])\b\s*[,;]?\s*
    (?:E\s*)?(?P<easting>\d{5,7}(?:[.,]\d+)?)\s*(?:m\s*)?(?:E\b)?(?:\s*[,;]\s*|\s+)
    (?:N\s*)?(?P<northing>\d{1,8}(?:[.,]\d+)?)\s*(?:m\s*)?(?:N\b)?\s*""",
    re.IGNORECASE | re.VERBOSE,
)


@cache
def _projection(zone: int, south: bool) -> Transformer:
    return Transformer.from_crs("EPSG:4326", f"EPSG:{(32700 if south else 32600) + zone}", always_xy=True)


def looks_like_utm(text: str) -> bool:
    """Whether `text` has the shape of a UTM reference: zone, letter, easting and northing."""
    return _TEXT.fullmatch(text) is not None


def _band_holds(letter: str, lat: float) -> bool:
    south_edge = _SOUTHERNMOST_DEG + _BAND_DEG * _BANDS.index(letter)
    north_edge = _NORTHERNMOST_DEG if letter == "X" else south_edge + _BAND_DEG
    return south_edge - _BAND_SLACK_DEG <= lat <= north_edge + _BAND_SLACK_DEG


def _inverse(zone: int, south: bool, easting: float, northing: float) -> LatLon | None:
    lon, lat = _projection(zone, south).transform(easting, northing, direction=TransformDirection.INVERSE)
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90:
        return None
    return LatLon.normalised(lat, lon)


# A reference typed in the zone next door is still read this far beyond its zone's edge (the overlap map
# sheets print at zone edges); beyond it the easting is a typing error.
ZONE_SLACK_DEG = 1.0


def _in_zone(text: str, zone: int, point: LatLon) -> LatLon:
    """`point`, if it lies in UTM zone `zone` (its 6°, or the zone MGRS gives it in Norway and Svalbard) or
    within `ZONE_SLACK_DEG` of it, and inside UTM's 80°S..84°N; refused, naming the zone's area, otherwise."""
    central = zone * 6 - 183
    off_centre = abs((point.lon - central + 180.0) % 360.0 - 180.0)
    west, east = central - 3, central + 3
    area = (
        f"UTM zone {zone} covers {abs(west)}°{'E' if west >= 0 else 'W'}..{abs(east)}°{'E' if east >= 0 else 'W'}, "
        f"{-_SOUTHERNMOST_DEG:g}°S..{_NORTHERNMOST_DEG:g}°N"
    )
    # The printed form is rounded to the metre: a point on the edge reads back a hair outside it.
    in_latitudes = _SOUTHERNMOST_DEG - 1e-4 <= point.lat <= _NORTHERNMOST_DEG + 1e-4
    if in_latitudes and (off_centre <= 3 + ZONE_SLACK_DEG or int(to_mgrs(point, digits=0).split()[0][:-1]) == zone):
        return point
    raise GeoError(f"{text!r}: gives {point.lat:.4f}, {point.lon:.4f}, outside its zone's area ({area})")


def from_utm(text: str) -> LatLon:
    """The point of a UTM reference; refuses zones outside 1..60 and points outside the band named."""
    match = _TEXT.fullmatch(text)
    if match is None:
        raise GeoError(f"{text!r}: not a UTM reference (expected e.g. '37U 372238 5455781')")
    zone = int(match.group("zone"))
    if not 1 <= zone <= 60:
        raise GeoError(f"{text!r}: UTM zone {zone} is outside 1..60")
    letter = match.group("letter").upper()
    easting = float(match.group("easting").replace(",", "."))
    northing = float(match.group("northing").replace(",", "."))
    as_band = _inverse(zone, letter < "N", easting, northing)
    if as_band is not None and _band_holds(letter, as_band.lat):
        return _in_zone(text, zone, as_band)
    if letter in "NS":
        as_hemisphere = _inverse(zone, letter == "S", easting, northing)
        if as_hemisphere is not None and (as_hemisphere.lat >= 0) == (letter == "N"):
            return _in_zone(text, zone, as_hemisphere)
    where = f"latitude {as_band.lat:.4f}" if as_band is not None else "no point on the ellipsoid"
    raise GeoError(f"{text!r}: easting {easting:g} and northing {northing:g} give {where}, outside band {letter}")


def to_utm(p: LatLon) -> str:
    """ "37U 372238 5455781": zone and band as MGRS names them, then easting and northing rounded to the metre.

    Refuses points beyond UTM's latitudes (south of 80°S, north of 84°N), where the polar UPS grid is used.
    """
    if not _SOUTHERNMOST_DEG <= p.lat <= _NORTHERNMOST_DEG:
        raise GeoError(
            f"{p.lat}, {p.lon}: latitude {p.lat} is outside UTM's 80°S..84°N; the polar UPS grid covers it (MGRS)"
        )
    grid_zone = to_mgrs(p, digits=0).split()[0]
    zone, letter = int(grid_zone[:-1]), grid_zone[-1]
    easting, northing = _projection(zone, letter < "N").transform(p.lon, p.lat)
    return f"{zone}{letter} {round(easting)} {round(northing)}"
