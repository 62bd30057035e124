"""What makes a collection writable: checks every format runs before it writes a byte."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urlsplit

from .errors import ExportError
from .features import Collection, PlaceFeature, Track, TrackPoint

# Property keys that would collide with a feature's own fields in GeoJSON properties and in CSV columns.
RESERVED_PROPERTY_KEYS = frozenset(
    {
        "id",
        "name",
        "kind",
        "latitude",
        "longitude",
        "uncertainty_m",
        "time",
        "url",
        "description",
        "thumbnail_url",
    }
)

# Only web links and references relative to the file: a viewer renders KML descriptions as HTML, where a
# javascript: or data: link would run or embed whatever it carries.
_URL_SCHEMES = frozenset({"", "http", "https"})

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f]")
# XML 1.0 §2.2 Char: everything else (most C0 controls, U+FFFE, U+FFFF) cannot appear in a document at all.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def check_collection(collection: Collection) -> None:
    """Refuse (ExportError) bad coordinates, times without an offset, unsafe URLs and bad properties."""
    _check_time("collection", "generated_at", collection.generated_at)
    _check_url("collection", "url", collection.url)
    for feature in collection.features:
        _check_feature(feature)
    for index, track in enumerate(collection.tracks, start=1):
        for number, point in enumerate(track.points, start=1):
            _check_track_point(f"{_track_label(index, track)}, point {number}", point)
    for where, field_name, text in _texts(collection):
        surrogate = _LONE_SURROGATE.search(text)
        if surrogate:
            raise ExportError(
                f"{where}: {field_name} contains U+{ord(surrogate.group()):04X}, "
                "a lone surrogate that UTF-8 cannot encode"
            )


def check_xml_text(collection: Collection) -> None:
    """Refuse (ExportError) text holding characters XML 1.0 cannot carry, such as most control characters."""
    for where, field_name, text in _texts(collection):
        bad = _NOT_XML_CHAR.search(text)
        if bad:
            raise ExportError(f"{where}: {field_name} contains U+{ord(bad.group()):04X}, which XML cannot carry")


def check_tracks_are_lines(collection: Collection) -> None:
    """Refuse (ExportError) a track with fewer than two points: GeoJSON and KML lines need at least two."""
    for index, track in enumerate(collection.tracks, start=1):
        if len(track.points) < 2:
            raise ExportError(
                f"{_track_label(index, track)}: has {len(track.points)} point(s); a line needs at least 2"
            )


def _check_feature(feature: PlaceFeature) -> None:
    where = feature.id
    _check_coordinate(where, "latitude", feature.latitude, 90)
    _check_coordinate(where, "longitude", feature.longitude, 180)
    if feature.uncertainty_m is not None and not (math.isfinite(feature.uncertainty_m) and feature.uncertainty_m >= 0):
        raise ExportError(f"{where}: uncertainty_m {feature.uncertainty_m!r} is not a finite number of metres >= 0")
    _check_time(where, "time", feature.time)
    _check_url(where, "url", feature.url)
    _check_url(where, "thumbnail_url", feature.thumbnail_url)
    for key, value in feature.properties.items():
        if not key.strip():
            raise ExportError(f"{where}: property name {key!r} is blank; a column or KML Data needs a name")
        if key in RESERVED_PROPERTY_KEYS:
            raise ExportError(f"{where}: property {key!r} clashes with the feature's own {key} field")
        if value is not None and not isinstance(value, str | int | float | bool):
            raise ExportError(
                f"{where}: property {key!r} is a {type(value).__name__}; "
                "a property holds text, a number, true/false or nothing"
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise ExportError(f"{where}: property {key!r} is {value!r}, not a finite number")


def _check_track_point(where: str, point: TrackPoint) -> None:
    _check_coordinate(where, "latitude", point.latitude, 90)
    _check_coordinate(where, "longitude", point.longitude, 180)
    if point.elevation_m is not None and not math.isfinite(point.elevation_m):
        raise ExportError(f"{where}: elevation_m {point.elevation_m!r} is not a finite number")
    _check_time(where, "time", point.time)


def _check_coordinate(where: str, axis: str, value: float, limit: int) -> None:
    if not math.isfinite(value):
        raise ExportError(f"{where}: {axis} {value!r} is not a finite number")
    if not -limit <= value <= limit:
        raise ExportError(f"{where}: {axis} {value!r} is outside -{limit}..{limit}")


def _check_time(where: str, field_name: str, value: datetime | None) -> None:
    if value is not None and value.utcoffset() is None:
        raise ExportError(f"{where}: {field_name} {value.isoformat()} has no UTC offset, so its instant is unknown")


def _check_url(where: str, field_name: str, url: str) -> None:
    if not url:
        return
    if _URL_UNSAFE.search(url):
        raise ExportError(f"{where}: {field_name} {url!r} contains whitespace or a control character")
    scheme = urlsplit(url).scheme.lower()
    if scheme not in _URL_SCHEMES:
        raise ExportError(f"{where}: {field_name} {url!r} is a {scheme}: link; only http(s) or relative links")


def _track_label(index: int, track: Track) -> str:
    return f"track {index} ({track.name!r})"


def _texts(collection: Collection) -> Iterator[tuple[str, str, str]]:
    """Every text of the collection as (where, field, text), for checks that apply to all text alike."""
    yield "collection", "title", collection.title
    yield "collection", "description", collection.description
    yield "collection", "url", collection.url
    for feature in collection.features:
        for field_name in ("id", "name", "kind", "description", "url", "thumbnail_url"):
            yield feature.id, field_name, getattr(feature, field_name)
        for key, value in feature.properties.items():
            yield feature.id, "a property name", key
            if isinstance(value, str):
                yield feature.id, f"property {key!r}", value
    for index, track in enumerate(collection.tracks, start=1):
        yield _track_label(index, track), "name", track.name
        yield _track_label(index, track), "description", track.description
