"""Sites that look wrong before they are published: at 0°, 0°, far from their settlement, or with no name.

Each finding is a `Problem` with a code (what an editor's confirmation is recorded against, in
`Site.confirmed_problems`) and a message naming what is wrong, in the editor's language. A published site may
hold a problem only once an editor has confirmed it; a problem that goes away drops its confirmation, so it must be
confirmed again if it comes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lestweforget import geo
from lestweforget.articles.gazetteer import Gazetteer, Place, ukraine_gazetteer

if TYPE_CHECKING:
    from .models import Site

# A site further than this from its settlement's centre is more likely a typing slip (swapped latitude and
# longitude, a dropped minus sign) than a real place of that settlement.
MAX_SETTLEMENT_DISTANCE_M = 50_000.0
# An oblast reaches at most this far from its centre (Odesa oblast's Danube towns lie about 200 km from Odesa): a
# point farther from the centre of the oblast its row names is outside it.
MAX_REGION_DISTANCE_M = 250_000.0
# Within this of 0°, 0° ("Null Island", in the Gulf of Guinea) a point is almost surely a missing one read as zero.
NULL_ISLAND_DEG = 0.01

NULL_ISLAND = "null-island"
FAR_FROM_SETTLEMENT = "far-from-settlement"
NO_NAME = "no-name"
CODES = (NULL_ISLAND, FAR_FROM_SETTLEMENT, NO_NAME)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def _km(metres: float) -> str:
    from .templatetags.atlas import km

    return km(metres)


def location_problems(site: Site) -> list[Problem]:
    """What is implausible about the site's precise point: 0°, 0°, or more than 50 km from its settlement (with a
    hint when swapping latitude and longitude would put it near)."""
    if site.latitude is None or site.longitude is None:
        return []
    problems = []
    if abs(site.latitude) < NULL_ISLAND_DEG and abs(site.longitude) < NULL_ISLAND_DEG:
        problems.append(
            Problem(
                NULL_ISLAND,
                _(
                    "The point is at 0°, 0° (in the sea off West Africa): coordinates that were never filled in "
                    "are usually the cause."
                ),
            )
        )
    settlement = site.settlement if site.settlement_id else None
    if settlement is not None:
        point = geo.LatLon(site.latitude, site.longitude)
        far = far_from_place(point, settlement.point, settlement.localized("name"))
        if far is not None:
            problems.append(far)
    return problems


def far_from_place(
    point: geo.LatLon, place: geo.LatLon, place_name: str, limit_m: float = MAX_SETTLEMENT_DISTANCE_M
) -> Problem | None:
    """A `FAR_FROM_SETTLEMENT` problem when ``point`` is more than ``limit_m`` from the centre of ``place`` (a
    settlement, or with `MAX_REGION_DISTANCE_M` an oblast's centre), naming how far and which way, and the
    swapped point when swapping latitude and longitude would put it within the limit; None when it is near."""
    from .templatetags.atlas import compass_word

    offset = geo.describe_offset(place, point)
    if offset.distance_m <= limit_m:
        return None
    values = {
        "distance": _km(offset.distance_m),
        "direction": compass_word(offset.compass),
        "place": place_name,
        "limit": _km(limit_m),
    }
    if limit_m == MAX_SETTLEMENT_DISTANCE_M:
        message = (
            _(
                "The point is %(distance)s %(direction)s of central %(place)s, more than %(limit)s from the "
                "settlement it belongs to."
            )
            % values
        )
    else:
        message = (
            _(
                "The point is %(distance)s %(direction)s of the centre of %(place)s, more than %(limit)s: outside "
                "the region it belongs to."
            )
            % values
        )
    swapped = swapped_point(point, place, limit_m)
    if swapped is not None:
        message += " " + _("Latitude and longitude look swapped: %(latitude)s, %(longitude)s would be near it.") % {
            "latitude": f"{swapped.lat:.6f}",
            "longitude": f"{swapped.lon:.6f}",
        }
    return Problem(FAR_FROM_SETTLEMENT, message)


def swapped_point(point: geo.LatLon, place: geo.LatLon, limit_m: float) -> geo.LatLon | None:
    """``point`` with latitude and longitude swapped, when that lies within ``limit_m`` of ``place``."""
    if abs(point.lon) > 90:
        return None
    swapped = geo.LatLon(point.lon, point.lat)
    return swapped if geo.distance_m(place, swapped) <= limit_m else None


def named_place_problems(point: geo.LatLon, place: str, region: str) -> list[Problem]:
    """What is implausible about ``point`` for a record that names its settlement and oblast only as text (an
    imported dataset row's town and province): the same rule as `location_problems`, the settlement found by name
    in the gazetteer (of the places of that name, those in the named oblast, the nearest of them), else the
    oblast's centre with `MAX_REGION_DISTANCE_M`. A name the gazetteer does not know (a place abroad) is not
    judged."""
    if not place.strip() and not region.strip():
        return []
    gazetteer = ukraine_gazetteer()
    oblast = _oblast(gazetteer, region)
    towns = [found for found in gazetteer.lookup(place) if found.kind == "settlement"] if place.strip() else []
    if oblast is not None:
        towns = [town for town in towns if town.region == oblast.region] or towns
    if towns:
        town = min(towns, key=lambda t: geo.distance_m(t.point, point))
        far = far_from_place(point, town.point, _place_name(town))
    elif oblast is not None:
        far = far_from_place(point, oblast.point, _place_name(oblast), MAX_REGION_DISTANCE_M)
    else:
        return []
    return [far] if far is not None else []


def _oblast(gazetteer: Gazetteer, region: str) -> Place | None:
    """The oblast ``region`` names ("Kharkiv Oblast", "Харківська область", "Kharkivska", "Харківщина")."""
    for form in (region, f"{region} oblast"):
        if form.strip():
            for found in gazetteer.lookup(form):
                if found.kind == "oblast":
                    return found
    return None


def _place_name(place: Place) -> str:
    if (get_language() or "en").split("-")[0] == "uk" and place.name_uk:
        return place.name_uk
    return place.name


def name_problems(names: Sequence[str]) -> list[Problem]:
    """A site with no name in any language cannot be found or cited."""
    if any(name.strip() for name in names):
        return []
    return [Problem(NO_NAME, _("The site has no name in any language."))]


def unconfirmed(problems: Sequence[Problem], confirmed: str) -> list[Problem]:
    """The problems not among the confirmed codes (a comma-separated list, as stored)."""
    codes = set(filter(None, confirmed.split(",")))
    return [problem for problem in problems if problem.code not in codes]


def confirmation_needed(problems: Sequence[Problem]) -> str:
    """The message an editor sees: each problem, then what to tick to publish all the same."""
    listed = " ".join(problem.message for problem in problems)
    return _(
        "%(problems)s Check the site; to publish it as it is, tick “I have checked this site: publish it as it is”."
    ) % {"problems": listed}
