"""One point written in every form a visitor, a soldier or a navigation app reads.

A form that cannot be computed for the point (SK-42 outside its zones, UTM beyond 80°S..84°N) does not hide
the others: it is marked unavailable with the reason, and every other form is still given.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields

from lestweforget.geo.decimal_degrees import format_decimal
from lestweforget.geo.dms import format_ddm, format_dms
from lestweforget.geo.errors import GeoError
from lestweforget.geo.geo_uri import to_geo_uri
from lestweforget.geo.maplinks import (
    apple_directions_url,
    apple_maps_url,
    google_directions_url,
    google_maps_url,
    osm_directions_url,
    osm_url,
)
from lestweforget.geo.military_grid import to_mgrs
from lestweforget.geo.plus_code import to_plus_code
from lestweforget.geo.point import LatLon
from lestweforget.geo.precision import FULL, Precision
from lestweforget.geo.sk42 import format_sk42, to_sk42
from lestweforget.geo.utm import to_utm


@dataclass(frozen=True)
class Form:
    """One written form: its text, or, when the point has none, why not. Prints as its text ("" if none)."""

    value: str = ""
    unavailable: str = ""

    @property
    def available(self) -> bool:
        return bool(self.value)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class LocationForms:
    """Every form of one point; `uncertainty_m` is None when nothing said how exact the point is."""

    point: LatLon
    uncertainty_m: float | None
    decimal: Form
    dms: Form
    ddm: Form
    mgrs: Form
    utm: Form
    plus_code: Form
    sk42: Form
    geo_uri: Form
    osm_url: Form
    osm_directions_url: Form
    google_maps_url: Form
    google_directions_url: Form
    apple_maps_url: Form
    apple_directions_url: Form

    def written(self) -> list[tuple[str, Form]]:
        """(field name, form) for every form, in reading order."""
        return [(f.name, getattr(self, f.name)) for f in fields(self) if f.type == "Form"]


def _form(write: Callable[[], str]) -> Form:
    try:
        return Form(write())
    except GeoError as error:
        return Form(unavailable=str(error))


def location_forms(point: LatLon, uncertainty_m: float | None = None, precision: Precision = FULL) -> LocationForms:
    """Every form of `point`, each either written or marked unavailable with the reason, to ``precision``
    (`precision_for_radius` for a point known only within a radius). Refuses an uncertainty that is negative or
    not finite: that is a wrong input, not a form the point lacks."""
    if uncertainty_m is not None and (not math.isfinite(uncertainty_m) or uncertainty_m < 0):
        raise GeoError(f"uncertainty {uncertainty_m!r} m is not a finite number of metres ≥ 0")
    places = precision.decimal_places
    # Map links carry the point too: no more digits in them than in the forms beside them.
    link_point = point if precision == FULL else LatLon(round(point.lat, places), round(point.lon, places))
    seconds = precision.dms_seconds_places
    return LocationForms(
        point=point,
        uncertainty_m=uncertainty_m,
        decimal=_form(lambda: format_decimal(point, places)),
        dms=_form(lambda: format_dms(point, seconds) if seconds is not None else format_ddm(point, 0)),
        ddm=_form(lambda: format_ddm(point, precision.ddm_minutes_places)),
        mgrs=_form(lambda: to_mgrs(point, precision.mgrs_digits)),
        utm=_form(lambda: to_utm(point)),
        plus_code=_form(lambda: to_plus_code(point, precision.plus_code_length)),
        sk42=_form(lambda: format_sk42(to_sk42(point), precision.sk42_step_m)),
        geo_uri=_form(lambda: to_geo_uri(point, uncertainty_m=uncertainty_m, places=places)),
        osm_url=_form(lambda: osm_url(link_point)),
        osm_directions_url=_form(lambda: osm_directions_url(link_point)),
        google_maps_url=_form(lambda: google_maps_url(link_point)),
        google_directions_url=_form(lambda: google_directions_url(link_point)),
        apple_maps_url=_form(lambda: apple_maps_url(link_point)),
        apple_directions_url=_form(lambda: apple_directions_url(link_point)),
    )
