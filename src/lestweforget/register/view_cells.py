"""Per-cell sums of published sites (`ViewCell`) at the stored H3 resolutions 5 and 7, for all of a cell's sites and for
those of each kind, kept in step with every save and delete of a site and rebuilt for the cells a bulk write touched
(`refresh`).

A view without filters other than its box and kinds reads these instead of the sites: cells whose sites all lie inside
the box count whole, cells wholly outside are skipped, and only the cells the box's edge cuts are counted from their
sites (`viewport.clusters`). So the counts are exact, and a country-wide view reads a few thousand rows, not a million.

`ViewMonth` counts the public events (citing a source) of the published sites of each cell per month of their dates,
for the timeline's histogram (`viewport.kept_months`) in the same way. It is recounted with the cells' sites (any
change of a site) and, for the cells of the event's published site, whenever an event is saved or deleted, gains or
loses a source, or a source it cites is deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from django.db import transaction
from django.db.models import CharField, Count, Exists, Func, Max, Min, OuterRef, Sum
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from lestweforget.atlas.models import Event, Site, Source

from .models import ViewCell, ViewMonth

RESOLUTIONS: Final = (5, 7)
# `ViewMonth`'s rows for the whole atlas (cell ""), so the country view's histogram reads a row a month and kind, not
# a row a cell and month (41,517 at 100,000 sites: 0.15 s on SQLite). Kept by the difference each recount of
# coarsest cells makes.
ATLAS: Final = 0
_CHUNK: Final = 500


class IsoMonth(Func):
    """A date's month as text, "2022-09", made in SQL by either database. (SQLite's TruncMonth is a Python function
    called once a row: at 100,000 events in view it was most of the timeline's time.)"""

    function = "to_char"
    template = "to_char(%(expressions)s, 'YYYY-MM')"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite keeps a date as its ISO text, "2022-09-14".
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)", **extra)


def refresh(cells_by_resolution: dict[int, set[str]], sites: bool = True) -> None:
    """Recount the given cells ({resolution: {cell, ...}}) from the published sites and their events (only the
    events' months when not ``sites``)."""
    with transaction.atomic():
        for resolution, cells in cells_by_resolution.items():
            column = f"h3_r{resolution}"
            wanted = sorted(cell for cell in cells if cell)
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                if sites:
                    ViewCell.objects.filter(resolution=resolution, cell__in=chunk).delete()
                    ViewCell.objects.bulk_create(_counted(resolution, Site.objects.filter(**{f"{column}__in": chunk})))
                old = ViewMonth.objects.filter(resolution=resolution, cell__in=chunk)
                before = list(old.values_list("kind", "month", "count"))
                old.delete()
                events = public_events(Event).filter(**{f"site__{column}__in": chunk})
                new = ViewMonth.objects.bulk_create(counted_months(resolution, events, ViewMonth))
                if resolution == RESOLUTIONS[0]:
                    _add_to_atlas(before, [(row.kind, row.month, row.count) for row in new])


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
        ViewMonth.objects.all().delete()
        for resolution in RESOLUTIONS:
            ViewCell.objects.bulk_create(_counted(resolution, Site.objects.all()), batch_size=2000)
            ViewMonth.objects.bulk_create(counted_months(resolution, public_events(Event), ViewMonth), batch_size=2000)
        ViewMonth.objects.bulk_create(counted_months(ATLAS, public_events(Event), ViewMonth))
    return ViewCell.objects.count()


def _counted(resolution: int, sites: object) -> list[ViewCell]:
    return counted(resolution, sites, ViewCell, parents=True) + counted_by_kind(
        resolution, sites, ViewCell, parents=True
    )


# The kept rows of a finer resolution are kept apart for each coarser cell their sites are in (``parent``): H3 cells
# do not nest, so a point's resolution-7 cell may be a child of a resolution-5 cell other than the point's own, and the
# sites of one resolution-7 cell may lie in two resolution-5 cells. A view's edge cell at resolution 5 is refined
# through the rows whose parent it is: exactly its sites.
PARENT: Final = {7: "h3_r5"}


def counted(resolution: int, sites: Any, cell_model: Any, parents: bool = False) -> list[Any]:
    """The unsaved ``cell_model`` rows of ``sites``' published ones at ``resolution``: their count, the sums of their
    public points (the cluster's mean) and the box their points as published span (the bbox filter matches those,
    `filters.in_bbox`, so a cell counted whole holds no site the filter would leave out). Takes the models as
    arguments so a migration can count with its historical ones; ``parents``: the rows of a finer resolution kept
    per parent cell (`PARENT`), as they are since migration register 0008."""
    return [cell_model(resolution=resolution, **values) for values in _sums(resolution, sites, (), parents)]


def counted_by_kind(resolution: int, sites: Any, cell_model: Any, parents: bool = False) -> list[Any]:
    """`counted` for the published sites of each kind apart: a row per cell and kind, with its ``kind``."""
    return [cell_model(resolution=resolution, **values) for values in _sums(resolution, sites, ("kind",), parents)]


def public_events(event_model: Any) -> Any:
    """The events the public sees on the map (`Event.sourced`, of a published site), of ``event_model`` (a
    migration's historical one too)."""
    cited = event_model.sources.through.objects.filter(event=OuterRef("pk"))
    return event_model.objects.filter(Exists(cited), site__is_published=True)


def counted_months(resolution: int, events: Any, month_model: Any) -> list[Any]:
    """The unsaved ``month_model`` rows of ``events`` (`public_events`) at ``resolution``: per cell of their site
    (and its coarser cell, `PARENT`) and month of their date, one row for all and one per kind of their site; at
    resolution `ATLAS`, per month for the whole atlas (cell "")."""
    column = f"site__h3_r{resolution}" if resolution != ATLAS else None
    parent = f"site__{PARENT[resolution]}" if resolution in PARENT else None
    rows = []
    for by in ((), ("site__kind",)):
        grouped = tuple(name for name in (column, *by, parent) if name)
        for row in events.order_by().values(*grouped, month=IsoMonth("date")).annotate(n=Count("id")):
            rows.append(
                month_model(
                    resolution=resolution,
                    cell=row[column] if column else "",
                    parent=row[parent] if parent else "",
                    kind=row["site__kind"] if by else "",
                    month=row["month"],
                    count=row["n"],
                )
            )
    return rows


def _sums(resolution: int, sites: Any, by: tuple[str, ...], parents: bool) -> list[dict[str, Any]]:
    column = f"h3_r{resolution}"
    parent = PARENT.get(resolution) if parents else None
    if parent:
        by = (*by, parent)
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
            **{name: row[name] for name in by if name != parent},
            **({"parent": row[parent]} if parent else {}),
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


def _add_to_atlas(before: list[tuple[str, str, int]], after: list[tuple[str, str, int]]) -> None:
    """Move the atlas-wide rows by what a recount of coarsest cells changed: their rows ``before`` and ``after``
    ((kind, month, count))."""
    change: dict[tuple[str, str], int] = {}
    for sign, rows in ((-1, before), (1, after)):
        for kind, month, count in rows:
            change[kind, month] = change.get((kind, month), 0) + sign * count
    for (kind, month), difference in sorted(change.items()):
        if not difference:
            continue
        row, _ = ViewMonth.objects.select_for_update().get_or_create(
            resolution=ATLAS, cell="", parent="", kind=kind, month=month, defaults={"count": 0}
        )
        row.count += difference
        if row.count:
            row.save(update_fields=["count"])
        else:
            row.delete()


def _cells_of_published(site_ids: Iterable[int | None]) -> dict[int, set[str]]:
    wanted = {site_id for site_id in site_ids if site_id}
    cells: dict[int, set[str]] = {resolution: set() for resolution in RESOLUTIONS}
    if wanted:
        for row in Site.objects.filter(pk__in=wanted, is_published=True).values("h3_r5", "h3_r7"):
            for resolution in RESOLUTIONS:
                cells[resolution].add(row[f"h3_r{resolution}"])
    return cells


def _recount_months_of(site_ids: Iterable[int | None]) -> None:
    """Recount the months of the cells of those sites that are published (an unpublished site's events count
    nowhere, and publishing it recounts its cells)."""
    cells = _cells_of_published(site_ids)
    if any(cells.values()):
        refresh(cells, sites=False)


def _remember_event_site(sender: type[Event], instance: Event, raw: bool = False, **kwargs: object) -> None:
    before = None
    if not raw and instance.pk:
        before = Event.objects.filter(pk=instance.pk).values_list("site_id", flat=True).first()
    instance._view_months_site_before = before  # type: ignore[attr-defined]


def _event_saved(sender: type[Event], instance: Event, raw: bool = False, **kwargs: object) -> None:
    if not raw:
        _recount_months_of([instance.site_id, getattr(instance, "_view_months_site_before", None)])


def _event_deleted(sender: type[Event], instance: Event, **kwargs: object) -> None:
    _recount_months_of([instance.site_id])


def _sources_changed(
    sender: object, instance: Event | Source, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: object
) -> None:
    """An event gains or loses sources (or a source events): an event citing none is not public."""
    if isinstance(instance, Event):
        if action in ("post_add", "post_remove", "post_clear"):
            _recount_months_of([instance.site_id])
        return
    if action == "pre_clear":
        instance._view_months_sites = list(  # type: ignore[attr-defined]
            Event.objects.filter(sources=instance).values_list("site_id", flat=True)
        )
    elif action == "post_clear":
        _recount_months_of(getattr(instance, "_view_months_sites", []))
    elif action in ("post_add", "post_remove") and pk_set:
        _recount_months_of(Event.objects.filter(pk__in=pk_set).values_list("site_id", flat=True))


def _remember_source_events(sender: type[Source], instance: Source, **kwargs: object) -> None:
    instance._view_months_sites = list(  # type: ignore[attr-defined]
        Event.objects.filter(sources=instance).values_list("site_id", flat=True)
    )


def _source_deleted(sender: type[Source], instance: Source, **kwargs: object) -> None:
    _recount_months_of(getattr(instance, "_view_months_sites", []))


def connect() -> None:
    pre_save.connect(_remember_cells, sender=Site, dispatch_uid="register_view_cells_before")
    post_save.connect(_site_saved, sender=Site, dispatch_uid="register_view_cells_saved")
    post_delete.connect(_site_deleted, sender=Site, dispatch_uid="register_view_cells_deleted")
    pre_save.connect(_remember_event_site, sender=Event, dispatch_uid="register_view_months_before")
    post_save.connect(_event_saved, sender=Event, dispatch_uid="register_view_months_saved")
    post_delete.connect(_event_deleted, sender=Event, dispatch_uid="register_view_months_deleted")
    m2m_changed.connect(_sources_changed, sender=Event.sources.through, dispatch_uid="register_view_months_sources")
    pre_delete.connect(_remember_source_events, sender=Source, dispatch_uid="register_view_months_source_before")
    post_delete.connect(_source_deleted, sender=Source, dispatch_uid="register_view_months_source_deleted")
