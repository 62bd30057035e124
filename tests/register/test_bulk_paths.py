"""The bulk paths (`bulk_rows`, the set-based `search_index.index_names`, one `view_cells.refresh` for a whole load)
store exactly what the per-row paths do: the same site rows as `bulk_create`, and the same search index and view
cells as sites saved one by one in the admin."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lestweforget.atlas.models import Event, Site, SiteName
from lestweforget.register import bulk_rows, synthetic
from lestweforget.register.models import SiteSearch, SiteWord, ViewCell

_SITE_FIELDS = [field.name for field in Site._meta.concrete_fields if field.name not in ("id", "created", "updated")]


def _index_and_cells() -> dict[str, Any]:
    """What the register derived from the sites, keyed by slug (ids differ between two loads of the same sites)."""
    return {
        "search": dict(SiteSearch.objects.values_list("site__slug", "text")),
        "words": sorted(SiteWord.objects.values_list("site__slug", "word__word")),
        "cells": sorted(
            ViewCell.objects.values_list(
                "resolution", "cell", "count", "latitude_sum", "longitude_sum", "south", "west", "north", "east"
            )
        ),
    }


def test_generated_sites_are_indexed_as_sites_saved_one_by_one(db: None) -> None:
    synthetic.generate(60, seed=5)
    bulk = _index_and_cells()
    assert len(bulk["search"]) == 60 and bulk["cells"]
    sites = list(Site.objects.order_by("pk").values(*_SITE_FIELDS))
    names = list(SiteName.objects.order_by("pk").values("site__slug", "language", "name", "is_primary"))
    Site.objects.all().delete()
    assert _index_and_cells() == {"search": {}, "words": [], "cells": []}

    for values in sites:  # as an editor would: save() derives the point and cells, signals keep index and cells
        Site(**{key: value for key, value in values.items() if not key.startswith(("public_", "h3_"))}).save()
    by_slug = dict(Site.objects.values_list("slug", "pk"))
    for name in names:
        SiteName(site_id=by_slug[name.pop("site__slug")], **name).save()

    assert list(Site.objects.order_by("pk").values(*_SITE_FIELDS)) == sites
    assert _index_and_cells() == bulk


def test_bulk_rows_writes_the_rows_bulk_create_writes(db: None) -> None:
    def sites(prefix: str) -> list[Site]:
        made = []
        for n, sensitivity in enumerate(Site.Sensitivity.values):
            site = Site(
                slug=f"{prefix}-{n}",
                kind=Site.Kind.MASS_GRAVE,
                summary_en="Ізюм, «лісовий» цвинтар",
                latitude=49.2109 + n,
                longitude=37.2485,
                uncertainty_m=50,  # an int where the field holds floats: goes through the field's own conversion
                sensitivity=sensitivity,
            )
            site.derive_public_location()
            made.append(site)
        return made

    by_django, by_bulk_rows = sites("django"), sites("bulk")
    Site.objects.bulk_create(by_django)
    bulk_rows.create(by_bulk_rows)
    assert all(site.pk for site in by_bulk_rows) and not any(site._state.adding for site in by_bulk_rows)
    events = [
        Event(site=site, kind=Event.Kind.DISCOVERY, date=dt.date(2022, 9, 15), title_en="Found")
        for site in (*by_django, *by_bulk_rows)
    ]
    Event.objects.bulk_create(events[: len(by_django)])
    bulk_rows.create(events[len(by_django) :])

    def stored(prefix: str) -> list[dict[str, Any]]:
        rows = Site.objects.filter(slug__startswith=prefix).order_by("pk").values(*_SITE_FIELDS)
        return [{**row, "slug": row["slug"].removeprefix(prefix)} for row in rows]

    assert stored("bulk") == stored("django")
    assert Site.objects.get(slug="bulk-0").uncertainty_m == 50.0
    event_rows = Event.objects.order_by("pk").values("kind", "date", "precision", "title_en")
    assert event_rows[0] == event_rows[len(by_django)]
