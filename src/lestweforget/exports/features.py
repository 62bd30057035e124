"""Plain values that every export format is written from: places, tracks and the collection around them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

PropertyValue = str | int | float | bool | None


@dataclass(frozen=True)
class PlaceFeature:
    """One public place on a map: a site, a start point or a diary waypoint, in WGS84 decimal degrees."""

    id: str
    name: str
    latitude: float
    longitude: float
    kind: str = ""
    description: str = ""
    url: str = ""
    uncertainty_m: float | None = None
    time: datetime | None = None
    thumbnail_url: str = ""
    properties: Mapping[str, PropertyValue] = field(default_factory=dict)


@dataclass(frozen=True)
class TrackPoint:
    latitude: float
    longitude: float
    time: datetime | None = None
    elevation_m: float | None = None


@dataclass(frozen=True)
class Track:
    """A route walked or driven, in time order."""

    name: str
    points: tuple[TrackPoint, ...]
    description: str = ""


@dataclass(frozen=True)
class Collection:
    """What one export file holds: a titled set of places and tracks."""

    title: str
    features: tuple[PlaceFeature, ...]
    tracks: tuple[Track, ...] = ()
    description: str = ""
    url: str = ""
    generated_at: datetime | None = None
    # The language the words are in ("en", "uk"): units and numbers the formats write into descriptions follow it.
    language: str = "en"
