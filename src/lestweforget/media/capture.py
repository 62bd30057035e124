"""What a photo's own metadata says about its capture: when, where, facing which way, with which device.

Reads EXIF and XMP (``media.metadata``) from bytes the caller has already read and hashed; the path is never
opened again.
A value that cannot be right is named in ``flags``; a position that cannot be right is dropped, never repaired
or guessed.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from PIL import ExifTags

from lestweforget.media.formats import open_image, sniff_format
from lestweforget.media.metadata import read_metadata

FLAG_MEANINGS: Mapping[str, str] = MappingProxyType(
    {
        "no-exif": "no EXIF at all (any capture time, device or position came from XMP, if anywhere)",
        "no-exif-capture-time": "EXIF is there, but holds no DateTimeOriginal or DateTimeDigitized: it does not say "
        "when the photo was taken (an editor's export, often)",
        "time-is-modification": "the only time found is EXIF DateTime, the file's last change (an edit or a save), "
        "taken as the capture time for want of any other",
        "exif-malformed": "an EXIF directory is present but could not be parsed",
        "xmp-malformed": "an XMP packet is present but is not well-formed XMP (or its extension is incomplete)",
        "orientation-malformed": "the Orientation tag is not one of 1..8",
        "gps-present-but-empty": "a GPS directory without latitude and longitude",
        "gps-malformed": "GPS coordinates that cannot be decoded (bad type, zero denominator, missing or "
        "contradicting N/S/E/W reference); no position given",
        "gps-out-of-range": "GPS latitude beyond ±90 or longitude beyond ±180; no position given",
        "gps-null-island": "GPS says 0, 0 (a receiver's placeholder, not a place); no position given",
        "time-malformed": "a date, time or UTC offset tag that is present but not a valid value",
        "time-in-future": "the capture time (local, or UTC from its offset or the GPS) is later than the import "
        "time, beyond what any time zone explains",
        "time-before-device": "the capture time is before 1990-01-01, before digital cameras were sold",
        "clock-disagrees": "DateTimeOriginal is more than a day after DateTime: the camera clock was wrong",
        "gps-time-disagrees": "local capture time minus GPS UTC time is not an offset any time zone uses",
    }
)

# The first digital cameras sold to the public (Dycam Model 1, Fuji DS-X) appeared in 1990.
EARLIEST_PLAUSIBLE_CAPTURE = datetime(1990, 1, 1)
# Time zones in use run from UTC-12:00 to UTC+14:00; an hour of slack allows a GPS fix taken a little earlier.
_ZONE_WEST = timedelta(hours=12)
_ZONE_EAST = timedelta(hours=14)
_FIX_SLACK = timedelta(hours=1)

# Where each capture time lives in EXIF, in the order we trust them, with its sub-second and UTC-offset tags.
_TIME_SOURCES: tuple[tuple[str, int, int, tuple[int, ...]], ...] = (
    (
        "DateTimeOriginal",
        ExifTags.Base.DateTimeOriginal,
        ExifTags.Base.SubsecTimeOriginal,
        (ExifTags.Base.OffsetTimeOriginal, ExifTags.Base.OffsetTime),
    ),
    (
        "DateTimeDigitized",
        ExifTags.Base.DateTimeDigitized,
        ExifTags.Base.SubsecTimeDigitized,
        (ExifTags.Base.OffsetTimeDigitized, ExifTags.Base.OffsetTime),
    ),
    ("DateTime", ExifTags.Base.DateTime, ExifTags.Base.SubsecTime, (ExifTags.Base.OffsetTime,)),
)

_DATETIME = re.compile(r"(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_DATE = re.compile(r"(\d{4})[:-](\d{2})[:-](\d{2})")
_OFFSET = re.compile(r"([+-])(\d{2}):(\d{2})")


@dataclass(frozen=True)
class CameraPosition:
    """Where the camera was, as its GPS recorded it (WGS 84 degrees, metres)."""

    latitude: float
    longitude: float
    altitude_m: float | None = None
    accuracy_m: float | None = None
    heading_deg: float | None = None
    heading_ref: str | None = None  # "T" true north or "M" magnetic north, as GPSImgDirectionRef says


@dataclass(frozen=True)
class CaptureMetadata:
    """What a photo's metadata says about its capture.

    ``width``/``height`` are the pixel size as decoded before EXIF ``orientation`` is applied (for HEIF the
    decoder already applies the container's rotation, so there ``orientation`` is only what EXIF records);
    ``display_width``/``display_height`` are the upright size a viewer shows.
    """

    format: str
    width: int
    height: int
    display_width: int
    display_height: int
    orientation: int | None
    capture_time: datetime | None
    capture_time_source: str | None
    utc_offset: timedelta | None
    capture_time_utc: datetime | None
    # "offset" (local time and its UTC offset) or "gps" (the GPS date and time stamps)
    capture_time_utc_source: str | None
    position: CameraPosition | None
    device_make: str | None
    device_model: str | None
    software: str | None
    flags: tuple[str, ...]
    # Where the metadata was read from, e.g. ("PNG zTXt 'Raw profile type exif'",); empty when nowhere.
    metadata_found_in: tuple[str, ...] = ()


def read_capture(data: bytes, name: str, now: datetime | None = None) -> CaptureMetadata:
    """Read capture metadata from an image's raw bytes; ``name`` is only for messages.

    EXIF and XMP are found wherever the format keeps them (see ``media.metadata``), by the same function that
    decides how the derivatives are turned upright. Raises MediaError for what is not a whole supported image.
    Decodes headers and metadata only, not pixels. ``now`` (default: the current UTC time; a naive value is
    taken as UTC) decides "time-in-future".
    """
    image = open_image(data, name)
    with image:
        image_format = sniff_format(data) or str(image.format)
        metadata = read_metadata(image, data, image_format)
    flags = list(metadata.flags)
    ifd0, exif_ifd, gps_ifd = metadata.ifd0, metadata.exif, metadata.gps
    orientation = metadata.orientation
    # HEIF reports its decoded size, which its decoder has already turned upright.
    width, height = metadata.upright_size if image_format == "HEIF" else metadata.stored_size
    display = metadata.upright_size

    times = _capture_times(ifd0, exif_ifd, gps_ifd, flags, metadata.times_from_xmp)
    position = _position(gps_ifd, flags)
    make, model = _text(ifd0.get(ExifTags.Base.Make)), _text(ifd0.get(ExifTags.Base.Model))
    if not metadata.has_exif:
        flags.insert(0, "no-exif")
    elif not {ExifTags.Base.DateTimeOriginal, ExifTags.Base.DateTimeDigitized} & (
        set(exif_ifd) - set(metadata.times_from_xmp)
    ):
        flags.insert(0, "no-exif-capture-time")
    if times.source == "DateTime":
        flags.append("time-is-modification")
    _check_plausibility(times, _as_utc(now), flags)

    return CaptureMetadata(
        format=image_format,
        width=width,
        height=height,
        display_width=display[0],
        display_height=display[1],
        orientation=orientation,
        capture_time=times.local,
        capture_time_source=times.source,
        utc_offset=times.offset,
        capture_time_utc=times.utc,
        capture_time_utc_source=times.utc_source,
        position=position,
        device_make=make,
        device_model=model,
        software=_text(ifd0.get(ExifTags.Base.Software)),
        flags=tuple(dict.fromkeys(flags)),
        metadata_found_in=metadata.found_in,
    )


@dataclass(frozen=True)
class _Times:
    local: datetime | None = None
    source: str | None = None
    offset: timedelta | None = None
    utc: datetime | None = None
    utc_source: str | None = None
    gps_utc: datetime | None = None
    file_changed: datetime | None = None  # IFD0 DateTime, when another time was the source


def _capture_times(
    ifd0: Mapping[int, object],
    exif_ifd: Mapping[int, object],
    gps_ifd: Mapping[int, object],
    flags: list[str],
    from_xmp: Mapping[int, str] | None = None,
) -> _Times:
    """The capture time by the Metadata Working Group's order (Guidelines 2.0, 5.7): DateTimeOriginal (or XMP
    photoshop:DateCreated), DateTimeDigitized (or XMP xmp:CreateDate), then DateTime, the last change, for want
    of anything else. The source names the XMP property when the time came from XMP."""
    from_xmp = from_xmp or {}
    tags = {**dict(exif_ifd), ExifTags.Base.DateTime: ifd0.get(ExifTags.Base.DateTime)}
    parsed = {source: _datetime(tags.get(tag), tags.get(subsec), flags) for source, tag, subsec, _ in _TIME_SOURCES}
    local = source = offset = None
    for candidate, tag, _subsec, offset_tags in _TIME_SOURCES:
        if parsed[candidate] is not None:
            local, source = parsed[candidate], from_xmp.get(tag, candidate)
            offset = next(
                (o for o in (_utc_offset(tags.get(t), flags) for t in offset_tags) if o is not None),
                None,
            )
            break
    gps_utc = _gps_time(gps_ifd, flags)
    utc, utc_source = None, None
    if local is not None and offset is not None:
        utc, utc_source = (local - offset).replace(tzinfo=UTC), "offset"
    elif gps_utc is not None:
        utc, utc_source = gps_utc, "gps"
    return _Times(
        local=local,
        source=source,
        offset=offset,
        utc=utc,
        utc_source=utc_source,
        gps_utc=gps_utc,
        file_changed=parsed["DateTime"] if source != "DateTime" else None,
    )


def _check_plausibility(times: _Times, now: datetime, flags: list[str]) -> None:
    # Each time the file gives is checked on its own: a UTC time from the GPS does not excuse a local time that
    # is years ahead. Without an offset, local time may run up to 14 hours ahead of UTC: only beyond that is it
    # surely in the future.
    in_future = (times.utc is not None and times.utc > now) or (
        times.local is not None
        and times.local - (times.offset if times.offset is not None else _ZONE_EAST) > now.replace(tzinfo=None)
    )
    if in_future:
        flags.append("time-in-future")
    earliest = times.local or (times.utc.replace(tzinfo=None) if times.utc else None)
    if earliest is not None and earliest < EARLIEST_PLAUSIBLE_CAPTURE:
        flags.append("time-before-device")
    # DateTime is the file's last change, so editing software may legitimately move it later than the capture
    # (the Kodak and Canon samples, saved by GIMP years on); a capture after the last change is impossible.
    if (
        times.local is not None
        and times.file_changed is not None
        and times.local - times.file_changed > timedelta(days=1)
    ):
        flags.append("clock-disagrees")
    if times.local is not None and times.gps_utc is not None:
        implied_offset = times.local - times.gps_utc.replace(tzinfo=None)
        if not -_ZONE_WEST - _FIX_SLACK <= implied_offset <= _ZONE_EAST + _FIX_SLACK:
            flags.append("gps-time-disagrees")


def _position(gps: Mapping[int, object], flags: list[str]) -> CameraPosition | None:
    if not gps:
        return None
    has_lat, has_lon = ExifTags.GPS.GPSLatitude in gps, ExifTags.GPS.GPSLongitude in gps
    if not has_lat and not has_lon:
        flags.append("gps-present-but-empty")
        return None
    latitude = _coordinate(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "NS")
    longitude = _coordinate(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "EW")
    if latitude is None or longitude is None:
        flags.append("gps-malformed")
        return None
    if abs(latitude) > 90 or abs(longitude) > 180:
        flags.append("gps-out-of-range")
        return None
    if latitude == 0 and longitude == 0:
        flags.append("gps-null-island")
        return None
    heading = _number(gps.get(ExifTags.GPS.GPSImgDirection))
    heading_ref = _text(gps.get(ExifTags.GPS.GPSImgDirectionRef))
    accuracy = _number(gps.get(ExifTags.GPS.GPSHPositioningError))
    return CameraPosition(
        latitude=latitude,
        longitude=longitude,
        altitude_m=_altitude(gps),
        accuracy_m=accuracy if accuracy is not None and accuracy >= 0 else None,
        heading_deg=heading if heading is not None and 0 <= heading <= 360 else None,
        heading_ref=heading_ref.upper() if heading_ref and heading_ref.upper() in ("T", "M") else None,
    )


def _coordinate(value: object, ref: object, hemispheres: str) -> float | None:
    """Signed decimal degrees from degrees/minutes/seconds and an N/S or E/W reference, or None."""
    parts = _numbers(value)
    if parts is None or not 1 <= len(parts) <= 3 or any(p < 0 for p in parts[1:]):
        return None
    degrees = parts[0]
    magnitude = abs(degrees) + sum(p / d for p, d in zip(parts[1:], (60.0, 3600.0), strict=False))
    reference = (_text(ref) or "").upper()[:1]
    if reference == hemispheres[1]:
        return -magnitude
    if reference == hemispheres[0] and degrees >= 0:
        return magnitude
    # No reference, an unknown one, or a negative signed rational under N/E: the sign cannot be known.
    return None


def _altitude(gps: Mapping[int, object]) -> float | None:
    altitude = _number(gps.get(ExifTags.GPS.GPSAltitude))
    ref = gps.get(ExifTags.GPS.GPSAltitudeRef, 0)
    if isinstance(ref, bytes):
        ref = ref[0] if ref else 0
    if altitude is None or ref not in (0, 1):
        return None
    # EXIF stores the distance from sea level and says in GPSAltitudeRef whether it is below (1) or above (0).
    return -abs(altitude) if ref == 1 else altitude


def _gps_time(gps: Mapping[int, object], flags: list[str]) -> datetime | None:
    date_text = _text(gps.get(ExifTags.GPS.GPSDateStamp))
    clock = _numbers(gps.get(ExifTags.GPS.GPSTimeStamp))
    if date_text is None or clock is None:
        return None
    match = _DATE.fullmatch(date_text)
    if not match or len(clock) != 3 or not (0 <= clock[0] < 24 and 0 <= clock[1] < 60 and 0 <= clock[2] < 61):
        flags.append("time-malformed")
        return None
    try:
        day = datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC)
    except ValueError:
        flags.append("time-malformed")
        return None
    return day + timedelta(hours=clock[0], minutes=clock[1], seconds=clock[2])


def _datetime(value: object, subsec: object, flags: list[str]) -> datetime | None:
    text = _text(value)
    if text is None or not any(c in "123456789" for c in text):
        # EXIF writes blanks or zeros when the clock was never set: absent, not wrong.
        return None
    match = _DATETIME.fullmatch(text)
    try:
        if not match:
            raise ValueError(text)
        year, month, day, hour, minute, second = (int(match[i]) for i in range(1, 7))
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        flags.append("time-malformed")
        return None
    fraction = _text(subsec)
    if fraction and fraction.isdigit():
        moment = moment.replace(microsecond=int((fraction + "000000")[:6]))
    return moment


def _utc_offset(value: object, flags: list[str]) -> timedelta | None:
    text = _text(value)
    if text is None or not any(c.isdigit() for c in text):
        return None
    match = _OFFSET.fullmatch(text)
    if match and int(match[3]) < 60:
        offset = timedelta(hours=int(match[2]), minutes=int(match[3])) * (-1 if match[1] == "-" else 1)
        if -_ZONE_WEST <= offset <= _ZONE_EAST:
            return offset
    flags.append("time-malformed")
    return None


def _as_utc(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def _text(value: object) -> str | None:
    """An EXIF ASCII value as text: up to its first NUL, without padding; None when empty or not text."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    return value.split("\x00", 1)[0].strip() or None


def _number(value: object) -> float | None:
    """A finite number from an EXIF numeric value (rationals with a zero denominator are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    result = float(value)
    return result if math.isfinite(result) else None


def _numbers(value: object) -> list[float] | None:
    items = value if isinstance(value, tuple | list) else (value,)
    result = [_number(item) for item in items]
    if not result or any(r is None for r in result):
        return None
    return [r for r in result if r is not None]
