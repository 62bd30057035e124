"""The viewport's JSON endpoints, under /api/viewport: what the atlas page fetches as the reader pans and zooms.

Every endpoint takes the atlas filters (`atlas.filters`: bbox, q, kind, status, oblast, from, to, has_photos) and
answers a parameter it cannot read with a 400 naming it. Published sites only, at their public points.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router
from ninja.errors import HttpError

from lestweforget.atlas import filters, paging
from lestweforget.atlas.api import FILTER_NOTE, SiteFilterParams

from . import viewport

router = Router(tags=["viewport"])


class ViewParams(SiteFilterParams):
    zoom: int = Field(6, ge=viewport.MIN_ZOOM, le=viewport.MAX_ZOOM, description="web-map zoom level")
    lang: str = Field("en", description="language of names and labels: en or uk")


def _read(request: HttpRequest) -> filters.SiteFilters:
    try:
        return filters.parse(request.GET)
    except filters.FilterError as error:
        raise HttpError(error.status, str(error)) from None


def _language(params: ViewParams) -> str:
    if params.lang not in ("en", "uk"):
        raise HttpError(400, "lang: give en or uk")
    return params.lang


@router.get(
    "",
    summary="The sites in a bounding box at a zoom, as H3 clusters or as points when few",
    description=(
        "Clusters: {total, zoom, resolution, clusters: [{cell, count, lat, lon}]}, counts summing to `total`;"
        f" points when at most {viewport.POINT_LIMIT}: {{total, zoom, points: [...]}}. `bbox` is required."
        + FILTER_NOTE
    ),
)
def view(request: HttpRequest, params: Query[ViewParams]) -> dict[str, Any]:
    chosen = _read(request)
    with translation.override(_language(params)):
        try:
            return viewport.viewport(chosen, params.zoom)
        except viewport.ViewportError as error:
            raise HttpError(400, str(error)) from None


@router.get(
    "/list",
    summary="A page of the sites in view, in slug order",
    description=f"At most {paging.MAX_LIMIT} a page; pass `next_cursor` back as `cursor`." + FILTER_NOTE,
)
def site_list(request: HttpRequest, params: Query[ViewParams]) -> dict[str, Any]:
    chosen = _read(request)
    with translation.override(_language(params)):
        try:
            return viewport.site_list(chosen, paging.read_limit(params.limit), params.cursor)
        except filters.FilterError as error:
            raise HttpError(400, str(error)) from None


@router.get(
    "/timeline",
    summary="The events of the sites in view and in the range; a histogram by month when many",
    description=(
        f"Up to {viewport.EVENT_LIMIT} events: {{total, events: [...]}}; "
        "more: {total, months: [{month, label, count}]} (label: the month in the language asked)." + FILTER_NOTE
    ),
)
def timeline(request: HttpRequest, params: Query[ViewParams]) -> dict[str, Any]:
    chosen = _read(request)
    with translation.override(_language(params)):
        return viewport.timeline(chosen)
