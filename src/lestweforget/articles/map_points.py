"""Points an article gives: map links among its links (Google Maps, OpenStreetMap, Apple Maps, Yandex Maps,
`geo:` URIs, embedded maps) and coordinates written in its text (decimal, degrees-minutes-seconds with Latin
or Cyrillic hemisphere letters, MGRS, Plus Codes), all read by `lestweforget.geo`.

A link to a map service that gives no point (a short link, a search by name) is kept as unreadable with geo's
reason, so the editor can open it by hand; links to anything else are not map links and are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from lestweforget import geo
from lestweforget.articles.reading import Link
from lestweforget.articles.text import Sentences

_MAP_HOSTS: Final = re.compile(
    r"(?:^|\.)(?:google\.[a-z.]+|goo\.gl|g\.co|openstreetmap\.org|osm\.org|maps\.apple\.com|yandex\.[a-z.]+|ya\.cc)$"
)
_NUMBER: Final = r"\d{1,3}(?:[.,]\d+)?"
_DMS_ONE: Final = (
    rf"(?:[NSEW]\s*)?{_NUMBER}\s*[°º˚](?:\s*\d{{1,2}}(?:[.,]\d+)?\s*[′'’])?(?:\s*\d{{1,2}}(?:[.,]\d+)?\s*(?:″|\"|''|”))?"
    r"\s*(?:[NSEW](?![a-zA-Z])|(?:пн|пд|сх|зх|с|ю|в|з)\.?\s*[шд]\.?)?"
)
_TEXT_COORDINATES: Final = (
    re.compile(rf"{_DMS_ONE}\s*[,;]?\s*{_DMS_ONE}"),
    re.compile(r"(?<![\d.])[-+]?\d{1,2}\.\d{3,}\s*[,;]?\s*[-+]?\d{1,3}\.\d{3,}(?!\d|\.\d)"),
    re.compile(r"\b\d{1,2}[C-HJ-NP-X]\s?[A-HJ-NP-Z]{2}\s?\d{2,5}\s?\d{2,5}\b"),
    re.compile(r"(?<![\w+])[23456789CFGHJMPQRVWX]{8}\+[23456789CFGHJMPQRVWX]{2,3}\b"),
)


@dataclass(frozen=True)
class MapPoint:
    """A point the article gives: ``how`` is "map link", "embedded map" or "coordinates in the text";
    ``text`` the link or the coordinates as written; ``sentence`` where coordinates stood (links: the link's
    text)."""

    latitude: float
    longitude: float
    how: str
    text: str
    sentence: str

    @property
    def point(self) -> geo.LatLon:
        return geo.LatLon(self.latitude, self.longitude)


@dataclass(frozen=True)
class UnreadableMapLink:
    """A link to a map service that gives no point, with geo's reason."""

    url: str
    reason: str


def is_map_service(url: str) -> bool:
    """Whether ``url`` points at a map service (or is a `geo:` URI)."""
    if url[:4].lower() == "geo:":
        return True
    host = (urlsplit(url if "://" in url else f"https://{url}").hostname or "").lower()
    return _MAP_HOSTS.search(host) is not None and ("google" not in host or "/maps" in url or host.startswith("maps."))


def find_map_points(
    text: str, links: Iterable[Link], sentences: Sentences | None = None
) -> tuple[tuple[MapPoint, ...], tuple[UnreadableMapLink, ...]]:
    """The points given by ``links`` and by coordinates written in ``text``, and the map links that give none."""
    sentences = sentences or Sentences.of(text)
    points: list[MapPoint] = []
    unreadable: list[UnreadableMapLink] = []
    for link in links:
        if not is_map_service(link.url):
            continue
        how = "embedded map" if link.text == "[embedded map]" else "map link"
        try:
            point = geo.parse_map_link(link.url)
        except geo.GeoError as error:
            unreadable.append(UnreadableMapLink(link.url, str(error)))
            continue
        points.append(MapPoint(point.lat, point.lon, how, link.url, link.text))
    taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in re.finditer(r"(?:https?://|geo:)\S+", text)]
    for pattern in _TEXT_COORDINATES:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < stop for start, stop in taken):
                continue
            written = match.group().strip(" ,;")
            try:
                point = geo.parse_coordinates(written)
            except geo.GeoError:
                continue
            taken.append((match.start(), match.end()))
            points.append(
                MapPoint(point.lat, point.lon, "coordinates in the text", written, sentences.around(match.start()))
            )
    return tuple(points), tuple(unreadable)
