"""SK-42 (Pulkovo 1942) Gauss-Krüger rectangular coordinates, the grid of Soviet and post-Soviet maps.

Conventions: X is the northing, Y the easting with the zone number in front of the 500 000 m false easting
(zone 7 gives Y 7 372 238), zones are 6° wide (zone = floor(lon / 6) + 1), EPSG:28402..28432 for zones 2..32.

One datum shift is used everywhere: EPSG:5044 "Pulkovo 1942 to WGS 84 (20)", the GOST R 51794-2008 parameters
(via PZ-90.02). They are what PROJ itself chooses for the zones covering Ukraine (EPSG:28404..28409 → 4326), so
a reference converted here agrees with an independent PROJ reading, and they are the parameters the SK-42 tools in
use on both sides of the front line carry. Pinning one shift means a grid reference never jumps where PROJ would
switch to another one, both directions use the same parameters, and nothing needs a grid file from the network.
(EPSG:15865, "(16)", whose area names Ukraine, differs by about 2 m: within the 3 m either is accurate to.)
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
# The latitudes of Pulkovo 1942's area of use (EPSG:4284), which the datum shift is defined for.
SOUTHERNMOST_DEG = 35.14
NORTHERNMOST_DEG = 81.91
_ZONE_WIDTH_DEG = 6
# How far beyond its zone's edge a position typed in that zone is still read: sheets at a zone's edge carry
# the neighbouring zone's grid for about 2° (30' of it on 1:100 000 sheets); beyond that it is a typing error.
ZONE_SLACK_DEG = 2.0
_EDGE_DEG = 1e-4
_PULKOVO_1942_GEOGRAPHIC = "EPSG:4284"
_PULKOVO_TO_WGS84 = "EPSG:5044"

# Text forms. Latin X/Y or the Cyrillic Х/У that Ukrainian and Russian keyboards type; digits grouped by spaces
# ("5 455 781", as `format_sk42` prints) or split where map sheets print the small leading digits before the
# kilometre figure ("54-55781", the form artillery and map apps use); Y either zone-prefixed or given a zone.
_CYRILLIC_AXES = str.maketrans({"Х": "X", "х": "x", "У": "Y", "у": "y", "м": "m", "М": "m"})
_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "–": "-", "‑": "-"})
_LABEL = r"(?:(?:SK|CK|СК)[-\s]?42|Pulkovo\s*1942|Пулково\s*1942)\s*[:,]?\s*"
_ZONE = r"(?:zone|зона|z)\s*[=:№#]?\s*(?P<{name}>\d{{1,2}})"
_LABELLED = (
    r"(?P<{axis}>[XY])\s*[=:-]?\s*(?P<{digits}>\d(?:\d|\s(?=\d)|-(?=\d))*)(?:[.,](?P<{fraction}>\d+))?\s*(?:m\b\.?)?"
)
_TEXT = re.compile(
    rf"\s*(?:{_LABEL})?(?:{_ZONE.format(name='zone1')}\s*[,;]?\s*)?"
    + _LABELLED.format(axis="axis1", digits="digits1", fraction="fraction1")
    + r"\s*[,;]?\s*"
    + _LABELLED.format(axis="axis2", digits="digits2", fraction="fraction2")
    + rf"(?:\s*[,;]?\s*{_ZONE.format(name='zone2')})?\s*",
    re.IGNORECASE,
)
# Without labels only whole-metre runs of 7 or 8 digits (or the hyphenated sheet form), X first as on Soviet
# maps: such numbers cannot be degrees, so nothing else could be meant.
_BARE_NUMBER = r"(?:\d{7,8}|\d{2,3}-\d{2}-?\d{3})"
_BARE = re.compile(rf"\s*(?:{_LABEL})?(?P<digits1>{_BARE_NUMBER})\s*[,;/\s]\s*(?P<digits2>{_BARE_NUMBER})\s*")
_FULL_X_DIGITS = 7
_ZONE_DIGITS = 6


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
    """SK-42 Gauss-Krüger coordinates of `p` in its own 6° zone; refuses points outside zones 2..32 and
    outside the latitudes of Pulkovo 1942's area of use (35.14°N..81.91°N, EPSG:4284)."""
    zone = sk42_zone(p)
    if not SOUTHERNMOST_DEG <= p.lat <= NORTHERNMOST_DEG:
        raise GeoError(
            f"{p.lat}, {p.lon}: latitude {p.lat} is outside SK-42's area "
            f"({SOUTHERNMOST_DEG}°N..{NORTHERNMOST_DEG}°N, the area of use of Pulkovo 1942)"
        )
    lat, lon = _datum_shift().transform(p.lat, p.lon, direction=TransformDirection.INVERSE)
    easting, northing = _gauss_kruger(zone).transform(lon, lat)
    return SK42(zone, northing, easting)


def zone_longitudes(zone: int) -> tuple[float, float]:
    """The west and east edges, in degrees east (-180..180), of Gauss-Krüger zone `zone`."""
    west = (zone - 1) * _ZONE_WIDTH_DEG
    return (west if west < 180 else west - 360), (west + _ZONE_WIDTH_DEG if west + 6 <= 180 else west + 6 - 360)


def _area(zone: int) -> str:
    west, east = zone_longitudes(zone)
    return (
        f"zone {zone} covers {abs(west):g}°{'E' if west >= 0 else 'W'}..{abs(east):g}°{'E' if east >= 0 else 'W'} "
        f"and SK-42 {SOUTHERNMOST_DEG}°N..{NORTHERNMOST_DEG}°N, Pulkovo 1942's area of use, EPSG:4284"
    )


def from_sk42(position: SK42) -> LatLon:
    """The WGS84 point of an SK-42 Gauss-Krüger position; refuses positions that fall outside their zone
    (beyond `ZONE_SLACK_DEG` of overlap, as map sheets at a zone's edge carry) or outside Pulkovo 1942's
    latitudes, naming the area: the projection means nothing there, and such figures are a typing error."""
    lon, lat = _gauss_kruger(position.zone).transform(
        position.easting_m, position.northing_m, direction=TransformDirection.INVERSE
    )
    written = f"SK-42 X {_grouped(position.northing_m)}, Y {_grouped(position.easting_m)}"
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90:
        raise GeoError(f"{written}: no point on the ellipsoid ({_area(position.zone)})")
    central = (position.zone - 0.5) * _ZONE_WIDTH_DEG
    off_centre = abs((lon - central + 180.0) % 360.0 - 180.0)
    if off_centre <= _ZONE_WIDTH_DEG / 2 + ZONE_SLACK_DEG:
        lat, lon = _datum_shift().transform(lat, lon)
        # The printed form is rounded to the metre: a point on the area's edge reads back a hair outside it.
        if SOUTHERNMOST_DEG - _EDGE_DEG <= lat <= NORTHERNMOST_DEG + _EDGE_DEG:
            return LatLon.normalised(lat, lon)
    raise GeoError(f"{written}: gives {lat:.4f}, {lon:.4f}, outside SK-42's area ({_area(position.zone)})")


def _grouped(metres: float, step_m: int = 1) -> str:
    return f"{step_m * round(metres / step_m):,}".replace(",", " ")


def format_sk42(position: SK42, step_m: int = 1) -> str:
    """Whole metres grouped by thousands, so Y's leading group is the zone: "X 5 455 781, Y 7 372 238";
    with ``step_m`` (10, 100, 1000, ...) each axis rounded to that many metres ("X 5 456 000, Y 7 372 000")."""
    if isinstance(step_m, bool) or not isinstance(step_m, int) or step_m < 1:
        raise GeoError(f"SK-42 step {step_m!r} is not a whole number of metres >= 1")
    return f"X {_grouped(position.northing_m, step_m)}, Y {_grouped(position.easting_m, step_m)}"


def _normal(text: str) -> str:
    return text.translate(_SPACES).translate(_CYRILLIC_AXES)


def looks_like_sk42(text: str) -> bool:
    """Whether `text` has the shape of SK-42 rectangular coordinates: labelled X and Y with at least one of
    them a run of five or more digits, or two bare whole-metre numbers that cannot be degrees."""
    normal = _normal(text)
    labelled = _TEXT.fullmatch(normal)
    if labelled is not None:
        return any(len(re.sub(r"\D", "", labelled.group(name))) >= 5 for name in ("digits1", "digits2"))
    return _BARE.fullmatch(normal) is not None


def _short_form_error(text: str, axis: str, digits: str) -> GeoError:
    return GeoError(
        f"{text!r}: SK-42 {axis} {digits} is an abbreviated coordinate, which repeats in every 100 km square; "
        "give the full X (7 digits) and Y with its zone in front, e.g. 'X 5 455 781, Y 7 372 238'"
    )


def _northing(text: str, digits: str, fraction: str | None) -> float:
    if len(digits) < _FULL_X_DIGITS:
        raise _short_form_error(text, "X", digits)
    return float(digits + ("." + fraction if fraction else ""))


def _easting(text: str, digits: str, fraction: str | None, zone: int | None) -> float:
    metres = float(digits + ("." + fraction if fraction else ""))
    if len(digits) < _ZONE_DIGITS:
        raise _short_form_error(text, "Y", digits)
    if len(digits) == _ZONE_DIGITS:
        if zone is None:
            raise GeoError(
                f"{text!r}: SK-42 Y {digits} has no zone number in front; write it zone-prefixed "
                f"(zone 7: Y 7 {digits[:3]} {digits[3:]}) or add the zone ('zone 7')"
            )
        return zone * 1_000_000 + metres
    if zone is not None and math.floor(metres / 1_000_000) != zone:
        raise GeoError(f"{text!r}: SK-42 Y {digits} is in zone {digits[:-6]}, not the zone {zone} given")
    return metres


def parse_sk42(text: str) -> SK42:
    """Read SK-42 rectangular coordinates as people write them; the zone is Y's leading digits.

    Reads "X 5 455 781, Y 7 372 238" (what `format_sk42` prints), "X=5455781 Y=7372238", Cyrillic
    "Х 5455781 У 7372238", the map-sheet form "X 54-55781 Y 73-72238", Y before X, "zone 7" with a bare
    6-digit Y, a leading "SK-42:" label, and two bare 7-8 digit numbers (X first). Refuses abbreviated
    5-digit coordinates, which name a point in every 100 km square, and anything else, naming the input.
    """
    normal = _normal(text)
    labelled = _TEXT.fullmatch(normal)
    if labelled is not None:
        axes = (labelled.group("axis1").upper(), labelled.group("axis2").upper())
        if axes[0] == axes[1]:
            raise GeoError(f"{text!r}: SK-42 coordinates need one X and one Y, found two {axes[0]}")
        pieces = {
            axis: (re.sub(r"\D", "", labelled.group(f"digits{n}")), labelled.group(f"fraction{n}"))
            for n, axis in ((1, axes[0]), (2, axes[1]))
        }
        zones = {int(zone) for zone in (labelled.group("zone1"), labelled.group("zone2")) if zone}
        if len(zones) > 1:
            raise GeoError(f"{text!r}: two different SK-42 zones given")
        zone = zones.pop() if zones else None
    else:
        bare = _BARE.fullmatch(normal)
        if bare is None:
            raise GeoError(f"{text!r}: not SK-42 coordinates (expected e.g. 'X 5 455 781, Y 7 372 238')")
        pieces = {axis: (re.sub(r"\D", "", bare.group(f"digits{n}")), None) for n, axis in ((1, "X"), (2, "Y"))}
        zone = None
    northing = _northing(text, *pieces["X"])
    easting = _easting(text, *pieces["Y"], zone)
    try:
        return SK42(math.floor(easting / 1_000_000), northing, easting)
    except GeoError as error:
        raise GeoError(f"{text!r}: {error}") from error
