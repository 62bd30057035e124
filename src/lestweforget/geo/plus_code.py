"""Open Location Codes ("Plus Codes", e.g. "8GXV66CV+9R7"), through Google's `openlocationcode` package."""

from __future__ import annotations

from dataclasses import dataclass

from openlocationcode import openlocationcode as olc

from lestweforget.geo.errors import GeoError
from lestweforget.geo.point import LatLon

_LENGTHS = (2, 4, 6, 8, 10, 11, 12, 13, 14, 15)
_EDGE_DEG = 1e-10


@dataclass(frozen=True)
class PlusCodeArea:
    """The rectangle a full code names, in degrees; its centre is the point the code stands for."""

    south: float
    west: float
    north: float
    east: float

    @property
    def centre(self) -> LatLon:
        return LatLon((self.south + self.north) / 2, (self.west + self.east) / 2)


def looks_like_plus_code(text: str) -> bool:
    """Whether `text` is a Plus Code, full or short, with nothing else around it."""
    candidate = text.strip().upper()
    return "+" in candidate and bool(olc.isValid(candidate))


def to_plus_code(p: LatLon, length: int = 11) -> str:
    """The full code of the area holding `p` (11 characters is about 3 m × 3 m); refuses lengths OLC lacks."""
    if length not in _LENGTHS:
        raise GeoError(f"Plus Code length {length!r} is not one of {', '.join(map(str, _LENGTHS))}")
    # openlocationcode 1.0.1 overflows into an undecodable code for floats a hair below 90°N or 180°E; those
    # points are 0.01 mm from the limit, far inside the finest code's cell, so give them the limit itself.
    lat = 90.0 if p.lat > 90.0 - _EDGE_DEG else p.lat
    lon = -180.0 if p.lon > 180.0 - _EDGE_DEG else p.lon
    code: str = olc.encode(lat, lon, length)
    return code


def plus_code_area(code: str, reference: LatLon | None = None) -> PlusCodeArea:
    """The area a code names; a short code ("CV+9R7") is recovered near `reference`, refused without one."""
    text = code.strip().upper()
    if " " in text:
        raise GeoError(
            f"{code!r}: a Plus Code followed by a place name needs that place looked up; "
            "give the code alone and a reference point"
        )
    if not olc.isValid(text):
        raise GeoError(f"{code!r}: not a valid Plus Code")
    if olc.isShort(text):
        if reference is None:
            raise GeoError(f"{code!r}: a short Plus Code needs a reference point nearby to recover it")
        text = olc.recoverNearest(text, reference.lat, reference.lon)
    area = olc.decode(text)
    return PlusCodeArea(area.latitudeLo, area.longitudeLo, area.latitudeHi, area.longitudeHi)


def from_plus_code(code: str, reference: LatLon | None = None) -> LatLon:
    """The centre of the area a code names (see `plus_code_area` for what is refused)."""
    return plus_code_area(code, reference).centre
