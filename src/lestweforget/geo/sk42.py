"""SK-42 (Pulkovo 1942) Gauss-Krüger rectangular coordinates, the grid of Soviet and post-Soviet maps.

Conventions: X is the northing, Y the easting with the zone number in front of the 500 000 m false easting
(zone 7 gives Y 7 372 238), zones are 6° wide (zone = floor(lon / 6) + 1), EPSG:28402..28432 for zones 2..32.

One datum shift is used everywhere: EPSG:15865 "Pulkovo 1942 to WGS 84 (16)", derived via PZ-90 for the whole
former USSR, Ukraine included. So a grid reference never jumps where PROJ would switch to a regional shift,
both directions use the same parameters, and nothing needs a grid file from the network.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from pyproj import Transformer
from pyproj.enums import TransformDirection

from lestweforget.geo.errors import GeoError
from lestweforget.geo.point import LatLon

FIRST_ZONE = 2
LAST_ZONE = 32
_ZONE_WIDTH_DEG = 6
_PULKOVO_1942_GEOGRAPHIC = "EPSG:4284"
_PULKOVO_TO_WGS84 = "EPSG:15865"

_COORDINATE = r"(\d[\d\s]*?)(?:[.,](\d+))?"
_TEXT = re.compile(
    rf"\s*X\s*[=:]?\s*{_COORDINATE}\s*[,;]?\s*Y\s*[=:]?\s*{_COORDINATE}\s*(?:m\s*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SK42:
    """A Gauss-Krüger position: zone, X (northing) and Y (easting, zone-prefixed) in metres."""

    zone: int
    northing_m: float
    easting_m: float

    def __post_init__(self) -> None:
        if isinstance(self.zone, bool) or not isinstance(self.zone, int):
            raise GeoError(f"SK-42 zone {self.zone!r} is not a whole number")
        if not FIRST_ZONE <= self.zone <= LAST_ZONE:
            raise GeoError(f"SK-42 zone {self.zone} is outside {FIRST_ZONE}..{LAST_ZONE}")
        for name, value in (("X", self.northing_m), ("Y", self.easting_m)):
            if not math.isfinite(value):
                raise GeoError(f"SK-42 {name} {value!r} is not a finite number")
        if math.floor(self.easting_m / 1_000_000) != self.zone:
            raise GeoError(
                f"SK-42 Y {self.easting_m:.0f} does not start with its zone number {self.zone} "
                f"(expected {self.zone} xxx xxx)"
            )


def sk42_zone(p: LatLon) -> int:
    """The 6° zone holding `p`; refuses longitudes outside SK-42's zones 2..32 (6°E eastward to 168°W)."""
    east_lon = p.lon if p.lon >= 0 else p.lon + 360.0
    zone = math.floor(east_lon / _ZONE_WIDTH_DEG) + 1
    if not FIRST_ZONE <= zone <= LAST_ZONE:
        raise GeoError(
            f"{p.lat}, {p.lon}: longitude {p.lon} is outside SK-42 Gauss-Krüger zones "
            f"{FIRST_ZONE}..{LAST_ZONE} (6°E eastward to 168°W)"
        )
    return zone


@cache
def _datum_shift() -> Transformer:
    # Forward: Pulkovo 1942 (lat, lon) → WGS 84 (lat, lon), EPSG axis order.
    return Transformer.from_pipeline(_PULKOVO_TO_WGS84)


@cache
def _gauss_kruger(zone: int) -> Transformer:
    # Same datum on both sides, so PROJ has a single exact conversion to choose.
    return Transformer.from_crs(_PULKOVO_1942_GEOGRAPHIC, f"EPSG:{28400 + zone}", always_xy=True)


def to_sk42(p: LatLon) -> SK42:
    """SK-42 Gauss-Krüger coordinates of `p` in its own 6° zone."""
    zone = sk42_zone(p)
    lat, lon = _datum_shift().transform(p.lat, p.lon, direction=TransformDirection.INVERSE)
    easting, northing = _gauss_kruger(zone).transform(lon, lat)
    return SK42(zone, northing, easting)


def from_sk42(position: SK42) -> LatLon:
    """The WGS84 point of an SK-42 Gauss-Krüger position."""
    lon, lat = _gauss_kruger(position.zone).transform(
        position.easting_m, position.northing_m, direction=TransformDirection.INVERSE
    )
    lat, lon = _datum_shift().transform(lat, lon)
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise GeoError(f"SK-42 X {position.northing_m}, Y {position.easting_m}: no point on the ellipsoid")
    return LatLon.normalised(lat, lon)


def _grouped(metres: float) -> str:
    return f"{round(metres):,}".replace(",", " ")


def format_sk42(position: SK42) -> str:
    """Whole metres grouped by thousands, so Y's leading group is the zone: "X 5 455 781, Y 7 372 238"."""
    return f"X {_grouped(position.northing_m)}, Y {_grouped(position.easting_m)}"


def _metres(whole: str, fraction: str | None) -> float:
    return float(re.sub(r"\s+", "", whole) + ("." + fraction if fraction else ""))


def parse_sk42(text: str) -> SK42:
    """Read "X 5 455 781, Y 7 372 238" or "X=5455781 Y=7372238"; the zone is Y's leading digits."""
    match = _TEXT.fullmatch(text)
    if match is None:
        raise GeoError(f"{text!r}: not SK-42 coordinates (expected e.g. 'X 5 455 781, Y 7 372 238')")
    northing = _metres(match.group(1), match.group(2))
    easting = _metres(match.group(3), match.group(4))
    try:
        return SK42(math.floor(easting / 1_000_000), northing, easting)
    except GeoError as error:
        raise GeoError(f"{text!r}: {error}") from error
