"""Signed decimal degrees as text: "49.220922, 37.244553" (latitude first, as on every map site)."""

from __future__ import annotations

import re

from lestweforget.geo.errors import GeoError
from lestweforget.geo.point import LatLon

_NUMBER = r"[+-]?\d{1,3}(?:\.\d+)?"
_DECIMAL_PAIR = re.compile(rf"\s*({_NUMBER})\s*(?:[,;]\s*|\s+)({_NUMBER})\s*")


def format_degrees(value: float, places: int = 6) -> str:
    """One coordinate with fixed decimals, never "-0.000000" (a hemisphere that rounding erased)."""
    text = f"{value:.{places}f}"
    if float(text) == 0.0:
        text = text.lstrip("-")
    return text


def format_decimal(p: LatLon, places: int = 6) -> str:
    """ "lat, lon" with `places` decimals (6 is about 0.1 m); refuses places outside 0..12."""
    if not 0 <= places <= 12:
        raise GeoError(f"decimal places {places!r} is outside 0..12")
    return f"{format_degrees(p.lat, places)}, {format_degrees(p.lon, places)}"


def parse_decimal(text: str) -> LatLon:
    """Read exactly two signed decimal numbers, latitude first, separated by a comma, semicolon or space."""
    match = _DECIMAL_PAIR.fullmatch(text)
    if match is None:
        raise GeoError(f"{text!r}: not two decimal numbers (latitude, longitude)")
    try:
        return LatLon(float(match.group(1)), float(match.group(2)))
    except GeoError as error:
        raise GeoError(f"{text!r}: {error}") from error
