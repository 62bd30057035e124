"""`geo:` URIs (RFC 5870): "geo:49.220922,37.244553;u=300", as phones open in their map app.

Besides the RFC's form this reads what apps write around it: Android's search form "geo:0,0?q=lat,lon(label)"
(whose query goes to the typed-coordinates reader, so "geo:0,0?q=49 13 15.2N, 37 14 40.2E" reads too), a zoom
in the query ("?z=16"), and Organic Maps' older "geo:lat,lon&z=14(name)".
"""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs

from lestweforget.geo.decimal_degrees import format_decimal
from lestweforget.geo.distance import distance_m
from lestweforget.geo.errors import GeoError
from lestweforget.geo.parse_text import parse_coordinates
from lestweforget.geo.point import LatLon, ParsedLocation

# RFC 5870 numbers: optional minus, digits, optional fraction; no plus sign, no exponent.
_NUM = r"-?\d+(?:\.\d+)?"
_COORDINATES = re.compile(rf"({_NUM}),({_NUM})(?:,({_NUM}))?")
_LABEL = re.compile(r"\s*\([^()]*\)\s*$")
# A query point farther than this from the path point is a different place, worth a note.
_SAME_POINT_M = 10.0

__all__ = ["ParsedLocation", "parse_geo_uri", "to_geo_uri"]


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


def _query_point(text: str, query: str) -> LatLon | None:
    """The point an Android-style "q=" search names, None for a search by name; refuses two q= values."""
    searches = parse_qs(query, keep_blank_values=True).get("q", [])
    if not searches:
        return None
    if len(searches) > 1:
        raise GeoError(f"{text!r}: geo: URI has {len(searches)} q= searches, cannot tell which")
    search = searches[0].strip()
    if not re.search(r"\d", search):
        return None
    try:
        return parse_coordinates(search)
    except GeoError as error:
        raise GeoError(f"{text!r}: geo: URI search q={search!r} is not coordinates ({error})") from error


def parse_geo_uri(text: str) -> ParsedLocation:
    """Read an RFC 5870 `geo:` URI; refuses CRSs other than wgs84, malformed numbers, out-of-range points."""
    stripped = text.strip()
    if stripped[:4].lower() != "geo:":
        raise GeoError(f"{text!r}: not a geo: URI")
    body, _, query = stripped[4:].partition("?")
    body = _LABEL.sub("", body)
    body, ampersand, old_query = body.partition("&")
    if ampersand:
        query = f"{old_query}&{query}" if query else old_query
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
    notes: tuple[str, ...] = ()
    searched = _query_point(text, query) if query else None
    if "q" in parse_qs(query) and point.lat == 0 and point.lon == 0:
        # Android's share sheet writes "geo:0,0?q=lat,lon(label)": the 0,0 is a placeholder, q is the point.
        if searched is None:
            raise GeoError(f"{text!r}: geo: URI has no coordinates (a search for a place name only)")
        point = searched
    elif searched is not None and distance_m(point, searched) > _SAME_POINT_M:
        notes = (f"its q= search names another point, {format_decimal(searched)}; read the URI's own point",)
    altitude = float(match.group(3)) if match.group(3) is not None else None
    return ParsedLocation(point, uncertainty, altitude, read_as="geo: URI", notes=notes)
