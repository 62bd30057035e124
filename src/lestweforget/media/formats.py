"""Recognise the image formats the atlas accepts and open them safely from bytes already in memory.

Opening is the one gate every reader passes: the content is sniffed (a text file named .jpg is refused before
any decoder sees it), only the matching Pillow plugin may parse it, a header that claims more pixels than
MAX_IMAGE_PIXELS is refused before anything is decoded, and a JPEG cut short is refused rather than padded.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib

import pillow_heif
from PIL import Image

from lestweforget.media.errors import MediaError

SUPPORTED_FORMATS: tuple[str, ...] = ("JPEG", "HEIF", "PNG", "TIFF", "WEBP")

# 200 megapixels: above any phone or field camera in use (the largest medium-format backs are about 150 MP),
# far below what exhausts memory on a 2-core, 24 GiB machine when decoded (200 MP x 4 bytes = 800 MB).
MAX_IMAGE_PIXELS = 200_000_000

# Pillow's own guard reads this module-level setting; aligning it with ours makes its warning fire at our
# limit (we turn it into MediaError) instead of at its 89 MP default, which would refuse real 100 MP photos.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
pillow_heif.register_heif_opener()

# Brands of the ISO base media file format (ISO/IEC 23008-12) that announce HEIF still images coded with HEVC.
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_HEIF_GENERIC_BRANDS = frozenset({b"mif1", b"msf1"})

# Each format may only be parsed by its own plugins: a file sniffed as PNG never reaches the TIFF decoder.
_PILLOW_PLUGINS: dict[str, list[str]] = {
    "JPEG": ["JPEG", "MPO"],
    "HEIF": ["HEIF"],
    "PNG": ["PNG"],
    "TIFF": ["TIFF"],
    "WEBP": ["WEBP"],
}

# What a broken file makes Pillow and its plugins raise while parsing headers or decoding pixels.
DECODE_ERRORS: tuple[type[Exception], ...] = (
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    struct.error,
    zlib.error,
)


def sniff_format(data: bytes) -> str | None:
    """The supported format the content's magic bytes announce ("JPEG", "HEIF", ...), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if len(data) >= 12 and data[4:8] == b"ftyp" and _is_heif_ftyp(data):
        return "HEIF"
    return None


def _is_heif_ftyp(data: bytes) -> bool:
    (box_size,) = struct.unpack(">I", data[:4])
    major = data[8:12]
    if major in _HEIF_BRANDS:
        return True
    if major not in _HEIF_GENERIC_BRANDS:
        return False
    # mif1/msf1 only say "some HEIF-family image" and AVIF uses them too: an AVIF brand rules HEIF out.
    compatible = data[16 : min(box_size, len(data), 256)]
    brands = {compatible[i : i + 4] for i in range(0, len(compatible) - 3, 4)}
    return bool(brands & _HEIF_BRANDS) or not brands & {b"avif", b"avis"}


# What other files commonly brought from a card or a phone start with, to name them without quoting them.
_OTHER_KINDS: tuple[tuple[int, bytes, str], ...] = (
    (0, b"%PDF", "a PDF document"),
    (0, b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (0, b"GIF8", "a GIF image"),
    (0, b"BM", "a BMP image"),
    (0, b"\x1aE\xdf\xa3", "a Matroska or WebM video"),
    (0, b"OggS", "an Ogg audio or video file"),
    (0, b"ID3", "an MP3 audio file"),
    (4, b"ftyp", "an ISO media file (video, or an image format not supported here)"),
    (8, b"AVI ", "an AVI video"),
    (8, b"WAVE", "a WAV audio file"),
    (0, b"\x7fELF", "a program"),
)


def describe_kind(data: bytes) -> str:
    """What kind of file ``data`` looks like, in words that quote none of its bytes (they may be a secret)."""
    for offset, magic, kind in _OTHER_KINDS:
        if data[offset : offset + len(magic)] == magic:
            return kind
    head = data[:512]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        text = head[: error.start].decode("utf-8") if error.start > len(head) - 4 else ""
    if text and all(c.isprintable() or c in "\t\r\n" for c in text):
        return "text"
    return "binary data of no known kind"


def open_image(data: bytes, name: str) -> Image.Image:
    """Open the image in ``data``, reading headers only; refuses what is not a whole, supported image."""
    if not data:
        raise MediaError(f"{name}: not an image (the file is empty)", "empty")
    image_format = sniff_format(data)
    if image_format is None:
        raise MediaError(
            f"{name}: not an image in a supported format ({', '.join(SUPPORTED_FORMATS)}); it looks like "
            f"{describe_kind(data)}",
            "not-an-image",
        )
    if image_format == "JPEG" and not jpeg_is_complete(data):
        raise MediaError(
            f"{name}: not a readable image (JPEG data stops before its end-of-image marker: the file is truncated)",
            "truncated",
        )
    try:
        # Pillow warns about damaged headers and carries on; what it could not read is caught when the pixels
        # or the EXIF are read. Its warning about too many pixels, though, must stop us here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=_PILLOW_PLUGINS[image_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaError(f"{name}: refused as a decompression bomb ({exc})", "decompression-bomb") from exc
    except DECODE_ERRORS as exc:
        raise MediaError(f"{name}: not a readable image ({exc})") from exc
    check_pixel_count(image.size, name)
    return image


def check_pixel_count(size: tuple[int, int], name: str) -> None:
    """Refuse a size whose pixel count exceeds MAX_IMAGE_PIXELS, whatever Pillow's global setting is now."""
    width, height = size
    if width <= 0 or height <= 0:
        raise MediaError(f"{name}: not a readable image (its header claims {width}x{height} pixels)")
    if width * height > MAX_IMAGE_PIXELS:
        raise MediaError(
            f"{name}: refused as a decompression bomb "
            f"({width}x{height} = {width * height} pixels is more than the limit of {MAX_IMAGE_PIXELS})",
            "decompression-bomb",
        )


def jpeg_is_complete(data: bytes) -> bool:
    """True when the JPEG's first scan is followed by an end-of-image marker (its data is not cut short).

    Header segments are skipped by their lengths, so an embedded EXIF thumbnail's end marker does not count.
    """
    position = 2
    end = len(data)
    while position + 4 <= end:
        if data[position] != 0xFF:
            # libjpeg tolerates stray bytes between segments; so do we, by resynchronising on the next marker.
            next_marker = data.find(b"\xff", position)
            if next_marker == -1:
                return False
            position = next_marker
            continue
        marker = data[position + 1]
        if marker == 0xFF:
            position += 1
            continue
        if marker == 0xD9:
            return False
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            position += 2
            continue
        if marker == 0xDA:
            # Entropy-coded data stuffs each 0xFF as FF 00, so FF D9 after the scan header is the end marker.
            return data.find(b"\xff\xd9", position + 2) != -1
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length
    return False
