"""Template filters: reader-facing text in the active language, and dates told with their precision."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django import template
from django.utils.translation import gettext_lazy

from lestweforget.atlas import public
from lestweforget.exports.locale_text import date_text, day_text, distance_text

register = template.Library()


@register.filter
def localized(obj: object, field: str) -> str:
    return obj.localized(field)  # type: ignore[attr-defined, no-any-return]


@register.simple_tag
def dated(date: dt.date | None, precision: str = "day", date_end: dt.date | None = None) -> str:
    """A date told with its precision in the active language (`exports.locale_text.date_text`)."""
    return date_text(date, precision, public.reader_language(), date_end)


@register.filter
def day(date: dt.date) -> str:
    """A day in the active language: "15 September 2022", "15 вересня 2022"."""
    return day_text(date, public.reader_language())


@register.filter
def compass_word(point: str) -> str:
    return public.compass_word(point)


@register.filter
def km(metres: float) -> str:
    """A measured distance in the active language: "850 m", "1.3 km", "1,3 км"."""
    return distance_text(metres, public.reader_language())


# Units the records use, as a reader sees them after a count; a value already written with "%" needs no word.
UNITS = {
    "bodies": gettext_lazy("bodies"),
    "children": gettext_lazy("children"),
    "graves": gettext_lazy("graves"),
    "people": gettext_lazy("people"),
    "places": gettext_lazy("places"),
    "servicemen": gettext_lazy("servicemen"),
    "percent": "",
}


@register.filter
def unit_label(unit: str) -> str:
    return str(UNITS.get(unit, unit))


@register.filter
def web_link(url: str) -> str:
    """``url`` when it is an absolute http(s) link, else "": a stored javascript: or data: address (rows from
    before the URL validator, or a bulk import) must never become a link a reader can click."""
    parts = urlsplit(url or "")
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""
