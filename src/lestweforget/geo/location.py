"""One entry point for "where is it?" fields: a map link, a `geo:` URI, typed coordinates, or a sentence that
holds one of them (the share sheet's "Follow this link ... or paste these coordinates geo:... into your maps
app", a message with coordinates in it).

A sentence yields its point when every point in it is the same place (within `SAME_POINT_M`, a link and a
`geo:` URI of one place each rounded their own way). Points from a short link's code (CoMaps, Organic Maps,
OpenStreetMap, Waze) give way to plainly written ones: share sheets print both for one place, and only the
plain figures can be checked by eye, so a code that disagrees is set aside with a note. Two different plain
points are refused, naming both, and so is a point beside a link whose figures do not read (a second point
nobody can check).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from lestweforget.geo.decimal_degrees import format_decimal
from lestweforget.geo.distance import distance_m
from lestweforget.geo.errors import GeoError
from lestweforget.geo.maplinks import read_map_link
from lestweforget.geo.mentions import Mention, find_mentions
from lestweforget.geo.parse_text import read_coordinates
from lestweforget.geo.point import ParsedLocation

# Two spellings of one place differ by their rounding: 6 decimals ≈ 0.1 m, 0.1″ ≈ 3 m, a 1 m MGRS cell.
SAME_POINT_M: Final = 10.0

# "geo:", a URL scheme with "//", or a bare host like "www.openstreetmap.org/..." whose last label is letters,
# so that "49.2209/37.2445" and "lat: 49.2" stay typed coordinates.
_LINK = re.compile(r"\s*(?:geo:|[a-z][a-z0-9+.-]*://|(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?[/?#])", re.IGNORECASE)


def _described(mention: Mention) -> str:
    return f"{format_decimal(mention.location.point)} ({mention.written})"


def _one_point(text: str, mentions: tuple[Mention, ...], unread: tuple[str, ...]) -> ParsedLocation:
    plain = [mention for mention in mentions if not mention.encoded]
    places: list[list[Mention]] = []
    for mention in plain or mentions:
        point = mention.location.point
        place = next((p for p in places if distance_m(p[0].location.point, point) <= SAME_POINT_M), None)
        if place is None:
            places.append([mention])
        else:
            place.append(mention)
    if len(places) > 1:
        named = "; ".join(_described(place[0]) for place in places)
        raise GeoError(f"{text!r}: holds {len(places)} different points, cannot tell which: {named}")
    # The spelling that says the most: a geo: URI's uncertainty and altitude, else the first written.
    best = max(places[0], key=lambda m: (m.location.uncertainty_m is not None, m.location.altitude_m is not None))
    point = best.location.point
    notes = list(best.location.notes)
    for mention in mentions:
        away_m = distance_m(point, mention.location.point)
        if mention is best:
            continue
        if away_m <= SAME_POINT_M:
            notes.append(f"the same point is also written as {mention.written}")
        else:
            notes.append(
                f"set aside {mention.written}: its code points to {format_decimal(mention.location.point)}, "
                f"{away_m / 1000:.1f} km away"
            )
    notes += [f"not read: {problem}" for problem in unread]
    return replace(best.location, read_as=f"{best.location.read_as} in a sentence", notes=tuple(notes))


def parse_location(text: str) -> ParsedLocation:
    """The point a map link, `geo:` URI, typed coordinates or a sentence holding one of them names, with the
    uncertainty and altitude the text gives. Refuses, naming the input, text with no point, a link whose point
    is behind a redirect or only a place name, and a sentence with two different points (naming both)."""
    stripped = text.strip()
    if not stripped:
        raise GeoError(f"{text!r}: no coordinates or map link given")
    link_shaped = _LINK.match(stripped) is not None or stripped.lower().startswith("google.navigation:")
    one_word = re.search(r"\s", stripped) is None
    whole_error: GeoError | None = None
    if one_word or not link_shaped:
        try:
            return read_map_link(stripped) if link_shaped else read_coordinates(stripped)
        except GeoError as error:
            whole_error = error
    found = find_mentions(stripped)
    if one_word and not found.points:
        # A link or coordinates that do not read whole and hold nothing readable either: say what is wrong
        # with them as written, not that no sentence around them made sense.
        raise whole_error or GeoError(f"{text!r}: no coordinates or map link found")
    if found.ambiguous:
        raise GeoError(f"{text!r}: ambiguous, " + "; ".join(found.ambiguous)) from whole_error
    if found.points and found.unreadable:
        # A link whose figures do not read is a second point nobody can check: never print the other one alone.
        named = "; ".join(_described(mention) for mention in found.points)
        raise GeoError(
            f"{text!r}: holds a point ({named}) and a link whose figures do not read as one "
            f"({'; '.join(found.unreadable)}); cannot tell which is meant"
        ) from whole_error
    if found.points:
        return _one_point(text, found.points, found.unread)
    if link_shaped and not one_word:
        # Some apps put a space inside a link's query ("geo:0,0?q=45.4786785, 9.2473799"): read it whole.
        try:
            return read_map_link(stripped)
        except GeoError as error:
            whole_error = error
    if found.unread:
        said = "; ".join(found.unread)
        raise GeoError(said if said.startswith(repr(text)) else f"{text!r}: {said}") from whole_error
    raise whole_error or GeoError(f"{text!r}: no coordinates or map link found")
