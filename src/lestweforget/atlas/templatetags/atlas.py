"""Template filters: reader-facing text in the active language, and dates told with their precision."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from lestweforget.atlas import public
from lestweforget.atlas.models import Source
from lestweforget.exports.locale_text import (
    coordinates_text,
    date_text,
    day_text,
    distance_text,
    figure_text,
    metres_text,
    number_text,
)

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
def figure(value: str) -> str:
    """A claim's value as stated, in the active language ("понад 460")."""
    return figure_text(value, public.reader_language())


@register.simple_tag
def cite(source: Source, brackets: bool = True) -> SafeString:
    """A link to the source in the page's list, labelled as the active language cites it; a label left in
    another language (a publisher's own name) carries that language's `lang`."""
    label = f"[{source.citation_label}]" if brackets else source.citation_label
    if source.citation_label_is_translated:
        return format_html('<a href="#source-{}" class="cite">{}</a>', source.key, label)
    return format_html('<a href="#source-{}" class="cite" lang="{}">{}</a>', source.key, source.language, label)


@register.simple_tag
def in_language(obj: object, field: str) -> SafeString:
    """A reader-facing field in the active language; when only the English value exists, it is marked lang="en"."""
    value = obj.localized(field)  # type: ignore[attr-defined]
    if public.reader_language() != "en" and value and not getattr(obj, f"{field}_{public.reader_language()}", ""):
        return format_html('<span lang="en">{}</span>', value)
    return format_html("{}", value)


@register.filter
def compass_word(point: str) -> str:
    return public.compass_word(point)


@register.filter
def metres(value: float) -> str:
    """Whole metres in the active language: "300 m", "300 м"."""
    return metres_text(value, public.reader_language())


@register.filter
def number(value: float) -> str:
    """A whole number in the active language, grouped from 10 000 on: "12,500", "12 500"."""
    return number_text(round(value), public.reader_language())


@register.filter
def coordinates(value: object) -> str:
    """A point as `geo` writes it (decimal degrees, DMS) in the active language: "49.220922, 37.244553",
    "49,220922° пн. ш. 37,244553° сх. д." (`exports.locale_text.coordinates_text`)."""
    return coordinates_text(str(value), public.reader_language())


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


_URL_BREAK_AFTER = re.compile(r"(?<=[/?&=_.])(?=[^/?&=_.])")


@register.filter
def url_breaks(url: str) -> SafeString:
    """A web address to show as text, with a <wbr> after each slash, dot, ?, &, = and _: a phone wraps it
    there, never inside a word."""
    return SafeString("<wbr>".join(str(escape(part)) for part in _URL_BREAK_AFTER.split(url)))
