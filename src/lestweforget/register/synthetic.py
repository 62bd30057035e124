"""Synthetic sites for benchmarks and scale tests, made through the project's own code: each `Site` derives its public
point and H3 cells (`Site.derive_public_location`), names come from the gazetteer's real places of Ukraine (Latin,
Ukrainian and Russian), and the search index is filled by `search_index.reindex`, as after any bulk import.

Marked by slug prefix "synthetic-" so they can be told apart and removed. Not for a real atlas.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Final

from django.db import transaction

from lestweforget.articles.gazetteer import ukraine_gazetteer
from lestweforget.atlas.models import Event, Site, SiteName, Source
from lestweforget.atlas.units import assign_units

from . import bulk_rows, search_index, view_cells

PREFIX: Final = "synthetic-"
_KINDS_UK: Final = {
    "mass_grave": "Масове поховання",
    "burial_site": "Місце поховання",
    "execution_site": "Місце страти",
    "detention_site": "Місце утримання",
    "memorial": "Меморіал",
    "other": "Місце",
}
_KINDS_RU: Final = {
    "mass_grave": "Массовое захоронение",
    "burial_site": "Место захоронения",
    "execution_site": "Место казни",
    "detention_site": "Место содержания",
    "memorial": "Мемориал",
    "other": "Место",
}
_BATCH: Final = 10_000
# One source per this many sites, cited by their events: /api/sources has something to page through.
SITES_PER_SOURCE: Final = 10


def generate(
    count: int, seed: int = 1, publish_share: float = 0.95, progress: Callable[[int], None] | None = None
) -> int:
    """Create ``count`` synthetic sites (slugs synthetic-<seed>-<n>) with names, an event each and shared sources.

    About ``publish_share`` of them are published and one in ten generalised (1 km grid). Returns how many were made.
    """
    rng = random.Random(seed)
    places = [place for place in ukraine_gazetteer().places.values() if place.kind == "settlement" and place.name_uk]
    places.sort(key=lambda place: place.key)
    kinds = list(Site.Kind.values)
    made = 0
    # Cells are recounted once at the end: a batch spread over the whole country touches nearly every coarse cell,
    # and recounting them after each batch would read every site again, batch after batch.
    touched: dict[int, set[str]] = {resolution: set() for resolution in view_cells.RESOLUTIONS}
    for start in range(0, count, _BATCH):
        size = min(_BATCH, count - start)
        with transaction.atomic():
            sources = [
                Source(
                    key=f"{PREFIX}{seed}-source-{start + n}",
                    kind=Source.Kind.DATASET,
                    title=f"Synthetic dataset row {start + n}",
                    publisher="Benchmark",
                )
                for n in range(0, size, SITES_PER_SOURCE)
            ]
            bulk_rows.create(sources)
            sites = []
            for n in range(start, start + size):
                place = rng.choice(places)
                site = Site(
                    slug=f"{PREFIX}{seed}-{n}",
                    kind=rng.choice(kinds),
                    summary_en=f"Synthetic site {n} near {place.name}.",
                    is_published=rng.random() < publish_share,
                    latitude=place.latitude + rng.uniform(-0.05, 0.05),
                    longitude=place.longitude + rng.uniform(-0.07, 0.07),
                    uncertainty_m=rng.choice((50.0, 200.0, 1000.0)),
                    sensitivity=Site.Sensitivity.GENERALISED if rng.random() < 0.1 else Site.Sensitivity.PUBLIC,
                )
                site.derive_public_location(with_units=False)
                sites.append((site, place))
            assign_units([site for site, _ in sites])
            created = [site for site, _ in sites]
            bulk_rows.create(created)
            names = []
            events = []
            for (site, place), stored in zip(sites, created, strict=True):
                names.append(
                    SiteName(
                        site=stored, language="en", name=f"{place.name} {site.kind.replace('_', ' ')}", is_primary=True
                    )
                )
                names.append(
                    SiteName(
                        site=stored, language="uk", name=f"{_KINDS_UK[site.kind]} {place.name_uk}", is_primary=True
                    )
                )
                if place.name_ru:
                    names.append(
                        SiteName(
                            site=stored, language="ru", name=f"{_KINDS_RU[site.kind]} {place.name_ru}", is_primary=True
                        )
                    )
                day = dt.date(2022, 2, 24) + dt.timedelta(days=rng.randrange(0, 900))
                events.append(Event(site=stored, kind=Event.Kind.DISCOVERY, date=day, title_en=f"Found: {place.name}"))
            bulk_rows.create(names)
            bulk_rows.create(events)
            bulk_rows.insert(
                Event.sources.through,
                ["event", "source"],
                [(event.pk, sources[index // SITES_PER_SOURCE].pk) for index, event in enumerate(events)],
            )
            search_index.index_names([site.pk for site in created])
        for site, _ in sites:
            for resolution in view_cells.RESOLUTIONS:
                touched[resolution].add(getattr(site, f"h3_r{resolution}"))
        made += size
        if progress:
            progress(made)
    view_cells.refresh(touched)
    return made
