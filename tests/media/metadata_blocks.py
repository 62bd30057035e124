"""Photos that keep their EXIF and XMP in each place a format allows, written chunk by chunk from the specs.

PNG chunks follow PNG 1.2 (tEXt, zTXt, iTXt) and the eXIf extension; ImageMagick's raw profiles are
"\\n<name>\\n<length>\\n" followed by the bytes in hex, 72 digits a line; XMP packets and JPEG extended XMP follow
XMP Specification Part 3. Written here, independently of the reader under test.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

from PIL import Image

from .exif_block import ASCII, RATIONAL, SHORT, build_exif, dms

XMP_SIGNATURE = b"http://ns.adobe.com/xap/1.0/\x00"
EXTENDED_SIGNATURE = b"http://ns.adobe.com/xmp/extension/\x00"

# The handed case M01 in numbers: Make TestMake, Orientation 6, 2022:09:16 12:00:00 +03:00, 49.2209167 N 37.2445556 E.
M01_EXPECTED = {
    "make": "TestMake",
    "model": "TestModel",
    "orientation": 6,
    "capture_time": "2022-09-16T12:00:00",
    "utc_offset_minutes": 180,
    "latitude": 49.2209167,
    "longitude": 37.2445556,
}


def camera_exif(orientation: int = 6, with_gps: bool = True) -> bytes:
    """An EXIF block as a phone writes it: make, model, orientation, capture time with offset, GPS."""
    gps = (
        [
            (1, ASCII, "N"),
            (2, RATIONAL, dms(49, 13, 1530)),
            (3, ASCII, "E"),
            (4, RATIONAL, dms(37, 14, 4040)),
        ]
        if with_gps
        else None
    )
    return build_exif(
        ifd0=[(0x010F, ASCII, "TestMake"), (0x0110, ASCII, "TestModel"), (0x0112, SHORT, orientation)],
        exif=[(0x9003, ASCII, "2022:09:16 12:00:00"), (0x9011, ASCII, "+03:00")],
        gps=gps,
    )


def xmp_packet(properties: dict[str, str], padding: int = 0) -> bytes:
    """An XMP packet whose rdf:Description carries ``properties`` ("tiff:Orientation": "6") as attributes."""
    namespaces = {
        "tiff": "http://ns.adobe.com/tiff/1.0/",
        "exif": "http://ns.adobe.com/exif/1.0/",
        "xmp": "http://ns.adobe.com/xap/1.0/",
        "xmpNote": "http://ns.adobe.com/xmp/note/",
        "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    }
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in namespaces.items())
    attributes = " ".join(f'{key}="{value}"' for key, value in properties.items())
    body = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" {declarations} {attributes}/>'
        "</rdf:RDF></x:xmpmeta>" + " " * padding + '<?xpacket end="w"?>'
    )
    return body.encode("utf-8")


GPS_XMP = {"exif:GPSLatitude": "49,13.2550N", "exif:GPSLongitude": "37,14.6733E", "exif:GPSAltitude": "1205/10"}


def base_png(size: tuple[int, int] = (40, 20)) -> bytes:
    """A plain RGB PNG with a left half red and a right half blue, so turning it is visible."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (size[0] // 2, 0, size[0], size[1]))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_with(chunks: list[bytes], after_image_data: bool = False) -> bytes:
    """``base_png`` with ``chunks`` inserted right after IHDR, or just before IEND."""
    png = base_png()
    if after_image_data:
        iend = png.rindex(b"IEND") - 4
        return png[:iend] + b"".join(chunks) + png[iend:]
    after_ihdr = 8 + 4 + 4 + 13 + 4
    return png[:after_ihdr] + b"".join(chunks) + png[after_ihdr:]


def raw_profile(name: str, payload: bytes) -> str:
    digits = payload.hex()
    lines = "\n".join(digits[i : i + 72] for i in range(0, len(digits), 72))
    return f"\n{name}\n{len(payload):8d}\n{lines}\n"


def text_chunk(kind: str, keyword: str, text: str) -> bytes:
    """A tEXt, zTXt or iTXt (compressed: "iTXt-z") chunk holding ``text`` under ``keyword``."""
    key = keyword.encode("latin-1") + b"\x00"
    if kind == "tEXt":
        return png_chunk(b"tEXt", key + text.encode("latin-1"))
    if kind == "zTXt":
        return png_chunk(b"zTXt", key + b"\x00" + zlib.compress(text.encode("latin-1")))
    compressed = kind == "iTXt-z"
    body = zlib.compress(text.encode("utf-8")) if compressed else text.encode("utf-8")
    return png_chunk(b"iTXt", key + bytes([int(compressed), 0]) + b"\x00\x00" + body)


def jpeg_with_segments(app1_payloads: list[bytes], size: tuple[int, int] = (40, 20)) -> bytes:
    """A real JPEG with the given APP1 payloads inserted after its SOI marker, in order."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (size[0] // 2, 0, size[0], size[1]))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    jpeg = buffer.getvalue()
    segments = b"".join(b"\xff\xe1" + struct.pack(">H", len(p) + 2) + p for p in app1_payloads)
    return jpeg[:2] + segments + jpeg[2:]


def extended_xmp_segments(standard_properties: dict[str, str], extension: bytes, chunk: int = 30000) -> list[bytes]:
    """The standard XMP packet naming its extension's GUID, then the extension split into APP1 payloads."""
    guid = hashlib.md5(extension).hexdigest().upper().encode("ascii")
    standard = xmp_packet({**standard_properties, "xmpNote:HasExtendedXMP": guid.decode("ascii")})
    payloads = [XMP_SIGNATURE + standard]
    for offset in range(0, len(extension), chunk):
        piece = extension[offset : offset + chunk]
        payloads.append(EXTENDED_SIGNATURE + guid + struct.pack(">II", len(extension), offset) + piece)
    return payloads
