"""The publisher's own line: the support link and text every page's footer shows when the settings give them."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def publisher(request: HttpRequest) -> dict[str, str]:
    """Template context: `support_url` and `support_text` (LWF_SUPPORT_URL and LWF_SUPPORT_TEXT; "" when unset)."""
    url = getattr(settings, "SUPPORT_URL", "")
    return {"support_url": url, "support_text": getattr(settings, "SUPPORT_TEXT", "") if url else ""}
