"""The JSON API (OpenAPI schema at /api/openapi.json): published records only, at their public points."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Generic, TypeVar

from django.db.models import DateField, F, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import Swagger

from lestweforget import __version__

from . import filters, paging, public, units
from .models import Claim, Event, Site


class _Docs(Swagger):
    """Swagger UI on a page of the atlas's own (`atlas/api_docs.html`): a phone's viewport, a language, the same
    Content-Security-Policy as every page (no inline script: ninja's page already loads its scripts as files)."""

    template = "atlas/api_docs.html"


api = NinjaAPI(
    title="Lest We Forget",
    docs=_Docs(),
    version=__version__,
    description="Published sites of war crimes, mass graves and memorials, with their events, claims and sources.",
    urls_namespace="api",
)


# Pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) for a value that is not of
# the parameter's type at all; the rest (greater_than_equal, less_than_equal, too_long, …) are values read but
# outside what the parameter allows.
_UNREADABLE_TYPES = frozenset({"int_from_float", "finite_number", "missing", "bool_parsing", "json_invalid"})


def _unreadable(problem: dict[str, object]) -> bool:
    kind = str(problem.get("type", ""))
    return kind in _UNREADABLE_TYPES or kind.endswith(("_parsing", "_type"))


_BOUND_WORDS = {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than"}


def _needs(problem: dict[str, object], sent: str) -> str:
    """What a parameter needs, said as the atlas's own filters say it ("“abc” is not a whole number"); ``sent`` the
    value the request gave (django-ninja leaves it out of the problem)."""
    kind = str(problem.get("type", ""))
    context = problem.get("ctx")
    context = context if isinstance(context, dict) else {}
    value = sent if len(sent) <= 40 else sent[:40] + "…"
    if kind == "missing":
        return "required"
    if kind in ("int_parsing", "int_from_float", "int_type", "finite_number"):
        return f"“{value}” is not a whole number"
    bounds = [f"{_BOUND_WORDS[name]} {context[name]}" for name in _BOUND_WORDS if name in context]
    if bounds:
        return f"{value} is out of range: give {' and '.join(bounds)}"
    return str(problem.get("msg", "not readable"))


@api.exception_handler(ValidationError)
def _unreadable_parameter(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """A parameter the schema cannot take, answered as the atlas's filters answer (`filters.FilterError`): one
    sentence naming each parameter and what it needs ("limit: “abc” is not a whole number"); 400 when a value cannot
    be read as the parameter's type at all (limit=abc, zoom=10.5), 422 when it is read but out of range
    (limit=1000, zoom=25)."""
    named = []
    for problem in error.errors:
        where = [str(part) for part in problem.get("loc", ()) if part not in ("query", "path", "body", "params")]
        sent = request.GET.get(where[-1], "") if where else ""
        named.append(f"{'.'.join(where) or 'request'}: {_needs(problem, sent)}")
    status = 400 if any(_unreadable(problem) for problem in error.errors) else 422
    return api.create_response(request, {"detail": "; ".join(named)}, status=status)


class Text(Schema):
    en: str
    uk: str


class NameOut(Schema):
    language: str
    name: str
    primary: bool


class SourceOut(Schema):
    key: str
    kind: str
    title: str
    publisher: str
    publisher_uk: str
    author: str
    url: str
    published: dt.date | None
    published_precision: str
    retrieved: dt.date | None
    language: str


T = TypeVar("T")


class Page(Schema, Generic[T]):
    """One page of a list: its items and the cursor of the next page (null on the last)."""

    items: list[T]
    next_cursor: str | None
    limit: int


class ListParams(Schema):
    limit: int = Field(paging.DEFAULT_LIMIT, ge=1, le=paging.MAX_LIMIT, description="rows per page")
    cursor: str = Field("", description="the `next_cursor` of the page before")


class FilterParams(Schema):
    """The atlas filters (`filters.parse` reads them from the query string)."""

    bbox: str = Field("", description="west,south,east,north in degrees", examples=["36.9,49.0,37.6,49.4"])
    q: str = Field(
        "",
        description="a name in any script or common spelling: Izium, Izyum, Ізюм, Изюм, Ізюмі; a list of sites comes"
        " best match first (the name as written, then every word exact, then the closest), not in id order",
    )
    kind: str = Field("", description="site kinds, comma-separated")
    status: str = Field("", description="statuses the site has reached, comma-separated")
    oblast: str = Field(
        "",
        description="oblasts the site's public point lies in, comma-separated: KATOTTG codes, OCHA P-codes or names"
        " in English, Ukrainian or Russian (an unknown one is a 422)",
        examples=["UA63000000000041885", "UA63", "Kharkiv", "Харківська область"],
    )
    raion: str = Field(
        "",
        description="raions (of the 2020 reform) the site's public point lies in, comma-separated, as `oblast`;"
        " with `oblast`, only raions of those oblasts",
        examples=["UA63040000000023521", "UA6304", "Izium raion", "Ізюмський район"],
    )
    from_: str = Field("", alias="from", description="YYYY-MM-DD: sites with an event on or after")
    to: str = Field("", description="YYYY-MM-DD: sites with an event on or before")
    has_photos: str = Field("", description="1: only sites with published photos")


class SiteFilterParams(FilterParams, ListParams):
    """The atlas filters and a page."""


class UnitOut(Schema):
    code: str = Field(description="KATOTTG code")
    name: Text


class SiteOut(Schema):
    slug: str
    kind: str
    names: list[NameOut]
    settlement: str | None
    oblast: UnitOut | None = Field(description="the oblast (or Kyiv, Sevastopol, Crimea) of the public point")
    raion: UnitOut | None = Field(description="the raion of the public point")
    latitude: float
    longitude: float
    uncertainty_m: float
    location_generalised: bool
    summary: Text
    url: str


class EventOut(Schema):
    kind: str
    date: dt.date
    date_end: dt.date | None
    precision: str
    site: str | None
    settlement: str | None
    title: Text
    description: Text
    sources: list[str]


class ClaimOut(Schema):
    subject: str
    subject_label: Text
    value: str
    number: Decimal | None
    unit: str
    status: str
    asserted: dt.date | None
    asserted_by: Text
    source: str
    note: Text


def _text(obj: object, field: str) -> Text:
    return Text(en=getattr(obj, f"{field}_en"), uk=getattr(obj, f"{field}_uk"))


def _unit_out(code: str) -> UnitOut | None:
    unit = units.by_code().get(code)
    return UnitOut(code=unit.code, name=Text(en=unit.name_en, uk=unit.name_uk)) if unit else None


def _site_out(request: HttpRequest, site: Site) -> SiteOut:
    return SiteOut(
        slug=site.slug,
        kind=site.kind,
        names=[NameOut(language=n.language, name=n.name, primary=n.is_primary) for n in site.names.all()],
        settlement=site.settlement.slug if site.settlement else None,
        oblast=_unit_out(site.oblast_code),
        raion=_unit_out(site.raion_code),
        latitude=public.published_coordinates(site)[0],
        longitude=public.published_coordinates(site)[1],
        uncertainty_m=site.public_uncertainty_m,
        location_generalised=site.is_generalised,
        summary=_text(site, "summary"),
        url=public.site_url(site, request.build_absolute_uri("/")),
    )


def _event_out(event: Event) -> EventOut:
    return EventOut(
        kind=event.kind,
        date=event.date,
        date_end=event.date_end,
        precision=event.precision,
        site=event.site.slug if event.site else None,
        settlement=event.settlement.slug if event.settlement else None,
        title=_text(event, "title"),
        description=_text(event, "description"),
        sources=[s.key for s in event.sources.all()],
    )


def _claim_out(claim: Claim) -> ClaimOut:
    return ClaimOut(
        subject=claim.subject.key,
        subject_label=_text(claim.subject, "label"),
        value=claim.value,
        number=claim.number,
        unit=claim.unit,
        status=claim.status,
        asserted=claim.asserted,
        asserted_by=_text(claim, "asserted_by"),
        source=claim.source.key,
        note=_text(claim, "note"),
    )


def _site(slug: str) -> Site:
    try:
        return public.public_site(slug)
    except Site.DoesNotExist:
        raise HttpError(404, f"There is no published site called {slug!r}.") from None


LIST_NOTE = (
    f" Pages of at most {paging.MAX_LIMIT} (`limit`, default {paging.DEFAULT_LIMIT}); pass `next_cursor` back as"
    " `cursor` for the next page (a cursor names a place in one list's order: use it with the same parameters)."
)
FILTER_NOTE = (
    " Filters: `bbox` west,south,east,north in degrees (public points), `q` a name in any script or spelling"
    " (typo-tolerant), `kind` and `status` comma-separated, `oblast` and `raion` (KATOTTG codes or names in any"
    " spelling), `from`/`to` YYYY-MM-DD (sites with an event in the range), `has_photos=1`. A parameter that cannot be"
    " read is a 400 naming it; an oblast or raion that names no unit, a 422."
)


def _limit(params: ListParams) -> int:
    try:
        return paging.read_limit(params.limit)
    except filters.FilterError as error:
        raise HttpError(400, str(error)) from None


def site_filters(request: HttpRequest) -> filters.SiteFilters:
    """The filters of a request's query string; a 400 naming the parameter that cannot be read."""
    try:
        return filters.parse(request.GET)
    except filters.FilterError as error:
        raise HttpError(error.status, str(error)) from None


def _page(queryset, keys, kinds, params: ListParams):  # type: ignore[no-untyped-def]
    limit = _limit(params)
    try:
        return paging.keyset_page(queryset, keys, kinds, limit, params.cursor)
    except filters.FilterError as error:
        raise HttpError(400, str(error)) from None


# The order each list pages in (keys ascending, the last unique) and the types its cursor holds; an index covers each.
SITE_ORDER: tuple[list[str], list[type]] = (["id"], [int])
EVENT_ORDER: tuple[list[str], list[type]] = (["date", "id"], [dt.date, int])
SOURCE_ORDER: tuple[list[str], list[type]] = (["id"], [int])


def _ranked_page(queryset: QuerySet[Site], ranks: dict[int, int], params: ListParams) -> tuple[list[Site], str | None]:
    limit = _limit(params)
    try:
        return paging.ranked_page(queryset, ranks, limit, params.cursor)
    except filters.FilterError as error:
        raise HttpError(400, str(error)) from None


def filtered_events(request: HttpRequest, chosen: filters.SiteFilters) -> QuerySet[Event]:
    """Public events; with any filter, those of the sites it keeps, in its date range."""
    if chosen.is_empty:
        return public.public_events()
    return (
        filters.events_of(public.public_sites(), chosen)
        .select_related("site", "settlement")
        .prefetch_related("sources")
    )


@api.get(
    "/sites", response=Page[SiteOut], summary="Published sites, a page at a time", description=LIST_NOTE + FILTER_NOTE
)
def list_sites(request: HttpRequest, params: Query[SiteFilterParams]) -> dict[str, object]:
    queryset, ranks = filters.narrow(public.public_sites(), site_filters(request))
    if ranks is None:
        rows, next_cursor = _page(queryset, *SITE_ORDER, params)
    else:
        rows, next_cursor = _ranked_page(queryset, ranks, params)
    return {"items": [_site_out(request, site) for site in rows], "next_cursor": next_cursor, "limit": _limit(params)}


@api.get("/sites/{slug}", response=SiteOut, summary="One published site")
def get_site(request: HttpRequest, slug: str) -> SiteOut:
    return _site_out(request, _site(slug))


@api.get(
    "/sites/{slug}/events",
    response=Page[EventOut],
    summary="A site's timeline, with its settlement's, oldest first, a page at a time",
    description=LIST_NOTE,
)
def site_events(request: HttpRequest, slug: str, params: Query[ListParams]) -> dict[str, object]:
    site = _site(slug)
    rows, next_cursor = _page(public.public_events(site), ["date", "id"], [dt.date, int], params)
    return {"items": [_event_out(e) for e in rows], "next_cursor": next_cursor, "limit": _limit(params)}


@api.get(
    "/sites/{slug}/claims",
    response=Page[ClaimOut],
    summary="What sources assert about a site, side by side, a page at a time",
    description=LIST_NOTE + " In the order of the site's page: by subject, then by the date asserted (undated first).",
)
def site_claims(request: HttpRequest, slug: str, params: Query[ListParams]) -> dict[str, object]:
    site = _site(slug)
    # Keyset keys must be comparable in SQL: an undated claim sorts as the earliest date on both databases.
    claims = public.public_claims(site).annotate(
        subject_order=F("subject__key"),
        asserted_order=Coalesce("asserted", Value(dt.date.min), output_field=DateField()),
    )
    rows, next_cursor = _page(claims, ["subject_order", "asserted_order", "id"], [str, dt.date, int], params)
    return {"items": [_claim_out(c) for c in rows], "next_cursor": next_cursor, "limit": _limit(params)}


@api.get(
    "/sites/{slug}/sources",
    response=Page[SourceOut],
    summary="The sources a site's page cites, oldest first, a page at a time",
    description=LIST_NOTE + " Undated sources first, then by publication date, then by key.",
)
def site_sources(request: HttpRequest, slug: str, params: Query[ListParams]) -> dict[str, object]:
    site = _site(slug)
    sources = public.cited_source_query(site).annotate(
        published_order=Coalesce("published", Value(dt.date.min), output_field=DateField())
    )
    rows, next_cursor = _page(sources, ["published_order", "key"], [dt.date, str], params)
    return {"items": rows, "next_cursor": next_cursor, "limit": _limit(params)}


@api.get(
    "/events",
    response=Page[EventOut],
    summary="The timeline of published sites and their settlements, oldest first",
    description=LIST_NOTE + FILTER_NOTE + " With any filter, only the events of the sites it keeps, in the range.",
)
def list_events(request: HttpRequest, params: Query[SiteFilterParams]) -> dict[str, object]:
    rows, next_cursor = _page(filtered_events(request, site_filters(request)), *EVENT_ORDER, params)
    return {"items": [_event_out(e) for e in rows], "next_cursor": next_cursor, "limit": _limit(params)}


@api.get("/sources", response=Page[SourceOut], summary="Every source cited by a published site", description=LIST_NOTE)
def list_sources(request: HttpRequest, params: Query[ListParams]) -> dict[str, object]:
    rows, next_cursor = _page(public.public_sources(), *SOURCE_ORDER, params)
    return {"items": rows, "next_cursor": next_cursor, "limit": _limit(params)}
