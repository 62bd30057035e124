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

from django.utils.translation import gettext as _

from lestweforget import geo

if TYPE_CHECKING:
    from .models import Site

# A site further than this from its settlement's centre is more likely a typing slip (swapped latitude and
# longitude, a dropped minus sign) than a real place of that settlement.
MAX_SETTLEMENT_DISTANCE_M = 50_000.0
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
    from .templatetags.atlas import compass_word

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
        offset = geo.describe_offset(settlement.point, point)
        if offset.distance_m > MAX_SETTLEMENT_DISTANCE_M:
            message = _(
                "The point is %(distance)s %(direction)s of central %(place)s, more than %(limit)s from the "
                "settlement it belongs to."
            ) % {
                "distance": _km(offset.distance_m),
                "direction": compass_word(offset.compass),
                "place": settlement.localized("name"),
                "limit": _km(MAX_SETTLEMENT_DISTANCE_M),
            }
            swapped = geo.LatLon(site.longitude, site.latitude) if abs(site.longitude) <= 90 else None
            if swapped is not None and geo.distance_m(settlement.point, swapped) <= MAX_SETTLEMENT_DISTANCE_M:
                message += " " + _(
                    "Latitude and longitude look swapped: %(latitude)s, %(longitude)s would be near it."
                ) % {"latitude": f"{swapped.lat:.6f}", "longitude": f"{swapped.lon:.6f}"}
            problems.append(Problem(FAR_FROM_SETTLEMENT, message))
    return problems


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
