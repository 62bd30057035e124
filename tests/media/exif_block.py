"""Write EXIF blocks byte by byte, with the exact TIFF types a camera uses (Pillow writes only some of them).

Built from the TIFF 6.0 and EXIF 2.32 layouts, independently of the reader under test, so that signed
rationals, zero denominators and missing references reach the reader as a faulty camera would store them.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence

from PIL import Image

BYTE, ASCII, SHORT, LONG, RATIONAL, UNDEFINED, SRATIONAL = 1, 2, 3, 4, 5, 7, 10
EXIF_POINTER, GPS_POINTER = 0x8769, 0x8825

Entry = tuple[int, int, object]  # tag, TIFF type, value


def _encode(kind: int, value: object) -> tuple[int, bytes]:
    if kind == ASCII:
        assert isinstance(value, str)
        raw = value.encode("latin-1") + b"\x00"
        return len(raw), raw
    if kind in (BYTE, UNDEFINED):
        assert isinstance(value, bytes)
        return len(value), value
    items = list(value) if isinstance(value, Sequence) else [value]
    if kind == SHORT:
        return len(items), struct.pack(f"<{len(items)}H", *items)
    if kind == LONG:
        return len(items), struct.pack(f"<{len(items)}I", *items)
    if kind in (RATIONAL, SRATIONAL):
        code = "I" if kind == RATIONAL else "i"
        return len(items), b"".join(struct.pack(f"<{code}{code}", num, den) for num, den in items)
    raise ValueError(f"unsupported TIFF type {kind}")


def _ifd_size(entries: Sequence[Entry]) -> int:
    data = sum(len(raw) + len(raw) % 2 for _, raw in (_encode(k, v) for _, k, v in entries) if len(raw) > 4)
    return 2 + 12 * len(entries) + 4 + data


def _write_ifd(entries: Sequence[Entry], offset: int) -> bytes:
    entries = sorted(entries, key=lambda entry: entry[0])
    head = struct.pack("<H", len(entries))
    data = b""
    data_offset = offset + 2 + 12 * len(entries) + 4
    for tag, kind, value in entries:
        count, raw = _encode(kind, value)
        if len(raw) <= 4:
            head += struct.pack("<HHI", tag, kind, count) + raw.ljust(4, b"\x00")
        else:
            head += struct.pack("<HHII", tag, kind, count, data_offset + len(data))
            data += raw + b"\x00" * (len(raw) % 2)
    return head + struct.pack("<I", 0) + data


def build_exif(ifd0: Sequence[Entry] = (), exif: Sequence[Entry] = (), gps: Sequence[Entry] | None = None) -> bytes:
    """An APP1 EXIF payload ("Exif\\0\\0" + little-endian TIFF): IFD0, optional Exif and GPS directories."""
    pointers: list[Entry] = []
    if exif:
        pointers.append((EXIF_POINTER, LONG, 0))
    if gps is not None:
        pointers.append((GPS_POINTER, LONG, 0))
    first = [*ifd0, *pointers]
    exif_offset = 8 + _ifd_size(first)
    gps_offset = exif_offset + (_ifd_size(exif) if exif else 0)
    first = [*ifd0]
    if exif:
        first.append((EXIF_POINTER, LONG, exif_offset))
    if gps is not None:
        first.append((GPS_POINTER, LONG, gps_offset))
    tiff = b"II*\x00" + struct.pack("<I", 8) + _write_ifd(first, 8)
    if exif:
        tiff += _write_ifd(exif, exif_offset)
    if gps is not None:
        tiff += _write_ifd(gps, gps_offset)
    return b"Exif\x00\x00" + tiff


def jpeg_with_exif(exif_block: bytes, size: tuple[int, int] = (16, 8)) -> bytes:
    """A small real JPEG carrying ``exif_block`` as its APP1 segment."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 120, 150)).save(buffer, "JPEG", exif=exif_block)
    return buffer.getvalue()


def dms(degrees: int, minutes: int, seconds_hundredths: int) -> list[tuple[int, int]]:
    """Degrees, minutes and seconds as three rationals, the way cameras store a GPS coordinate."""
    return [(degrees, 1), (minutes, 1), (seconds_hundredths, 100)]
