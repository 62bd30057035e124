"""An editor's decision on a proposed item: accepting one makes the atlas record it proposes, citing the article's
Source; rejecting one only marks it. Both say who decided and when; neither publishes a site."""

from __future__ import annotations

import decimal
import itertools
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from lestweforget.atlas.models import Claim, ClaimSubject, Event, Site, SiteName, Source

from .importing import claim_subject
from .models import ArticleImport, Decision, ProposedClaim, ProposedEvent, ProposedItem, ProposedLocation, ProposedSite


class ReviewError(Exception):
    """A proposed item that cannot be accepted as it stands; the message says what to fix first."""


def accept(item: ProposedItem, actor: str) -> None:
    """Make the record ``item`` proposes and mark it accepted by ``actor``; refuses (ReviewError) an item already
    decided, one without a site to belong to, and values the atlas refuses (a future date, a bad range)."""
    _check_pending(item)
    source = _source(item.article)
    try:
        with transaction.atomic():
            if isinstance(item, ProposedSite):
                _accept_site(item, source)
            elif isinstance(item, ProposedEvent):
                _accept_event(item, source)
            elif isinstance(item, ProposedClaim):
                _accept_claim(item, source)
            elif isinstance(item, ProposedLocation):
                _accept_location(item, source)
            else:
                raise ReviewError(f"{item}: not a proposed item")
            _decide(item, Decision.ACCEPTED, actor)
    except ValidationError as error:
        raise ReviewError(f"{item}: {'; '.join(error.messages)}") from error


def reject(item: ProposedItem, actor: str, note: str = "") -> None:
    """Mark ``item`` rejected by ``actor`` (with an optional note); nothing in the atlas changes."""
    _check_pending(item)
    if note:
        item.note = note
    _decide(item, Decision.REJECTED, actor)


def _check_pending(item: ProposedItem) -> None:
    if not item.is_pending:
        raise ReviewError(f"{item}: already {item.get_decision_display()}")  # type: ignore[attr-defined]


def _source(article: ArticleImport) -> Source:
    if article.source is None:
        raise ReviewError(f"{article}: the article was refused, so nothing of it can be accepted")
    return article.source


def _decide(item: ProposedItem, decision: str, actor: str) -> None:
    item.decision = decision
    item.decided_by = actor[:80]
    item.decided_at = datetime.now(UTC)
    item.save()


def _site_of(item: ProposedEvent | ProposedClaim | ProposedLocation) -> Site:
    if item.site is None:
        raise ReviewError(f"{item}: choose the site it belongs to first (or accept the proposed new site)")
    return item.site


def _accept_site(item: ProposedSite, source: Source) -> None:
    if item.proposal == ProposedSite.Proposal.MATCH:
        if item.site is None:
            raise ReviewError(f"{item}: the matched site no longer exists")
        site = item.site
    else:
        if item.latitude is None or item.longitude is None or item.uncertainty_m is None:
            raise ReviewError(f"{item.name}: give the new site a latitude, a longitude and an uncertainty first")
        if not item.name.strip():
            raise ReviewError("the new site needs a name first")
        site = Site(
            slug=_free_slug(item.name),
            kind=item.kind,
            summary_en=item.quote or item.name,
            latitude=item.latitude,
            longitude=item.longitude,
            uncertainty_m=item.uncertainty_m,
            location_method_en=f"{item.reason_text()} (article: {source.title})"[:1000],
            location_source=source,
            is_published=False,
        )
        site.full_clean()
        site.save()
        SiteName.objects.create(site=site, language="en", name=item.name[:300], is_primary=True)
        item.site = site
    # Items of the same article still waiting for a site go to this one; claims take the subject the site's claims
    # about the same unit already use, so that they stand side by side.
    for model in (ProposedEvent, ProposedLocation):
        model.objects.filter(article=item.article, site__isnull=True, decision=Decision.PENDING).update(site=site)
    for claim in ProposedClaim.objects.filter(article=item.article, site__isnull=True, decision=Decision.PENDING):
        claim.site = site
        claim.subject, claim.subject_label_en = claim_subject(site, claim.unit)
        claim.save()


def _free_slug(name: str) -> str:
    base = slugify(name)[:100] or "site"
    for number in itertools.count(1):
        slug = base if number == 1 else f"{base}-{number}"
        if not Site.objects.filter(slug=slug).exists():
            return slug
    raise AssertionError("unreachable")


def _accept_event(item: ProposedEvent, source: Source) -> None:
    site = _site_of(item)
    title = item.title.strip() or item.quote[:300]
    event = Event(
        site=site,
        kind=item.kind,
        date=item.date,
        date_end=item.date_end,
        precision=item.precision,
        title_en=title[:300],
        title_uk=title[:300] if item.article.language == "uk" else "",
        description_en=f"«{item.quote}» ({source})" if item.quote else "",
    )
    event.full_clean()
    event.save()
    event.sources.add(source)
    item.event = event


def _accept_claim(item: ProposedClaim, source: Source) -> None:
    site = _site_of(item)
    # The proposal's subject key becomes the atlas's subject of that key, made from its label if new.
    subject = ClaimSubject.objects.get_or_create(
        key=item.subject, defaults={"label_en": item.subject_label_en or item.subject}
    )[0]
    if Claim.objects.filter(site=site, subject=subject, value=item.value, source=source).exists():
        raise ReviewError(f"{item}: the atlas already records this value from this source")
    published = source.published
    claim = Claim(
        site=site,
        subject=subject,
        value=item.value,
        number=decimal.Decimal(str(item.low)) if item.low == item.high else None,
        unit=item.unit,
        status=Claim.Status.REPORTED,
        asserted=published,
        asserted_by=(source.publisher or source.author)[:300],
        source=source,
        note_en=f"«{item.quote}»" if item.quote else "",
    )
    claim.full_clean()
    claim.save()
    item.claim = claim


def _accept_location(item: ProposedLocation, source: Source) -> None:
    site = _site_of(item)
    site.latitude, site.longitude, site.uncertainty_m = item.latitude, item.longitude, item.uncertainty_m
    site.location_source = source
    site.location_method_en = f"{item.how} in the article «{source.title}»: {item.as_written}"[:1000]
    site.full_clean()
    site.save()
