"""What a reader may narrow the public sites to: a bounding box, a name in any spelling, kinds, statuses, oblasts and
raions (by KATOTTG code or name, `units`), a date range and "has photos". The atlas page, its viewport, the API and
the whole-atlas exports read the same parameters through `parse` and apply them through `apply`, so a cited view
and its download hold the same sites.

Other apps widen what can be asked without the atlas knowing them: the name search (`register_name_search`, by
default a plain case-insensitive match of the site's names) and flag filters such as "has photos"
(`register_flag`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Final

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lestweforget.geo import admin_units

from . import units
from .models import Event, Site, StatusChange

# The longest search text read; longer text is refused, not cut.
MAX_QUERY_CHARS: Final = 200


class FilterError(ValueError):
    """A filter parameter that cannot be read; ``parameter`` names it, the message says why; ``status`` is the
    HTTP status a request that sent it gets (400)."""

    status = 400

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message

    def for_reader(self) -> str:
        """The message for a page in the active language, the parameter named as the address spells it."""
        return _("«%(parameter)s» in the address: %(message)s") % {"parameter": self.parameter, "message": self.message}


class UnknownUnit(FilterError):
    """An oblast or raion that is well written but names no unit (or none in the chosen oblast): a 422."""

    status = 422


@dataclass(frozen=True)
class BBox:
    """A bounding box in WGS 84 degrees: west and east longitudes, south and north latitudes (south ≤ north).

    West greater than east is a box that crosses the antimeridian (RFC 7946 §5.2: 170,-10,-170,10 spans 20° of
    longitude, from 170°E eastwards to 170°W); `parts` splits it in two."""

    west: float
    south: float
    east: float
    north: float

    def as_param(self) -> str:
        return f"{self.west},{self.south},{self.east},{self.north}"

    @property
    def crosses_antimeridian(self) -> bool:
        return self.west > self.east

    def parts(self) -> tuple[BBox, ...]:
        """The box as boxes that do not cross the antimeridian (west ≤ east): itself, or west..180 and -180..east."""
        if not self.crosses_antimeridian:
            return (self,)
        return BBox(self.west, self.south, 180.0, self.north), BBox(-180.0, self.south, self.east, self.north)


@dataclass(frozen=True)
class SiteFilters:
    bbox: BBox | None = None
    q: str = ""
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    oblasts: tuple[str, ...] = ()
    raions: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    flags: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return self == SiteFilters()


# text -> [(site id, rank)], best first: rank descending (a whole number), then id.
NameSearch = Callable[[str], list[tuple[int, int]]]
_flags: dict[str, Callable[[QuerySet[Site]], QuerySet[Site]]] = {}


def _names_containing(text: str) -> list[tuple[int, int]]:
    found = Site.objects.filter(names__name__icontains=text.strip()).values_list("pk", flat=True).distinct()
    return [(pk, 0) for pk in sorted(found)]


_search: list[NameSearch] = [_names_containing]


def register_name_search(search: NameSearch) -> None:
    """Find sites by name with ``search(text) -> [(site id, rank)], best first`` instead of the plain match."""
    _search[0] = search


def register_flag(name: str, narrow: Callable[[QuerySet[Site]], QuerySet[Site]]) -> None:
    """Offer a yes/no filter ``name`` (a query parameter "name=1") that narrows public sites with ``narrow``."""
    _flags[name] = narrow


def flags() -> tuple[str, ...]:
    return tuple(_flags)


def search_ids(text: str) -> list[int]:
    """Site ids matching ``text`` by name, best first (through the registered search)."""
    return [site_id for site_id, _ in _search[0](text)]


def search_ranks(text: str) -> dict[int, int]:
    """{site id: rank} of the sites matching ``text`` by name, higher rank the better match."""
    return dict(_search[0](text))


def narrow(queryset: QuerySet[Site], filters: SiteFilters) -> tuple[QuerySet[Site], dict[int, int] | None]:
    """`apply`, and with a name to search for, each kept site's match rank ({site id: rank}; None without ``q``),
    so a list can put the best match first (`paging.ranked_page`); the search runs once."""
    if not filters.q:
        return apply(queryset, filters), None
    ranks = search_ranks(filters.q)
    return apply(queryset, replace(filters, q="")).filter(pk__in=list(ranks)), ranks


def parse_bbox(value: str, parameter: str = "bbox") -> BBox:
    """ "west,south,east,north" in degrees → BBox, west > east crossing the antimeridian (RFC 7946 §5.2); raises
    FilterError for anything else, out of range, or south above north."""
    parts = value.split(",")
    if len(parts) != 4:
        raise FilterError(parameter, _("give four numbers, west,south,east,north in degrees"))
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise FilterError(parameter, _("give four numbers, west,south,east,north in degrees")) from None
    if not all(-180 <= lon <= 180 for lon in (west, east)) or not all(-90 <= lat <= 90 for lat in (south, north)):
        raise FilterError(parameter, _("longitudes must lie in -180..180 and latitudes in -90..90"))
    if south > north:
        raise FilterError(parameter, _("south must not exceed north (a west above east crosses the antimeridian)"))
    return BBox(west, south, east, north)


def _date(params: Mapping[str, str], name: str) -> dt.date | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FilterError(name, _("“%(value)s” is not a date; give YYYY-MM-DD") % {"value": value}) from None


def _choices(params: Mapping[str, str], name: str, allowed: list[str]) -> tuple[str, ...]:
    value = (params.get(name) or "").strip()
    if not value:
        return ()
    chosen = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [part for part in chosen if part not in allowed]
    if unknown:
        raise FilterError(
            name, _("“%(value)s” is not one of %(choices)s") % {"value": unknown[0], "choices": ", ".join(allowed)}
        )
    return chosen


def _units(params: Mapping[str, str], name: str, level: str, within: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The codes of the units of ``level`` that parameter ``name`` names (comma-separated codes or names in any
    spelling, `admin_units.resolve`); raions only among those of the oblasts ``within`` when some are chosen."""
    value = (params.get(name) or "").strip()
    if not value:
        return ()
    if len(value) > MAX_QUERY_CHARS:
        raise FilterError(name, _("at most %(count)d characters") % {"count": MAX_QUERY_CHARS})
    known = units.stored_units()
    codes: list[str] = []
    for part in filter(None, (part.strip() for part in value.split(","))):
        found = admin_units.resolve(part, level, known)
        if not found:
            unknown = (
                _("“%(name)s” is not an oblast of Ukraine")
                if level == "oblast"
                else _("“%(name)s” is not a raion of Ukraine")
            )
            raise UnknownUnit(name, unknown % {"name": part})
        if within and not (found := tuple(unit for unit in found if unit.parent in within)):
            raise UnknownUnit(name, _("“%(name)s” is not a raion of the chosen oblast") % {"name": part})
        codes.extend(unit.code for unit in found if unit.code not in codes)
    return tuple(codes)


def parse_units(params: Mapping[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The codes of the oblasts and the raions that parameters "oblast" and "raion" name; FilterError if either
    cannot be read or names no unit (`UnknownUnit`)."""
    oblasts = _units(params, "oblast", admin_units.OBLAST)
    return oblasts, _units(params, "raion", admin_units.RAION, within=oblasts)


def parse(params: Mapping[str, str]) -> SiteFilters:
    """Filters from query parameters: bbox, q, kind (comma-separated), status, oblast and raion (comma-separated
    KATOTTG codes, OCHA P-codes or names in English, Ukrainian or Russian), from, to, and each flag.

    Raises FilterError naming the first parameter that cannot be read.
    """
    bbox_text = (params.get("bbox") or "").strip()
    q = (params.get("q") or "").strip()
    if len(q) > MAX_QUERY_CHARS:
        raise FilterError("q", _("at most %(count)d characters") % {"count": MAX_QUERY_CHARS})
    if any(ord(char) < 32 or ord(char) == 127 for char in q):
        raise FilterError("q", _("control characters are not allowed"))
    date_from, date_to = _date(params, "from"), _date(params, "to")
    if date_from and date_to and date_from > date_to:
        raise FilterError("from", _("the start of the range is after its end"))
    chosen_flags = []
    for name in _flags:
        value = (params.get(name) or "").strip().lower()
        if value in ("1", "true", "yes", "on"):
            chosen_flags.append(name)
        elif value not in ("", "0", "false", "no", "off"):
            raise FilterError(name, _("give 1 or 0"))
    oblasts, raions = parse_units(params)
    return SiteFilters(
        bbox=parse_bbox(bbox_text) if bbox_text else None,
        q=q,
        kinds=_choices(params, "kind", Site.Kind.values),
        statuses=_choices(params, "status", StatusChange.Status.values),
        oblasts=oblasts,
        raions=raions,
        date_from=date_from,
        date_to=date_to,
        flags=tuple(chosen_flags),
    )


def in_bbox(queryset: QuerySet[Site], bbox: BBox) -> QuerySet[Site]:
    """Sites whose point as published (`public.published_coordinates`: a generalised one rounded) lies in ``bbox``
    (edges included; both sides of the antimeridian when it crosses): a reader's box keeps exactly the points the
    reader is shown inside it."""
    inside = Q()
    for part in bbox.parts():
        inside |= Q(published_longitude__gte=part.west, published_longitude__lte=part.east)
    return queryset.filter(inside, published_latitude__gte=bbox.south, published_latitude__lte=bbox.north)


def apply(queryset: QuerySet[Site], filters: SiteFilters, with_bbox: bool = True) -> QuerySet[Site]:
    """``queryset`` (public sites) narrowed by every filter given; the bbox only when ``with_bbox``."""
    if with_bbox and filters.bbox is not None:
        queryset = in_bbox(queryset, filters.bbox)
    if filters.q:
        queryset = queryset.filter(pk__in=search_ids(filters.q))
    if filters.kinds:
        queryset = queryset.filter(kind__in=filters.kinds)
    if filters.statuses:
        queryset = queryset.filter(pk__in=StatusChange.objects.filter(status__in=filters.statuses).values("site_id"))
    if filters.oblasts:
        queryset = queryset.filter(oblast_code__in=filters.oblasts)
    if filters.raions:
        queryset = queryset.filter(raion_code__in=filters.raions)
    if filters.date_from or filters.date_to:
        events = Event.objects.filter(site__isnull=False)
        if filters.date_from:
            events = events.filter(Q(date__gte=filters.date_from) | Q(date_end__gte=filters.date_from))
        if filters.date_to:
            events = events.filter(date__lte=filters.date_to)
        queryset = queryset.filter(pk__in=events.values("site_id"))
    for name in filters.flags:
        queryset = _flags[name](queryset)
    return queryset


def events_of(sites: QuerySet[Site], filters: SiteFilters) -> QuerySet[Event]:
    """Events of the given sites narrowed by the filters (all but the dates), in the filters' date range; only those
    that cite a source, as everywhere public (`Event.sourced`)."""
    undated = SiteFilters(**{**filters.__dict__, "date_from": None, "date_to": None})
    return in_range(Event.objects.filter(Event.sourced(), site__in=apply(sites, undated).values("pk")), filters)


def in_range(events: QuerySet[Event], filters: SiteFilters) -> QuerySet[Event]:
    """``events`` that fall in the filters' date range: from its start (or lasting into it) to its end."""
    if filters.date_from:
        events = events.filter(Q(date__gte=filters.date_from) | Q(date_end__gte=filters.date_from))
    if filters.date_to:
        events = events.filter(date__lte=filters.date_to)
    return events


def as_params(filters: SiteFilters) -> dict[str, str]:
    """The query parameters that `parse` reads back into ``filters`` (empty ones left out)."""
    params = {
        "bbox": filters.bbox.as_param() if filters.bbox else "",
        "q": filters.q,
        "kind": ",".join(filters.kinds),
        "status": ",".join(filters.statuses),
        "oblast": ",".join(filters.oblasts),
        "raion": ",".join(filters.raions),
        "from": filters.date_from.isoformat() if filters.date_from else "",
        "to": filters.date_to.isoformat() if filters.date_to else "",
        **dict.fromkeys(filters.flags, "1"),
    }
    return {key: value for key, value in params.items() if value}
