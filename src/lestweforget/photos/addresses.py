"""Where a photo's clean copies and its original are served: the paths pages, exports and the guide link to."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def derivative_path(sha256: str, label: str) -> str:
    try:
        return str(reverse("photo-derivative", kwargs={"sha256": sha256, "label": label}))
    except NoReverseMatch:
        return f"/photos/{sha256}/{label}.jpg"


def original_path(sha256: str) -> str:
    try:
        return str(reverse("evidence-original", kwargs={"sha256": sha256}))
    except NoReverseMatch:
        return f"/evidence/{sha256}"
