"""Where a photo's clean copies and its original are served: the paths pages, exports and the guide link to.

A clean copy is addressed by its own SHA-256, never by the original's: a public page, export or API response that
named the original's hash would let anyone holding the file (a seized phone) confirm it as the source.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def derivative_path(derivative_sha256: str, label: str) -> str:
    """The path of a derivative (``label`` "thumb" or "web"), named by the derivative's own hash."""
    try:
        return str(reverse("photo-derivative", kwargs={"sha256": derivative_sha256, "label": label}))
    except NoReverseMatch:
        return f"/photos/{derivative_sha256}/{label}.jpg"


def original_path(sha256: str) -> str:
    try:
        return str(reverse("evidence-original", kwargs={"sha256": sha256}))
    except NoReverseMatch:
        return f"/evidence/{sha256}"
