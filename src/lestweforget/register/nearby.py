"""Nearby sites for a site's page: the published sites within NEARBY_KM of its public point, nearest first.

Candidates come from the H3 cells (resolution NEARBY_RESOLUTION) that `geo.cells_within` finds around the point, the
stored `h3_r5` column of each site's public point. The database orders them by a flat-earth distance (an
equirectangular approximation, within a fraction of a percent of the geodesic over 30 km away from the poles) and hands
over the nearest CANDIDATES_PER_PLACE × ``limit``; the exact geodesic distance then keeps those in range and orders
them. So a page reads a few dozen sites, however many thousand lie in the cells around a city. Public points only,
on both ends: a generalised site is measured from, and to, its public point.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import ExpressionWrapper, F, FloatField
from django.db.models.functions import Abs, Least
from django.http import HttpRequest

from lestweforget import geo
from lestweforget.atlas import public, site_parts
from lestweforget.atlas.models import Site

NEARBY_KM: Final = 30.0
NEARBY_RESOLUTION: Final = 5
NEARBY_LIMIT: Final = 10
# How many candidates per place shown the database hands over, nearest first by its flat-earth distance: room enough
# that the approximation cannot push one of the truly nearest out.
CANDIDATES_PER_PLACE: Final = 3


@dataclass(frozen=True)
class Neighbour:
    site: Site
    distance_m: float
    compass: str


def nearby(site: Site, radius_km: float = NEARBY_KM, limit: int = NEARBY_LIMIT) -> list[Neighbour]:
    """Up to ``limit`` published sites other than ``site`` within ``radius_km`` of its public point, nearest first
    (ties by slug). Three queries whatever the number of sites: the nearest candidates' ids and points, then those
    sites with their names."""
    origin = site.public_point
    cells = geo.cells_within(origin, radius_km, NEARBY_RESOLUTION)
    north_south = F("public_latitude") - origin.lat
    # The short way round in longitude, shrunk by the cosine of the latitude, in degrees of latitude.
    east_west = Abs(F("public_longitude") - origin.lon)
    east_west = Least(east_west, 360 - east_west) * math.cos(math.radians(origin.lat))
    flat_squared = ExpressionWrapper(north_south * north_south + east_west * east_west, output_field=FloatField())
    rows = (
        Site.objects.filter(is_published=True, h3_r5__in=cells)
        .exclude(pk=site.pk)
        .annotate(flat_squared=flat_squared)
        .order_by("flat_squared", "slug")
        .values_list("pk", "slug", "public_latitude", "public_longitude")[: limit * CANDIDATES_PER_PLACE]
    )
    measured = []
    for pk, slug, latitude, longitude in rows:
        offset = geo.describe_offset(origin, geo.LatLon(latitude, longitude))
        if offset.distance_m <= radius_km * 1000:
            measured.append((offset.distance_m, slug, pk, offset))
    nearest = sorted(measured)[:limit]
    sites = public.public_sites().in_bulk([pk for _, _, pk, _ in nearest])
    return [Neighbour(sites[pk], offset.distance_m, offset.compass) for _, _, pk, offset in nearest]


def _context(request: HttpRequest, site: Site) -> Mapping[str, Any]:
    return {"neighbours": nearby(site), "radius_km": int(NEARBY_KM)}


def register() -> None:
    """Show the nearby sites after the sources on every site page."""
    site_parts.register_page_part(
        site_parts.PagePart("nearby-sites", "after_sources", "register/_nearby.html", _context)
    )
