"""The viewport's JSON endpoints, under /api/viewport: what the atlas page fetches as the reader pans and zooms.

Every endpoint takes the atlas filters (`atlas.filters`: bbox, q, kind, status, oblast, from, to, has_photos) and
answers a parameter it cannot read with a 400 naming it. Published sites only, at their public points.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from lestweforget.atlas import filters, paging
from lestweforget.atlas.api import FILTER_NOTE, FilterParams, ListParams

from . import viewport

router = Router(tags=["viewport"])


class ViewParams(FilterParams):
    zoom: int = Field(6, ge=viewport.MIN_ZOOM, le=viewport.MAX_ZOOM, description="web-map zoom level")
    lang: str = Field("en", description="language of names and labels: en or uk")


class ViewListParams(ViewParams, ListParams):
    """The view and a page of its sites."""


class ClusterOut(Schema):
    cell: str = Field(description="H3 cell id (of the largest part, when clusters too close together were merged)")
    count: int
    lat: float = Field(description="mean latitude of the cluster's sites' public points, to 0.001°")
    lon: float
    size: int = Field(description="diameter in CSS px of the disc that draws it")


class PointOut(Schema):
    slug: str
    name: str = Field(description="the name in `lang`, else English, else Ukrainian, else any, else the slug")
    kind: str
    kind_label: str
    lat: float
    lon: float
    uncertainty_m: float
    generalised: bool
    url: str


# The most items of each list below is what the viewport gives (it holds the limits); the schema states it
# (maxItems) without checking it again on every answer.
class ClustersOut(Schema):
    """The sites in view as clusters, counts summing to `total`."""

    total: int
    zoom: int
    resolution: int = Field(description="H3 resolution of the clusters")
    spacing_px: int = Field(
        description="no two clusters' points are closer than this, in Web Mercator px at `zoom`: nearer ones are merged"
    )
    clusters: list[ClusterOut] = Field(json_schema_extra={"maxItems": viewport.MAX_CLUSTERS})


class PointsOut(Schema):
    """The sites in view one by one, when few."""

    total: int
    zoom: int
    points: list[PointOut] = Field(json_schema_extra={"maxItems": viewport.POINT_LIMIT})


class PageOut(Schema):
    items: list[PointOut]
    next_cursor: str | None


class TimelineEventOut(Schema):
    date: str = Field(description="YYYY-MM-DD")
    date_end: str | None
    when: str = Field(description="the date as the site pages write it, in `lang`")
    kind: str
    title: str
    site: str | None


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    label: str = Field(description="the month as the language asked names it on its own: 'вересень 2022'")
    count: int


class TimelineEventsOut(Schema):
    """The events in view one by one, when few."""

    total: int
    events: list[TimelineEventOut] = Field(json_schema_extra={"maxItems": viewport.EVENT_LIMIT})


class TimelineMonthsOut(Schema):
    """The events in view as a histogram: one entry per month from the first to the last (the range asked for and
    every month with an event), months without events counted 0."""

    total: int
    months: list[MonthOut]


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
    response=ClustersOut | PointsOut,
    summary="The sites in a bounding box at a zoom, as H3 clusters or as points when few",
    description=(
        "Clusters: {total, zoom, resolution, spacing_px, clusters: [{cell, count, lat, lon, size}]}, counts summing to"
        " `total`, no two closer than `spacing_px` at `zoom` (nearer ones are merged, so no marker covers another);"
        f" points when at most {viewport.POINT_LIMIT}: {{total, zoom, points: [...]}}. At most"
        f" {viewport.MAX_CLUSTERS} clusters: a view that would need more gets coarser cells. `bbox` is required."
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
    response=PageOut,
    summary="A page of the sites in view, in slug order; best match first when `q` is given",
    description=f"At most {paging.MAX_LIMIT} a page; pass `next_cursor` back as `cursor`." + FILTER_NOTE,
)
def site_list(request: HttpRequest, params: Query[ViewListParams]) -> dict[str, Any]:
    chosen = _read(request)
    with translation.override(_language(params)):
        try:
            return viewport.site_list(chosen, paging.read_limit(params.limit), params.cursor)
        except filters.FilterError as error:
            raise HttpError(400, str(error)) from None


@router.get(
    "/timeline",
    response=TimelineEventsOut | TimelineMonthsOut,
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
