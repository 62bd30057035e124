"""`lwf import article` and the editors' upload form: an article's bytes into the evidence store and a draft.

The bytes are hashed before anything parses them, stored write-once under that hash and recorded in the ledger
through the same store, lock and ledger functions the photo import uses. A file that cannot be read as an
article (a PDF, an image, a broken encoding, another language) is kept all the same and recorded as refused,
with nothing else created. One that can becomes a Source pointing at the archived copy and a draft of proposed
items, all in one transaction, none of them public. The same bytes imported again change nothing.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify

from lestweforget import geo
from lestweforget.articles import (
    MAX_ARTICLE_BYTES,
    ArticleError,
    ArticleFindings,
    Figure,
    Place,
    find_in_article,
    read_article,
)
from lestweforget.articles.gazetteer import transliterations
from lestweforget.articles.reading import hostname
from lestweforget.atlas import evidence_records
from lestweforget.atlas.evidence_records import LedgerIndex
from lestweforget.atlas.models import Claim, DatePrecision, Site, Source
from lestweforget.atlas.record_ledger import acting_as, unrecorded
from lestweforget.evidence import EvidenceError

from .gazetteer import atlas_gazetteer
from .models import ArticleImport, ProposedClaim, ProposedEvent, ProposedLocation, ProposedSite

# A map point this close to a site (or within the site's own uncertainty) is taken to be about that site.
SITE_MATCH_M = 500.0
# How uncertain a point from a map link is taken to be when the link does not say (a geo: URI's u= does) and until
# an editor says otherwise.
MAP_POINT_UNCERTAINTY_M = 100.0
PASTED_NAME = "pasted text"


class IntakeError(Exception):
    """An article that cannot be imported; the message names the input and says what is wrong (and whether its
    bytes were kept)."""


@dataclass(frozen=True)
class ArticleImportResult:
    """What an import did: the ArticleImport row, whether this run created it (False: the same bytes were imported
    before and nothing changed), and how many ledger entries it appended."""

    article: ArticleImport
    created: bool
    ledger_entries_added: int

    @property
    def refused(self) -> bool:
        return self.article.status == ArticleImport.Status.REFUSED


def read_article_file(path: str | Path) -> bytes:
    """An article file's bytes, refusing (IntakeError) what is not a regular file or is too large, before reading."""
    shown = str(path)
    try:
        info = os.stat(shown)
    except OSError as error:
        raise IntakeError(f"{shown}: cannot read ({error.strerror})") from error
    if not stat.S_ISREG(info.st_mode):
        raise IntakeError(f"{shown}: not a regular file")
    if info.st_size > MAX_ARTICLE_BYTES:
        raise IntakeError(_too_large(shown, info.st_size))
    try:
        with open(shown, "rb") as handle:
            return handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as error:
        raise IntakeError(f"{shown}: cannot read ({error.strerror})") from error


def _too_large(name: str, size: int) -> str:
    return (
        f"{name}: {size / 1_048_576:.1f} MB is more than any article page (limit {MAX_ARTICLE_BYTES // 1_048_576} MB); "
        "nothing was stored. Save the article alone (reader view, or as text)"
    )


def import_article(
    data: bytes, name: str, actor: str, url: str | None = None, site_slug: str | None = None
) -> ArticleImportResult:
    """Import one article's bytes as evidence and as a draft; see the module docstring.

    Raises IntakeError, with nothing stored, for a bad --url or --site, an empty or oversized file, or while
    another import runs. A file that is not an article is stored, recorded as refused and returned (``refused``).
    """
    url = (url or "").strip() or None
    if url is not None:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise IntakeError(f"--url {url!r}: not a web address (http:// or https://)") from None
    site = _site(site_slug)
    if not data:
        raise IntakeError(f"{name}: the file is empty; there is no article in it (nothing was stored)")
    if len(data) > MAX_ARTICLE_BYTES:
        raise IntakeError(_too_large(name, len(data)))
    sha256 = hashlib.sha256(data).hexdigest()
    existing = ArticleImport.objects.filter(sha256=sha256).first()
    if existing is not None:
        return ArticleImportResult(existing, created=False, ledger_entries_added=0)
    try:
        with evidence_records.only_writer("this article import"), acting_as(actor):
            return _import(data, sha256, name, actor, url, site)
    except EvidenceError as error:
        raise IntakeError(f"{name}: {error}; nothing more was imported (run `lwf verify` to check)") from error


def _site(slug: str | None) -> Site | None:
    if not slug:
        return None
    try:
        site: Site = Site.objects.get(slug=slug)
    except Site.DoesNotExist:
        known = ", ".join(Site.objects.values_list("slug", flat=True)) or "none yet"
        raise IntakeError(f"--site {slug!r}: no site has that slug (sites: {known})") from None
    return site


def _import(data: bytes, sha256: str, name: str, actor: str, url: str | None, site: Site | None) -> ArticleImportResult:
    store, ledger = evidence_records.prepare_for_writing(actor)
    index = LedgerIndex.read(ledger)
    added = 0

    def append(action: str, details: Mapping[str, Any]) -> None:
        nonlocal added
        if index.append_once(ledger, actor, action, f"sha256:{sha256}", details) is not None:
            added += 1

    stored = store.put_bytes(data)
    if stored.sha256 != sha256:
        raise EvidenceError(f"{name}: stored as {stored.sha256}, but read as {sha256}")
    append("original.stored", {"kind": "article", "name": name, "size": len(data), **({"url": url} if url else {})})
    common = {"sha256": sha256, "original_name": name[:500], "size_bytes": len(data), "url": url or ""}
    try:
        article = read_article(data, url=url, name=name)
    except ArticleError as error:
        with transaction.atomic(), unrecorded():
            row = ArticleImport.objects.create(
                **common, status=ArticleImport.Status.REFUSED, error=str(error), site_given=site, imported_by=actor
            )
        append("article.refused", {"error": str(error)})
        evidence_records.checkpoint_if_needed(ledger)
        return ArticleImportResult(row, created=True, ledger_entries_added=added)
    findings = find_in_article(article, atlas_gazetteer())
    with transaction.atomic():
        source = _source(findings, sha256, name, url)
        with unrecorded():
            row = ArticleImport.objects.create(
                **common,
                status=ArticleImport.Status.DRAFT,
                source=source,
                site_given=site,
                title=article.title[:500],
                byline=article.byline[:200],
                language=article.language,
                format=article.format,
                findings=findings.as_dict(),
                imported_by=actor,
            )
            counts = _propose(row, findings, site)
    append("article.drafted", {"source": f"source:{source.key}", "proposed": counts})
    evidence_records.checkpoint_if_needed(ledger)
    return ArticleImportResult(row, created=True, ledger_entries_added=added)


def _source(findings: ArticleFindings, sha256: str, name: str, url: str | None) -> Source:
    """The Source the archived copy stands for: one the atlas already cites at the same address and has no
    archived copy of yet (it now points at this one), else a new one."""
    article = findings.article
    address = (article.url or url or "")[:1000]
    published = article.published
    today = datetime.now(UTC).date()
    if address:
        cited = Source.objects.filter(url=address, archived_sha256="").order_by("pk").first()
        if cited is not None:
            cited.archived_sha256 = sha256
            cited.retrieved = cited.retrieved or today
            cited.save()
            return cited
    in_future = published is not None and published.date > today
    return Source.objects.create(
        key=f"article-{sha256[:12]}",
        kind=Source.Kind.ARTICLE,
        title=(article.title or name)[:500],
        publisher=(article.publisher or hostname(address))[:200],
        author=article.byline[:200],
        url=address,
        published=None if published is None or in_future else published.date,
        published_precision=published.precision if published is not None else DatePrecision.DAY,
        retrieved=today,
        language=article.language,
        archived_sha256=sha256,
    )


def _propose(row: ArticleImport, findings: ArticleFindings, site: Site | None) -> dict[str, int]:
    sites = _propose_sites(row, findings, site)
    # Items go to the one site the article is about; with several candidates they wait for the editor's choice.
    target = sites[0].site if len(sites) == 1 and sites[0].proposal == ProposedSite.Proposal.MATCH else None
    if site is not None:
        target = site
    today = datetime.now(UTC).date()
    events = [
        ProposedEvent(
            article=row,
            site=target,
            title=mention.sentence[:300],
            date=mention.date,
            date_end=mention.end if mention.precision == "range" else None,
            precision=mention.precision,
            quote=mention.sentence,
            as_written=mention.text[:500],
        )
        for mention in findings.dates
        if mention.date <= today  # an article's future dates are plans, not events
    ]
    ProposedEvent.objects.bulk_create(events)
    claims = [_proposed_claim(row, figure, target) for figure in findings.figures]
    ProposedClaim.objects.bulk_create(claims)
    seen: set[tuple[float, float]] = set()
    locations = []
    for point in findings.map_points:
        key = (round(point.latitude, 5), round(point.longitude, 5))
        if key in seen:
            continue
        seen.add(key)
        locations.append(
            ProposedLocation(
                article=row,
                site=target,
                latitude=point.latitude,
                longitude=point.longitude,
                uncertainty_m=point.uncertainty_m or MAP_POINT_UNCERTAINTY_M,
                how=point.how,
                quote=point.sentence,
                as_written=point.text[:500],
            )
        )
    ProposedLocation.objects.bulk_create(locations)
    return {"sites": len(sites), "events": len(events), "claims": len(claims), "locations": len(locations)}


def _propose_sites(row: ArticleImport, findings: ArticleFindings, given: Site | None) -> list[ProposedSite]:
    matches: dict[int, ProposedSite] = {}

    def match(site: Site, reason: str, detail: str, confidence: float, quote: str = "", as_written: str = "") -> None:
        if site.pk not in matches:
            matches[site.pk] = ProposedSite(
                article=row,
                proposal=ProposedSite.Proposal.MATCH,
                site=site,
                reason=reason,
                reason_detail=detail[:200],
                confidence=confidence,
                quote=quote,
                as_written=as_written[:500],
                name=site.name("en")[:300],
                kind=site.kind,
                latitude=site.latitude,
                longitude=site.longitude,
                uncertainty_m=site.uncertainty_m,
            )

    if given is not None:
        match(given, ProposedSite.Reason.GIVEN, "", 1.0)
    slugs = {
        mention.place.key.removeprefix("atlas:site:"): mention
        for mention in findings.places
        if mention.place is not None and mention.place.key.startswith("atlas:site:")
    }
    for site in Site.objects.filter(slug__in=slugs):
        mention = slugs[site.slug]
        match(site, ProposedSite.Reason.NAMED, "", mention.confidence, mention.sentence, mention.text)
    sites = list(Site.objects.all()) if findings.map_points else []
    for point in findings.map_points:
        for site in sites:
            metres = geo.distance_m(site.point, point.point)
            # Within the site's own circle, up to a kilometre: a site placed only at its city's centre does not
            # take every point in the city.
            if metres <= max(SITE_MATCH_M, min(site.uncertainty_m, 1000.0)):
                match(site, ProposedSite.Reason.MAP_POINT, f"{metres:.0f}", 0.9, point.sentence, point.text)
    strong = list(matches.values())
    # Weaker, when nothing names a site: the atlas's sites in a settlement the article names ("Izium" → the sites
    # in Izium), beside a new site.
    settlements = (
        {}
        if strong
        else {
            mention.place.key.removeprefix("atlas:settlement:"): mention
            for mention in findings.places
            if mention.place is not None and mention.place.key.startswith("atlas:settlement:")
        }
    )
    for site in Site.objects.filter(settlement__slug__in=settlements).select_related("settlement"):
        assert site.settlement is not None
        mention = settlements[site.settlement.slug]
        confidence = round(mention.confidence * 0.5, 2)
        match(
            site, ProposedSite.Reason.IN_SETTLEMENT, site.settlement.name_en, confidence, mention.sentence, mention.text
        )
    proposals = list(matches.values())
    if not strong:
        proposals.append(_new_site(row, findings))
    ProposedSite.objects.bulk_create(proposals)
    return proposals


def _new_site(row: ArticleImport, findings: ArticleFindings) -> ProposedSite:
    """A new site at the article's first map point, else at the place it names most (settlements before raions
    before oblasts), with that place's uncertainty; without either, a new site without a point."""
    title = (findings.article.title or row.original_name)[:300]
    if findings.map_points:
        point = findings.map_points[0]
        return ProposedSite(
            article=row,
            proposal=ProposedSite.Proposal.NEW,
            reason=ProposedSite.Reason.NEW_AT_POINT,
            reason_detail=point.how,
            name=title,
            latitude=point.latitude,
            longitude=point.longitude,
            uncertainty_m=point.uncertainty_m or MAP_POINT_UNCERTAINTY_M,
            quote=point.sentence,
            as_written=point.text[:500],
            confidence=0.9,
        )
    resolved = [m for m in findings.places if m.place is not None]
    counts = Counter(m.place.key for m in resolved if m.place is not None)
    rank = {"site": 0, "settlement": 1, "raion": 2, "oblast": 3, "region": 4}

    def order(place: Place) -> tuple[int, int]:
        return rank.get(place.kind, 5), -counts[place.key]

    places = sorted({m.place.key: m.place for m in resolved if m.place is not None}.values(), key=order)
    if not places:
        return ProposedSite(
            article=row, proposal=ProposedSite.Proposal.NEW, reason=ProposedSite.Reason.NO_PLACE, name=title
        )
    place = places[0]
    first = next(m for m in resolved if m.place is not None and m.place.key == place.key)
    return ProposedSite(
        article=row,
        proposal=ProposedSite.Proposal.NEW,
        reason=ProposedSite.Reason.NEW_AT_PLACE,
        reason_detail=str(counts[place.key]),
        name=title,
        place_label=place.label()[:300],
        place_key=place.key[:120],
        latitude=place.latitude,
        longitude=place.longitude,
        uncertainty_m=place.uncertainty_m,
        quote=first.sentence,
        as_written=first.text[:500],
        confidence=first.confidence,
    )


def _proposed_claim(row: ArticleImport, figure: Figure, site: Site | None) -> ProposedClaim:
    subject, label = claim_subject(site, figure.unit)
    value = f"{figure.qualifier} {figure.value_text()}".strip()
    return ProposedClaim(
        article=row,
        site=site,
        subject=subject,
        subject_label_en=label,
        value=value[:200],
        low=figure.low,
        high=figure.high,
        qualifier=figure.qualifier,
        unit=figure.unit[:40],
        quote=figure.sentence,
        as_written=figure.text[:500],
    )


def claim_subject(site: Site | None, unit: str) -> tuple[str, str]:
    """The subject the atlas already uses for ``unit`` at ``site`` (so the claims stand side by side), else one
    named after the unit."""
    if site is not None:
        recorded = Claim.objects.filter(site=site, unit=unit).values_list("subject__key", "subject__label_en").first()
        if recorded is not None:
            return recorded[0], recorded[1]
    latin = next(iter(transliterations(unit)), unit)
    slug = "percent" if unit == "%" else slugify(latin).replace("-", "_")
    return (slug or "count")[:80], f"{unit} (from an article)"[:200]
