"""`geo:` URIs (RFC 5870): "geo:49.220922,37.244553;u=300", as phones open in their map app."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote

from lestweforget.geo.errors import GeoError
from lestweforget.geo.point import LatLon

# RFC 5870 numbers: optional minus, digits, optional fraction; no plus sign, no exponent.
_NUM = r"-?\d+(?:\.\d+)?"
_COORDINATES = re.compile(rf"({_NUM}),({_NUM})(?:,({_NUM}))?")
_ANDROID_QUERY = re.compile(rf"\s*({_NUM})\s*,\s*({_NUM})\s*(?:\(.*\))?\s*", re.DOTALL)


@dataclass(frozen=True)
class ParsedLocation:
    """What a `geo:` URI says: the point, and its uncertainty and altitude when given."""

    point: LatLon
    uncertainty_m: float | None = None
    altitude_m: float | None = None

    @property
    def lat(self) -> float:
        return self.point.lat

    @property
    def lon(self) -> float:
        return self.point.lon


def _plain_number(value: float, places: int) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def to_geo_uri(p: LatLon, uncertainty_m: float | None = None, places: int = 6) -> str:
    """A `geo:` URI for `p`, with ";u=" when an uncertainty is given; refuses a negative or infinite one."""
    uri = f"geo:{_plain_number(p.lat, places)},{_plain_number(p.lon, places)}"
    if uncertainty_m is not None:
        if not math.isfinite(uncertainty_m) or uncertainty_m < 0:
            raise GeoError(f"uncertainty {uncertainty_m!r} m is not a finite number of metres ≥ 0")
        uri += f";u={_plain_number(uncertainty_m, 1)}"
    return uri


def _point(text: str, lat: str, lon: str) -> LatLon:
    try:
        return LatLon(float(lat), float(lon))
    except GeoError as error:
        raise GeoError(f"{text!r}: {error}") from error


def _android_search(text: str, query: str) -> LatLon:
    # Android's share sheet writes "geo:0,0?q=lat,lon(label)"; the 0,0 is a placeholder, q is the point.
    searches = parse_qs(query).get("q", [])
    if len(searches) != 1:
        raise GeoError(f"{text!r}: geo: URI has no coordinates (0,0 and no single q= search)")
    match = _ANDROID_QUERY.fullmatch(unquote(searches[0]))
    if match is None:
        raise GeoError(f"{text!r}: geo: URI has no coordinates (a search for a place name only)")
    return _point(text, match.group(1), match.group(2))


def parse_geo_uri(text: str) -> ParsedLocation:
    """Read an RFC 5870 `geo:` URI; refuses CRSs other than wgs84, malformed numbers, out-of-range points."""
    stripped = text.strip()
    if stripped[:4].lower() != "geo:":
        raise GeoError(f"{text!r}: not a geo: URI")
    body, _, query = stripped[4:].partition("?")
    coordinates, *parameters = body.split(";")
    match = _COORDINATES.fullmatch(coordinates)
    if match is None:
        raise GeoError(f"{text!r}: geo: URI coordinates must be 'lat,lon' or 'lat,lon,alt' in plain decimals")
    uncertainty: float | None = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        name = name.lower()
        if name == "crs" and value.lower() != "wgs84":
            raise GeoError(f"{text!r}: geo: URI crs {value!r} is not supported, only wgs84")
        if name == "u":
            if not re.fullmatch(r"\d+(?:\.\d+)?", value):
                raise GeoError(f"{text!r}: geo: URI uncertainty {value!r} is not a number of metres ≥ 0")
            uncertainty = float(value)
    point = _point(text, match.group(1), match.group(2))
    if query and point.lat == 0 and point.lon == 0:
        point = _android_search(text, query)
    altitude = float(match.group(3)) if match.group(3) is not None else None
    return ParsedLocation(point, uncertainty, altitude)
