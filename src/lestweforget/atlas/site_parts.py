"""What other apps add to a site's public page and to its exports, without the atlas knowing them.

The atlas depends on no other app. An app that has something to show on a site's page (photos and diaries, the
field guide button, nearby sites, a correction form) registers a `PagePart` for one of the page's `SLOTS`; one that
adds features to a site's download (a diary's waypoints and route) registers an `ExportPart`. Both are given only
public records (a published site at its public point) and must keep to the same rule as the atlas: nothing positional
beyond the public point for a generalised site.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from lestweforget.exports import PlaceFeature, Track

from .models import Site

# Where on the site page a part may go, in page order.
SLOTS = ("getting_there", "after_getting_there", "after_sources")
# Where on the atlas's own page (the map and the list of sites) an `AtlasPart` may go.
ATLAS_SLOTS = ("after_site_list",)


@dataclass(frozen=True)
class PagePart:
    """A piece of a site's page: ``template`` rendered with what ``context(request, site)`` returns."""

    name: str
    slot: str
    template: str
    context: Callable[[HttpRequest, Site], Mapping[str, Any]]


@dataclass(frozen=True)
class ExportPart:
    """Features and tracks an app adds to a site's export (GeoJSON, KML, GPX, CSV)."""

    name: str
    contribute: Callable[[Site, str], tuple[Sequence[PlaceFeature], Sequence[Track]]]


@dataclass(frozen=True)
class AtlasPart:
    """A piece of the atlas's own page: ``template`` rendered with what ``context(request)`` returns."""

    name: str
    slot: str
    template: str
    context: Callable[[HttpRequest], Mapping[str, Any]]


_page_parts: dict[str, PagePart] = {}
_atlas_parts: dict[str, AtlasPart] = {}
_export_parts: dict[str, ExportPart] = {}


def register_page_part(part: PagePart) -> None:
    """Show ``part`` on every site page (idempotent by name); refuses a slot the page does not have."""
    if part.slot not in SLOTS:
        raise ValueError(f"page part {part.name!r}: there is no slot {part.slot!r} (slots: {', '.join(SLOTS)})")
    _page_parts[part.name] = part


def register_atlas_part(part: AtlasPart) -> None:
    """Show ``part`` on the atlas's page (idempotent by name); refuses a slot the page does not have."""
    if part.slot not in ATLAS_SLOTS:
        raise ValueError(f"atlas part {part.name!r}: there is no slot {part.slot!r} (slots: {', '.join(ATLAS_SLOTS)})")
    _atlas_parts[part.name] = part


def rendered_atlas_parts(request: HttpRequest) -> dict[str, list[SafeString]]:
    """Every registered atlas part rendered, by slot (each slot present, possibly empty)."""
    rendered: dict[str, list[SafeString]] = {slot: [] for slot in ATLAS_SLOTS}
    for part in _atlas_parts.values():
        rendered[part.slot].append(render_to_string(part.template, dict(part.context(request)), request=request))
    return rendered


def register_export_part(part: ExportPart) -> None:
    """Add ``part``'s features to every site export (idempotent by name)."""
    _export_parts[part.name] = part


def rendered_page_parts(request: HttpRequest, site: Site) -> dict[str, list[SafeString]]:
    """Every registered part rendered for this page, by slot (each slot present, possibly empty)."""
    rendered: dict[str, list[SafeString]] = {slot: [] for slot in SLOTS}
    for part in _page_parts.values():
        context = {"site": site, **part.context(request, site)}
        rendered[part.slot].append(render_to_string(part.template, context, request=request))
    return rendered


def export_contributions(site: Site, base_url: str) -> tuple[list[PlaceFeature], list[Track]]:
    """The features and tracks every registered part adds to ``site``'s export, in registration order."""
    features: list[PlaceFeature] = []
    tracks: list[Track] = []
    for part in _export_parts.values():
        more_features, more_tracks = part.contribute(site, base_url)
        features += more_features
        tracks += more_tracks
    return features, tracks
