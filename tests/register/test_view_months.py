"""The timeline's histogram from the kept months (`ViewMonth`): in random boxes, with and without kinds, it is what
counting each public event in view gives, and the kept rows stay what counting from scratch gives after every path
that changes an event, a source it cites or a site (and after the bulk paths and the data migration)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path

import pytest
from django.test import Client

from lestweforget.atlas import filters, public
from lestweforget.atlas.models import Event, Site, Source
from lestweforget.cli import main
from lestweforget.register import synthetic, view_cells, viewport
from lestweforget.register.importing import publish_rows
from lestweforget.register.models import ImportedRow, ViewMonth
from migrating import migrate_to_latest, models_at

DATA = Path(__file__).parent / "data"
UKRAINE = filters.BBox(22.0, 44.0, 40.5, 52.5)
KHARKIV_OBLAST = filters.BBox(34.8, 48.5, 38.5, 50.5)


@pytest.fixture
def many(db: None) -> int:
    """600 synthetic sites over Ukraine (one event each, citing a source), some unpublished and some generalised."""
    return synthetic.generate(600, seed=7)


def _each_event(box: filters.BBox | None, kinds: tuple[str, ...] = ()) -> Counter[str]:
    """{month: events}, looking at each event: cites a source, its site published (of the kinds) and shown in the
    box."""
    counts: Counter[str] = Counter()
    for event in Event.objects.filter(site__isnull=False).select_related("site").prefetch_related("sources"):
        site = event.site
        assert site is not None
        if not site.is_published or not event.sources.all() or (kinds and site.kind not in kinds):
            continue
        lat, lon = public.published_coordinates(site)
        if box is None or (box.south <= lat <= box.north and box.west <= lon <= box.east):
            counts[event.date.isoformat()[:7]] += 1
    return counts


def _kept(box: filters.BBox | None, kinds: tuple[str, ...] = ()) -> Counter[str]:
    found = viewport.kept_months(filters.SiteFilters(bbox=box, kinds=kinds))
    assert found is not None
    return Counter({month: n for month, n in found.items() if n})


def _rows() -> list[tuple[int, str, str, str, int]]:
    return sorted((r.resolution, r.cell, r.kind, r.month, r.count) for r in ViewMonth.objects.all())


def _recounted() -> list[tuple[int, str, str, str, int]]:
    return sorted(
        (r.resolution, r.cell, r.kind, r.month, r.count)
        for resolution in (view_cells.ATLAS, *view_cells.RESOLUTIONS)
        for r in view_cells.counted_months(resolution, view_cells.public_events(Event), ViewMonth)
    )


def _agrees() -> None:
    """The kept rows are what counting from scratch gives, and the country's and an oblast's histograms (all kinds,
    one kind) what counting each event gives."""
    assert _rows() == _recounted()
    for box in (None, UKRAINE, KHARKIV_OBLAST):
        for kinds in ((), ("mass_grave",)):
            assert _kept(box, kinds) == _each_event(box, kinds), (box, kinds)


def test_kept_months_equal_counting_each_event_in_random_boxes(many: int) -> None:
    rng = random.Random(21)
    for _ in range(30):
        west, south = rng.uniform(22, 39), rng.uniform(44, 51.5)
        box = filters.BBox(west, south, min(40.5, west + rng.uniform(0.05, 8)), min(52.5, south + rng.uniform(0.05, 4)))
        kinds = rng.choice(((), (), tuple(rng.sample(Site.Kind.values, rng.choice((1, 2))))))
        assert _kept(box, kinds) == _each_event(box, kinds), (box, kinds)
        # The exact path (what the timeline counted before the kept months) agrees too.
        exact = Counter(
            date.isoformat()[:7]
            for date in viewport.events_in_view(filters.SiteFilters(bbox=box, kinds=kinds)).values_list(
                "date", flat=True
            )
        )
        assert _kept(box, kinds) == exact
        # The map's clusters over the same kept rows: H3 cells do not nest, so an edge cell is refined through the
        # finer rows of its own sites (`view_cells.PARENT`), not through its H3 children (this seed's boxes caught a
        # site whose resolution-7 cell is a child of a neighbouring resolution-5 cell).
        for zoom in (6, 9, 11):
            shown, stored = viewport.resolution_for(zoom)
            kept = {c.cell: c.count for c in viewport.counted_clusters(box, shown, stored, kinds)}
            sites = viewport.sites_in_view(filters.SiteFilters(bbox=box, kinds=kinds))
            assert kept == {c.cell: c.count for c in viewport.clusters(sites, shown, stored)}, (box, kinds, zoom)


def test_the_timeline_histogram_is_the_kept_months(client: Client, many: int) -> None:
    body = client.get("/api/viewport/timeline", {"bbox": UKRAINE.as_param()}).json()
    expected = _each_event(None)
    assert {month["month"]: month["count"] for month in body["months"]} == expected
    assert body["total"] == sum(expected.values())
    assert [month["month"] for month in body["months"]] == sorted(expected)


def test_filters_the_kept_months_cannot_answer_are_counted_exactly(client: Client, many: int) -> None:
    assert viewport.kept_months(filters.SiteFilters(bbox=UKRAINE, date_from=dt.date(2023, 1, 1))) is None
    assert viewport.kept_months(filters.SiteFilters(bbox=UKRAINE, q="Kharkiv")) is None
    body = client.get("/api/viewport/timeline", {"bbox": UKRAINE.as_param(), "from": "2023-01-01"}).json()
    expected = Counter(
        {month: n for month, n in _each_event(None).items() if month >= "2023-01"}
    )  # synthetic events have no end date
    assert {month["month"]: month["count"] for month in body["months"]} == expected


def test_kept_months_follow_every_change_of_an_event_and_its_sources(many: int) -> None:
    published = list(Site.objects.filter(is_published=True).order_by("pk")[:3])
    hidden = Site.objects.filter(is_published=False).order_by("pk").first()
    assert hidden is not None
    source = Source.objects.create(key="test-months-source", title="A report")
    # Saved with no source: not public, counted nowhere; a source added (either side) makes it public.
    event = Event.objects.create(site=published[0], kind="attack", date=dt.date(2021, 5, 3), title_en="Shelling")
    _agrees()
    event.sources.add(source)
    assert _kept(None)["2021-05"] == 1
    _agrees()
    event.date = dt.date(2020, 11, 30)
    event.save()
    assert "2021-05" not in _kept(None) and _kept(None)["2020-11"] == 1
    _agrees()
    event.site = published[1]
    event.save()
    _agrees()
    event.site = hidden
    event.save()
    assert "2020-11" not in _kept(None)
    _agrees()
    event.site = published[2]
    event.save()
    _agrees()
    event.sources.remove(source)
    _agrees()
    source.event_set.add(event)
    _agrees()
    source.event_set.clear()
    assert "2020-11" not in _kept(None)
    _agrees()
    source.event_set.add(event)
    source.delete()
    assert "2020-11" not in _kept(None)
    _agrees()
    other = Source.objects.create(key="test-months-other", title="Another report")
    event.sources.add(other)
    _agrees()
    event.delete()
    assert "2020-11" not in _kept(None)
    _agrees()


def test_kept_months_follow_every_change_of_a_site(many: int) -> None:
    site = Site.objects.filter(is_published=True).order_by("pk").first()
    assert site is not None
    site.is_published = False
    site.save()
    _agrees()
    site.is_published = True
    site.save()
    _agrees()
    site.latitude, site.longitude = 49.99, 36.23
    site.save()
    _agrees()
    site.kind = "memorial" if site.kind != "memorial" else "other"
    site.save()
    _agrees()
    Site.objects.filter(pk=site.pk).update(latitude=50.45, longitude=30.52)
    _agrees()
    site.delete()
    _agrees()
    for doomed in Site.objects.filter(is_published=True).order_by("-pk")[:5]:
        doomed.delete()
    _agrees()


def test_generated_sites_are_counted_into_the_kept_months(many: int) -> None:
    _agrees()
    synthetic.generate(150, seed=8)
    _agrees()


def test_imported_and_published_rows_are_counted_into_the_kept_months(demo: object) -> None:
    _agrees()
    assert main(["import", "sites", str(DATA / "cir_izium.csv"), "--format", "cir"]) == 0
    _agrees()
    assert publish_rows(ImportedRow.objects.all()) > 0
    _agrees()
    assert main(["import", "sites", str(DATA / "timemap.json"), "--format", "timemap", "--publish"]) == 0
    _agrees()


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_events_already_stored() -> None:
    synthetic.generate(150, seed=9)
    kept = _rows()
    assert kept and sum(n for resolution, _, kind, _, n in kept if resolution == 5 and not kind) == sum(
        _each_event(None).values()
    )
    models_at([("register", "0007_view_cell_kinds")])
    migrate_to_latest()
    assert _rows() == kept
