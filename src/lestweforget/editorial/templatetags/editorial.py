"""Template tags of the editorial pages: what waits for review, for the admin's header."""

from __future__ import annotations

from typing import Any

from django import template

from ..permissions import can_review
from ..review import waiting_counts

register = template.Library()


@register.inclusion_tag("editorial/waiting_counts.html", takes_context=True)
def review_waiting(context: Any) -> dict[str, Any]:
    """The counts of what waits, by kind, with a link to the queue; nothing for someone who does not review."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not can_review(user):
        return {"counts": None}
    return {"counts": waiting_counts()}
