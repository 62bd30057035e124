"""read_capture against real camera files (exiftool is the oracle) and EXIF blocks written byte by byte."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lestweforget.media import FLAG_MEANINGS, CaptureMetadata, MediaError, read_capture

from .conftest import CAMERA, CAMERA_SUFFIXES
from .exif_block import ASCII, BYTE, RATIONAL, SHORT, SRATIONAL, build_exif, dms, jpeg_with_exif

# A fixed "now", so that which flags a file gets does not depend on the day the tests run.
NOW = datetime(2026, 1, 1, tzinfo=UTC)

CORPUS = (
    [str(p.relative_to(CAMERA)) for p in sorted(CAMERA.rglob("*")) if p.suffix.lower() in CAMERA_SUFFIXES]
    if CAMERA.is_dir()
    else [pytest.param("", marks=pytest.mark.skip(reason=f"real camera files not found at {CAMERA}"))]
)


def _exif_time(text: str, fraction: object = None) -> datetime:
    moment = datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    digits = str(fraction) if fraction is not None else ""
    return moment.replace(microsecond=int((digits + "000000")[:6])) if digits.isdigit() else moment


def _exif_offset(text: str) -> timedelta:
    sign, hours, minutes = re.fullmatch(r"([+-])(\d\d):(\d\d)", text).groups()  # type: ignore[union-attr]
    return timedelta(hours=int(hours), minutes=int(minutes)) * (-1 if sign == "-" else 1)


def _exiftool_utc(text: str) -> datetime:
    """exiftool's composite times: "2015:04:10 18:12:23.06Z" or "2021:04:11 15:47:53.054-05:00"."""
    iso = text.replace(":", "-", 2).replace(" ", "T").replace("Z", "+00:00")
    return datetime.fromisoformat(iso).astimezone(UTC)


def _first(record: dict[str, Any], *tags: str) -> Any:
    return next((record[tag] for tag in tags if tag in record), None)


def _xmp_time(text: str) -> tuple[datetime, timedelta | None]:
    """exiftool's XMP date-time "2010:04:13 09:37:22.5+02:00" (zone optional) as local time and offset."""
    match = re.fullmatch(r"(\d{4}:\d\d:\d\d \d\d:\d\d(?::\d\d)?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?", text)
    assert match, text
    clock = match[1] if match[1].count(":") == 4 else match[1] + ":00"
    zone = match[3]
    offset = None if zone is None else timedelta(0) if zone == "Z" else _exif_offset(zone)
    return _exif_time(clock, match[2]), offset


def _expected_time(record: dict[str, Any]) -> tuple[datetime | None, str | None, timedelta | None]:
    """The capture time the same precedence gives when applied to exiftool's values: each EXIF tag, else the
    XMP property that stands for it (CIPA DC-010 and the MWG Guidelines 2.0, 5.7: photoshop:DateCreated for
    DateTimeOriginal, xmp:CreateDate for DateTimeDigitized; never xmp:ModifyDate). A time from an XMP property
    that is not an EXIF mirror is named by that property."""
    for source, tag, subsec, offsets, xmp_tags in (
        (
            "DateTimeOriginal",
            "ExifIFD:DateTimeOriginal",
            "ExifIFD:SubSecTimeOriginal",
            ("OffsetTimeOriginal",),
            ("XMP-exif:DateTimeOriginal", "XMP-photoshop:DateCreated"),
        ),
        (
            "DateTimeDigitized",
            "ExifIFD:CreateDate",
            "ExifIFD:SubSecTimeDigitized",
            ("OffsetTimeDigitized",),
            ("XMP-exif:DateTimeDigitized", "XMP-xmp:CreateDate"),
        ),
        ("DateTime", "IFD0:ModifyDate", "ExifIFD:SubSecTime", (), ("XMP-tiff:DateTime",)),
    ):
        offset_tags = [f"ExifIFD:{o}" for o in (*offsets, "OffsetTime")]
        if tag in record:
            offset_text = _first(record, *offset_tags)
            offset = _exif_offset(offset_text) if offset_text else None
            return _exif_time(record[tag], record.get(subsec)), source, offset
        xmp_tag = next((t for t in xmp_tags if t in record), None)
        xmp_text = record.get(xmp_tag) if xmp_tag else None
        if isinstance(xmp_text, str) and re.match(r"\d{4}:\d\d:\d\d \d", xmp_text):
            local, offset = _xmp_time(xmp_text)
            if offset is None and _first(record, *offset_tags):
                offset = _exif_offset(_first(record, *offset_tags))
            assert xmp_tag is not None
            prefix, name = xmp_tag.removeprefix("XMP-").split(":")
            return local, (source if prefix in ("exif", "tiff") else f"{prefix}:{name}"), offset
    return None, None, None


@pytest.mark.parametrize("relative", CORPUS)
def test_camera_file_agrees_with_exiftool(
    relative: str, exiftool_records: dict[str, dict[str, Any]], read_camera_file: Callable[[str], bytes]
) -> None:
    record = exiftool_records[relative]
    name = Path(relative).name
    try:
        capture = read_capture(read_camera_file(relative), name, now=NOW)
    except MediaError as exc:
        # Only a file exiftool also finds broken may be refused, and the refusal must name it.
        assert name in str(exc)
        assert "ExifTool:Error" in record, f"{name} refused although exiftool reads it: {exc}"
        return

    if "Composite:GPSLatitude" in record:
        assert capture.position is not None
        assert capture.position.latitude == pytest.approx(record["Composite:GPSLatitude"], abs=1e-6)
        assert capture.position.longitude == pytest.approx(record["Composite:GPSLongitude"], abs=1e-6)
        if "Composite:GPSAltitude" in record:
            assert capture.position.altitude_m == pytest.approx(record["Composite:GPSAltitude"], abs=0.1)
        elif "GPS:GPSAltitude" in record:
            # No GPSAltitudeRef: EXIF's default reference 0 means above sea level.
            assert capture.position.altitude_m == pytest.approx(record["GPS:GPSAltitude"], abs=0.1)
        else:
            assert capture.position.altitude_m is None
        if "GPS:GPSImgDirection" in record:
            assert capture.position.heading_deg == pytest.approx(record["GPS:GPSImgDirection"], abs=0.01)
            assert capture.position.heading_ref == record["GPS:GPSImgDirectionRef"]
        else:
            assert capture.position.heading_deg is None
        if "GPS:GPSHPositioningError" in record:
            assert capture.position.accuracy_m == pytest.approx(record["GPS:GPSHPositioningError"], abs=0.01)
    else:
        assert capture.position is None, f"{name}: a position exiftool does not see"

    local, source, offset = _expected_time(record)
    assert (capture.capture_time, capture.capture_time_source, capture.utc_offset) == (local, source, offset)
    if offset is not None:
        assert capture.capture_time_utc_source == "offset"
        if "Composite:SubSecDateTimeOriginal" in record:
            assert capture.capture_time_utc == _exiftool_utc(record["Composite:SubSecDateTimeOriginal"])
    elif "Composite:GPSDateTime" in record:
        assert capture.capture_time_utc_source == "gps"
        assert capture.capture_time_utc == _exiftool_utc(record["Composite:GPSDateTime"])
    else:
        assert capture.capture_time_utc is None

    for ours, tags in (
        (capture.device_make, ("IFD0:Make", "XMP-tiff:Make")),
        (capture.device_model, ("IFD0:Model", "XMP-tiff:Model")),
        (capture.software, ("IFD0:Software", "XMP-tiff:Software", "XMP-xmp:CreatorTool")),
    ):
        value = _first(record, *tags)
        assert ours == (str(value).strip() or None if value is not None else None)
    assert capture.orientation == record.get("IFD0:Orientation", record.get("XMP-tiff:Orientation"))

    stored = (record["File:ImageWidth"], record["File:ImageHeight"])
    if record.get("QuickTime:Rotation") in (90, 270):
        # HEIF: the decoder applies the container's rotation, so the decoded size is the stored one turned.
        stored = stored[::-1]
    assert (capture.width, capture.height) == stored
    assert set(capture.flags) <= set(FLAG_MEANINGS)


def _capture(read_camera_file: Callable[[str], bytes], relative: str, now: datetime = NOW) -> CaptureMetadata:
    return read_capture(read_camera_file(relative), Path(relative).name, now=now)


def test_southern_hemisphere_reference_gives_negative_latitude(
    read_camera_file: Callable[[str], bytes],
) -> None:
    position = _capture(read_camera_file, "jpg/Kodak_CX7530.jpg").position
    assert position is not None
    assert position.latitude < 0 < position.longitude


def test_signed_rationals_of_nokia_phone_keep_northern_eastern_signs(
    read_camera_file: Callable[[str], bytes], exiftool_records: dict[str, dict[str, Any]]
) -> None:
    capture = _capture(read_camera_file, "jpg/mobile/HMD_Nokia_8.3_5G.jpg")
    record = exiftool_records["jpg/mobile/HMD_Nokia_8.3_5G.jpg"]
    assert capture.position is not None
    assert capture.position.latitude == pytest.approx(record["Composite:GPSLatitude"], abs=1e-6)
    assert capture.position.latitude > 0 and capture.position.longitude > 0
    assert capture.utc_offset == timedelta(hours=3)
    assert capture.capture_time_utc == datetime(2022, 8, 14, 11, 12, 31, tzinfo=UTC)


def test_gps_directory_without_coordinates_is_flagged_empty(read_camera_file: Callable[[str], bytes]) -> None:
    capture = _capture(read_camera_file, "jpg/Canon_40D.jpg")
    assert capture.position is None
    assert "gps-present-but-empty" in capture.flags


def test_gps_pointer_to_a_non_gps_directory_invents_no_position(
    read_camera_file: Callable[[str], bytes],
) -> None:
    capture = _capture(read_camera_file, "jpg/tests/45-gps_ifd.jpg")
    assert capture.position is None
    assert capture.capture_time == datetime(2012, 6, 23, 6, 55, 49)
    assert capture.device_model == "Gran Turismo 5"


def test_polaroid_clock_set_years_after_the_file_was_saved_is_flagged(
    read_camera_file: Callable[[str], bytes],
) -> None:
    before = _capture(read_camera_file, "jpg/WWL_(Polaroid)_ION230.jpg", now=datetime(2025, 1, 1, tzinfo=UTC))
    after = _capture(read_camera_file, "jpg/WWL_(Polaroid)_ION230.jpg", now=datetime(2030, 1, 1, tzinfo=UTC))
    assert before.capture_time == datetime(2026, 11, 24, 14, 41, 16)
    assert "clock-disagrees" in before.flags and "time-in-future" in before.flags
    assert "clock-disagrees" in after.flags and "time-in-future" not in after.flags


def test_datetime_later_than_capture_from_editing_software_is_not_a_clock_fault(
    read_camera_file: Callable[[str], bytes],
) -> None:
    # Kodak and Canon: saved by GIMP in 2008, taken in 2005 and 2008; DateTime records the save, which is
    # fine.
    for relative in ("jpg/Kodak_CX7530.jpg", "jpg/Canon_40D.jpg"):
        assert "clock-disagrees" not in _capture(read_camera_file, relative).flags


def test_file_with_editor_exif_is_flagged_for_its_missing_capture_time_not_as_without_exif(
    read_camera_file: Callable[[str], bytes],
) -> None:
    # Photoshop wrote an EXIF block (IFD0: 20 entries, software, save time 2014-09-22) but no capture time; its
    # XMP says xmp:CreateDate 2013-09-23T10:09:46+02:00. By the MWG order that is the capture time, with its
    # offset; DateTime (the 2014 save) is never preferred to it.
    capture = _capture(read_camera_file, "jpg/xmp/no_exif.jpg")
    assert "no-exif" not in capture.flags
    assert "no-exif-capture-time" in capture.flags
    assert "time-is-modification" not in capture.flags
    assert capture.metadata_found_in == ("JPEG APP1 EXIF", "JPEG APP1 XMP")
    assert capture.position is None and capture.device_make is None
    assert capture.capture_time_source == "xmp:CreateDate"
    assert capture.capture_time == datetime(2013, 9, 23, 10, 9, 46)
    assert capture.utc_offset == timedelta(hours=2)
    assert capture.capture_time_utc == datetime(2013, 9, 23, 8, 9, 46, tzinfo=UTC)
    assert capture.capture_time_utc_source == "offset"


def test_only_a_modification_time_is_used_last_and_flagged_as_such() -> None:
    # EXIF with DateTime only (an editor's save): the time is kept, named for what it is.
    block = build_exif(ifd0=[(0x0131, ASCII, "an editor"), (0x0132, ASCII, "2022:09:16 12:00:00")])
    capture = read_capture(jpeg_with_exif(block), "saved.jpg", now=NOW)
    assert capture.capture_time_source == "DateTime"
    assert "time-is-modification" in capture.flags and "no-exif-capture-time" in capture.flags
    assert "no-exif" not in capture.flags


def test_generated_jpeg_without_any_exif_is_flagged_no_exif() -> None:
    capture = read_capture(jpeg_with_exif(b""), "plain.jpg")
    assert capture.flags == ("no-exif",)
    assert capture.capture_time is None and capture.position is None and capture.orientation is None


@pytest.mark.parametrize("relative", ["jpg/corrupted.jpg", "jpg/invalid/image00971.jpg", "jpg/invalid/image01088.jpg"])
def test_files_named_corrupted_or_invalid_are_whole_images_and_are_read(
    relative: str, read_camera_file: Callable[[str], bytes]
) -> None:
    # Their damage is to EXIF structure (it broke older EXIF readers); the JPEG data decode completely, so
    # they are evidence to keep, not files to refuse.
    capture = _capture(read_camera_file, relative)
    assert capture.format == "JPEG" and capture.position is None


def test_nine_nikon_photos_whose_gps_date_is_a_day_late_are_flagged(
    camera_dir: Path, read_camera_file: Callable[[str], bytes]
) -> None:
    photos = sorted(p.relative_to(camera_dir) for p in (camera_dir / "jpg" / "gps").glob("DSCN*.jpg"))
    assert len(photos) == 9
    for relative in photos:
        capture = _capture(read_camera_file, str(relative))
        assert "gps-time-disagrees" in capture.flags
        assert capture.capture_time_utc_source == "gps"


def test_iphone_gps_time_consistent_with_local_time_is_not_flagged(
    read_camera_file: Callable[[str], bytes],
) -> None:
    capture = _capture(read_camera_file, "jpg/hdr/iphone_hdr_NO.jpg")
    assert capture.flags == ()
    assert capture.capture_time is not None and capture.capture_time_utc is not None
    assert capture.capture_time - capture.capture_time_utc.replace(tzinfo=None) == pytest.approx(
        timedelta(hours=2), abs=timedelta(seconds=2)
    )


def test_heic_photos_are_read_with_position_and_offset(read_camera_file: Callable[[str], bytes]) -> None:
    capture = _capture(read_camera_file, "heic/IMG_5195.HEIC")
    assert capture.format == "HEIF"
    assert capture.position is not None and capture.position.longitude < 0
    assert capture.position.heading_ref == "M" and capture.position.accuracy_m is not None
    assert capture.utc_offset == timedelta(hours=-5)


def test_heic_rotated_by_its_container_reports_upright_display_size(
    read_camera_file: Callable[[str], bytes],
) -> None:
    capture = _capture(read_camera_file, "heic/mobile/iphone_13_pro_max.HEIC")
    assert capture.orientation == 6
    assert (capture.display_width, capture.display_height) == (3024, 4032)
    assert capture.position is None


def test_jpeg_orientation_six_swaps_display_size(read_camera_file: Callable[[str], bytes]) -> None:
    capture = _capture(read_camera_file, "jpg/orientation/landscape_6.jpg")
    assert (capture.width, capture.height, capture.display_width, capture.display_height) == (
        450,
        600,
        600,
        450,
    )


# EXIF written byte by byte: each case is a fault a real camera or app has produced.

LAT_N = [(1, ASCII, "N"), (2, RATIONAL, dms(48, 30, 0))]
LON_E = [(3, ASCII, "E"), (4, RATIONAL, dms(35, 15, 0))]


def _read_gps(gps: list[Any], **kwargs: Any) -> CaptureMetadata:
    return read_capture(jpeg_with_exif(build_exif(gps=gps, **kwargs)), "synthetic.jpg", now=NOW)


def test_negative_signed_rational_with_south_reference_is_south() -> None:
    capture = _read_gps([(1, ASCII, "S"), (2, SRATIONAL, [(-10, 1), (30, 1), (0, 1)]), *LON_E])
    assert capture.position is not None
    assert capture.position.latitude == pytest.approx(-10.5)


def test_negative_signed_rational_under_north_reference_contradicts_and_is_dropped() -> None:
    capture = _read_gps([(1, ASCII, "N"), (2, SRATIONAL, [(-10, 1), (30, 1), (0, 1)]), *LON_E])
    assert capture.position is None
    assert "gps-malformed" in capture.flags


@pytest.mark.parametrize(
    "gps",
    [
        [(1, ASCII, "N"), (2, RATIONAL, [(48, 0), (30, 1), (0, 1)]), *LON_E],
        [(2, RATIONAL, dms(48, 30, 0)), *LON_E],
        [(1, ASCII, "Q"), (2, RATIONAL, dms(48, 30, 0)), *LON_E],
        [(1, ASCII, "N"), (2, ASCII, "48.5"), *LON_E],
        [*LAT_N],
    ],
    ids=["zero-denominator", "missing-reference", "unknown-reference", "text-not-rationals", "latitude-only"],
)
def test_undecodable_gps_is_flagged_malformed_and_gives_no_position(gps: list[Any]) -> None:
    capture = _read_gps(gps)
    assert capture.position is None
    assert "gps-malformed" in capture.flags


def test_latitude_beyond_the_pole_is_out_of_range_and_dropped() -> None:
    capture = _read_gps([(1, ASCII, "N"), (2, RATIONAL, dms(95, 6, 0)), *LON_E])
    assert capture.position is None
    assert "gps-out-of-range" in capture.flags


def test_zero_zero_is_null_island_and_dropped() -> None:
    capture = _read_gps([(1, ASCII, "N"), (2, RATIONAL, dms(0, 0, 0)), (3, ASCII, "E"), (4, RATIONAL, dms(0, 0, 0))])
    assert capture.position is None
    assert "gps-null-island" in capture.flags


def test_gps_pointer_to_an_empty_directory_is_present_but_empty() -> None:
    capture = _read_gps([(0, BYTE, b"\x02\x02\x00\x00")])
    assert capture.position is None
    assert "gps-present-but-empty" in capture.flags


def test_altitude_below_sea_level_reference_gives_negative_altitude() -> None:
    capture = _read_gps([*LAT_N, *LON_E, (5, BYTE, b"\x01"), (6, RATIONAL, [(4305, 10)])])
    assert capture.position is not None
    assert capture.position.altitude_m == pytest.approx(-430.5)


def test_heading_beyond_a_full_turn_is_dropped_but_position_kept() -> None:
    capture = _read_gps([*LAT_N, *LON_E, (16, ASCII, "T"), (17, RATIONAL, [(400, 1)])])
    assert capture.position is not None
    assert capture.position.heading_deg is None
    assert capture.position.latitude == pytest.approx(48.5)


@given(
    latitude=st.floats(min_value=-89.9999, max_value=89.9999),
    longitude=st.floats(min_value=-179.9999, max_value=179.9999),
)
@settings(max_examples=40, deadline=None)
def test_coordinates_written_as_degrees_minutes_seconds_read_back_unchanged(latitude: float, longitude: float) -> None:
    def rationals(value: float) -> list[tuple[int, int]]:
        ten_thousandths = round(abs(value) * 3600 * 10_000)
        degrees, rest = divmod(ten_thousandths, 3600 * 10_000)
        minutes, seconds = divmod(rest, 60 * 10_000)
        return [(degrees, 1), (minutes, 1), (seconds, 10_000)]

    if abs(latitude) < 1e-6 and abs(longitude) < 1e-6:
        return
    capture = _read_gps(
        [
            (1, ASCII, "S" if latitude < 0 else "N"),
            (2, RATIONAL, rationals(latitude)),
            (3, ASCII, "W" if longitude < 0 else "E"),
            (4, RATIONAL, rationals(longitude)),
        ]
    )
    assert capture.position is not None
    # A ten-thousandth of an arc second is under 3 micrometres on the ground.
    assert capture.position.latitude == pytest.approx(latitude, abs=1e-7)
    assert capture.position.longitude == pytest.approx(longitude, abs=1e-7)


def _read_times(exif: list[Any], ifd0: list[Any] | None = None, now: datetime = NOW) -> CaptureMetadata:
    block = build_exif(ifd0=ifd0 or [(0x010F, ASCII, "Acme")], exif=exif)
    return read_capture(jpeg_with_exif(block), "synthetic.jpg", now=now)


def test_offset_and_subseconds_give_exact_utc_time() -> None:
    capture = _read_times([(0x9003, ASCII, "2023:05:02 09:15:00"), (0x9291, ASCII, "25"), (0x9011, ASCII, "+03:00")])
    assert capture.capture_time == datetime(2023, 5, 2, 9, 15, 0, 250000)
    assert capture.capture_time_utc == datetime(2023, 5, 2, 6, 15, 0, 250000, tzinfo=UTC)
    assert capture.capture_time_utc_source == "offset"


def test_unreadable_original_time_is_flagged_and_digitized_time_used() -> None:
    capture = _read_times([(0x9003, ASCII, "2023:13:45 25:00:00"), (0x9004, ASCII, "2023:05:02 09:15:00")])
    assert "time-malformed" in capture.flags
    assert capture.capture_time_source == "DateTimeDigitized"


def test_unset_clock_zeros_are_absent_not_malformed() -> None:
    capture = _read_times([(0x9003, ASCII, "0000:00:00 00:00:00")], ifd0=[(0x0132, ASCII, "2023:05:02 09:15:00")])
    assert capture.capture_time_source == "DateTime"
    assert "time-malformed" not in capture.flags


def test_impossible_utc_offset_is_flagged_and_ignored() -> None:
    capture = _read_times([(0x9003, ASCII, "2023:05:02 09:15:00"), (0x9011, ASCII, "+25:00")])
    assert capture.utc_offset is None and capture.capture_time_utc is None
    assert "time-malformed" in capture.flags


def test_time_before_digital_cameras_is_flagged() -> None:
    capture = _read_times([(0x9003, ASCII, "1985:07:01 12:00:00")])
    assert "time-before-device" in capture.flags


def test_local_time_without_offset_is_future_only_beyond_every_time_zone() -> None:
    now = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    thirteen_hours_ahead = _read_times([(0x9003, ASCII, "2024:06:02 01:00:00")], now=now)
    fifteen_hours_ahead = _read_times([(0x9003, ASCII, "2024:06:02 03:00:00")], now=now)
    assert "time-in-future" not in thirteen_hours_ahead.flags
    assert "time-in-future" in fifteen_hours_ahead.flags


def test_future_local_time_is_flagged_even_when_the_gps_time_is_in_the_past() -> None:
    # The tester's photo: DateTimeOriginal 2031-01-01, a GPS stamp in the past. The GPS gives the UTC time, but
    # the local time is years ahead of the import: both are checked.
    gps = [*LAT_N, *LON_E, (0x001D, ASCII, "2024:06:01"), (0x0007, RATIONAL, [(10, 1), (0, 1), (0, 1)])]
    block = build_exif(ifd0=[(0x010F, ASCII, "Acme")], exif=[(0x9003, ASCII, "2031:01:01 12:00:00")], gps=gps)
    capture = read_capture(jpeg_with_exif(block), "future.jpg", now=NOW)
    assert capture.capture_time_utc_source == "gps"
    assert "time-in-future" in capture.flags
    assert "gps-time-disagrees" in capture.flags


@pytest.mark.parametrize(
    ("stamp", "offset", "future"),
    [
        ("2026:01:01 13:00:00", "+14:00", False),  # Kiribati: 14 hours ahead of UTC, not the future
        ("2026:01:01 13:00:00", "+00:00", True),
        ("2026:01:01 10:00:00", "-02:00", True),  # 12:00 UTC, two hours after the import
        ("2025:12:31 23:00:00", None, False),
        ("2026:01:01 15:00:00", None, True),  # beyond every zone
    ],
)
def test_future_time_is_relative_to_the_import_with_time_zone_tolerance(
    stamp: str, offset: str | None, future: bool
) -> None:
    now = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    exif = [(0x9003, ASCII, stamp)] + ([(0x9011, ASCII, offset)] if offset else [])
    assert ("time-in-future" in _read_times(exif, now=now).flags) is future


def test_naive_now_is_taken_as_utc() -> None:
    exif = [(0x9003, ASCII, "2024:06:01 12:30:00"), (0x9011, ASCII, "+00:00")]
    assert "time-in-future" in _read_times(exif, now=datetime(2024, 6, 1, 12, 0)).flags
    assert "time-in-future" not in _read_times(exif, now=datetime(2024, 6, 1, 13, 0)).flags


def test_device_strings_end_at_their_first_nul_and_lose_padding() -> None:
    capture = _read_times(
        [(0x9003, ASCII, "2024:06:01 12:30:00")],
        ifd0=[(0x010F, ASCII, "WWL     "), (0x0110, ASCII, "ION230\x00F"), (0x0131, ASCII, "  ")],
    )
    assert (capture.device_make, capture.device_model, capture.software) == ("WWL", "ION230", None)


def test_orientation_outside_one_to_eight_is_flagged_and_unknown() -> None:
    capture = _read_times([(0x9003, ASCII, "2024:06:01 12:30:00")], ifd0=[(0x0112, SHORT, 9)])
    assert capture.orientation is None
    assert "orientation-malformed" in capture.flags
