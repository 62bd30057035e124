"""The atlas page: a map, the list of sites in view and the timeline, filled from the viewport endpoints
(`register.api`) by register/explore.js as the reader pans, zooms and filters. Its HTML holds no site, so it weighs
the same with two sites or a million; the view lives in the URL and the form is filled from it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

from django.db.models import Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lestweforget.atlas import filters, public, site_parts, units
from lestweforget.atlas.models import Site, StatusChange
from lestweforget.exports import FORMATS

from . import viewport

# The view's own parameters, read by the page's script: centre and zoom, each a number in its range.
VIEW_RANGES = {"lat": (-85.0, 85.0), "lon": (-180.0, 180.0), "z": (0.0, 18.0)}
# The most values an address can have left out: every filter and every part of the view.
MOST_LEFT_OUT = 16


def readable(params: Mapping[str, str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The filters and view of a cited address that the atlas can read, and the (name, value) of each it cannot,
    in the order of the address. The page leaves those out before any request or form field gets them, so the
    reader's browser never sends a value the API would refuse. `filters.parse` alone decides what a filter may be."""
    names = ("q", "kind", "status", "oblast", "raion", "from", "to", *filters.flags())
    kept = {name: params[name] for name in names if params.get(name, "").strip()}
    left_out: list[tuple[str, str]] = []
    for name, (low, high) in VIEW_RANGES.items():
        value = params.get(name, "").strip()
        if not value:
            continue
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if math.isfinite(number) and low <= number <= high:
            kept[name] = value
        else:
            left_out.append((name, params[name]))
    for _attempt in range(len(names)):
        try:
            filters.parse(kept)
            break
        except filters.FilterError as error:
            if error.parameter not in kept:
                break
            left_out.append((error.parameter, kept.pop(error.parameter)))
    order = list(params)
    left_out.sort(key=lambda pair: order.index(pair[0]) if pair[0] in order else len(order))
    return kept, left_out


def _field_labels() -> dict[str, str]:
    """Each parameter as the page labels it, in the active language."""
    return {
        "q": _("Name"), "kind": _("Kind"), "status": _("Status"), "oblast": _("Oblast"), "raion": _("Raion"),
        "from": _("From"), "to": _("To"), "has_photos": _("with photos"),
        "lat": _("Latitude"), "lon": _("Longitude"), "z": _("Zoom"),
    }  # fmt: skip


def _unreadable_notices() -> list[str]:
    """The notice's opening for 0..MOST_LEFT_OUT values left out, in the active language's plural forms: the
    script picks by how many it names."""
    return [
        ngettext(
            "This address asks for a value the atlas cannot read, so it was left out:",
            "This address asks for values the atlas cannot read, so they were left out:",
            count,
        )
        for count in range(MOST_LEFT_OUT + 1)
    ]


def atlas(request: HttpRequest) -> HttpResponse:
    """The atlas page; the filter form shows what the URL asks, a value it cannot read left out and named."""
    kept, left_out = readable(request.GET)
    wanted = {name: kept.get(name, "") for name in ("q", "kind", "status", "from", "to")}
    try:
        oblasts, raions = filters.parse_units(kept)
    except filters.FilterError:
        oblasts, raions = (), ()
    labels = _field_labels()
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
            "has_photos": kept.get("has_photos") == "1",
            # For the script: what it must not read from the address, each as the form labels it.
            "left_out": json.dumps(
                [{"name": name, "label": labels.get(name, name), "value": value} for name, value in left_out]
            ),
            "unreadable_notices": json.dumps(_unreadable_notices(), ensure_ascii=False),
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
