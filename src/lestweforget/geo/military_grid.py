"""MGRS grid references ("37U CQ 72173 53498"), through the GeoTrans code in the `mgrs` package.

UTM covers latitudes -80..84; beyond them MGRS uses the polar UPS grid ("Z AH 00000 00000" at the North Pole),
which `mgrs` supports, so every valid point has a reference.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import mgrs
from mgrs.core import MGRSError

from lestweforget.geo.errors import GeoError
from lestweforget.geo.point import LatLon

# Zone 1-60 with a UTM latitude band (C..X without I and O), or a polar UPS band A/B (south) or Y/Z (north);
# then the 100 km square (two letters without I and O), then 0-5 digits of easting and as many of northing.
_REFERENCE = re.compile(r"(?P<zone>\d{1,2}[C-HJ-NP-X]|[ABYZ])(?P<square>[A-HJ-NP-Z]{2})(?P<digits>\d{0,10})")

_converter = mgrs.MGRS()
_EQUATOR_BAND_DEG = 1e-7


@dataclass(frozen=True)
class _Reference:
    zone: str
    square: str
    easting: str
    northing: str

    def spaced(self) -> str:
        return " ".join(part for part in (self.zone, self.square, self.easting, self.northing) if part)

    def compact(self) -> str:
        return f"{self.zone}{self.square}{self.easting}{self.northing}"


def _split(text: str) -> _Reference:
    compact = re.sub(r"\s+", "", text).upper()
    match = _REFERENCE.fullmatch(compact)
    if match is None:
        raise GeoError(f"{text!r}: not an MGRS reference (expected e.g. '37U CQ 72173 53498')")
    digits = match.group("digits")
    if len(digits) % 2:
        raise GeoError(f"{text!r}: MGRS easting and northing need the same number of digits, got {len(digits)}")
    zone = match.group("zone")
    if zone[:-1] and not 1 <= int(zone[:-1]) <= 60:
        raise GeoError(f"{text!r}: UTM zone {int(zone[:-1])} is outside 1..60")
    half = len(digits) // 2
    return _Reference(zone.lstrip("0"), match.group("square"), digits[:half], digits[half:])


def looks_like_mgrs(text: str) -> bool:
    """Whether `text` has the shape of an MGRS reference (zone, band, square, digits), valid or not."""
    return _REFERENCE.fullmatch(re.sub(r"\s+", "", text).upper()) is not None


def _check_digits(digits: int) -> None:
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 5:
        raise GeoError(f"MGRS digits {digits!r} is outside 0..5 (5 is 1 m, 0 is the 100 km square)")


def to_mgrs(p: LatLon, digits: int = 5) -> str:
    """The spaced MGRS reference of the cell holding `p`, truncated (5 digits = 1 m, 0 = 100 km square)."""
    _check_digits(digits)
    # mgrs 1.6.0 writes an unreadable band-M reference ("31M AA 66021 00000") for points less than about
    # 1 cm south of the equator; at MGRS's 1 m precision they are on it.
    lat = 0.0 if -_EQUATOR_BAND_DEG < p.lat < 0.0 else p.lat
    try:
        compact = _converter.toMGRS(lat, p.lon, MGRSPrecision=digits)
    except MGRSError as error:
        raise GeoError(f"{p.lat}, {p.lon}: no MGRS reference ({error})") from error
    return _split(compact).spaced()


def normalise_mgrs(text: str) -> str:
    """A reference in the canonical spaced upper-case form; refuses anything that is not MGRS-shaped."""
    return _split(text).spaced()


def truncate_mgrs(text: str, digits: int) -> str:
    """Reduce a reference to `digits` per axis by dropping digits (never rounding), as MGRS readers expect.

    Refuses a request for more digits than the reference has: precision cannot be added.
    """
    _check_digits(digits)
    reference = _split(text)
    if digits > len(reference.easting):
        raise GeoError(f"{text!r}: has {len(reference.easting)} digits per axis, cannot give {digits}")
    return _Reference(
        reference.zone, reference.square, reference.easting[:digits], reference.northing[:digits]
    ).spaced()


def from_mgrs(text: str) -> LatLon:
    """The centre of the cell a reference names; reads spaced, unspaced and lower-case references."""
    reference = _split(text)
    with warnings.catch_warnings():
        # GeoTrans warns, and answers anyway, when the square and digits land outside the latitude band named.
        warnings.simplefilter("error", RuntimeWarning)
        try:
            lat, lon = _converter.toLatLon(reference.compact())
        except MGRSError as error:
            raise GeoError(f"{text!r}: not a valid MGRS reference ({error})") from error
        except RuntimeWarning as warning:
            raise GeoError(
                f"{text!r}: not a valid MGRS reference (square {reference.square} is not in band {reference.zone})"
            ) from warning
    return LatLon.normalised(lat, lon)
