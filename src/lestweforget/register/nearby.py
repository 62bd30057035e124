"""Nearby sites for a site's page: the published sites within NEARBY_KM of its public point, nearest first.

Candidates come from the H3 cells (resolution NEARBY_RESOLUTION) that `geo.cells_within` finds around the point, the
stored `h3_r5` column of each site's public point, then the exact geodesic distance keeps those in range. Public
points only, on both ends: a generalised site is measured from, and to, its public point.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from django.http import HttpRequest

from lestweforget import geo
from lestweforget.atlas import public, site_parts
from lestweforget.atlas.models import Site

NEARBY_KM: Final = 30.0
NEARBY_RESOLUTION: Final = 5
NEARBY_LIMIT: Final = 10


@dataclass(frozen=True)
class Neighbour:
    site: Site
    distance_m: float
    compass: str


def nearby(site: Site, radius_km: float = NEARBY_KM, limit: int = NEARBY_LIMIT) -> list[Neighbour]:
    """Up to ``limit`` published sites other than ``site`` within ``radius_km`` of its public point, nearest first."""
    origin = site.public_point
    cells = geo.cells_within(origin, radius_km, NEARBY_RESOLUTION)
    candidates = public.public_sites().filter(h3_r5__in=cells).exclude(pk=site.pk)
    found = []
    for other in candidates:
        offset = geo.describe_offset(origin, other.public_point)
        if offset.distance_m <= radius_km * 1000:
            found.append(Neighbour(other, offset.distance_m, offset.compass))
    found.sort(key=lambda neighbour: (neighbour.distance_m, neighbour.site.slug))
    return found[:limit]


def _context(request: HttpRequest, site: Site) -> Mapping[str, Any]:
    return {"neighbours": nearby(site), "radius_km": int(NEARBY_KM)}


def register() -> None:
    """Show the nearby sites after the sources on every site page."""
    site_parts.register_page_part(
        site_parts.PagePart("nearby-sites", "after_sources", "register/_nearby.html", _context)
    )
