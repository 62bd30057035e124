"""A draft as plain values, for `lwf import article --json` and for anything that lists drafts."""

from __future__ import annotations

from typing import Any

from .models import ArticleImport, ProposedClaim


def draft_as_dict(row: ArticleImport) -> dict[str, Any]:
    """The import, its Source, what the reader found (places with latitude and longitude, dates in ISO form with
    their precision, figures, the byline) and each proposed item with its decision; a proposed claim lists the
    claims already recorded beside it and whether it disagrees with them."""
    source = row.source
    return {
        "sha256": row.sha256,
        "name": row.original_name,
        "status": row.status,
        "error": row.error or None,
        "source": None
        if source is None
        else {
            "key": source.key,
            "title": source.title,
            "publisher": source.publisher,
            "author": source.author,
            "url": source.url,
            "published": source.published.isoformat() if source.published else None,
            "published_precision": source.published_precision if source.published else None,
            "retrieved": source.retrieved.isoformat() if source.retrieved else None,
            "language": source.language,
            "archived_sha256": source.archived_sha256,
        },
        "findings": row.findings,
        "proposed": {
            "sites": [
                {
                    "proposal": item.proposal,
                    "site": item.site.slug if item.site else None,
                    "name": item.name,
                    "reason": item.reason,
                    "reason_text": item.reason_text(),
                    "place": item.place_label or None,
                    "latitude": item.latitude,
                    "longitude": item.longitude,
                    "uncertainty_m": item.uncertainty_m,
                    "decision": item.decision,
                }
                for item in row.proposed_sites.all()
            ],
            "events": [
                {
                    "site": item.site.slug if item.site else None,
                    "date": item.date.isoformat(),
                    "date_end": item.date_end.isoformat() if item.date_end else None,
                    "precision": item.precision,
                    "as_written": item.as_written,
                    "quote": item.quote,
                    "decision": item.decision,
                }
                for item in row.proposed_events.all()
            ],
            "claims": [_claim(item) for item in row.proposed_claims.all()],
            "locations": [
                {
                    "site": item.site.slug if item.site else None,
                    "latitude": item.latitude,
                    "longitude": item.longitude,
                    "uncertainty_m": item.uncertainty_m,
                    "how": item.how,
                    "as_written": item.as_written,
                    "decision": item.decision,
                }
                for item in row.proposed_locations.all()
            ],
        },
    }


def _claim(item: ProposedClaim) -> dict[str, Any]:
    disagreeing = {claim.pk for claim in item.disagreeing()}
    return {
        "site": item.site.slug if item.site else None,
        "subject": item.subject,
        "value": item.value,
        "low": item.low,
        "high": item.high,
        "qualifier": item.qualifier,
        "unit": item.unit,
        "quote": item.quote,
        "decision": item.decision,
        "recorded_beside": [
            {
                "value": claim.value,
                "number": float(claim.number) if claim.number is not None else None,
                "source": claim.source.key,
                "asserted": claim.asserted.isoformat() if claim.asserted else None,
                "agrees": None if claim.number is None else claim.pk not in disagreeing,
            }
            for claim in item.recorded_beside()
        ],
        "disagrees": item.disagrees(),
    }
