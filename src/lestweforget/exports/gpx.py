"""A collection as a GPX 1.1 document: waypoints for places, one track per route; whole or a piece at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from xml.sax.saxutils import escape

import gpxpy.gpx

from .features import Collection, PlaceFeature, Track
from .locale_text import metres_text
from .notation import rounded_degrees, rounded_metres, unix_lines
from .validation import check_collection, check_xml_text

GPX_VERSION = "1.1"
CREATOR = "Lest We Forget"

# Garmin's symbol names: the de facto vocabulary of <sym>, which OsmAnd, Garmin and most GPS apps draw.
KIND_SYMBOLS = {
    "mass_grave": "Cemetery",
    "burial_site": "Cemetery",
    "execution_site": "Flag, Red",
    "detention_site": "Flag, Red",
    "memorial": "Civil",
    "start_point": "Trail Head",
    "parking": "Parking Area",
    "danger": "Danger Area",
}
DEFAULT_SYMBOL = "Flag, Blue"


def to_gpx(collection: Collection) -> str:
    """A GPX 1.1 document: metadata, a <wpt> per place (name, plain-text desc, link, type, time, sym), a <trk>
    of one <trkseg> per track. Times are written in UTC, as GPX requires; nothing outside the GPX 1.1 schema.

    Raises ExportError for a collection that cannot be written (see validation).
    """
    return "".join(gpx_stream(replace(collection, features=()), [replace(collection, tracks=())]))


def gpx_stream(
    head: Collection, chunks: Iterable[Collection], property_keys: Sequence[str] = (), kinds: Sequence[str] = ()
) -> Iterator[str]:
    """The GPX document of `to_gpx` a piece at a time: the <gpx> element with ``head``'s metadata, a piece of <wpt>
    per chunk, then ``head``'s tracks (GPX 1.1 puts every wpt before any trk). ``property_keys`` and ``kinds`` are
    not needed here. Raises ExportError for a collection that cannot be written (see validation)."""
    check_collection(head)
    check_xml_text(head)
    document = gpxpy.gpx.GPX()
    document.creator = CREATOR
    document.name = unix_lines(head.title) or None
    document.description = unix_lines(head.description) or None
    if head.url:
        document.link = _attribute(head.url)
        document.link_text = document.name
    document.time = _utc(head.generated_at)
    whole = document.to_xml(version=GPX_VERSION)
    yield whole[: whole.rindex(_GPX_END)]
    for chunk in chunks:
        check_collection(chunk)
        check_xml_text(chunk)
        part = gpxpy.gpx.GPX()
        part.waypoints = [_waypoint(feature, head.language) for feature in chunk.features]
        yield _children(part)
    if head.tracks:
        part = gpxpy.gpx.GPX()
        part.tracks = [_track(track) for track in head.tracks]
        yield _children(part)
    yield _GPX_END + "\n"


_GPX_END = "</gpx>"


def _children(document: gpxpy.gpx.GPX) -> str:
    """What gpxpy writes inside the <gpx> element of ``document`` (its waypoints or tracks), one per line."""
    text = document.to_xml(version=GPX_VERSION)
    inside = text[text.index(">", text.index("<gpx")) + 1 : text.rindex(_GPX_END)]
    return inside.removeprefix("\n")


def symbol_for(kind: str) -> str:
    """The <sym> name drawn for a kind of place; unknown kinds get a neutral flag."""
    return KIND_SYMBOLS.get(kind, DEFAULT_SYMBOL)


def waypoint_description(feature: PlaceFeature, language: str = "en") -> str:
    """The plain-text <desc>: the description, then the uncertainty in whole metres on a line of its own, in the
    collection's language ("± 300 m", "± 300 м"; `locale_text.metres_text`)."""
    lines = [unix_lines(feature.description)] if feature.description else []
    if feature.uncertainty_m is not None:
        lines.append(f"± {metres_text(feature.uncertainty_m, language)}")
    return "\n\n".join(lines)


def _waypoint(feature: PlaceFeature, language: str) -> gpxpy.gpx.GPXWaypoint:
    waypoint = gpxpy.gpx.GPXWaypoint(
        latitude=rounded_degrees(feature.latitude),
        longitude=rounded_degrees(feature.longitude),
        time=_utc(feature.time),
        name=unix_lines(feature.name) or None,
        description=waypoint_description(feature, language) or None,
        symbol=symbol_for(feature.kind),
        type=unix_lines(feature.kind) or None,
    )
    if feature.url:
        # gpxpy 1.6 annotates GPXWaypoint.link as None although it writes a string there.
        waypoint.link = _attribute(feature.url)  # type: ignore[assignment]
    return waypoint


def _track(track: Track) -> gpxpy.gpx.GPXTrack:
    segment = gpxpy.gpx.GPXTrackSegment()
    segment.points = [
        gpxpy.gpx.GPXTrackPoint(
            latitude=rounded_degrees(point.latitude),
            longitude=rounded_degrees(point.longitude),
            elevation=rounded_metres(point.elevation_m) if point.elevation_m is not None else None,
            time=_utc(point.time),
        )
        for point in track.points
    ]
    written = gpxpy.gpx.GPXTrack(name=unix_lines(track.name) or None, description=unix_lines(track.description) or None)
    written.segments = [segment]
    return written


def _utc(time: datetime | None) -> datetime | None:
    return time.astimezone(UTC) if time is not None else None


def _attribute(value: str) -> str:
    # gpxpy writes attribute values as given, so a link's & or " must be escaped here or the XML breaks.
    return escape(value, {'"': "&quot;"})
