"""A point on the WGS84 ellipsoid in decimal degrees: the value every other geo module takes and returns."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lestweforget.geo.errors import GeoError


def _checked_degrees(name: str, value: object, limit: float) -> float:
    # bool is an int subclass; True as a latitude is always a bug upstream.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GeoError(f"{name} {value!r} is not a number")
    degrees = float(value)
    if not math.isfinite(degrees):
        raise GeoError(f"{name} {value!r} is not a finite number")
    if not -limit <= degrees <= limit:
        raise GeoError(f"{name} {value!r} is outside -{limit:g}..{limit:g}")
    return degrees


@dataclass(frozen=True)
class LatLon:
    """WGS84 latitude and longitude in decimal degrees; refuses anything outside -90..90 and -180..180."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        # Store plain floats so equal points compare and hash equal whether built from ints or floats.
        object.__setattr__(self, "lat", _checked_degrees("latitude", self.lat, 90.0))
        object.__setattr__(self, "lon", _checked_degrees("longitude", self.lon, 180.0))

    @classmethod
    def normalised(cls, lat: float, lon: float) -> LatLon:
        """Wrap a longitude outside -180..180 (190 → -170) into [-180, 180); latitude is never wrapped."""
        if isinstance(lon, bool) or not isinstance(lon, int | float) or not math.isfinite(lon):
            raise GeoError(f"longitude {lon!r} is not a finite number")
        if not -180.0 <= lon <= 180.0:
            lon = (lon + 180.0) % 360.0 - 180.0
        return cls(lat, lon)


@dataclass(frozen=True)
class ParsedLocation:
    """A point read from text, with what the text said besides: an uncertainty radius and altitude in metres
    when it gave them, which form it was read as ("geo: URI", "Google Maps link", "SK-42"...), and notes on
    what else the text held (a second spelling of the same point, a short link that was set aside)."""

    point: LatLon
    uncertainty_m: float | None = None
    altitude_m: float | None = None
    read_as: str = field(default="", compare=False)
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def lat(self) -> float:
        return self.point.lat

    @property
    def lon(self) -> float:
        return self.point.lon
