"""A photo as plain JSON-ready values: what `lwf photos` prints and an evidence bag's metadata holds."""

from __future__ import annotations

from typing import Any

from lestweforget.evidence import EvidenceStore

from .models import Photo

DERIVATIVE_LABELS = ("thumb", "web")


def derivative_url(photo: Photo, label: str) -> str:
    """Where the site serves a derivative (only once the photo and its site are published)."""
    return f"/photos/{getattr(photo, f'{label}_sha256')}/{label}.jpg"


def photo_summary(photo: Photo, store: EvidenceStore | None = None, restricted: bool = False) -> dict[str, Any]:
    """Everything an import recorded about ``photo``; the device only if ``restricted`` (never in public).

    With ``store``, each derivative also names the file that holds it.
    """
    derivatives: dict[str, Any] = {}
    for label in DERIVATIVE_LABELS:
        sha256 = getattr(photo, f"{label}_sha256")
        if not sha256:
            continue
        derivatives[label] = {
            "sha256": sha256,
            "size": getattr(photo, f"{label}_size"),
            "url": derivative_url(photo, label),
        }
        if store is not None:
            derivatives[label]["file"] = str(store.path_for(sha256))
    summary: dict[str, Any] = {
        "sha256": photo.sha256,
        "original_name": photo.original_name,
        "site": photo.site.slug,
        "size_bytes": photo.size_bytes,
        "format": photo.format,
        "width": photo.width,
        "height": photo.height,
        "orientation": photo.orientation,
        "capture_time": {
            "camera_clock": photo.capture_time_local or None,
            "from": photo.capture_time_source or None,
            "utc_offset_minutes": photo.utc_offset_minutes,
            "utc": photo.capture_time_utc.isoformat().replace("+00:00", "Z") if photo.capture_time_utc else None,
            "utc_from": photo.capture_time_utc_source or None,
        },
        "position": {
            "source": photo.position_source,
            "latitude": photo.latitude,
            "longitude": photo.longitude,
            "altitude_m": photo.altitude_m,
            "accuracy_m": photo.accuracy_m,
            "track_gap_s": photo.track_gap_s,
            "track_sha256": photo.track_sha256 or None,
        },
        "heading": {"degrees": photo.heading_deg, "relative_to": photo.heading_ref or None},
        "flags": list(photo.flags),
        "perceptual_hash": photo.perceptual_hash,
        "published": photo.is_published,
        "held_back_reason": photo.held_back_reason or None,
        "derivatives": derivatives,
        "caption": {"en": photo.caption_en, "uk": photo.caption_uk},
        "credit": photo.credit,
        "licence": photo.licence,
        "content_note": photo.content_note or None,
        "contributor": photo.contributor.pseudonym if photo.contributor else None,
        "imported_at": photo.imported_at.isoformat() if photo.imported_at else None,
    }
    if restricted:
        summary["device"] = {"make": photo.device_make or None, "model": photo.device_model or None}
    return summary
