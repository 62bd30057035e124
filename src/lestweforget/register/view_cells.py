"""Per-cell sums of published sites (`ViewCell`) at the stored H3 resolutions 5 and 7, for all of a cell's sites and for
those of each kind, kept in step with every save and delete of a site and rebuilt for the cells a bulk write touched
(`refresh`).

A view without filters other than its box and kinds reads these instead of the sites: cells whose sites all lie inside
the box count whole, cells wholly outside are skipped, and only the cells the box's edge cuts are counted from their
sites (`viewport.clusters`). So the counts are exact, and a country-wide view reads a few thousand rows, not a million.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.db.models.signals import post_delete, post_save, pre_save

from lestweforget.atlas.models import Site

from .models import ViewCell

RESOLUTIONS: Final = (5, 7)
_CHUNK: Final = 500


def refresh(cells_by_resolution: dict[int, set[str]]) -> None:
    """Recount the given cells ({resolution: {cell, ...}}) from the published sites."""
    with transaction.atomic():
        for resolution, cells in cells_by_resolution.items():
            column = f"h3_r{resolution}"
            wanted = sorted(cell for cell in cells if cell)
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                ViewCell.objects.filter(resolution=resolution, cell__in=chunk).delete()
                ViewCell.objects.bulk_create(_counted(resolution, Site.objects.filter(**{f"{column}__in": chunk})))


def refresh_sites(site_ids: Iterable[int]) -> None:
    """Recount the cells the given sites are in now (after a bulk write of new or changed sites)."""
    ids = list(site_ids)
    cells: dict[int, set[str]] = {resolution: set() for resolution in RESOLUTIONS}
    for start in range(0, len(ids), _CHUNK):
        for row in Site.objects.filter(pk__in=ids[start : start + _CHUNK]).values("h3_r5", "h3_r7"):
            for resolution in RESOLUTIONS:
                cells[resolution].add(row[f"h3_r{resolution}"])
    refresh(cells)


def rebuild() -> int:
    """Recount every cell from scratch; returns how many cells hold published sites."""
    with transaction.atomic():
        ViewCell.objects.all().delete()
        for resolution in RESOLUTIONS:
            ViewCell.objects.bulk_create(_counted(resolution, Site.objects.all()), batch_size=2000)
    return ViewCell.objects.count()


def _counted(resolution: int, sites: object) -> list[ViewCell]:
    return counted(resolution, sites, ViewCell) + counted_by_kind(resolution, sites, ViewCell)


def counted(resolution: int, sites: Any, cell_model: Any) -> list[Any]:
    """The unsaved ``cell_model`` rows of ``sites``' published ones at ``resolution``: their count, the sums of their
    public points (the cluster's mean) and the box their points as published span (the bbox filter matches those,
    `filters.in_bbox`, so a cell counted whole holds no site the filter would leave out). Takes the models as
    arguments so a migration can count with its historical ones."""
    return [cell_model(resolution=resolution, **values) for values in _sums(resolution, sites, ())]


def counted_by_kind(resolution: int, sites: Any, cell_model: Any) -> list[Any]:
    """`counted` for the published sites of each kind apart: a row per cell and kind, with its ``kind``."""
    return [cell_model(resolution=resolution, **values) for values in _sums(resolution, sites, ("kind",))]


def _sums(resolution: int, sites: Any, by: tuple[str, ...]) -> list[dict[str, Any]]:
    column = f"h3_r{resolution}"
    rows = (
        sites.filter(is_published=True)
        .order_by()
        .values(column, *by)
        .annotate(
            n=Count("id"),
            lat=Sum("public_latitude"),
            lon=Sum("public_longitude"),
            south=Min("published_latitude"),
            north=Max("published_latitude"),
            west=Min("published_longitude"),
            east=Max("published_longitude"),
        )
    )
    return [
        {
            "cell": row[column],
            **{name: row[name] for name in by},
            "count": row["n"],
            "latitude_sum": row["lat"],
            "longitude_sum": row["lon"],
            "south": row["south"],
            "west": row["west"],
            "north": row["north"],
            "east": row["east"],
        }
        for row in rows
    ]


def _remember_cells(sender: type[Site], instance: Site, raw: bool = False, **kwargs: object) -> None:
    if raw or not instance.pk:
        instance._view_cells_before = {}  # type: ignore[attr-defined]
        return
    before = Site.objects.filter(pk=instance.pk).values("h3_r5", "h3_r7").first() or {}
    instance._view_cells_before = before  # type: ignore[attr-defined]


def _site_saved(sender: type[Site], instance: Site, raw: bool = False, **kwargs: object) -> None:
    if raw:
        return
    before = getattr(instance, "_view_cells_before", {}) or {}
    refresh(
        {
            resolution: {getattr(instance, f"h3_r{resolution}"), before.get(f"h3_r{resolution}", "")}
            for resolution in RESOLUTIONS
        }
    )


def _site_deleted(sender: type[Site], instance: Site, **kwargs: object) -> None:
    refresh({resolution: {getattr(instance, f"h3_r{resolution}")} for resolution in RESOLUTIONS})


def connect() -> None:
    pre_save.connect(_remember_cells, sender=Site, dispatch_uid="register_view_cells_before")
    post_save.connect(_site_saved, sender=Site, dispatch_uid="register_view_cells_saved")
    post_delete.connect(_site_deleted, sender=Site, dispatch_uid="register_view_cells_deleted")
