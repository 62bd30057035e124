"""`/api/events` and `/api/sources` list exactly what the site pages show, a keyset page at a time: no event of an
unpublished site or of a settlement without a published site, no unsourced event, no source that only unpublished
records (or a generalised site's precise location and directions) cite. Their pages are read through indexes in list
order, so a page costs the same at any size (checked on SQLite's query plan here; PostgreSQL chooses sequential scans
for tables this small, so its plans were read with EXPLAIN ANALYZE on 100,000 synthetic sites instead)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client

from lestweforget.atlas import api, paging, public
from lestweforget.atlas.models import Approach, Claim, ClaimSubject, Event, Settlement, Site, Source, StatusChange


def _source(key: str) -> Source:
    return Source.objects.create(key=key, title=f"Source {key}", publisher="Test")


def _site(slug: str, settlement: Settlement, published: bool, generalised: bool = False) -> Site:
    return Site.objects.create(
        slug=slug,
        kind=Site.Kind.MASS_GRAVE,
        summary_en=f"Site {slug}.",
        settlement=settlement,
        is_published=published,
        latitude=49.2 + len(slug) / 1000,
        longitude=37.2,
        uncertainty_m=50,
        sensitivity=Site.Sensitivity.GENERALISED if generalised else Site.Sensitivity.PUBLIC,
        location_source=_source(f"location-{slug}"),
    )


def _event(title: str, day: int, source: Source | None, **owner: object) -> Event:
    event = Event.objects.create(kind=Event.Kind.OTHER, date=dt.date(2022, 9, day), title_en=title, **owner)
    if source is not None:
        event.sources.add(source)
    return event


def _approach(site: Site, source: Source) -> None:
    approach = Approach.objects.create(
        site=site,
        start_name_en="Gate",
        start_latitude=49.2,
        start_longitude=37.2,
        directions_en="Along the track.",
        safety_en="Keep to the track.",
        last_checked=dt.date(2024, 1, 1),
    )
    approach.sources.add(source)


@pytest.fixture
def records(db: None) -> None:
    """A published site, an unpublished one and a generalised published one; a settlement with a published site and
    one with none; every way of citing a source, once from public records and once from hidden ones."""
    shown_town = Settlement.objects.create(slug="shown-town", name_en="Shown town", latitude=49.2, longitude=37.2)
    hidden_town = Settlement.objects.create(slug="hidden-town", name_en="Hidden town", latitude=48.0, longitude=36.0)
    shown = _site("shown", shown_town, published=True)
    hidden = _site("hidden", hidden_town, published=False)
    veiled = _site("veiled", shown_town, published=True, generalised=True)
    subject = ClaimSubject.objects.create(key="bodies", label_en="Bodies")
    for site in (shown, hidden):
        Claim.objects.create(site=site, subject=subject, value="3", source=_source(f"claim-{site.slug}"))
        StatusChange.objects.create(
            site=site, status="reported", date=dt.date(2022, 9, 1), source=_source(f"status-{site.slug}")
        )
        _approach(site, _source(f"approach-{site.slug}"))
    _approach(veiled, _source("approach-veiled"))
    shown_source = _source("event-shown")
    _event("Shown site event", 3, shown_source, site=shown)
    _event("Shown site unsourced event", 2, None, site=shown)
    _event("Hidden site event", 1, _source("event-hidden"), site=hidden)
    _event("Shown town event", 5, _source("event-shown-town"), settlement=shown_town)
    _event("Second shown town event", 5, _source("event-shown-town-2"), settlement=shown_town)
    _event("Hidden town event", 4, _source("event-hidden-town"), settlement=hidden_town)
    _event("Veiled site event", 6, shown_source, site=veiled)
    _source("uncited")


PUBLIC_SOURCES = {
    "claim-shown",
    "status-shown",
    "approach-shown",
    "location-shown",
    "event-shown",
    "event-shown-town",
    "event-shown-town-2",
}
PUBLIC_EVENTS = ["Shown site event", "Shown town event", "Second shown town event", "Veiled site event"]


def _every_page(client: Client, url: str, limit: int) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    cursor = ""
    while True:
        body = client.get(url, {"limit": limit, "cursor": cursor}).json()
        assert len(body["items"]) <= limit
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


@pytest.mark.parametrize("limit", [1, 2, 100])
def test_sources_list_only_what_a_public_page_cites(client: Client, records: None, limit: int) -> None:
    keys = [item["key"] for item in _every_page(client, "/api/sources", limit)]
    assert len(keys) == len(set(keys))
    assert set(keys) == PUBLIC_SOURCES
    pages = set()
    for site in Site.objects.filter(is_published=True):
        pages |= {source.key for source in public.cited_sources(site)}
    assert set(keys) == pages


@pytest.mark.parametrize("limit", [1, 3, 100])
def test_events_list_the_public_timeline_in_date_order(client: Client, records: None, limit: int) -> None:
    items = _every_page(client, "/api/events", limit)
    assert [item["title"]["en"] for item in items] == PUBLIC_EVENTS
    pages = set()
    for site in Site.objects.filter(is_published=True):
        pages |= {event.title_en for event in public.public_events(site)}
    assert {item["title"]["en"] for item in items} == pages


@pytest.mark.parametrize(
    "url", ["/api/events?kind=mass_grave", "/api/events?bbox=30,40,40,55", "/api/viewport/timeline?bbox=30,40,40,55"]
)
def test_a_filtered_timeline_holds_no_unsourced_event(client: Client, records: None, url: str) -> None:
    body = client.get(url).json()
    items = body["items"] if "items" in body else body["events"]
    titles = {item["title"]["en"] if isinstance(item["title"], dict) else item["title"] for item in items}
    assert "Shown site event" in titles
    assert "Shown site unsourced event" not in titles


def test_unpublishing_the_last_site_of_a_settlement_hides_its_events_and_their_sources(
    client: Client, records: None
) -> None:
    Site.objects.filter(settlement__slug="shown-town").update(is_published=False)
    assert [item["title"]["en"] for item in _every_page(client, "/api/events", 100)] == []
    assert [item["key"] for item in _every_page(client, "/api/sources", 100)] == []


def _plan(queryset: object) -> str:
    return queryset.explain()  # type: ignore[attr-defined,no-any-return]


def test_a_page_reads_its_list_in_index_order_without_scanning_every_row(records: None) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL scans tables this small sequentially by choice: its plans need real sizes")
    first_event = public.public_events().order_by("date", "id").first()
    assert first_event is not None
    cursor = paging.encode([first_event.date, first_event.pk])
    for queryset, walked in [
        (
            paging.keyset_query(public.public_events(), *api.EVENT_ORDER, 50),
            "SCAN atlas_event USING INDEX event_date_id",
        ),
        (
            paging.keyset_query(public.public_events(), *api.EVENT_ORDER, 50, cursor),
            "SEARCH atlas_event USING INDEX event_date_id (date>?)",
        ),
        (paging.keyset_query(public.public_sources(), *api.SOURCE_ORDER, 50), "SCAN atlas_source"),
        (
            paging.keyset_query(public.public_sources(), *api.SOURCE_ORDER, 50, paging.encode([3])),
            "SEARCH atlas_source USING INTEGER PRIMARY KEY (rowid>?)",
        ),
    ]:
        plan = _plan(queryset)
        # The list itself is walked in order (no sort of every row), and every check on a row is an index search.
        assert walked in plan, plan
        assert "TEMP B-TREE" not in plan, plan
        assert all(walked in line for line in plan.splitlines() if "SCAN" in line), plan
