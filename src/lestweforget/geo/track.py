"""GPS tracks (GPX, KML) as time-ordered fixes, and where a track says its carrier was at a given moment.

Used to place photos that carry no GPS of their own: a documenter's phone logs a track while a camera without
GPS takes the photos, and the capture time finds the position along the track.
"""

from __future__ import annotations

import io
import itertools
import math
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import gpxpy
import gpxpy.gpx

from lestweforget.geo.errors import GeoError

# Farther in time than this from the nearest fix, a track no longer says where the photo was taken: five
# minutes on foot is about 400 m, already more than most sites' uncertainty.
DEFAULT_MAX_GAP_S = 300.0


class TrackError(GeoError):
    """A track cannot be read or used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class TrackFix:
    """One point of a track: WGS 84 degrees, the time it was logged (UTC) when the file gives one."""

    latitude: float
    longitude: float
    time: datetime | None = None
    elevation_m: float | None = None


@dataclass(frozen=True)
class TrackPosition:
    """A position read off a track: ``gap_s`` is how far in time it is from the nearest logged fix."""

    latitude: float
    longitude: float
    gap_s: float


def read_track(path: Path) -> tuple[TrackFix, ...]:
    """Read a GPX (tracks, else routes) or KML (gx:Track, else LineString) file into fixes.

    Fixes with times come sorted by time, and points without a time are left out when any point has one; a
    track with no times at all (a KML LineString, a GPX route) keeps its points in file order, ``time=None``.
    Refuses a file that is neither GPX nor KML, or that holds no track points.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TrackError(f"{path.name}: cannot read the track ({error.strerror})") from error
    root_name = _root_element_name(data, path.name)
    if root_name == "gpx":
        fixes = list(_gpx_fixes(data, path.name))
    elif root_name == "kml":
        fixes = list(_kml_fixes(data, path.name))
    else:
        raise TrackError(f"{path.name}: not a GPX or KML track (its root element is <{root_name}>)")
    if not fixes:
        raise TrackError(f"{path.name}: holds no track or route points")
    timed = [fix for fix in fixes if fix.time is not None]
    if not timed:
        return tuple(fixes)
    return tuple(sorted(timed, key=lambda fix: fix.time or datetime.min.replace(tzinfo=UTC)))


def position_at(
    fixes: Sequence[TrackFix], when_utc: datetime, max_gap_s: float = DEFAULT_MAX_GAP_S
) -> TrackPosition | None:
    """Where the track was at ``when_utc`` (aware), interpolated linearly between the fixes around it.

    Returns None when the nearest fix is more than ``max_gap_s`` seconds away (outside the track, or inside a
    long pause in it). Refuses a naive time and a track without times.
    """
    if when_utc.tzinfo is None:
        raise TrackError(f"{when_utc.isoformat()}: a time without a UTC offset cannot be placed on a track")
    if not fixes:
        raise TrackError("the track has no fixes")
    if any(fix.time is None for fix in fixes):
        raise TrackError("the track has no times (a line, not a log): it cannot place anything by time")
    times = [_timestamp(fix) for fix in fixes]
    if any(later < earlier for earlier, later in itertools.pairwise(times)):
        raise TrackError("the track's fixes are not in time order; read it with read_track()")
    moment = when_utc.timestamp()
    after = _first_at_or_after(times, moment)
    if after == 0 or after == len(fixes):
        edge = fixes[0] if after == 0 else fixes[-1]
        gap_s = abs(moment - _timestamp(edge))
        if gap_s > max_gap_s:
            return None
        return TrackPosition(edge.latitude, edge.longitude, gap_s)
    before_fix, after_fix = fixes[after - 1], fixes[after]
    t0, t1 = times[after - 1], times[after]
    gap_s = min(moment - t0, t1 - moment)
    if gap_s > max_gap_s:
        return None
    fraction = 0.0 if t1 == t0 else (moment - t0) / (t1 - t0)
    latitude = before_fix.latitude + (after_fix.latitude - before_fix.latitude) * fraction
    # Across the antimeridian the short way round is through ±180, not through 0.
    lon_step = after_fix.longitude - before_fix.longitude
    if lon_step > 180:
        lon_step -= 360
    elif lon_step < -180:
        lon_step += 360
    longitude = before_fix.longitude + lon_step * fraction
    longitude = (longitude + 180) % 360 - 180 if abs(longitude) > 180 else longitude
    return TrackPosition(latitude, longitude, gap_s)


def _timestamp(fix: TrackFix) -> float:
    assert fix.time is not None  # callers check that every fix has a time
    return fix.time.timestamp()


def _first_at_or_after(times: Sequence[float], moment: float) -> int:
    low, high = 0, len(times)
    while low < high:
        middle = (low + high) // 2
        if times[middle] < moment:
            low = middle + 1
        else:
            high = middle
    return low


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _root_element_name(data: bytes, name: str) -> str:
    try:
        for _event, element in ElementTree.iterparse(io.BytesIO(data), events=("start",)):
            return _local_name(element.tag)
    except ElementTree.ParseError as error:
        raise TrackError(f"{name}: not a GPX or KML track (not well-formed XML: {error})") from error
    raise TrackError(f"{name}: not a GPX or KML track (empty)")


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    # GPX 1.0 and 1.1 times are UTC; a time written without a zone is read as UTC too.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _checked(latitude: float, longitude: float, name: str) -> None:
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise TrackError(f"{name}: a point has no finite coordinates ({latitude}, {longitude})")
    if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
        raise TrackError(f"{name}: point {latitude}, {longitude} is outside -90..90, -180..180")


def _gpx_fixes(data: bytes, name: str) -> Iterator[TrackFix]:
    try:
        gpx = gpxpy.parse(data)
    except gpxpy.gpx.GPXException as error:
        raise TrackError(f"{name}: not a readable GPX file ({error})") from error
    points: list[gpxpy.gpx.GPXTrackPoint | gpxpy.gpx.GPXRoutePoint] = [
        point for track in gpx.tracks for segment in track.segments for point in segment.points
    ]
    if not points:
        points = [point for route in gpx.routes for point in route.points]
    for point in points:
        _checked(point.latitude, point.longitude, name)
        yield TrackFix(point.latitude, point.longitude, _utc(point.time), point.elevation)


def _kml_fixes(data: bytes, name: str) -> Iterator[TrackFix]:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise TrackError(f"{name}: not a readable KML file ({error})") from error
    tracks = [element for element in root.iter() if _local_name(element.tag) == "Track"]
    if tracks:
        for track in tracks:
            yield from _gx_track(track, name)
        return
    for line in (element for element in root.iter() if _local_name(element.tag) == "LineString"):
        for child in line:
            if _local_name(child.tag) == "coordinates":
                for triple in (child.text or "").split():
                    yield _kml_point(triple.split(","), name, triple)


def _gx_track(track: ElementTree.Element, name: str) -> Iterator[TrackFix]:
    """A gx:Track lists its <when> times and its <gx:coord> points in two runs that pair up in order."""
    whens = [child.text or "" for child in track if _local_name(child.tag) == "when"]
    coords = [child.text or "" for child in track if _local_name(child.tag) == "coord"]
    if len(whens) != len(coords):
        raise TrackError(f"{name}: a gx:Track has {len(whens)} <when> but {len(coords)} <gx:coord> elements")
    for when, coord in zip(whens, coords, strict=True):
        fix = _kml_point(coord.split(), name, coord)
        try:
            time = datetime.fromisoformat(when.strip())
        except ValueError as error:
            raise TrackError(f"{name}: <when>{when}</when> is not an ISO 8601 time") from error
        yield TrackFix(fix.latitude, fix.longitude, _utc(time), fix.elevation_m)


def _kml_point(parts: Sequence[str], name: str, text: str) -> TrackFix:
    """KML writes longitude first: "lon lat [alt]" in gx:coord, "lon,lat[,alt]" in coordinates."""
    try:
        numbers = [float(part) for part in parts]
    except ValueError as error:
        raise TrackError(f"{name}: {text.strip()!r} is not 'longitude latitude [altitude]'") from error
    if len(numbers) not in (2, 3):
        raise TrackError(f"{name}: {text.strip()!r} is not 'longitude latitude [altitude]'")
    longitude, latitude = numbers[0], numbers[1]
    _checked(latitude, longitude, name)
    return TrackFix(latitude, longitude, None, numbers[2] if len(numbers) == 3 else None)
