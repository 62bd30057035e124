"""GPS tracks (GPX, KML) as time-ordered fixes, and where a track says its carrier was at a given moment.

Used to place photos that carry no GPS of their own: a documenter's phone logs a track while a camera without
GPS takes the photos, and the capture time finds the position along the track.
"""

from __future__ import annotations

import codecs
import io
import itertools
import math
import re
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import gpxpy
import gpxpy.gpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as xml_from_string

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


@dataclass(frozen=True)
class TrackReading:
    """What a track file holds, and exactly what of it could not be used.

    ``fixes`` as ``read_track`` returns them. ``points`` counts the points the file holds; ``left_out`` says
    which points were not used and why, naming the element ("points 3, 7: <time>yesterday</time> is not an
    ISO 8601 date-time"); ``notes`` says what was read in another way than the file asked ("declares UTF-8 but
    byte 0xE9 at line 4 is not UTF-8", "gpxpy read no time for points 1-2; read from the file's <time>").
    """

    fixes: tuple[TrackFix, ...]
    points: int
    kind: str  # "GPX track", "GPX route", "KML gx:Track", "KML LineString", "KML placemarks"
    left_out: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def timed(self) -> bool:
        return bool(self.fixes) and all(fix.time is not None for fix in self.fixes)

    def why_no_times(self, name: str) -> str:
        """Why this track cannot place photos by time, naming the file and what it holds."""
        if self.kind in ("KML LineString", "GPX route"):
            return (
                f"{name}: the track has no times: it holds a {self.kind} of {self.points} points, which carries "
                "none, so it cannot place photos (use the track the phone or logger recorded, GPX or KML gx:Track)"
            )
        detail = "; ".join(self.left_out) or f"none of its {self.points} points has a time"
        return f"{name}: the track has no times that can be read ({detail}), so it cannot place photos"


def read_track(path: Path) -> tuple[TrackFix, ...]:
    """Read a GPX (tracks, else routes) or KML/KMZ (gx:Track, else LineString, else timed placemarks) file.

    Fixes with times come sorted by time, and points without a time are left out when any point has one; a
    track with no times at all (a KML LineString, a GPX route) keeps its points in file order, ``time=None``.
    Refuses (TrackError) a file that is neither GPX nor KML, or that holds no track points; see
    ``read_track_file`` for what was left out and why.
    """
    return read_track_file(path).fixes


def read_track_file(path: Path) -> TrackReading:
    """Read a track like ``read_track``, saying also which points were left out and why (see TrackReading)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TrackError(f"{path.name}: cannot read the track ({error.strerror})") from error
    return read_track_bytes(data, path.name)


def read_track_bytes(data: bytes, name: str) -> TrackReading:
    """``read_track_file`` for bytes already read; ``name`` is only for messages."""
    notes: list[str] = []
    if data.startswith(b"PK\x03\x04"):
        data = _kml_from_kmz(data, name)
    text = _decode_xml(data, name, notes)
    root = _parse_xml(text, name)
    root_name = _local_name(root.tag)
    if root_name == "gpx":
        reading = _gpx_reading(root, text, name, notes)
    elif root_name == "kml":
        reading = _kml_reading(root, name, notes)
    else:
        raise TrackError(f"{name}: not a GPX or KML track (its root element is <{root_name}>)")
    if not reading.points:
        raise TrackError(f"{name}: holds no track or route points")
    if not reading.fixes:
        raise TrackError(f"{name}: none of its {reading.points} points can be used ({'; '.join(reading.left_out)})")
    return reading


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


# ---------------------------------------------------------------------------------------------------------
# XML: the file's own encoding, or a clear note where it lies about it


_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_DECLARATION_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
MAX_KML_IN_KMZ_BYTES = 256 * 1024 * 1024


def _utf8_under_a_single_byte_label(body: bytes, codec: str) -> bool:
    """Whether ``body``, declared in a single-byte encoding (ISO-8859-*, windows-125*, KOI8), is in fact valid
    UTF-8 with at least one multi-byte sequence."""
    single_byte = codec.startswith(("iso8859", "latin", "cp125", "koi8", "mac-")) or codec in ("cp437", "ascii")
    if not single_byte or body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode_xml(data: bytes, name: str, notes: list[str]) -> str:
    """The file as text, by its byte-order mark, else its declaration, else UTF-8 (XML 1.0, 4.3.3, App. F).

    A file whose bytes are not in the encoding it declares is read with replacement characters in its text
    fields, and a note says which byte where: coordinates and times are ASCII and unaffected.
    """
    body, encoding, why = data, "utf-8", "UTF-8 (XML's default)"
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            body, encoding, why = data[len(bom) :], bom_encoding, f"{bom_encoding.upper()} (its byte-order mark)"
            break
    else:
        if data[:4] in (b"\x00<\x00?", b"\x00<\x00g", b"\x00<\x00k"):
            encoding, why = "utf-16-be", "UTF-16BE (its first bytes)"
        elif data[:4] in (b"<\x00?\x00", b"<\x00g\x00", b"<\x00k\x00"):
            encoding, why = "utf-16-le", "UTF-16LE (its first bytes)"
    declared = _DECLARATION.match(body.decode(encoding, "replace").encode("ascii", "replace")[:400])
    if declared:
        label = declared.group(1).decode("ascii")
        try:
            declared_codec = codecs.lookup(label).name
        except LookupError:
            notes.append(f"declares the encoding {label!r}, which is unknown; read as {why}")
        else:
            if why.startswith("UTF-8 (XML"):
                encoding, why = declared_codec, f"{label} (as declared)"
                if _utf8_under_a_single_byte_label(body, declared_codec):
                    # Valid multi-byte UTF-8 almost never happens by chance in Latin text: the declaration lies.
                    notes.append(
                        f"declares the encoding {label}, but its bytes are UTF-8 (multi-byte UTF-8 sequences that "
                        f"{label} would read as mojibake); read as UTF-8"
                    )
                    encoding, why = "utf-8", "UTF-8 (what its bytes are)"
            elif codecs.lookup(encoding).name.split("-")[:2] != declared_codec.split("-")[:2]:
                notes.append(f"declares {label} but starts with a {why}; read as the latter")
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        notes.append(
            f"its bytes are not {why}: byte 0x{body[error.start]:02X} on line {line} is not; text such as names "
            "was read with replacement characters (coordinates and times are unaffected)"
        )
        text = body.decode(encoding, "replace")
    return _DECLARATION_TEXT.sub("", text, count=1)


def _parse_xml(text: str, name: str) -> Element:
    if not text.strip():
        raise TrackError(f"{name}: not a GPX or KML track (empty)")
    try:
        root: Element = xml_from_string(text, forbid_dtd=True)
    except ElementTree.ParseError as error:
        raise TrackError(f"{name}: not a GPX or KML track (not well-formed XML: {error})") from error
    except (DefusedXmlException, ValueError) as error:
        raise TrackError(f"{name}: not a GPX or KML track (refused: {error})") from error
    return root


def _kml_from_kmz(data: bytes, name: str) -> bytes:
    """The KML document inside a KMZ (a ZIP whose first .kml entry, usually doc.kml, is the document)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = [info for info in archive.infolist() if info.filename.lower().endswith(".kml")]
            if not entries:
                raise TrackError(f"{name}: a ZIP without a .kml document, so not a KMZ track")
            entry = next((info for info in entries if info.filename.lower() == "doc.kml"), entries[0])
            if entry.file_size > MAX_KML_IN_KMZ_BYTES:
                raise TrackError(f"{name}: its {entry.filename} would unpack to {entry.file_size} bytes; refused")
            return archive.read(entry)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as error:
        raise TrackError(f"{name}: not a readable KMZ ({error})") from error


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _collapse(text: str | None) -> str:
    """XML Schema's whitespace collapse, which GPX's xsd:dateTime and xsd:decimal values undergo."""
    return " ".join((text or "").split())


# ---------------------------------------------------------------------------------------------------------
# Times and points

_XSD_DATETIME = re.compile(
    r"(-?\d{4,})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*([Zz]|[+-]\d{2}:?\d{2})?"
)


def parse_track_time(text: str | None) -> datetime | None:
    """An xsd:dateTime (GPX <time>, KML <when>) as an aware UTC time, after whitespace collapse; None when the
    text is not one. A time without a zone is UTC, as GPX 1.0 and 1.1 say; 24:00:00 is the next midnight."""
    match = _XSD_DATETIME.fullmatch(_collapse(text))
    if not match:
        return None
    year, month, day, hour, minute, second = (int(match[i]) for i in range(1, 7))
    fraction = int((match[7] or "0")[:6].ljust(6, "0"))
    extra = timedelta(0)
    if hour == 24 and minute == 0 and second == 0 and fraction == 0:
        hour, extra = 0, timedelta(days=1)
    zone = match[8] or "Z"
    try:
        moment = datetime(year, month, day, hour, minute, second, fraction, tzinfo=UTC) + extra
    except ValueError:
        return None
    if zone not in ("Z", "z"):
        digits = zone.replace(":", "")
        offset = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
        if offset > timedelta(hours=14) or int(digits[3:5]) >= 60:
            return None
        moment -= offset if digits[0] == "+" else -offset
    return moment


@dataclass(frozen=True)
class _RawPoint:
    """One point as the file holds it, before anything is decided: its texts, collapsed."""

    number: int  # 1-based, in file order
    latitude: str
    longitude: str
    elevation: str | None
    time: str | None
    time_element: str  # "time" (GPX) or "when" (KML), for messages


def _number(text: str | None) -> float | None:
    try:
        value = float(_collapse(text))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _fixes_from_raw(points: list[_RawPoint], left_out: list[str]) -> list[TrackFix]:
    """Read each raw point; what cannot be read is left out and named in ``left_out`` (grouped by reason)."""
    reasons: dict[str, list[int]] = {}
    fixes: list[TrackFix] = []
    for point in points:
        latitude, longitude = _number(point.latitude), _number(point.longitude)
        if latitude is None or longitude is None:
            reasons.setdefault(f"lat={point.latitude!r} lon={point.longitude!r} are not both numbers", []).append(
                point.number
            )
            continue
        if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
            reasons.setdefault(f"{latitude}, {longitude} is outside -90..90, -180..180", []).append(point.number)
            continue
        time = None
        if point.time is not None:
            time = parse_track_time(point.time)
            if time is None:
                element = point.time_element
                reasons.setdefault(
                    f"<{element}>{_collapse(point.time)[:40]}</{element}> is not an ISO 8601 date-time", []
                ).append(point.number)
                continue
        fixes.append(TrackFix(latitude, longitude, time, _number(point.elevation)))
    left_out.extend(f"{_numbers_text(numbers)}: {reason}" for reason, numbers in reasons.items())
    return fixes


def _numbers_text(numbers: Sequence[int]) -> str:
    """Point numbers as short ranges: "point 3", "points 1-4, 9"."""
    ranges: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        ranges.append(str(start) if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    label = "point" if len(numbers) == 1 else "points"
    shown = ", ".join(ranges[:6]) + (f" and {len(ranges) - 6} more ranges" if len(ranges) > 6 else "")
    return f"{label} {shown}"


def _finish(
    fixes: list[TrackFix], points: list[_RawPoint], kind: str, left_out: list[str], notes: list[str]
) -> TrackReading:
    """Sort timed fixes by time; when some have times, leave out (and name) the points without one."""
    timed = [fix for fix in fixes if fix.time is not None]
    if timed and len(timed) < len(fixes):
        untimed = [p.number for p in points if p.time is None]
        element = points[0].time_element if points else "time"
        left_out.append(f"{_numbers_text(untimed)}: no <{element}> (other points have one)")
    chosen = sorted(timed, key=_timestamp) if timed else fixes
    return TrackReading(tuple(chosen), len(points), kind, tuple(left_out), tuple(notes))


# ---------------------------------------------------------------------------------------------------------
# GPX


def _gpx_reading(root: Element, text: str, name: str, notes: list[str]) -> TrackReading:
    """GPX 1.0 or 1.1, with or without a default namespace or a prefix: track points, else route points.

    Read from the XML by element names within the root's namespace; gpxpy reads the same text, and where it
    finds fewer points or no time for a point whose <time> the XML holds, a note says so.
    """
    namespace = _namespace(root.tag)
    kind, raw = "GPX track", _gpx_points(root, namespace, ("trk", "trkseg", "trkpt"))
    if not raw:
        kind, raw = "GPX route", _gpx_points(root, namespace, ("rte", "rtept"))
    left_out: list[str] = []
    fixes = _fixes_from_raw(raw, left_out)
    _compare_with_gpxpy(text, kind, raw, fixes, notes)
    return _finish(fixes, raw, kind, left_out, notes)


def _gpx_points(root: Element, namespace: str, path: tuple[str, ...]) -> list[_RawPoint]:
    def named(element: Element, local: str) -> list[Element]:
        return [c for c in element if _local_name(c.tag) == local and _namespace(c.tag) == namespace]

    level = [root]
    for local in path:
        level = [child for element in level for child in named(element, local)]
    points = []
    for number, element in enumerate(level, start=1):
        elevation, time = named(element, "ele"), named(element, "time")
        points.append(
            _RawPoint(
                number=number,
                latitude=_collapse(element.get("lat")),
                longitude=_collapse(element.get("lon")),
                elevation=elevation[0].text if elevation else None,
                time=(time[0].text or "") if time else None,
                time_element="time",
            )
        )
    return points


def _compare_with_gpxpy(text: str, kind: str, raw: list[_RawPoint], fixes: list[TrackFix], notes: list[str]) -> None:
    """Say where gpxpy, the library most tools use, would have dropped what the file holds."""
    try:
        gpx = gpxpy.parse(text)
    except (gpxpy.gpx.GPXException, ElementTree.ParseError, ValueError) as error:
        notes.append(f"gpxpy cannot read it ({error}); read from the XML directly")
        return
    if kind == "GPX track":
        points: list[Any] = [p for track in gpx.tracks for segment in track.segments for p in segment.points]
    else:
        points = [p for route in gpx.routes for p in route.points]
    if len(points) != len(raw):
        notes.append(
            f"gpxpy finds {len(points)} of its {len(raw)} points (namespaced or prefixed GPX); read from the XML"
        )
        return
    missed = [p.number for p, g in zip(raw, points, strict=True) if p.time is not None and g.time is None]
    if missed and any(fix.time is not None for fix in fixes):
        notes.append(f"gpxpy reads no time for {_numbers_text(missed)}; read from the file's <time> elements")


# ---------------------------------------------------------------------------------------------------------
# KML


def _kml_reading(root: Element, name: str, notes: list[str]) -> TrackReading:
    """gx:Track (and gx:MultiTrack), else LineString coordinates, else placemarks each with a Point and a
    TimeStamp (KML 2.2, OGC 07-147r2, and Google's gx extensions)."""
    left_out: list[str] = []
    tracks = [element for element in root.iter() if _local_name(element.tag) == "Track"]
    if tracks:
        raw: list[_RawPoint] = []
        for track in tracks:
            raw.extend(_gx_track_points(track, name, len(raw)))
        return _finish(_fixes_from_raw(raw, left_out), raw, "KML gx:Track", left_out, notes)
    lines = [element for element in root.iter() if _local_name(element.tag) == "LineString"]
    if lines:
        raw = []
        for line in lines:
            for child in line:
                if _local_name(child.tag) == "coordinates":
                    for triple in (child.text or "").split():
                        raw.append(_kml_raw_point(triple.split(","), len(raw) + 1, None))
        return _finish(_fixes_from_raw(raw, left_out), raw, "KML LineString", left_out, notes)
    raw = []
    for placemark in (element for element in root.iter() if _local_name(element.tag) == "Placemark"):
        coordinates = next((e.text for e in placemark.iter() if _local_name(e.tag) == "coordinates" and e.text), None)
        stamp = next((e for e in placemark.iter() if _local_name(e.tag) == "TimeStamp"), None)
        when = next((e.text or "" for e in stamp if _local_name(e.tag) == "when"), None) if stamp is not None else None
        if coordinates is not None and len(coordinates.split()) == 1:
            raw.append(_kml_raw_point(coordinates.split()[0].split(","), len(raw) + 1, when))
    return _finish(_fixes_from_raw(raw, left_out), raw, "KML placemarks", left_out, notes)


def _gx_track_points(track: Element, name: str, before: int) -> list[_RawPoint]:
    """A gx:Track lists its <when> times and its <gx:coord> points in two runs that pair up in order."""
    whens = [child.text or "" for child in track if _local_name(child.tag) == "when"]
    coords = [child.text or "" for child in track if _local_name(child.tag) == "coord"]
    if len(whens) != len(coords):
        raise TrackError(
            f"{name}: a gx:Track has {len(whens)} <when> but {len(coords)} <gx:coord> elements, which KML pairs "
            "one to one; cannot tell which time goes with which point"
        )
    return [
        _kml_raw_point(coord.split(), before + number, when)
        for number, (when, coord) in enumerate(zip(whens, coords, strict=True), start=1)
    ]


def _kml_raw_point(parts: Sequence[str], number: int, when: str | None) -> _RawPoint:
    """KML writes longitude first: "lon lat [alt]" in gx:coord, "lon,lat[,alt]" in coordinates."""
    parts = [part for part in parts if part.strip()]
    if len(parts) not in (2, 3):
        text = " ".join(parts)
        return _RawPoint(number, text, "", None, when, "when")
    return _RawPoint(number, parts[1], parts[0], parts[2] if len(parts) == 3 else None, when, "when")
