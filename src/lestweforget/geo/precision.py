"""How precisely a point may be written when it is only known (or only published) within a radius.

A generalised site's public point stands for a whole grid cell: writing it to 0.1″ or to the metre claims a
precision the published point does not have, and a distance "375 m north-east" from it says more than is
known. The rule, used by every form and every distance a reader sees: each form's step (the size of its last
digit on the ground) is the coarsest the form offers that is still no larger than the radius; a distance is
rounded to a step no finer than the radius (and never finer than 500 m).

Steps on the ground are taken at the equator, where a degree of latitude or longitude is longest
(about 111.3 km); elsewhere a longitude step is shorter, so a form is never coarser than stated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lestweforget.geo.errors import GeoError

METRES_PER_DEGREE = 111_320.0
METRES_PER_MINUTE = METRES_PER_DEGREE / 60
METRES_PER_SECOND = METRES_PER_DEGREE / 3600
# Plus Code lengths OLC offers and the side of their cell at the equator, coarsest first.
_PLUS_CODE_CELLS_M = ((2, 2_226_000.0), (4, 111_320.0), (6, 5_566.0), (8, 278.3), (10, 13.9), (11, 3.5))
# Distances to a generalised point are told in steps of these sizes (metres), the first not finer than the radius.
DISTANCE_STEPS_M = (500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000)


@dataclass(frozen=True)
class Precision:
    """How many digits each written form keeps.

    decimal_places: of decimal degrees (also the geo: URI and the API's latitude/longitude), 0..6;
    dms_seconds_places: places of seconds in DMS, or None to write degrees and whole minutes only;
    ddm_minutes_places: places of minutes in degrees and decimal minutes, 0..3;
    mgrs_digits: per axis, 0..5 (5 = 1 m); plus_code_length: 2..11; sk42_step_m: SK-42 rounded to this many
    metres (1 = whole metres, as surveyed).
    """

    decimal_places: int = 6
    dms_seconds_places: int | None = 1
    ddm_minutes_places: int = 3
    mgrs_digits: int = 5
    plus_code_length: int = 11
    sk42_step_m: int = 1


FULL = Precision()


def precision_for_radius(radius_m: float) -> Precision:
    """The precision a point known only within ``radius_m`` metres allows: each form's step is the coarsest one
    no larger than the radius. Raises GeoError for a radius that is not a finite number of metres > 0."""
    if not (math.isfinite(radius_m) and radius_m > 0):
        raise GeoError(f"radius {radius_m!r} m is not a finite number of metres > 0")
    decimal_places = min(6, max(0, math.ceil(math.log10(METRES_PER_DEGREE / radius_m))))
    if radius_m >= METRES_PER_MINUTE:
        seconds: int | None = None
    elif radius_m >= METRES_PER_SECOND:
        seconds = 0
    else:
        seconds = 1
    ddm_places = min(3, max(0, math.ceil(math.log10(METRES_PER_MINUTE / radius_m))))
    mgrs_digits = min(5, max(0, 5 - math.floor(math.log10(radius_m))))
    plus_code = next((length for length, side in _PLUS_CODE_CELLS_M if side <= radius_m), 11)
    sk42_step = 10 ** max(0, math.floor(math.log10(radius_m)))
    return Precision(decimal_places, seconds, ddm_places, mgrs_digits, plus_code, sk42_step)


def rounded_point(latitude: float, longitude: float, radius_m: float) -> tuple[float, float]:
    """(latitude, longitude) in degrees written no finer than a point known within ``radius_m`` allows: each rounded
    to `precision_for_radius(radius_m).decimal_places` (Python's round, half to even; -0.0 written as 0.0).
    Raises GeoError for a radius that is not a finite number of metres > 0."""
    places = precision_for_radius(radius_m).decimal_places
    return round(latitude, places) + 0.0, round(longitude, places) + 0.0


def distance_step_m(radius_m: float) -> int:
    """The step a distance to a point known within ``radius_m`` is rounded to: the first of DISTANCE_STEPS_M
    not finer than the radius (500 m at best). Raises GeoError for a radius that is not finite or below 0."""
    if not (math.isfinite(radius_m) and radius_m >= 0):
        raise GeoError(f"radius {radius_m!r} m is not a finite number of metres >= 0")
    return next((step for step in DISTANCE_STEPS_M if step >= radius_m), DISTANCE_STEPS_M[-1])


def rounded_distance_m(distance_m: float, radius_m: float) -> int:
    """``distance_m`` to the nearest step of `distance_step_m(radius_m)`; 0 means "within one step"."""
    step = distance_step_m(radius_m)
    return step * math.floor(distance_m / step + 0.5)
