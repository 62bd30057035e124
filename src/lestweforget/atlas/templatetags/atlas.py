"""Template filters: reader-facing text in the active language, and dates told with their precision."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lestweforget.geo import COMPASS_NAMES_EN

register = template.Library()


@register.filter
def localized(obj: object, field: str) -> str:
    return obj.localized(field)  # type: ignore[attr-defined, no-any-return]


def _day(value: dt.date) -> str:
    # "E" is the month name as it stands in a date (genitive in Ukrainian: "15 вересня 2022").
    return date_format(value, "j E Y")


@register.simple_tag
def dated(date: dt.date | None, precision: str = "day", date_end: dt.date | None = None) -> str:
    """A date told with its precision: "15 September 2022", "April 2022", "by 24 November 2025", a range."""
    if date is None:
        return _("date unknown")
    if precision == "month":
        return date_format(date, "F Y")
    if precision == "year":
        return date_format(date, "Y")
    if precision == "by":
        return _("by %(date)s") % {"date": _day(date)}
    if precision == "approx":
        return _("about %(date)s") % {"date": date_format(date, "F Y")}
    if precision == "range" and date_end:
        if date.day == 1 and (date_end + dt.timedelta(days=1)).day == 1:  # whole months: "April 2022 to August 2022"
            start, end = date_format(date, "F Y"), date_format(date_end, "F Y")
        else:
            start, end = _day(date), _day(date_end)
        return _("%(start)s to %(end)s") % {"start": start, "end": end}
    return _day(date)


COMPASS_WORDS = {
    "N": gettext_lazy("north"),
    "NE": gettext_lazy("north-east"),
    "E": gettext_lazy("east"),
    "SE": gettext_lazy("south-east"),
    "S": gettext_lazy("south"),
    "SW": gettext_lazy("south-west"),
    "W": gettext_lazy("west"),
    "NW": gettext_lazy("north-west"),
}


@register.filter
def compass_word(point: str) -> str:
    word = COMPASS_WORDS.get(point)
    return str(word) if word else COMPASS_NAMES_EN.get(point, point)


@register.filter
def km(metres: float) -> str:
    if metres < 1000:
        return _("%(m)d m") % {"m": round(metres)}
    # The active language's decimal mark: 1.4 km in English, 1,4 км in Ukrainian.
    return _("%(km)s km") % {"km": number_format(round(metres / 1000, 1), 1)}


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
