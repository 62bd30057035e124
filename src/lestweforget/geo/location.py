"""One entry point for "where is it?" fields: a map link, a `geo:` URI or typed coordinates."""

from __future__ import annotations

import re

from lestweforget.geo.maplinks import parse_map_link
from lestweforget.geo.parse_text import parse_coordinates
from lestweforget.geo.point import LatLon

# "geo:", a URL scheme with "//", or a bare host like "www.openstreetmap.org/..." whose last label is letters,
# so that "49.2209/37.2445" and "lat: 49.2" stay typed coordinates.
_LINK = re.compile(r"\s*(?:geo:|[a-z][a-z0-9+.-]*://|(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?[/?#])", re.IGNORECASE)


def parse_location(text: str) -> LatLon:
    """A map link or `geo:` URI if the text is one, else typed coordinates; refuses what neither reads."""
    if _LINK.match(text):
        return parse_map_link(text)
    return parse_coordinates(text)
