"""What is not a whole, supported, sanely sized image is refused by both readers, naming the file."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from lestweforget.media import (
    MAX_IMAGE_PIXELS,
    SUPPORTED_FORMATS,
    MediaError,
    make_derivatives,
    read_capture,
    sniff_format,
)

from .conftest import encode

READERS: list[Callable[[bytes, str], Any]] = [read_capture, make_derivatives]
READER_IDS = ["read_capture", "make_derivatives"]


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels, with almost no pixel data behind it."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A real small JPEG whose frame header (SOF0) is rewritten to claim ``width`` x ``height`` pixels."""
    data = bytearray(encode(Image.new("RGB", (64, 48), (10, 200, 30)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


@pytest.mark.parametrize("reader", READERS, ids=READER_IDS)
def test_empty_file_is_refused_by_name(reader: Callable[[bytes, str], Any]) -> None:
    with pytest.raises(MediaError, match=r"^empty\.jpg: not an image \(the file is empty\)"):
        reader(b"", "empty.jpg")


@pytest.mark.parametrize("reader", READERS, ids=READER_IDS)
def test_text_file_named_jpg_is_refused_naming_its_kind_but_quoting_none_of_it(
    reader: Callable[[bytes, str], Any],
) -> None:
    # Issue 8: the first bytes of any file once went into the message and from there into the ledger; a symlink
    # to the secret key put its first 20 characters there. The kind is named; no byte is quoted.
    with pytest.raises(MediaError, match=r"^notes\.jpg: not an image .*it looks like text$") as raised:
        reader(b"Met at the cemetery gate at 9:00, walked north.\n", "notes.jpg")
    assert "Met" not in str(raised.value) and raised.value.reason == "not-an-image"


@pytest.mark.parametrize(
    ("start", "kind"),
    [(b"%PDF-1.7", "a PDF document"), (b"PK\x03\x04", "a ZIP archive"), (b"\x00\xff\xfe\x01", "binary data")],
)
def test_other_files_are_named_by_kind(start: bytes, kind: str) -> None:
    with pytest.raises(MediaError, match=f"it looks like {kind}"):
        read_capture(start + b"\x00" * 64, "x.jpg")


@pytest.mark.parametrize("reader", READERS, ids=READER_IDS)
def test_image_in_an_unsupported_format_is_refused(reader: Callable[[bytes, str], Any]) -> None:
    gif = encode(Image.new("P", (8, 8)), "GIF")
    with pytest.raises(MediaError, match=r"^map\.gif: not an image in a supported format .*a GIF image"):
        reader(gif, "map.gif")


@pytest.mark.parametrize("reader", READERS, ids=READER_IDS)
def test_first_half_of_a_real_jpeg_is_refused_as_truncated(
    reader: Callable[[bytes, str], Any], read_camera_file: Callable[[str], bytes]
) -> None:
    data = read_camera_file("jpg/gps/DSCN0010.jpg")
    with pytest.raises(MediaError, match=r"^DSCN0010\.jpg: not a readable image \(.*truncated"):
        reader(data[: len(data) // 2], "DSCN0010.jpg")


def test_truncated_png_cannot_be_made_into_derivatives() -> None:
    data = encode(Image.effect_noise((300, 200), 60).convert("RGB"), "PNG")
    with pytest.raises(MediaError, match=r"^cut\.png: not a readable image"):
        make_derivatives(data[: len(data) // 2], "cut.png")


@pytest.mark.parametrize("reader", READERS, ids=READER_IDS)
@pytest.mark.parametrize(
    ("name", "build", "size"),
    [
        ("bomb.png", _png_claiming, (50_000, 50_000)),  # 2.5 gigapixels: Pillow's hard error
        ("bomb.jpg", _jpeg_claiming, (65_000, 65_000)),
        ("big.jpg", _jpeg_claiming, (16_000, 15_000)),  # 240 MP: only Pillow's warning, still refused
    ],
)
def test_header_claiming_too_many_pixels_is_refused_as_decompression_bomb(
    reader: Callable[[bytes, str], Any], name: str, build: Callable[[int, int], bytes], size: tuple[int, int]
) -> None:
    assert size[0] * size[1] > MAX_IMAGE_PIXELS
    with pytest.raises(MediaError, match=f"^{re.escape(name)}: refused as a decompression bomb"):
        reader(build(*size), name)


def test_image_just_under_the_pixel_limit_is_only_opened_for_its_header() -> None:
    # 14000 x 14000 = 196 MP: allowed; read_capture must not decode it to answer.
    capture = read_capture(_png_claiming(14_000, 14_000), "large.png")
    assert (capture.width, capture.height) == (14_000, 14_000)
    assert capture.flags == ("no-exif",)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xff\xd8\xff\xe0" + b"\x00" * 8, "JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 8, "PNG"),
        (b"II*\x00\x08\x00\x00\x00", "TIFF"),
        (b"MM\x00*\x00\x00\x00\x08", "TIFF"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "WEBP"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIF"),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", "HEIF"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", None),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1avif", None),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", None),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"GIF89a", None),
        (b"<html><body>", None),
        (b"", None),
    ],
)
def test_sniff_format_recognises_magic_bytes(data: bytes, expected: str | None) -> None:
    assert sniff_format(data) == expected


def test_sniff_format_names_every_real_camera_file(read_camera_file: Callable[[str], bytes]) -> None:
    assert sniff_format(read_camera_file("jpg/Canon_40D.jpg")) == "JPEG"
    assert sniff_format(read_camera_file("heic/IMG_5195.HEIC")) == "HEIF"
    assert sniff_format(read_camera_file("heic/mobile/HMD_Nokia_8.3_5G.heif")) == "HEIF"


@pytest.mark.parametrize("image_format", ["PNG", "TIFF", "WEBP", "JPEG"])
def test_sniff_format_agrees_with_pillow_written_files(image_format: str) -> None:
    data = encode(Image.new("RGB", (4, 4)), image_format)
    assert sniff_format(data) == image_format
    assert image_format in SUPPORTED_FORMATS


@given(st.binary(max_size=64))
def test_sniff_format_answers_any_bytes_with_a_supported_format_or_none(data: bytes) -> None:
    assert sniff_format(data) in (*SUPPORTED_FORMATS, None)


@given(st.binary(min_size=1, max_size=256))
def test_arbitrary_bytes_give_media_error_or_metadata_never_another_exception(data: bytes) -> None:
    for prefix in (b"", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00"):
        try:
            read_capture(prefix + data, "fuzz.bin")
        except MediaError as exc:
            assert str(exc).startswith("fuzz.bin: ")
