"""What the public may see, and nothing else: the one place pages, exports and the API take their records from.

A public site is a published one, and its point is always the public point (the generalised one for sensitive sites).
Nothing here reads `Site.latitude`/`Site.longitude`, so a restricted point cannot leak through these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.lookups import IsNull
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from lestweforget import geo
from lestweforget.exports import STREAMED, Collection, PlaceFeature, plain_values
from lestweforget.exports.locale_text import distance_text

from . import site_parts
from .models import Approach, Claim, Event, Site, SiteName, Source, StatusChange


def public_sites() -> QuerySet[Site]:
    return (
        Site.objects.filter(is_published=True)
        .select_related("settlement", "location_source")
        .prefetch_related(Prefetch("names", queryset=SiteName.objects.order_by("language", "-is_primary", "id")))
    )


def public_site(slug: str) -> Site:
    """The published site with this slug; raises Site.DoesNotExist for an unknown or unpublished one."""
    return public_sites().select_related("approach").get(slug=slug)


def cited_by(rows: QuerySet[Any]) -> IsNull:
    """Whether ``rows`` (a query correlated with the outer row through OuterRef) holds a row: a scalar subquery that
    reads its first row only. Not EXISTS: PostgreSQL turns an EXISTS under OR into a hashed subplan, built once per
    query from every row of the table, where this one is run per outer row through the table's index."""
    return IsNull(Subquery(rows.order_by().values("pk")[:1]), False)


def has_published_site(settlement: str = "settlement_id") -> IsNull:
    """Whether the settlement an outer row's ``settlement`` column names has a published site, through the
    (settlement, is_published) index for that one settlement, never every site."""
    return cited_by(Site.objects.filter(settlement_id=OuterRef(settlement), is_published=True))


def public_event_rule(prefix: str = "") -> Q:
    """The events the public may see, as a filter on Event (or, with ``prefix`` "event__", on a row that points at
    one): those of a published site, and those of a settlement that has a published site. Checked row by row through
    indexes, so a page of events read in date order costs the same at any size."""
    return Q(**{f"{prefix}site__is_published": True}) | Q(has_published_site(f"{prefix}settlement_id"))


def public_events(site: Site | None = None) -> QuerySet[Event]:
    """Events of published sites and of the settlements they belong to, oldest first; only those that cite a
    source (every fact on a public page does)."""
    events = Event.objects.filter(Event.sourced()).select_related("site", "settlement").prefetch_related("sources")
    if site is not None:
        owner = Q(site=site)
        if site.settlement_id:
            owner |= Q(settlement_id=site.settlement_id)
        return events.filter(owner)
    return events.filter(public_event_rule())


def public_claims(site: Site) -> QuerySet[Claim]:
    return site.claims.select_related("source", "subject").order_by("subject__key", "asserted", "id")


@dataclass(frozen=True)
class ClaimGroup:
    """Every claim about one subject (its key and its label in the reader's language), side by side; `disputed`
    when the sources do not agree on one value."""

    subject: str
    label: str
    claims: tuple[Claim, ...]

    @property
    def disputed(self) -> bool:
        values = {c.number if c.number is not None else c.value for c in self.claims}
        return len(values) > 1 or any(c.status == Claim.Status.DISPUTED for c in self.claims)


def claim_groups(site: Site) -> list[ClaimGroup]:
    groups = []
    for subject, claims in groupby(public_claims(site), key=lambda c: c.subject):
        groups.append(ClaimGroup(subject=subject.key, label=subject.localized("label"), claims=tuple(claims)))
    return groups


def public_directions(site: Site) -> Approach | None:
    """The site's approach when its start point and directions may be published; never for a generalised site,
    whose directions lead to the precise place (its safety notes are public either way, through `site.approach`)."""
    if site.is_generalised:
        return None
    return getattr(site, "approach", None)


def settlement_offset(site: Site) -> geo.Offset | None:
    """How far and which way the site's public point lies from its settlement's centre."""
    if site.settlement is None:
        return None
    return geo.describe_offset(site.settlement.point, site.public_point)


# --- Generalised sites: one rule for every page, export, API answer and guide --------------------------------
# A generalised site's public point stands for a whole grid cell. Every form of it, every distance from it and
# the latitude/longitude the API and the downloads give are only as precise as its public radius allows
# (`geo.precision_for_radius`, `geo.distance_step_m`); no direction buttons or start point lead to it.


def public_precision(site: Site) -> geo.Precision:
    """How many digits the site's public point may be written with: all of them unless it is generalised."""
    return geo.precision_for_radius(site.public_uncertainty_m) if site.is_generalised else geo.FULL


def published_coordinates(site: Site) -> tuple[float, float]:
    """(latitude, longitude) as the API and downloads give them: a generalised site's rounded to its precision.
    The same values are stored in `Site.published_latitude`/`published_longitude` for queries (the bbox filter)."""
    return published_point(site.public_latitude, site.public_longitude, site.public_uncertainty_m, site.is_generalised)


def published_point(latitude: float, longitude: float, uncertainty_m: float, generalised: bool) -> tuple[float, float]:
    """`published_coordinates` from a row's values (degrees, metres) rather than a Site, for code that reads
    many rows with `.values()` (the map's viewport): a generalised point rounded to the digits its radius allows."""
    if not generalised:
        return latitude, longitude
    return geo.rounded_point(latitude, longitude, uncertainty_m)


def distance_step_m(site: Site) -> int:
    """The step distances to the site are told in: 0 (as measured) unless it is generalised."""
    return geo.distance_step_m(site.public_uncertainty_m) if site.is_generalised else 0


def offers_directions(site: Site) -> bool:
    """Whether the page may offer map apps' directions to the site: never to a generalised one."""
    return not site.is_generalised


COMPASS_WORDS = {
    "N": gettext_lazy("north"),
    "NE": gettext_lazy("north-east"),
    "E": gettext_lazy("east"),
    "SE": gettext_lazy("south-east"),
    "S": gettext_lazy("south"),
    "SW": gettext_lazy("south-west"),
    "W": gettext_lazy("west"),
    "NW": gettext_lazy("north-west"),
}


def compass_word(point: str) -> str:
    """An eight-point compass name ("NE") in the active language ("north-east", "північний схід")."""
    word = COMPASS_WORDS.get(point)
    return str(word) if word else geo.COMPASS_NAMES_EN.get(point, point)


def reader_language() -> str:
    return (get_language() or "en").split("-")[0]


def settlement_offset_text(site: Site) -> str:
    """Where the site lies from its settlement's centre, in the active language: "1.3 km north-west of central
    Izium"; for a generalised site rounded to its step, with no bearing ("within about 2 km of central Izium");
    "" without a settlement."""
    offset = settlement_offset(site)
    if offset is None or site.settlement is None:
        return ""
    step = distance_step_m(site)
    place = site.settlement.localized("name")
    distance = distance_text(offset.distance_m, reader_language(), step)
    if step and geo.rounded_distance_m(offset.distance_m, site.public_uncertainty_m) == 0:
        return _("%(distance)s of central %(place)s") % {"distance": distance, "place": place}
    text: str = _("%(distance)s %(direction)s of central %(place)s") % {
        "distance": distance,
        "direction": compass_word(offset.compass),
        "place": place,
    }
    return text


def location_forms(site: Site) -> geo.LocationForms:
    """The site's public point in every form, as precise as it may be written (`public_precision`); a form the
    point lacks (SK-42 outside its zones) is marked, not fatal."""
    return geo.location_forms(site.public_point, site.public_uncertainty_m, public_precision(site))


def cited_sources(site: Site) -> list[Source]:
    """Every source the site's public page cites, oldest first, each once."""
    return list(cited_source_query(site).order_by("published", "key"))


def cited_source_query(site: Site) -> QuerySet[Source]:
    """The sources the site's public page cites (see `cited_sources`), unordered: what the API pages through."""
    ids: set[int] = set(public_claims(site).values_list("source_id", flat=True))
    ids |= set(site.statuses.values_list("source_id", flat=True))
    ids |= set(Event.sources.through.objects.filter(event__in=public_events(site)).values_list("source_id", flat=True))
    # A generalised site's location and directions sources say where it is precisely, so they are not listed
    # unless something public cites them too.
    if not site.is_generalised and site.location_source_id:
        ids.add(site.location_source_id)
    if (directions := public_directions(site)) is not None:
        ids |= set(directions.sources.values_list("id", flat=True))
    return Source.objects.filter(id__in=ids)


def public_sources() -> QuerySet[Source]:
    """Every source some published site's page cites (see `cited_sources`), as one query.

    Each way a page can cite a source is a correlated subquery (`cited_by`) through the index on the citing row's
    source column, so the sources read in id order (`paging.keyset_page`) are checked one by one and a page stops after
    ``limit`` of them, however many sources, sites and events there are.
    """
    shown_point = Q(is_published=True) & ~Q(sensitivity=Site.Sensitivity.GENERALISED)
    source = OuterRef("pk")
    cited = (
        Q(cited_by(Claim.objects.filter(source_id=source, site__is_published=True)))
        | Q(cited_by(StatusChange.objects.filter(source_id=source, site__is_published=True)))
        | Q(cited_by(Event.sources.through.objects.filter(public_event_rule("event__"), source_id=source)))
        | Q(cited_by(Site.objects.filter(shown_point, location_source_id=source)))
        | Q(
            cited_by(
                Approach.sources.through.objects.filter(source_id=source, approach__site__is_published=True).exclude(
                    approach__site__sensitivity=Site.Sensitivity.GENERALISED
                )
            )
        )
    )
    return Source.objects.filter(cited)


def site_url(site: Site, base_url: str, language: str = "en") -> str:
    """The site page's address in ``language``: ".../sites/<slug>/", ".../uk/sites/<slug>/" (a Ukrainian export
    links to the Ukrainian page)."""
    with translation.override(language if language in dict(settings.LANGUAGES) else "en"):
        return base_url.rstrip("/") + reverse("site", args=[site.slug])


# The properties `site_feature` gives every site: a streamed CSV's columns are fixed before its first row.
SITE_PROPERTY_KEYS = ("kind_label", "settlement", "location_generalised")
# Sites read from the database and written per chunk of a streamed export.
EXPORT_CHUNK = 1000


def site_feature(site: Site, base_url: str) -> PlaceFeature:
    """A published site as a map feature, at its public point only."""
    return PlaceFeature(
        id=site.slug,
        name=site.name(),
        latitude=published_coordinates(site)[0],
        longitude=published_coordinates(site)[1],
        kind=site.kind,
        description=site.localized("summary"),
        url=site_url(site, base_url, reader_language()),
        uncertainty_m=site.public_uncertainty_m,
        properties={
            # The enum, not get_kind_display(), which rebuilds the hashable choices on every call: 3 ms a site in an
            # export of thousands.
            "kind_label": str(Site.Kind(site.kind).label) if site.kind in Site.Kind.values else site.kind,
            "settlement": site.settlement.localized("name") if site.settlement else "",
            "location_generalised": site.is_generalised,
        },
    )


def collection(sites: Iterable[Site], base_url: str, title: str, url: str = "") -> Collection:
    """Published sites as one export. Like every export built here, its text holds no control character, whatever
    rows stored before the input rule may hold (`exports.plain_values`), so every format can write it."""
    return plain_values(
        Collection(
            title=title,
            features=tuple(site_feature(site, base_url) for site in sites),
            url=url or base_url,
            generated_at=timezone.now().replace(microsecond=0),
            language=reader_language(),
        )
    )


def export_stream(fmt: str, sites: QuerySet[Site], base_url: str, title: str) -> Iterator[str]:
    """The export of ``sites`` (public ones, already filtered) in format ``fmt`` as pieces of text.

    Every format streams: sites are read EXPORT_CHUNK at a time (`QuerySet.iterator`) and each chunk is made plain
    (`exports.plain_values`) and written before the next is read, so memory stays flat (`exports.STREAMED`; KML
    declares a style for every site kind up front). Raises KeyError for an unknown format, ExportError for a record
    that cannot be written.
    """
    head = plain_values(
        Collection(title=title, features=(), url=base_url, generated_at=_now(), language=reader_language())
    )
    yield from STREAMED[fmt](head, _chunks(sites, base_url), SITE_PROPERTY_KEYS, Site.Kind.values)


def _now() -> dt.datetime:
    return timezone.now().replace(microsecond=0)


def _chunks(sites: QuerySet[Site], base_url: str) -> Iterator[Collection]:
    batch: list[PlaceFeature] = []
    for site in sites.order_by("pk").iterator(chunk_size=EXPORT_CHUNK):
        batch.append(site_feature(site, base_url))
        # Prefetching leaves the site and its names referring to each other: a cycle only the cyclic garbage
        # collector frees, at its own pace, so rows would pile up between its runs. Dropped, each chunk is freed by
        # reference counting as the next is read.
        site._prefetched_objects_cache.clear()  # type: ignore[attr-defined]
        if len(batch) >= EXPORT_CHUNK:
            yield plain_values(Collection(title="", features=tuple(batch), url=base_url))
            batch = []
    if batch:
        yield plain_values(Collection(title="", features=tuple(batch), url=base_url))


def site_collection(site: Site, base_url: str) -> Collection:
    """One site's export: the site, its approach's start point, and what other apps add (each public diary's
    waypoints and route, see `site_parts`). For a generalised site, no start point: it would give the precise
    place away (and the parts keep to the same rule)."""
    url = site_url(site, base_url, reader_language())
    features = [site_feature(site, base_url)]
    if (directions := public_directions(site)) is not None:
        features.append(start_feature(site, directions, base_url))
    more_features, tracks = site_parts.export_contributions(site, base_url)
    features += more_features
    return plain_values(
        Collection(
            title=site.name(),
            features=tuple(features),
            tracks=tuple(tracks),
            url=url,
            generated_at=timezone.now().replace(microsecond=0),
            language=reader_language(),
        )
    )


def start_feature(site: Site, approach: Approach, base_url: str) -> PlaceFeature:
    """The approach's start point, its safety notes first, then the directions."""
    text = "\n\n".join(part for part in (approach.localized("safety"), approach.localized("directions")) if part)
    return PlaceFeature(
        id=f"{site.slug}-start",
        name=_("Start: %(place)s") % {"place": approach.localized("start_name")},
        latitude=approach.start_latitude,
        longitude=approach.start_longitude,
        kind="start_point",
        description=text,
        url=f"{site_url(site, base_url, reader_language())}#getting-there",
        properties={
            "mode": str(approach.get_mode_display()),
            "last_checked": approach.last_checked.isoformat(),
        },
    )
