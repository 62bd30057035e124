"""The atlas page: a map, the list of sites in view and the timeline, filled from the viewport endpoints
(`register.api`) by register/explore.js as the reader pans, zooms and filters. Its HTML holds no site, so it weighs
the same with two sites or a million; the view lives in the URL and the form is filled from it.
"""

from __future__ import annotations

from django.db.models import Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from lestweforget.atlas import filters, public, site_parts, units
from lestweforget.atlas.models import Site, StatusChange
from lestweforget.exports import FORMATS

from . import viewport


def atlas(request: HttpRequest) -> HttpResponse:
    """The atlas page; the filter form shows what the URL asks (an unreadable parameter is shown empty)."""
    wanted = {name: request.GET.get(name, "") for name in ("q", "kind", "status", "from", "to")}
    try:
        oblasts, raions = filters.parse_units(request.GET)
    except filters.FilterError:
        oblasts, raions = (), ()
    oblast_choices, raion_groups = units.choices(translation.get_language() or "en")
    return render(
        request,
        "register/atlas.html",
        {
            "wanted": wanted,
            "oblasts": oblast_choices,
            "raion_groups": raion_groups,
            # A form field holds one unit: the first the URL names.
            "chosen_oblast": oblasts[0] if oblasts else "",
            "chosen_raion": raions[0] if raions else "",
            "has_photos": request.GET.get("has_photos") == "1",
            "flags": filters.flags(),
            "kinds": Site.Kind.choices,
            "statuses": StatusChange.Status.choices,
            "formats": FORMATS,
            "point_limit": viewport.POINT_LIMIT,
            "parts": site_parts.rendered_atlas_parts(request),
            "extent": published_extent(),
        },
    )


def published_extent() -> str:
    """ "west,south,east,north" of the published sites' public points (degrees, to 2 places: the map only fits its
    first view to it), or "" when none is published. One aggregate query over the indexed point columns."""
    box = public.public_sites().aggregate(
        west=Min("public_longitude"), south=Min("public_latitude"), east=Max("public_longitude"),
        north=Max("public_latitude"),
    )  # fmt: skip
    if any(value is None for value in box.values()):
        return ""
    return ",".join(f"{box[side]:.2f}" for side in ("west", "south", "east", "north"))
