"""Points an article gives: map links among its links (Google Maps, OpenStreetMap, Apple Maps, Yandex Maps,
`geo:` URIs, embedded maps) and points written in its text (decimal, degrees-minutes-seconds with Latin or
Cyrillic hemisphere letters, MGRS, Plus Codes, links pasted as text), all read by `lestweforget.geo`
(`read_map_link` for each link, `find_mentions` for the text).

A link to a map service that gives no point (a short link, a search by name) is kept as unreadable with geo's
reason, so the editor can open it by hand; links to anything else are not map links and are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lestweforget import geo
from lestweforget.articles.reading import Link
from lestweforget.articles.text import Sentences
from lestweforget.geo.errors import NotAMapLink


@dataclass(frozen=True)
class MapPoint:
    """A point the article gives: ``how`` is "map link", "embedded map" or "coordinates in the text";
    ``read_as`` the form geo read ("OpenStreetMap link", "MGRS"...); ``uncertainty_m`` what the text itself
    said (a `geo:` URI's ``u=``), else None; ``text`` the link or the coordinates as written; ``sentence`` where
    they stood (a link: its text)."""

    latitude: float
    longitude: float
    how: str
    text: str
    sentence: str
    read_as: str = ""
    uncertainty_m: float | None = None

    @property
    def point(self) -> geo.LatLon:
        return geo.LatLon(self.latitude, self.longitude)


@dataclass(frozen=True)
class UnreadableMapLink:
    """A link to a map service, or a stretch of text, that gives no point, with geo's reason."""

    url: str
    reason: str


def find_map_points(
    text: str, links: Iterable[Link], sentences: Sentences | None = None
) -> tuple[tuple[MapPoint, ...], tuple[UnreadableMapLink, ...]]:
    """The points given by ``links`` and written in ``text``, and the map links and coordinates that give none."""
    sentences = sentences or Sentences.of(text)
    points: list[MapPoint] = []
    unreadable: list[UnreadableMapLink] = []
    read_links: set[str] = set()
    for link in links:
        read_links.add(link.url)
        how = "embedded map" if link.text == "[embedded map]" else "map link"
        try:
            location = geo.read_map_link(link.url)
        except NotAMapLink:
            continue
        except geo.GeoError as error:
            unreadable.append(UnreadableMapLink(link.url, str(error)))
            continue
        points.append(
            MapPoint(location.lat, location.lon, how, link.url, link.text, location.read_as, location.uncertainty_m)
        )
    mentions = geo.find_mentions(text)
    for mention in mentions.points:
        if mention.written in read_links:
            continue  # a link pasted in the text, already read among the links
        location = mention.location
        how = (
            "map link"
            if "link" in location.read_as or location.read_as.startswith("geo:")
            else "coordinates in the text"
        )
        points.append(
            MapPoint(
                location.lat,
                location.lon,
                how,
                mention.written,
                sentences.around(mention.start),
                location.read_as,
                location.uncertainty_m,
            )
        )
    unreadable.extend(UnreadableMapLink("", reason) for reason in (*mentions.unread, *mentions.ambiguous))
    return tuple(points), tuple(unreadable)
