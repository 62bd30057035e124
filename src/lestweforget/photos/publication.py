"""Publishing and withdrawing photos in bulk, under the same rule as one at a time (`Photo.publication_refusal`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from .models import Photo


def publish_many(photos: Iterable[Photo], publish: bool) -> tuple[int, list[str]]:
    """Publish (or withdraw) each photo, saved one by one so each is checked and gets its own ledger entry.

    Returns how many changed and the original names of those refused: a held-back photo with no editor's reason
    is never published this way. Photos already in the wanted state are left alone.
    """
    changed = 0
    refused: list[str] = []
    with transaction.atomic():
        for photo in photos:
            if photo.is_published == publish:
                continue
            photo.is_published = publish
            if photo.publication_refusal():
                refused.append(photo.original_name)
                continue
            photo.save(update_fields=["is_published"])
            changed += 1
    return changed, refused
