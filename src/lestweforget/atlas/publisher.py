"""The publisher's own line: the support link and text every page's footer shows, and the editors' address,
when the settings give them."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def publisher(request: HttpRequest) -> dict[str, str]:
    """Template context: `support_url` and `support_text` (LWF_SUPPORT_URL and LWF_SUPPORT_TEXT) and
    `contact_email` (LWF_CONTACT_EMAIL); "" when unset."""
    url = getattr(settings, "SUPPORT_URL", "")
    return {
        "support_url": url,
        "support_text": getattr(settings, "SUPPORT_TEXT", "") if url else "",
        "contact_email": contact_email(),
    }


def contact_email() -> str:
    """The editors' address (LWF_CONTACT_EMAIL), or "" when the publisher gave none."""
    return str(getattr(settings, "CONTACT_EMAIL", ""))
