"""When rows describe the same place and happening: the merge rule, and an index of sites to match rows against.

A row joins a site (one already stored, or one an earlier row of the same import made) when either

- its point is within `MergeRule.distance_m` of the site's point and its date within `MergeRule.window_days` of
  one of the site's dates (its events' dates and date ranges, its status changes); or
- its title is one of the site's names (compared without case, punctuation or extra spaces) and its point is
  within `MergeRule.name_distance_m`: the same name farther away is another place ("Train transporting
  equipment" happens all over a country).

Of several matching sites the nearest wins. Rows of one site with the same date and title are one event with
several sources.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import h3

from lestweforget import geo

INDEX_RESOLUTION = 7  # H3 resolution 7: cells about 1.2 km across, a handful cover a merge radius.


@dataclass(frozen=True)
class MergeRule:
    """The thresholds: metres for place and date, days either side for the date, metres for the same name."""

    distance_m: float = 250.0
    window_days: int = 7
    name_distance_m: float = 2000.0

    def describe(self) -> str:
        return (
            f"same site when within {self.distance_m:g} m and {self.window_days} days of one of its dates, "
            f"or the same name within {self.name_distance_m:g} m; same event when the same site, day and title"
        )

    @property
    def search_radius_m(self) -> float:
        return max(self.distance_m, self.name_distance_m)


def name_key(text: str) -> str:
    """A name made comparable: lower case, letters and digits only, single spaces."""
    return " ".join(re.findall(r"\w+", text.casefold()))


@dataclass
class SiteCandidate:
    """A site rows may join: its ``key`` (slug, or a provisional key for one this import makes), precise point,
    names (as `name_key`s) and date spans (start, end); rows that join add their names and dates."""

    key: str
    point: geo.LatLon
    names: set[str] = field(default_factory=set)
    spans: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    existing: bool = True

    def days_from(self, date: dt.date) -> int | None:
        """Days between ``date`` and the nearest of the site's spans (0 inside one), None when it has none."""
        gaps = [max((start - date).days, (date - end).days, 0) for start, end in self.spans]
        return min(gaps) if gaps else None

    def add(self, name: str, start: dt.date, end: dt.date | None) -> None:
        if key := name_key(name):
            self.names.add(key)
        self.spans.append((start, end or start))


@dataclass(frozen=True)
class Match:
    """Why a row joins ``site``: ``reason`` is "place and date" or "name", with the distance and day gap."""

    site: SiteCandidate
    reason: str
    distance_m: float
    days: int | None


def find_match(
    rule: MergeRule, point: geo.LatLon, title: str, date: dt.date, candidates: list[SiteCandidate]
) -> Match | None:
    """The nearest of ``candidates`` the rule lets a row at ``point`` titled ``title`` on ``date`` join."""
    wanted_name = name_key(title)
    best: Match | None = None
    for site in candidates:
        distance = geo.distance_m(point, site.point)
        days = site.days_from(date)
        if distance <= rule.distance_m and days is not None and days <= rule.window_days:
            match = Match(site, "place and date", distance, days)
        elif wanted_name and wanted_name in site.names and distance <= rule.name_distance_m:
            match = Match(site, "name", distance, days)
        else:
            continue
        if best is None or match.distance_m < best.distance_m:
            best = match
    return best


class SiteIndex:
    """Sites by H3 cell, for finding the candidates near a point without looking at every site.

    ``load(cells)``, when given, is asked once per cell not yet seen for the stored sites there, so the index
    fills from the database only where rows fall."""

    def __init__(self, rule: MergeRule, load: object = None) -> None:
        self.rule = rule
        self._load = load
        self._by_cell: dict[str, list[SiteCandidate]] = {}
        self._loaded: set[str] = set()
        self._keys: set[str] = set()
        self._cells_near: dict[str, frozenset[str]] = {}

    def add(self, site: SiteCandidate) -> None:
        if site.key in self._keys:
            return
        self._keys.add(site.key)
        self._by_cell.setdefault(geo.h3_cell(site.point, INDEX_RESOLUTION), []).append(site)

    def near(self, point: geo.LatLon) -> list[SiteCandidate]:
        """The sites in the cells that could hold one within the rule's search radius of ``point`` (a superset:
        `find_match` measures the distance)."""
        origin = geo.h3_cell(point, INDEX_RESOLUTION)
        cells = self._cells_near.get(origin)
        if cells is None:
            # Cells near the origin cell's centre, the radius widened by the cell's own size (with a margin for
            # distorted cells), serve every point inside that cell.
            widened_km = self.rule.search_radius_m / 1000.0 + 1.5 * h3.average_hexagon_edge_length(
                INDEX_RESOLUTION, "km"
            )
            cells = geo.cells_within(geo.h3_centre(origin), widened_km, INDEX_RESOLUTION)
            self._cells_near[origin] = cells
        missing = cells - self._loaded
        if missing and callable(self._load):
            for site in self._load(missing):
                self.add(site)
        self._loaded |= cells
        return [site for cell in cells for site in self._by_cell.get(cell, [])]
