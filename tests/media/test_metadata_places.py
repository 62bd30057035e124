"""EXIF and XMP wherever the formats keep them, read alike by the capture record and the derivative maker.

Issue 8, kind 2: `read_capture` once looked for PNG EXIF in fewer places than `make_derivatives`, so the record
said "no EXIF, not rotated" beside a rotated copy. Each input here keeps the same metadata in another place; the
record, the derivative and exiftool (the independent oracle, when installed) must all agree.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from lestweforget.media import make_derivatives, read_capture

from .metadata_blocks import (
    GPS_XMP,
    M01_EXPECTED,
    base_png,
    camera_exif,
    extended_xmp_segments,
    jpeg_with_segments,
    png_chunk,
    png_with,
    raw_profile,
    text_chunk,
    xmp_packet,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)
CASES = Path(__file__).resolve().parents[2].parent / "shared" / "cases"

ORIENTED_XMP = {"tiff:Orientation": "6", "exif:DateTimeOriginal": "2022-09-16T12:00:00+03:00", **GPS_XMP}


def _pillow(image_format: str, **options: object) -> bytes:
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    image.paste((30, 30, 200), (20, 0, 40, 20))
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def _tiff_exif() -> Image.Exif:
    exif = Image.Exif()
    exif.load(camera_exif()[6:])
    return exif


# name -> (bytes, where read_capture must say it found the metadata)
PLACES: dict[str, tuple[Callable[[], bytes], str]] = {
    "png-ztxt-raw-exif": (
        lambda: png_with([text_chunk("zTXt", "Raw profile type exif", raw_profile("exif", camera_exif()))]),
        "PNG zTXt 'Raw profile type exif'",
    ),
    "png-text-raw-exif-without-header": (
        lambda: png_with([text_chunk("tEXt", "Raw profile type exif", raw_profile("exif", camera_exif()[6:]))]),
        "PNG tEXt 'Raw profile type exif'",
    ),
    "png-ztxt-raw-exif-after-image-data": (
        lambda: png_with(
            [text_chunk("zTXt", "Raw profile type exif", raw_profile("exif", camera_exif()))], after_image_data=True
        ),
        "PNG zTXt 'Raw profile type exif'",
    ),
    "png-itxt-raw-app1": (
        lambda: png_with([text_chunk("iTXt", "Raw profile type APP1", raw_profile("APP1", camera_exif()))]),
        "PNG iTXt 'Raw profile type APP1'",
    ),
    "png-exif-chunk": (lambda: png_with([png_chunk(b"eXIf", camera_exif()[6:])]), "PNG eXIf"),
    "png-exif-chunk-after-image-data": (
        lambda: png_with([png_chunk(b"eXIf", camera_exif()[6:])], after_image_data=True),
        "PNG eXIf",
    ),
    "png-itxt-xmp": (
        lambda: png_with([text_chunk("iTXt", "XML:com.adobe.xmp", xmp_packet(ORIENTED_XMP).decode())]),
        "PNG iTXt 'XML:com.adobe.xmp'",
    ),
    "png-itxt-compressed-xmp": (
        lambda: png_with([text_chunk("iTXt-z", "XML:com.adobe.xmp", xmp_packet(ORIENTED_XMP).decode())]),
        "PNG iTXt 'XML:com.adobe.xmp'",
    ),
    "jpeg-xmp-only": (
        lambda: jpeg_with_segments([b"http://ns.adobe.com/xap/1.0/\x00" + xmp_packet(ORIENTED_XMP)]),
        "JPEG APP1 XMP",
    ),
    "jpeg-exif-without-gps-and-xmp-gps": (
        lambda: jpeg_with_segments(
            [camera_exif(with_gps=False), b"http://ns.adobe.com/xap/1.0/\x00" + xmp_packet(GPS_XMP)]
        ),
        "JPEG APP1 XMP",
    ),
    "jpeg-extended-xmp-gps": (
        lambda: jpeg_with_segments(
            [camera_exif(with_gps=False), *extended_xmp_segments({}, xmp_packet(GPS_XMP, padding=70000))]
        ),
        "JPEG APP1 extended XMP",
    ),
    "webp-exif": (lambda: _pillow("WEBP", exif=camera_exif(), lossless=True), "WebP EXIF"),
    "webp-xmp": (lambda: _pillow("WEBP", xmp=xmp_packet(ORIENTED_XMP), lossless=True), "WebP XMP"),
    "tiff-ifd0": (lambda: _pillow("TIFF", exif=_tiff_exif()), "TIFF IFD0"),
    "tiff-xmp-tag": (lambda: _pillow("TIFF", tiffinfo={700: xmp_packet(ORIENTED_XMP)}), "TIFF XMP tag 700"),
}


def _exiftool_json(data: bytes, tmp_path: Path, suffix: str) -> dict[str, object] | None:
    exiftool = shutil.which("exiftool")
    if not exiftool:
        return None
    path = tmp_path / f"probe{suffix}"
    path.write_bytes(data)
    result = subprocess.run([exiftool, "-n", "-json", str(path)], capture_output=True, text=True, check=False)
    record: dict[str, object] = json.loads(result.stdout)[0]
    return record


@pytest.mark.parametrize("place", sorted(PLACES))
def test_every_place_gives_the_same_record_and_an_upright_copy(place: str, tmp_path: Path) -> None:
    make, where = PLACES[place]
    data = make()
    capture = read_capture(data, place, now=NOW)
    derivatives = make_derivatives(data, place, {"web": 1600})

    assert where in capture.metadata_found_in
    assert capture.orientation == 6
    assert (capture.display_width, capture.display_height) == (20, 40)
    # The one decision about orientation serves both readers.
    assert (derivatives.source_width, derivatives.source_height) == (20, 40)
    web = Image.open(io.BytesIO(derivatives.items["web"].jpeg))
    assert web.size == (20, 40)
    # Orientation 6 puts the stored first row on the right: red (stored left) ends up on top.
    top, bottom = web.getpixel((10, 3)), web.getpixel((10, 36))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 150 and bottom[2] > 150
    assert capture.position is not None
    assert capture.position.latitude == pytest.approx(49.22092, abs=1e-4)
    assert capture.position.longitude == pytest.approx(37.24456, abs=1e-4)
    # "no-exif" says exactly that the file holds no EXIF at all (an XMP-only file), nothing less.
    exif_places = [w for w in capture.metadata_found_in if "XMP" not in w and "xmp" not in w]
    assert ("no-exif" in capture.flags) == (not exif_places)

    record = _exiftool_json(data, tmp_path, {"png": ".png", "jpe": ".jpg", "web": ".webp", "tif": ".tif"}[place[:3]])
    if record is not None:
        assert record.get("Orientation") == capture.orientation
        assert record.get("GPSLatitude") == pytest.approx(capture.position.latitude, abs=1e-6)
        assert record.get("GPSLongitude") == pytest.approx(capture.position.longitude, abs=1e-6)


def test_capture_time_and_offset_come_from_xmp_when_exif_has_none() -> None:
    capture = read_capture(PLACES["png-itxt-xmp"][0](), "xmp.png", now=NOW)
    assert capture.capture_time == datetime(2022, 9, 16, 12, 0)
    assert capture.capture_time_source == "DateTimeOriginal"
    assert capture.utc_offset == timedelta(hours=3)
    assert capture.capture_time_utc == datetime(2022, 9, 16, 9, 0, tzinfo=UTC)
    assert capture.position is not None and capture.position.altitude_m == pytest.approx(120.5)


def test_exif_wins_over_xmp_value_by_value() -> None:
    exif_first = jpeg_with_segments(
        [
            camera_exif(orientation=3),
            b"http://ns.adobe.com/xap/1.0/\x00"
            + xmp_packet({"tiff:Orientation": "6", "exif:GPSLatitude": "10,0.0S", "exif:GPSLongitude": "20,0.0W"}),
        ]
    )
    capture = read_capture(exif_first, "both.jpg", now=NOW)
    assert capture.orientation == 3
    assert capture.position is not None and capture.position.latitude == pytest.approx(49.22092, abs=1e-4)
    assert make_derivatives(exif_first, "both.jpg").source_width == 40


def _m01_expected_check(data: bytes) -> None:
    capture = read_capture(data, "M01_png_raw_profile_exif.png", now=NOW)
    assert capture.device_make == M01_EXPECTED["make"]
    assert capture.device_model == M01_EXPECTED["model"]
    assert capture.orientation == M01_EXPECTED["orientation"]
    assert capture.capture_time is not None
    assert capture.capture_time.isoformat() == M01_EXPECTED["capture_time"]
    assert capture.utc_offset == timedelta(minutes=int(M01_EXPECTED["utc_offset_minutes"]))  # type: ignore[call-overload]
    assert capture.position is not None
    assert capture.position.latitude == pytest.approx(M01_EXPECTED["latitude"], abs=1e-6)
    assert capture.position.longitude == pytest.approx(M01_EXPECTED["longitude"], abs=1e-6)
    assert "no-exif" not in capture.flags
    derivatives = make_derivatives(data, "M01.png")
    assert (derivatives.source_width, derivatives.source_height) == (capture.display_width, capture.display_height)


def test_handed_case_m01_png_raw_profile_exif() -> None:
    path = CASES / "M01_png_raw_profile_exif.png"
    if not path.exists():
        pytest.skip(f"the handed case {path} is not here (shared/cases)")
    _m01_expected_check(path.read_bytes())


def test_m01_rebuilt_from_its_description() -> None:
    # The same kind of file written here: EXIF hex-encoded in ImageMagick's zTXt raw profile, before IDAT.
    data = png_with([text_chunk("zTXt", "Raw profile type exif", raw_profile("exif", camera_exif()))])
    _m01_expected_check(data)


def test_heif_xmp_orientation_is_left_to_the_decoder() -> None:
    data = _pillow("HEIF", exif=camera_exif(orientation=1), xmp=xmp_packet({"tiff:Orientation": "6", **GPS_XMP}))
    capture = read_capture(data, "phone.heic", now=NOW)
    derivatives = make_derivatives(data, "phone.heic", {"web": 1600})
    assert "HEIF XMP" in capture.metadata_found_in
    assert (derivatives.source_width, derivatives.source_height) == (capture.display_width, capture.display_height)


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(lambda: png_with([text_chunk("zTXt", "Raw profile type exif", "\nexif\n  99\nzz\n")]), id="hex"),
        pytest.param(lambda: png_with([text_chunk("iTXt", "XML:com.adobe.xmp", "<x:xmpmeta><unclosed")]), id="xmp"),
        pytest.param(
            lambda: png_with(
                [text_chunk("iTXt", "XML:com.adobe.xmp", '<!DOCTYPE x [<!ENTITY a "aaaa">]><x:xmpmeta>&a;</x:xmpmeta>')]
            ),
            id="xmp-with-entities",
        ),
        pytest.param(
            lambda: jpeg_with_segments(extended_xmp_segments({}, xmp_packet(GPS_XMP, padding=70000))[:2]),
            id="extended-xmp-missing-a-part",
        ),
    ],
)
def test_broken_metadata_is_a_flag_never_an_error(broken: Callable[[], bytes]) -> None:
    data = broken()
    capture = read_capture(data, "broken", now=NOW)
    assert {"exif-malformed", "xmp-malformed"} & set(capture.flags)
    assert capture.position is None
    make_derivatives(data, "broken")


def test_plain_png_has_no_metadata_and_no_flags_beyond_no_exif() -> None:
    capture = read_capture(base_png(), "plain.png", now=NOW)
    assert capture.metadata_found_in == ()
    assert capture.flags == ("no-exif",)
