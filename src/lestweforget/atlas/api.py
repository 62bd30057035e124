"""The JSON API (OpenAPI schema at /api/openapi.json): published records only, at their public points."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from lestweforget import __version__

from . import public
from .models import Claim, Event, Site, Source

api = NinjaAPI(
    title="Lest We Forget",
    version=__version__,
    description="Published sites of war crimes, mass graves and memorials, with their events, claims and sources.",
    urls_namespace="api",
)


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


class SiteOut(Schema):
    slug: str
    kind: str
    names: list[NameOut]
    settlement: str | None
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


def _site_out(request: HttpRequest, site: Site) -> SiteOut:
    return SiteOut(
        slug=site.slug,
        kind=site.kind,
        names=[NameOut(language=n.language, name=n.name, primary=n.is_primary) for n in site.names.all()],
        settlement=site.settlement.slug if site.settlement else None,
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
        subject=claim.subject,
        subject_label=_text(claim, "subject_label"),
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


@api.get("/sites", response=list[SiteOut], summary="Every published site")
def list_sites(request: HttpRequest) -> list[SiteOut]:
    return [_site_out(request, site) for site in public.public_sites()]


@api.get("/sites/{slug}", response=SiteOut, summary="One published site")
def get_site(request: HttpRequest, slug: str) -> SiteOut:
    return _site_out(request, _site(slug))


@api.get("/sites/{slug}/events", response=list[EventOut], summary="A site's timeline, with its settlement's")
def site_events(request: HttpRequest, slug: str) -> list[EventOut]:
    return [_event_out(e) for e in public.public_events(_site(slug))]


@api.get("/sites/{slug}/claims", response=list[ClaimOut], summary="What sources assert about a site, side by side")
def site_claims(request: HttpRequest, slug: str) -> list[ClaimOut]:
    return [_claim_out(c) for c in public.public_claims(_site(slug))]


@api.get("/sites/{slug}/sources", response=list[SourceOut], summary="The sources a site's page cites")
def site_sources(request: HttpRequest, slug: str) -> list[Source]:
    return public.cited_sources(_site(slug))


@api.get("/events", response=list[EventOut], summary="The timeline of every published site and its settlement")
def list_events(request: HttpRequest) -> list[EventOut]:
    return [_event_out(e) for e in public.public_events()]


@api.get("/sources", response=list[SourceOut], summary="Every source cited by a published site")
def list_sources(request: HttpRequest) -> list[Source]:
    sources: dict[int, Source] = {}
    for site in public.public_sites():
        sources.update((s.pk, s) for s in public.cited_sources(site))
    return sorted(sources.values(), key=lambda s: (s.published or dt.date.min, s.key))
