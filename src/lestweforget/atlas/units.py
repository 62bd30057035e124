"""Ukraine's oblasts and raions in the database, and which of them each site's public point lies in.

The units and the places that locate a point come from `geo.admin_units` (the KATOTTG codifier and the
gazetteer, both from packages); `store_units` copies them into `AdminUnit` and `UnitPlace` so that no web process
has to load the codifier (where the tables are empty, the packages are read instead). A site gets its units from
its public point, never its precise one: on save (`Site.derive_public_location`), per batch in bulk loaders
(`assign_units`) and for stored rows (`assign_all`, run by the migration that brought the units).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from lestweforget.geo import admin_units

from .models import AdminUnit, Site, UnitPlace

# Sites read and written per round when every stored site is placed.
BATCH: int = 20_000


def store_units(unit_model: Any = AdminUnit, place_model: Any = UnitPlace) -> tuple[int, int]:
    """Write every unit and placed settlement from the packages (oblasts first, so raions find their parent);
    renamed units keep their codes, units the codifier dropped stay for the sites that name them. Returns the
    numbers of units and places. ``unit_model``/``place_model``: the models, or a migration's historical ones."""
    units = admin_units.units()
    places = admin_units.placed_settlements()
    with transaction.atomic():
        for unit in units:
            unit_model.objects.update_or_create(
                code=unit.code,
                defaults={
                    "level": unit.level,
                    "parent_code": unit.parent,
                    "name_en": unit.name_en,
                    "name_uk": unit.name_uk,
                    "other_names": "\n".join(unit.names),
                },
            )
        place_model.objects.all().delete()
        place_model.objects.bulk_create(
            [
                place_model(
                    latitude=place.latitude,
                    longitude=place.longitude,
                    oblast_code=place.oblast,
                    raion_code=place.raion,
                )
                for place in places
            ],
            batch_size=1000,
        )
    forget()
    return len(units), len(places)


def forget() -> None:
    """Drop this process's copies of the units and the locator (after `store_units`)."""
    _locator.cache_clear()
    stored_units.cache_clear()


def _read_locator(place_model: Any) -> admin_units.Locator:
    rows = place_model.objects.values_list("latitude", "longitude", "oblast_code", "raion_code")
    places = [admin_units.PlacedSettlement("", lat, lon, oblast, raion) for lat, lon, oblast, raion in rows]
    return admin_units.Locator(places) if places else admin_units.locator()


@functools.cache
def _locator() -> admin_units.Locator:
    return _read_locator(UnitPlace)


def assign_units(sites: Sequence[Site]) -> None:
    """Set each site's oblast and raion codes (unsaved) from its public point, which must already be derived;
    "" where the point is far from every placed settlement."""
    if not sites:
        return
    found = _locator().locate([s.public_latitude for s in sites], [s.public_longitude for s in sites])
    for site, units in zip(sites, found, strict=True):
        site.oblast_code, site.raion_code = units or ("", "")


def assign_all(site_model: Any = Site, place_model: Any = UnitPlace, batch: int = BATCH) -> int:
    """Place every stored site by its public point, ``batch`` at a time; returns how many were read.
    ``site_model``/``place_model``: the models, or a migration's historical ones."""
    locator = _read_locator(place_model)
    done = 0
    last = 0
    while True:
        rows = list(
            site_model.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "public_latitude", "public_longitude")[:batch]
        )
        if not rows:
            return done
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        found = locator.locate([row[1] for row in rows], [row[2] for row in rows])
        for row, units in zip(rows, found, strict=True):
            groups[units or ("", "")].append(row[0])
        with transaction.atomic():
            for (oblast, raion), ids in groups.items():
                site_model.objects.filter(pk__in=ids).update(oblast_code=oblast, raion_code=raion)
        done += len(rows)
        last = rows[-1][0]


@functools.cache
def stored_units() -> tuple[admin_units.AdminUnit, ...]:
    """The stored units as plain values, oblasts first; read once per process."""
    stored = tuple(
        admin_units.AdminUnit(
            code=row.code,
            level=row.level,
            name_en=row.name_en,
            name_uk=row.name_uk,
            parent=row.parent_code,
            names=tuple(filter(None, row.other_names.split("\n"))),
        )
        for row in AdminUnit.objects.order_by("level", "code")
    )
    return stored or admin_units.units()


def by_code() -> dict[str, admin_units.AdminUnit]:
    """The stored units by KATOTTG code."""
    return _by_code(stored_units())


@functools.cache
def _by_code(known: tuple[admin_units.AdminUnit, ...]) -> dict[str, admin_units.AdminUnit]:
    return {unit.code: unit for unit in known}


# Ukrainian alphabetical order: Unicode puts є, і, ї and ґ after я.
_UKRAINIAN_ORDER = str.maketrans({"ґ": "г\x01", "є": "е\x01", "і": "и\x01", "ї": "и\x02"})


def _sort_key(name: str) -> str:
    return name.lower().translate(_UKRAINIAN_ORDER)


def choices(language: str) -> tuple[list[tuple[str, str]], list[tuple[str, str, list[tuple[str, str]]]]]:
    """What a form offers, in ``language`` ("en" or "uk") and its alphabetical order: the oblasts as
    [(code, name)], and the raions grouped by oblast as [(oblast code, oblast name, [(code, name)])]."""

    def name(unit: admin_units.AdminUnit) -> str:
        return unit.name_uk if language == "uk" else unit.name_en

    known = stored_units()
    oblasts = sorted((unit for unit in known if unit.level == admin_units.OBLAST), key=lambda u: _sort_key(name(u)))
    raions: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for unit in sorted((u for u in known if u.level == admin_units.RAION), key=lambda u: _sort_key(name(u))):
        raions[unit.parent].append((unit.code, name(unit)))
    return (
        [(unit.code, name(unit)) for unit in oblasts],
        [(unit.code, name(unit), raions[unit.code]) for unit in oblasts if raions[unit.code]],
    )
