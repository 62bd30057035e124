"""The map's viewport: the published sites in a bounding box at a zoom, as clusters or, when few, as points.

Clusters count the sites per H3 cell at a resolution chosen by the zoom (`RESOLUTIONS`): the database groups by the
nearest stored column of `Site` (h3_r5, h3_r7, h3_r9, all of the public point) and coarser cells are rolled up here
(`geo.h3_parent`). Every site in view is in exactly one cluster, so the counts sum to the sites in view. A cluster's
position is the mean of its sites' public points. Nothing here reads a precise point. A cluster is drawn there as a
disc sized by its count (`marker_size`); clusters closer than `SPACING_PX` at the request's zoom are merged
(`spaced`), so no marker covers another, whatever the data.

The list beside the map and the timeline take the same filters (`atlas.filters`): the list pages through the sites in
view (keyset, `atlas.paging`), the timeline gives the events in view and range, or a histogram by month when many.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.utils.translation import get_language

from lestweforget import geo
from lestweforget.atlas import filters, paging, public
from lestweforget.atlas.models import Event, Site, SiteName, choose_name
from lestweforget.exports.locale_text import date_text, month_text

from . import view_cells
from .models import ViewCell, ViewMonth
from .view_cells import IsoMonth

MIN_ZOOM: Final = 0
MAX_ZOOM: Final = 19
# A kept resolution → the finer kept one whose cells refine the cells a view's edge cuts (`view_cells.RESOLUTIONS`).
_FINER: Final = {5: 7}
# Up to this many sites in view come as points, not clusters.
POINT_LIMIT: Final = 250
# At most this many clusters in one answer: a view that would need more (a country-wide box asked at street zoom) is
# clustered on coarser cells until it fits, so no request makes an answer grow with the number of sites.
MAX_CLUSTERS: Final = 2000
# A cluster's marker is a disc `MARKER_SMALLEST` px across for one site, growing with the log of its count to at most
# `MARKER_LARGEST` (`marker_size`; the page draws each cluster at the "size" it carries and spaces nothing itself).
# Clusters whose centres are closer than the largest marker and a gap, in Web Mercator pixels at the request's zoom,
# are merged: a cluster is drawn at the mean of its sites, not its cell's centre, so two neighbouring cells' clusters
# can sit close by their shared edge (at zoom 4 a resolution-2 cell is only ~49 px across; a tester saw 36 pairs of
# counts overlap on the phone's first view of 6,000 sites).
MARKER_SMALLEST: Final = 26
MARKER_LARGEST: Final = 60
MARKER_GAP: Final = 4
SPACING_PX: Final = MARKER_LARGEST + MARKER_GAP
# Up to this many events in view and range come one by one; more as a histogram by month.
EVENT_LIMIT: Final = 200
# zoom (at most) → (H3 resolution shown, stored column grouped by). Each is the finest resolution whose cells are
# at least about 60 px across at that zoom in Ukraine's latitudes (a cell is about twice its edge across: H3's mean
# edge lengths; 102.7 km per 256 px tile at zoom 0 and 49° N), so neighbouring counts (markers up to 60 px) do not
# overlap: at zoom 3 resolution 1 is 75 px across, at zoom 6 resolution 3 is 86 px, at zoom 12 resolution 7 is 112 px.
# A black-box tester saw zooms 0-5 at resolution 3 draw 76 markers on top of each other.
RESOLUTIONS: Final = (
    (3, 1, 5),
    (5, 2, 5),
    (6, 3, 5),
    (8, 4, 5),
    (9, 5, 5),
    (11, 6, 7),
    (12, 7, 7),
    (13, 8, 9),
    (MAX_ZOOM, 9, 9),
)


class ViewportError(ValueError):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter


def resolution_for(zoom: int) -> tuple[int, int]:
    """(H3 resolution shown, stored resolution grouped by) for a web-map zoom level 0..19."""
    for most, shown, stored in RESOLUTIONS:
        if zoom <= most:
            return shown, stored
    raise ViewportError("zoom", f"give {MIN_ZOOM} to {MAX_ZOOM}")


def read_zoom(value: str | None) -> int:
    """A zoom level from a query parameter; raises ViewportError("zoom") unless a whole number 0..19."""
    try:
        zoom = int(value or "")
    except ValueError:
        raise ViewportError("zoom", f"give a whole number {MIN_ZOOM} to {MAX_ZOOM}") from None
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise ViewportError("zoom", f"give {MIN_ZOOM} to {MAX_ZOOM}")
    return zoom


def sites_in_view(chosen: filters.SiteFilters) -> QuerySet[Site]:
    """Published sites the filters (bbox included) keep. Bare queryset: no names, no settlement."""
    return filters.apply(Site.objects.filter(is_published=True), chosen)


@dataclass(frozen=True)
class Cluster:
    cell: str
    count: int
    lat: float
    lon: float

    def as_dict(self) -> dict[str, Any]:
        # A cluster marks where its sites are on a map at a wide zoom: 0.001° (about 100 m) is all it needs, and no
        # single generalised site in a cell gives its stored point away to more digits than its page shows.
        lat, lon = self.shown_at()
        return {"cell": self.cell, "count": self.count, "lat": lat, "lon": lon, "size": marker_size(self.count)}

    def shown_at(self) -> tuple[float, float]:
        """(lat, lon) as the answer gives them, rounded: the spacing is kept between the points the page draws."""
        return round(self.lat, 3), round(self.lon, 3)


def marker_size(count: int) -> int:
    """The diameter in CSS px of the disc that draws a cluster of ``count`` sites: 26 for one, at most 60."""
    return MARKER_SMALLEST + min(MARKER_LARGEST - MARKER_SMALLEST, round(math.log(max(count, 1)) * 5))


def _pixels(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """A point in Web Mercator pixels at ``zoom`` (256 px tiles, as Leaflet places a marker)."""
    scale = 256 * 2**zoom
    sin = math.sin(math.radians(max(-85.0511, min(85.0511, lat))))
    return (lon + 180) / 360 * scale, (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * scale


def spaced(found: list[Cluster], zoom: int, spacing: float = SPACING_PX) -> list[Cluster]:
    """The clusters with every two whose drawn centres are closer than ``spacing`` px at ``zoom`` merged into one:
    counts summed, the centre the mean of both clusters' sites, the cell that of the larger; repeated until no two
    are closer. Each pass takes the clusters largest first and merges each into a kept one within ``spacing`` (found
    in a grid of ``spacing``-px squares: the kept ones of its own and the eight neighbouring squares, few as they lie
    apart), else keeps it; a pass that merges nothing has kept every two apart."""
    current = sorted(found, key=lambda cluster: (-cluster.count, cluster.cell))
    while True:
        kept: list[Cluster] = []
        at: list[tuple[float, float]] = []
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        merges = 0
        for cluster in current:
            x, y = _pixels(*cluster.shown_at(), zoom)
            gx, gy = int(x // spacing), int(y // spacing)
            nearest, nearest_distance = -1, spacing
            for nx in (gx - 1, gx, gx + 1):
                for ny in (gy - 1, gy, gy + 1):
                    for other in grid.get((nx, ny), ()):
                        distance = math.hypot(at[other][0] - x, at[other][1] - y)
                        if distance < nearest_distance:
                            nearest, nearest_distance = other, distance
            if nearest < 0:
                grid[(gx, gy)].append(len(kept))
                kept.append(cluster)
                at.append((x, y))
                continue
            merges += 1
            old = at[nearest]
            grid[(int(old[0] // spacing), int(old[1] // spacing))].remove(nearest)
            kept[nearest] = _merged(kept[nearest], cluster)
            at[nearest] = _pixels(*kept[nearest].shown_at(), zoom)
            grid[(int(at[nearest][0] // spacing), int(at[nearest][1] // spacing))].append(nearest)
        current = sorted(kept, key=lambda cluster: (-cluster.count, cluster.cell))
        if not merges:
            return current


def _merged(one: Cluster, other: Cluster) -> Cluster:
    count = one.count + other.count
    larger = one if (one.count, other.cell) >= (other.count, one.cell) else other
    return Cluster(
        larger.cell,
        count,
        (one.lat * one.count + other.lat * other.count) / count,
        (one.lon * one.count + other.lon * other.count) / count,
    )


class _Sums:
    """Running count and coordinate sums of the clusters being built."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)
        self.lat_sums: dict[str, float] = defaultdict(float)
        self.lon_sums: dict[str, float] = defaultdict(float)

    def add(self, cell: str, count: int, lat_sum: float, lon_sum: float) -> None:
        self.counts[cell] += count
        self.lat_sums[cell] += lat_sum
        self.lon_sums[cell] += lon_sum

    def clusters(self) -> list[Cluster]:
        return sorted(
            (
                Cluster(cell, count, self.lat_sums[cell] / count, self.lon_sums[cell] / count)
                for cell, count in self.counts.items()
            ),
            key=lambda cluster: (-cluster.count, cluster.cell),
        )


def clusters(sites: QuerySet[Site], shown: int, stored: int) -> list[Cluster]:
    """Counts of ``sites`` per H3 cell at resolution ``shown``, grouped in the database by column h3_r``stored``."""
    sums = _Sums()
    _add_grouped(sums, sites, shown, stored)
    return sums.clusters()


def _add_grouped(sums: _Sums, sites: QuerySet[Site], shown: int, stored: int) -> None:
    column = f"h3_r{stored}"
    rows = (
        sites.order_by().values(column).annotate(n=Count("id"), lat=Sum("public_latitude"), lon=Sum("public_longitude"))
    )
    for row in rows:
        cell = row[column] if shown == stored else geo.h3_parent(row[column], shown)
        sums.add(cell, row["n"], row["lat"], row["lon"])


def counted_clusters(bbox: filters.BBox, shown: int, stored: int, kinds: Sequence[str] = ()) -> list[Cluster]:
    """The clusters of every published site in ``bbox`` (of the given ``kinds``; all without) from the kept cell sums
    (`view_cells`): a cell whose sites all lie in the box counts whole; the sites of cells the box's edge cuts are
    counted one by one."""
    return _counted(bbox, shown, stored, kinds)[0]


def _counted(bbox: filters.BBox, shown: int, stored: int, kinds: Sequence[str] = ()) -> tuple[list[Cluster], list[str]]:
    """`counted_clusters`, and the kept cells (at resolution ``stored``) that reach into the box: every published
    site in the box (of those kinds) is in one of them."""
    sums = _Sums()
    split = _split(bbox, stored, kinds)
    # A site's cluster is its cell at resolution ``stored`` (as `clusters` groups them) at ``shown``: a finer kept
    # row's sites are in its parent cell.
    for row in split.inside:
        cell = row.cell if row.resolution == stored else row.parent
        sums.add(cell if shown == stored else geo.h3_parent(cell, shown), row.count, row.lat_sum, row.lon_sum)
    column = f"h3_r{stored}"
    for kind, sites in split.edge_sites():
        rows = sites.values(*split.keys, column).annotate(
            n=Count("id"), lat=Sum("public_latitude"), lon=Sum("public_longitude")
        )
        for values in rows:
            if split.on_edge(values, kind):
                cell = values[column] if shown == stored else geo.h3_parent(values[column], shown)
                sums.add(cell, values["n"], values["lat"], values["lon"])
    return sums.clusters(), split.reaching


@dataclass(frozen=True)
class _Row:
    """A kept `ViewCell` row's key and sums."""

    resolution: int
    cell: str
    parent: str
    kind: str
    count: int
    lat_sum: float
    lon_sum: float


@dataclass
class _Split:
    """A box over the kept cells: the kept rows wholly inside it, and the rows at resolution ``level`` its edge cuts
    ((cell, parent, kind)), whose sites are to be looked at one by one; and the kept cells at the resolution asked
    that reach into it."""

    bbox: filters.BBox
    inside: list[_Row]
    level: int
    edge: set[tuple[str, str, str]]
    reaching: list[str]

    @property
    def keys(self) -> tuple[str, ...]:
        """The columns of `Site` that name an edge row: its cell, and its parent cell when it has one."""
        parent = view_cells.PARENT.get(self.level)
        return (f"h3_r{self.level}", parent) if parent else (f"h3_r{self.level}",)

    def on_edge(self, values: dict[str, Any], kind: str) -> bool:
        """Whether a group of sites (``values`` holding `keys`) belongs to an edge row of ``kind``."""
        parent = view_cells.PARENT.get(self.level)
        return (values[f"h3_r{self.level}"], values[parent] if parent else "", kind) in self.edge

    def edge_sites(self) -> list[tuple[str, QuerySet[Site]]]:
        """(kind, the published sites in the box of the edge rows of that kind, and maybe of other rows of their
        cells: keep only the groups `on_edge`), in chunks."""
        column = f"h3_r{self.level}"
        found = []
        for kind in sorted({kind for _, _, kind in self.edge}):
            cells = sorted({cell for cell, _, of in self.edge if of == kind})
            of_kind = {"kind": kind} if kind else {}
            for start in range(0, len(cells), 500):
                sites = Site.objects.filter(
                    is_published=True, **of_kind, **{f"{column}__in": cells[start : start + 500]}
                )
                found.append((kind, filters.in_bbox(sites, self.bbox).order_by()))
        return found


def _split(bbox: filters.BBox, stored: int, kinds: Sequence[str] = ()) -> _Split:
    """The kept rows at resolution ``stored`` (and the finer kept rows of those the edge cuts) split by ``bbox``."""
    # A cell's row for all its sites has kind ""; a cell holding sites of a kind has a row for them too. Each row
    # counts whole or is cut on its own: a cell's memorials may lie inside the box and its mass graves across its edge.
    wanted = list(kinds) or [""]
    inside: list[_Row] = []
    reaching: set[str] = set()
    cut: set[tuple[str, str, str]] = set()
    # The lower bound on `south` adds nothing to what is found (a cell reaching the box starts at most a cell's span
    # south of it) but keeps the scan of the (resolution, kind, south, north) index to a band of latitude: without
    # it, a city view at a million sites read the index of every cell south of the city. A box across the antimeridian
    # is two boxes; a cell is looked at once, and whole if it lies in either.
    parts = bbox.parts()
    touching = Q()
    for part in parts:
        touching |= Q(east__gte=part.west, west__lte=part.east)
    cells = ViewCell.objects.filter(
        touching,
        resolution=stored,
        kind__in=wanted,
        south__gte=bbox.south - geo.h3_latitude_span_deg(stored),
        south__lte=bbox.north,
        north__gte=bbox.south,
    ).values_list(*_KEPT)
    for cell, parent, kind, count, lat_sum, lon_sum, south, west, north, east in cells:
        reaching.add(cell)
        if _inside(bbox, parts, south, west, north, east):
            inside.append(_Row(stored, cell, parent, kind, count, lat_sum, lon_sum))
        else:
            cut.add((cell, parent, kind))
    # The cells the box's edge cuts are looked at again through their kept rows at the next finer resolution (those
    # of the sites in them, `view_cells.PARENT`; some 49 to a cell): rows wholly inside count whole, and only the
    # sites of rows the edge cuts are counted one by one. At a million sites an oblast's box cut some sixty
    # resolution-5 cells holding tens of thousands of sites.
    level = stored
    finer = _FINER.get(stored)
    if finer is not None and cut:
        refined: set[tuple[str, str, str]] = set()
        for kind in wanted:
            parents = sorted(cell for cell, _, of in cut if of == kind)
            for start in range(0, len(parents), 500):
                kept = ViewCell.objects.filter(
                    resolution=finer, kind=kind, parent__in=parents[start : start + 500]
                ).values_list(*_KEPT)
                for cell, parent, _kind, count, lat_sum, lon_sum, south, west, north, east in kept:
                    if _inside(bbox, parts, south, west, north, east):
                        inside.append(_Row(finer, cell, parent, kind, count, lat_sum, lon_sum))
                    elif (
                        south <= bbox.north
                        and north >= bbox.south
                        and any(p.west <= east and west <= p.east for p in parts)
                    ):
                        refined.add((cell, parent, kind))
        cut, level = refined, finer
    return _Split(bbox, inside, level, cut, sorted(reaching))


_KEPT: Final = ("cell", "parent", "kind", "count", "latitude_sum", "longitude_sum", "south", "west", "north", "east")


def _inside(
    bbox: filters.BBox, parts: Sequence[filters.BBox], south: float, west: float, north: float, east: float
) -> bool:
    """Whether a kept cell's box of sites lies wholly in ``bbox`` (in one of its ``parts`` across the antimeridian)."""
    return (
        south >= bbox.south and north <= bbox.north and any(p.west <= west and east <= p.east for p in parts)  # type: ignore[attr-defined]
    )


def rolled_up(found: list[Cluster], resolution: int) -> list[Cluster]:
    """The clusters merged into their parent cells at the coarser ``resolution``: counts summed, mean points kept."""
    sums = _Sums()
    for cluster in found:
        parent = geo.h3_parent(cluster.cell, resolution)
        sums.add(parent, cluster.count, cluster.lat * cluster.count, cluster.lon * cluster.count)
    return sums.clusters()


POINT_FIELDS: Final = (
    "pk",
    "slug",
    "kind",
    "public_latitude",
    "public_longitude",
    "public_uncertainty_m",
    "sensitivity",
)


def points(sites: QuerySet[Site], order: str = "pk") -> list[dict[str, Any]]:
    """The sites as map points at their public points, each named as its page names it for a reader of the active
    language (`Site.name`: theirs, English, Ukrainian, any; else the slug): two queries, whatever the number."""
    rows = list(sites.order_by(order).values(*POINT_FIELDS))
    language = (get_language() or "en").split("-")[0]
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for site_id, name_language, name in (
        SiteName.objects.filter(site_id__in=[row["pk"] for row in rows])
        .order_by("-is_primary", "pk")
        .values_list("site_id", "language", "name")
    ):
        names[site_id].setdefault(name_language, name)
    kinds = dict(Site.Kind.choices)
    for row in rows:
        # A generalised site is drawn where its page, the API and the downloads put it (the one rule in
        # atlas.public), never at the stored point's full digits.
        row["public_latitude"], row["public_longitude"] = public.published_point(
            row["public_latitude"],
            row["public_longitude"],
            row["public_uncertainty_m"],
            row["sensitivity"] == Site.Sensitivity.GENERALISED,
        )
    return [
        {
            "slug": row["slug"],
            "name": choose_name(names[row["pk"]], language) or row["slug"],
            "kind": row["kind"],
            "kind_label": str(kinds.get(row["kind"], row["kind"])),
            "lat": row["public_latitude"],
            "lon": row["public_longitude"],
            "uncertainty_m": row["public_uncertainty_m"],
            "generalised": row["sensitivity"] == Site.Sensitivity.GENERALISED,
            "url": f"/sites/{row['slug']}/",
        }
        for row in rows
    ]


def viewport(chosen: filters.SiteFilters, zoom: int) -> dict[str, Any]:
    """The sites in view: {"total", "zoom", "resolution", "clusters": [...]} or {"total", "zoom", "points": [...]}.

    ``chosen.bbox`` is required (ViewportError("bbox") without it).
    """
    if chosen.bbox is None:
        raise ViewportError("bbox", "give the view as west,south,east,north in degrees")
    shown, stored = resolution_for(zoom)
    sites = sites_in_view(chosen)
    # The kept sums serve a view narrowed by nothing but its box and kinds.
    only_the_box = filters.SiteFilters(bbox=chosen.bbox, kinds=chosen.kinds) == chosen
    if only_the_box and stored in view_cells.RESOLUTIONS:
        found, reaching = _counted(chosen.bbox, shown, stored, chosen.kinds)
        # The few sites in view are looked up by the indexed cells that hold them (no index serves a box of
        # latitudes and longitudes: without this, a city view read every site).
        in_cells = sites.filter(**{f"h3_r{stored}__in": reaching})
    else:
        sites = sites_in_view(without_a_box_holding_all(chosen))
        found = clusters(sites, shown, stored)
        in_cells = sites
    total = sum(cluster.count for cluster in found)
    if total <= POINT_LIMIT:
        return {"total": total, "zoom": zoom, "points": points(in_cells)}
    while len(found) > MAX_CLUSTERS and shown > 0:
        shown -= 1
        found = rolled_up(found, shown)
    found = spaced(found, zoom)
    return {
        "total": total,
        "zoom": zoom,
        "resolution": shown,
        "spacing_px": SPACING_PX,
        "clusters": [c.as_dict() for c in found],
    }


def site_list(chosen: filters.SiteFilters, limit: int, cursor: str = "") -> dict[str, Any]:
    """One page of the sites in view: {"items": [point...], "next_cursor"}, in slug order, or best match first when
    the filters search a name (`paging.ranked_page`)."""
    sites, ranks = filters.narrow(Site.objects.filter(is_published=True), without_a_box_holding_all(chosen))
    if ranks is None:
        page, next_cursor = paging.keyset_page(sites, ["slug"], [str], limit, cursor)
    else:
        page, next_cursor = paging.ranked_page(sites, ranks, limit, cursor)
    found = {point["slug"]: point for point in points(Site.objects.filter(pk__in=[site.pk for site in page]))}
    return {"items": [found[site.slug] for site in page], "next_cursor": next_cursor}


def events_in_view(chosen: filters.SiteFilters) -> QuerySet[Event]:
    """Events of the published sites in view (whatever their dates) that fall in the chosen range."""
    chosen = without_a_box_holding_all(chosen)
    if replace(chosen, date_from=None, date_to=None).is_empty:
        # The events of every published site: joined to their sites, not matched against a list of every site's id
        # (which both databases built first, for the whole atlas, before the first event came).
        return filters.in_range(Event.objects.filter(Event.sourced(), site__is_published=True), chosen)
    return filters.events_of(Site.objects.filter(is_published=True), chosen)


def without_a_box_holding_all(chosen: filters.SiteFilters) -> filters.SiteFilters:
    """``chosen`` without its box when the box holds every published site (the kept cells' boxes all lie in it),
    else as it is: the same sites either way. A box that leaves no site out narrows nothing, but its latitudes and
    longitudes still made both databases read every site in it through the (latitude, longitude) index, and sort
    them all for the first page of a list: at the country view of 100,000 sites, 0.7 s for a list and seconds for
    the timeline."""
    if chosen.bbox is None:
        return chosen
    extent = ViewCell.objects.filter(resolution=view_cells.RESOLUTIONS[0], kind="").aggregate(
        south=Min("south"), west=Min("west"), north=Max("north"), east=Max("east")
    )
    if extent["south"] is None or _inside(chosen.bbox, chosen.bbox.parts(), **extent):
        return replace(chosen, bbox=None)
    return chosen


def timeline(chosen: filters.SiteFilters) -> dict[str, Any]:
    """{"total", "events": [...]} for up to EVENT_LIMIT events, else
    {"total", "months": [{"month", "label", "count"}]}, every month from the first to the last (and the chosen range's)
    counted, 0 where none, "label" the month named in the active language.

    A view narrowed by nothing but its box and kinds is counted from the kept months (`kept_months`); with any other
    filter (a name, a status, an oblast or raion, "has photos", a date range) its events are counted one by one."""
    kept = kept_months(chosen)
    if kept is not None and sum(kept.values()) > EVENT_LIMIT:
        return _histogram(kept, chosen)
    events = events_in_view(chosen)
    first = list(events.select_related("site").order_by("date", "id")[: EVENT_LIMIT + 1])
    if len(first) <= EVENT_LIMIT:
        return {"total": len(first), "events": [_event(event) for event in first]}
    months = events.order_by().annotate(month=IsoMonth("date")).values("month").annotate(n=Count("id"))
    return _histogram({row["month"]: row["n"] for row in months}, chosen)


# A time axis longer than this (a range asked from year 1 to 9999) runs only over the months with events.
MOST_AXIS_MONTHS: Final = 1200


def _histogram(counts: dict[str, int], chosen: filters.SiteFilters) -> dict[str, Any]:
    """The months of a time axis with no gap: from the earlier of the chosen range's start and the first month with
    events to the later of the range's end and the last, a month without events counted 0."""
    counted = {month: n for month, n in counts.items() if n}
    if not counted:
        return {"total": 0, "months": []}
    first, last = _month_index(min(counted)), _month_index(max(counted))
    wider_first = min(first, _month_index(chosen.date_from.isoformat()[:7])) if chosen.date_from else first
    wider_last = max(last, _month_index(chosen.date_to.isoformat()[:7])) if chosen.date_to else last
    if wider_last - wider_first < MOST_AXIS_MONTHS:
        first, last = wider_first, wider_last
    axis = [f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(first, last + 1)]
    return {
        "total": sum(counted.values()),
        # "label": the month as the reader's language names it ("квітень 2022"), for the bar's title.
        "months": [{"month": month, "label": _month_label(month), "count": counted.get(month, 0)} for month in axis],
    }


def _month_index(month: str) -> int:
    """ "2022-09" as a count of months since year 0."""
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def kept_months(chosen: filters.SiteFilters) -> dict[str, int] | None:
    """{month: events} of the public events of the published sites in view, from the kept months (`ViewMonth`):
    cells wholly inside the box count whole (through their kept children along its edge), and only the events of
    sites in the finer cells the edge cuts are counted one by one; so the same as counting each event. None when
    the filters ask more than a box and kinds (a name, a status, an oblast or raion, a flag such as "has photos", a
    date range): the kept months cannot answer those."""
    if replace(chosen, bbox=None, kinds=()) != filters.SiteFilters():
        return None
    chosen = without_a_box_holding_all(chosen)
    wanted = list(chosen.kinds) or [""]
    counts: dict[str, int] = defaultdict(int)
    if chosen.bbox is None:
        # Every published site's events: the atlas-wide rows.
        rows = (
            ViewMonth.objects.filter(resolution=view_cells.ATLAS, cell="", kind__in=wanted)
            .values("month")
            .annotate(n=Sum("count"))
        )
        for row in rows:
            counts[row["month"]] += row["n"]
        return counts
    split = _split(chosen.bbox, view_cells.RESOLUTIONS[0], chosen.kinds)
    whole: dict[tuple[int, str], list[_Row]] = defaultdict(list)
    for row in split.inside:
        whole[row.resolution, row.kind].append(row)
    for (level, kind), rows in whole.items():
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            keys = {(row.cell, row.parent) for row in chunk}
            months = (
                ViewMonth.objects.filter(resolution=level, kind=kind, cell__in={row.cell for row in chunk})
                .values_list("cell", "parent", "month", "count")
                .iterator()
            )
            for cell, parent, month, n in months:
                if (cell, parent) in keys:
                    counts[month] += n
    for kind, sites in split.edge_sites():
        events = Event.objects.filter(Event.sourced(), site__in=sites.values("pk"))
        site_keys = {key: f"site__{key}" for key in split.keys}
        rows = events.order_by().values(*site_keys.values(), month=IsoMonth("date")).annotate(n=Count("id"))
        for values in rows:
            if split.on_edge({key: values[name] for key, name in site_keys.items()}, kind):
                counts[values["month"]] += values["n"]
    return counts


def _month_label(month: str) -> str:
    return month_text(dt.date.fromisoformat(f"{month}-01"), get_language() or "en")


def _event(event: Event) -> dict[str, Any]:
    site = event.site
    return {
        "date": event.date.isoformat(),
        "date_end": event.date_end.isoformat() if event.date_end else None,
        # As the site pages tell it, in the active language ("14 вересня 2022", "з квітня 2022 до серпня 2022").
        "when": date_text(event.date, event.precision, get_language() or "en", event.date_end),
        "kind": event.kind,
        "title": event.localized("title"),
        "site": site.slug if site else None,
    }
