"""Where a photo keeps its EXIF and XMP, read once for everyone: the capture record and the derivative maker.

One function, ``read_metadata``, finds the metadata wherever the format keeps it and decides the orientation, so
the capture record and the published copy can never disagree about a photo:

- JPEG: the APP1 "Exif" segment; XMP in the APP1 "http://ns.adobe.com/xap/1.0/" segment, and extended XMP split
  over APP1 "http://ns.adobe.com/xmp/extension/" segments (XMP Specification Part 3, 1.1.3.1);
- PNG: the eXIf chunk (PNG 1.5 extensions / PNG 3rd edition), ImageMagick's hex "Raw profile type exif",
  "Raw profile type APP1" and "Raw profile type xmp" in tEXt, zTXt or iTXt chunks, and XMP in the iTXt chunk
  "XML:com.adobe.xmp" (XMP Part 3, 1.1.5) - before or after the image data, found without decoding a pixel;
- WebP: the EXIF and XMP chunks of the extended format; HEIF/HEIC: the Exif and XMP items (through pillow-heif);
- TIFF: the image's own IFD0 with its Exif and GPS sub-directories, and XMP in tag 700.

EXIF wins over XMP value by value; XMP fills what EXIF lacks (a JPEG whose EXIF GPS is empty but whose XMP
holds exif:GPSLatitude gets that position). XMP values are turned into the EXIF tags they mirror (XMP Part 2 and
the CIPA DC-010 EXIF-to-XMP mapping), so the rest of the library reads one shape.
"""

from __future__ import annotations

import functools
import io
import re
import struct
import warnings
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as xml_from_bytes
from PIL import ExifTags, Image

from lestweforget.media.formats import DECODE_ERRORS

# Metadata blocks bigger than this are not metadata a camera writes; zTXt/iTXt are inflated no further.
MAX_METADATA_BYTES = 16 * 1024 * 1024

_XMP_SIGNATURE = b"http://ns.adobe.com/xap/1.0/\x00"
_EXTENDED_XMP_SIGNATURE = b"http://ns.adobe.com/xmp/extension/\x00"
_EXIF_SIGNATURE = b"Exif\x00\x00"
_TIFF_HEADERS = (b"II*\x00", b"MM\x00*")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_RAW_PROFILES = {
    "raw profile type exif": "exif",
    "raw profile type app1": "app1",
    "raw profile type xmp": "xmp",
}
_PNG_XMP_KEYWORD = "xml:com.adobe.xmp"

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
# The schemas whose properties mirror EXIF tags, by the prefix this module names them with.
_XMP_NAMESPACES = MappingProxyType(
    {
        "http://ns.adobe.com/tiff/1.0/": "tiff",
        "http://ns.adobe.com/exif/1.0/": "exif",
        "http://cipa.jp/exif/1.0/": "exifEX",
        "http://ns.adobe.com/xap/1.0/": "xmp",
        "http://ns.adobe.com/photoshop/1.0/": "photoshop",
        "http://ns.adobe.com/xmp/note/": "xmpNote",
    }
)

# XMP date-time (ISO 8601 profile of XMP Part 1, 10.4.1): a full date, optionally a time to the minute or
# second, a fraction, and a zone designator.
_XMP_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}:\d{2})?)?"
)
# XMP GPS coordinates: "DDD,MM,SSk" or "DDD,MM.mmk", k one of N S E W (XMP Part 2, EXIF schema GPSCoordinate).
_XMP_COORDINATE = re.compile(r"(\d{1,3}),(\d{1,2}(?:\.\d+)?)(?:,(\d{1,2}(?:\.\d+)?))?([NSEW])", re.IGNORECASE)
_RATIONAL = re.compile(r"([+-]?\d+(?:\.\d+)?)(?:/([+-]?\d+))?")


@dataclass(frozen=True)
class PhotoMetadata:
    """The EXIF directories (XMP filled in where EXIF is silent), and the orientation decided once.

    ``orientation`` is what the file records (1..8, None when nothing or nonsense is recorded);
    ``upright_transform`` is the orientation still to apply to the decoded pixels (1: none, as for HEIF and, in
    the Pillow installed, TIFF, whose decoders turn them already). ``stored_size`` is the pixel size as stored,
    ``upright_size`` the size a viewer shows. ``found_in`` names each place metadata was read from, e.g.
    ``"PNG zTXt 'Raw profile type exif'"``. ``flags`` uses the names of ``capture.FLAG_MEANINGS``.
    """

    ifd0: Mapping[int, object]
    exif: Mapping[int, object]
    gps: Mapping[int, object]
    orientation: int | None
    upright_transform: int
    stored_size: tuple[int, int]
    upright_size: tuple[int, int]
    found_in: tuple[str, ...]
    flags: tuple[str, ...]
    # Whether the file holds EXIF of its own (any tag in IFD0, the Exif or the GPS directory), before XMP filled in.
    has_exif: bool = False
    # The EXIF time tags whose value came from an XMP property that is not an EXIF mirror ("xmp:CreateDate").
    times_from_xmp: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))


def read_metadata(image: Image.Image, data: bytes, image_format: str) -> PhotoMetadata:
    """Read EXIF and XMP from an opened image and the bytes it was opened from (headers only, no pixels).

    ``image_format`` is the sniffed format ("JPEG", "PNG", "HEIF", "TIFF", "WEBP"). Never raises for what the
    metadata holds: what cannot be parsed becomes a flag ("exif-malformed", "xmp-malformed",
    "orientation-malformed").
    """
    flags: list[str] = []
    found_in: list[str] = []
    exif_blobs, xmp_packets = _locate(image, data, image_format, found_in, flags)

    ifd0: dict[int, object] = {}
    exif: dict[int, object] = {}
    gps: dict[int, object] = {}
    if image_format == "TIFF":
        _merge_exif(image.getexif(), ifd0, exif, gps, flags)
    for blob in exif_blobs:
        loaded = _load_exif(blob, flags)
        if loaded is not None:
            _merge_exif(loaded, ifd0, exif, gps, flags)
    xmp: dict[str, str] = {}
    for packet in xmp_packets:
        for key, value in _xmp_properties(packet, flags).items():
            xmp.setdefault(key, value)
    has_exif = bool(ifd0 or exif or gps)
    times_from_xmp = _fill_from_xmp(xmp, ifd0, exif, gps, flags)

    kept = image.info.get("original_orientation") if image_format == "HEIF" else None
    orientation = _orientation(kept if kept is not None else ifd0.get(ExifTags.Base.Orientation), flags)
    turned = orientation in (5, 6, 7, 8)
    stored_size = _stored_size(image, image_format)
    if image_format == "HEIF":
        # pillow-heif turns HEIF pixels by the container's irot/imir while decoding (and resets EXIF Orientation
        # to 1): what it reports is the upright size, and nothing is left to do.
        upright, upright_size = 1, image.size
    elif image_format == "TIFF" and _pillow_turns_tiff():
        upright, upright_size = 1, stored_size[::-1] if turned else stored_size
    else:
        upright = orientation or 1
        upright_size = stored_size[::-1] if turned else stored_size
    return PhotoMetadata(
        ifd0=MappingProxyType(ifd0),
        exif=MappingProxyType(exif),
        gps=MappingProxyType(gps),
        orientation=orientation,
        upright_transform=upright,
        stored_size=stored_size,
        upright_size=(upright_size[0], upright_size[1]),
        found_in=tuple(dict.fromkeys(found_in)),
        flags=tuple(dict.fromkeys(flags)),
        has_exif=has_exif,
        times_from_xmp=MappingProxyType(times_from_xmp),
    )


def _stored_size(image: Image.Image, image_format: str) -> tuple[int, int]:
    if image_format == "TIFF":
        # Pillow may report a TIFF's size already turned; the tags say how the pixels are stored.
        tags = getattr(image, "tag_v2", {})
        width, length = tags.get(256), tags.get(257)
        if isinstance(width, int) and isinstance(length, int) and width > 0 and length > 0:
            return width, length
    return image.size


@functools.cache
def _pillow_turns_tiff() -> bool:
    """Whether the installed Pillow's TIFF decoder applies Orientation itself (Pillow 11.1 and later do).

    Asked of Pillow with a 2 x 1 TIFF of orientation 6 rather than inferred from a version number.
    """
    probe = Image.new("L", (2, 1))
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    probe.save(buffer, "TIFF", exif=exif)
    buffer.seek(0)
    with Image.open(buffer) as reopened:
        reopened.load()
        return reopened.size == (1, 2)


# ---------------------------------------------------------------------------------------------------------
# Finding the blocks


def _locate(
    image: Image.Image, data: bytes, image_format: str, found_in: list[str], flags: list[str]
) -> tuple[list[bytes], list[bytes]]:
    """The EXIF blocks (in order of trust) and XMP packets the file holds."""
    exif_blobs: list[bytes] = []
    xmp_packets: list[bytes] = []
    if image_format == "PNG":
        for where, kind, payload in _png_metadata(data, flags):
            found_in.append(where)
            (exif_blobs if kind == "exif" else xmp_packets).append(payload)
        return exif_blobs, xmp_packets
    if image_format == "TIFF":
        found_in.append("TIFF IFD0")
        xmp = _as_bytes(image.info.get("xmp")) or _as_bytes(getattr(image, "tag_v2", {}).get(700))
        if xmp:
            found_in.append("TIFF XMP tag 700")
            xmp_packets.append(xmp)
        return exif_blobs, xmp_packets
    container = {"JPEG": "JPEG APP1", "WEBP": "WebP", "HEIF": "HEIF"}.get(image_format, image_format)
    blob = _as_bytes(image.info.get("exif"))
    if blob:
        found_in.append(f"{container} EXIF")
        exif_blobs.append(blob)
    if image_format == "JPEG":
        standard, extended = _jpeg_xmp(data, flags)
        if standard:
            found_in.append("JPEG APP1 XMP")
            xmp_packets.append(standard)
        if extended:
            found_in.append("JPEG APP1 extended XMP")
            xmp_packets.append(extended)
    else:
        xmp = _as_bytes(image.info.get("xmp"))
        if xmp:
            found_in.append(f"{container} XMP")
            xmp_packets.append(xmp)
    return exif_blobs, xmp_packets


def _as_bytes(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, tuple) and value and isinstance(value[0], bytes | str):
        return _as_bytes(value[0])
    return b""


def _png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(type, data) of each PNG chunk, read by length without inflating anything; stops at IEND or damage."""
    position = len(_PNG_SIGNATURE)
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        start = position + 8
        if start + length > len(data):
            return
        yield kind, data[start : start + length]
        if kind == b"IEND":
            return
        position = start + length + 4  # data, then the CRC


def _png_metadata(data: bytes, flags: list[str]) -> Iterator[tuple[str, str, bytes]]:
    """(where, "exif" or "xmp", payload) for each metadata block a PNG holds, eXIf first."""
    raw_profiles: list[tuple[str, str, bytes]] = []
    for kind, chunk in _png_chunks(data):
        if kind == b"eXIf":
            yield "PNG eXIf", "exif", chunk
            continue
        if kind not in (b"tEXt", b"zTXt", b"iTXt"):
            continue
        text = _png_text(kind, chunk, flags)
        if text is None:
            continue
        keyword, value = text
        label = f"PNG {kind.decode('ascii')} {keyword!r}"
        if keyword.lower() == _PNG_XMP_KEYWORD:
            raw_profiles.append((label, "xmp", value.encode("utf-8")))
        elif keyword.lower() in _RAW_PROFILES:
            payload = _raw_profile(value)
            if payload is None:
                flags.append("exif-malformed" if _RAW_PROFILES[keyword.lower()] != "xmp" else "xmp-malformed")
                continue
            kind_of = _classify_payload(payload)
            if kind_of is not None:
                raw_profiles.append((label, kind_of, payload))
    yield from raw_profiles


def _png_text(kind: bytes, chunk: bytes, flags: list[str]) -> tuple[str, str] | None:
    """The keyword and text of a tEXt, zTXt or iTXt chunk (PNG 1.2, 11.3.4), or None if damaged."""
    keyword_bytes, separator, rest = chunk.partition(b"\x00")
    if not separator:
        return None
    keyword = keyword_bytes.decode("latin-1")
    if kind == b"tEXt":
        return keyword, rest.decode("latin-1")
    if kind == b"zTXt":
        inflated = _inflate(rest[1:], flags) if rest[:1] == b"\x00" else None
        return None if inflated is None else (keyword, inflated.decode("latin-1"))
    # iTXt: compression flag, method, language tag NUL, translated keyword NUL, UTF-8 text
    if len(rest) < 2:
        return None
    compressed, method = rest[0], rest[1]
    parts = rest[2:].split(b"\x00", 2)
    if len(parts) != 3:
        return None
    body: bytes | None = parts[2]
    if compressed:
        body = _inflate(parts[2], flags) if method == 0 else None
    if body is None:
        return None
    return keyword, body.decode("utf-8", "replace")


def _inflate(compressed: bytes, flags: list[str]) -> bytes | None:
    inflater = zlib.decompressobj()
    try:
        body = inflater.decompress(compressed, MAX_METADATA_BYTES)
    except zlib.error:
        flags.append("exif-malformed")
        return None
    if inflater.unconsumed_tail:
        return None  # larger than any metadata block: not read
    return body


def _raw_profile(text: str) -> bytes | None:
    """ImageMagick's raw profile text: "\\n<name>\\n<length>\\n<hex digits over lines>" -> the profile's bytes."""
    lines = text.lstrip("\n").split("\n", 2)
    if len(lines) < 3:
        return None
    try:
        length = int(lines[1].strip())
        payload = bytes.fromhex("".join(lines[2].split()))
    except ValueError:
        return None
    if length < 0 or len(payload) < length:
        return None
    return payload[:length]


def _classify_payload(payload: bytes) -> str | None:
    """An APP1-style payload is EXIF (with or without its "Exif" header) or an XMP packet."""
    if payload.startswith(_EXIF_SIGNATURE) or payload.startswith(_TIFF_HEADERS):
        return "exif"
    if payload.startswith(_XMP_SIGNATURE):
        return "xmp"
    if b"<x:xmpmeta" in payload[:4096] or b"<rdf:RDF" in payload[:4096]:
        return "xmp"
    return None


def _jpeg_app1(data: bytes) -> Iterator[bytes]:
    """The payload of each APP1 segment before the first scan."""
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            position = data.find(b"\xff", position)
            if position == -1:
                return
            continue
        marker = data[position + 1]
        if marker == 0xFF:
            position += 1
            continue
        if marker in (0xD9, 0xDA):
            return
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if marker == 0xE1:
            yield data[position + 4 : position + 2 + length]
        position += 2 + length


def _jpeg_xmp(data: bytes, flags: list[str]) -> tuple[bytes, bytes]:
    """The standard XMP packet and the reassembled extended XMP (empty when absent or incomplete)."""
    standard = b""
    # Extended XMP: GUID (32 hex digits) -> full length and {offset: bytes}.
    parts: dict[bytes, tuple[int, dict[int, bytes]]] = {}
    for payload in _jpeg_app1(data):
        if payload.startswith(_XMP_SIGNATURE) and not standard:
            standard = payload[len(_XMP_SIGNATURE) :]
        elif payload.startswith(_EXTENDED_XMP_SIGNATURE):
            head = payload[len(_EXTENDED_XMP_SIGNATURE) :]
            if len(head) < 40:
                flags.append("xmp-malformed")
                continue
            guid = head[:32]
            full_length, offset = struct.unpack(">II", head[32:40])
            parts.setdefault(guid, (full_length, {}))[1][offset] = head[40:]
    if not parts:
        return standard, b""
    # The standard packet names the GUID of its extension in xmpNote:HasExtendedXMP.
    wanted = re.search(rb"HasExtendedXMP(?:=[\"']|>)([0-9A-Fa-f]{32})", standard)
    guid = wanted.group(1) if wanted else next(iter(parts))
    if guid not in parts:
        flags.append("xmp-malformed")
        return standard, b""
    full_length, pieces = parts[guid]
    joined = b""
    for offset in sorted(pieces):
        if offset != len(joined):
            flags.append("xmp-malformed")
            return standard, b""
        joined += pieces[offset]
    if len(joined) != full_length or full_length > MAX_METADATA_BYTES:
        flags.append("xmp-malformed")
        return standard, b""
    return standard, joined


# ---------------------------------------------------------------------------------------------------------
# EXIF


def _load_exif(blob: bytes, flags: list[str]) -> Image.Exif | None:
    if blob.startswith(_EXIF_SIGNATURE):
        blob = blob[len(_EXIF_SIGNATURE) :]
    if not blob.startswith(_TIFF_HEADERS):
        flags.append("exif-malformed")
        return None
    exif = Image.Exif()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exif.load(blob)
        except DECODE_ERRORS:
            flags.append("exif-malformed")
            return None
    if any(issubclass(w.category, UserWarning) for w in caught):
        flags.append("exif-malformed")
    return exif


def _merge_exif(
    source: Image.Exif,
    ifd0: dict[int, object],
    exif: dict[int, object],
    gps: dict[int, object],
    flags: list[str],
) -> None:
    """Add what ``source`` says to the three directories, keeping values already there (the first block wins)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            first = dict(source)
            sub = {}
            for tag in (ExifTags.IFD.Exif, ExifTags.IFD.GPSInfo):
                try:
                    sub[tag] = dict(source.get_ifd(tag))
                except DECODE_ERRORS:
                    flags.append("exif-malformed")
                    sub[tag] = {}
        except DECODE_ERRORS:
            flags.append("exif-malformed")
            return
    if any(issubclass(w.category, UserWarning) for w in caught):
        flags.append("exif-malformed")
    for key, value in first.items():
        if key not in (ExifTags.IFD.Exif, ExifTags.IFD.GPSInfo):
            ifd0.setdefault(key, value)
    for key, value in sub[ExifTags.IFD.Exif].items():
        exif.setdefault(key, value)
    if sub[ExifTags.IFD.GPSInfo] and not _has_position(gps):
        gps.clear()
        gps.update(sub[ExifTags.IFD.GPSInfo])
    elif sub[ExifTags.IFD.GPSInfo]:
        for key, value in sub[ExifTags.IFD.GPSInfo].items():
            gps.setdefault(key, value)


def _has_position(gps: Mapping[int, object]) -> bool:
    return ExifTags.GPS.GPSLatitude in gps or ExifTags.GPS.GPSLongitude in gps


def _orientation(value: object, flags: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 8:
        return value
    flags.append("orientation-malformed")
    return None


# ---------------------------------------------------------------------------------------------------------
# XMP


def _xmp_properties(packet: bytes, flags: list[str]) -> dict[str, str]:
    """Simple XMP properties as {"prefix:Name": text}, from rdf:Description attributes and child elements.

    Arrays (rdf:Seq, rdf:Bag, rdf:Alt) give their first item. DTDs and entities are refused (defusedxml).
    """
    start = packet.find(b"<")
    end = packet.rfind(b">")
    if start == -1 or end == -1:
        flags.append("xmp-malformed")
        return {}
    body = packet[start : end + 1]
    if body.startswith(b"<?xpacket"):
        body = body[body.find(b"?>") + 2 :] if b"?>" in body else body
    # A packet ends with a processing instruction too; drop it so that trailing padding does not matter.
    closing = body.rfind(b"<?xpacket")
    if closing > 0:
        body = body[:closing]
    try:
        root = xml_from_bytes(body.strip(), forbid_dtd=True)
    except (SyntaxError, ValueError, DefusedXmlException):
        flags.append("xmp-malformed")
        return {}
    properties: dict[str, str] = {}
    for description in root.iter(f"{{{_RDF}}}Description"):
        for attribute, value in description.attrib.items():
            key = _xmp_key(attribute)
            if key is not None:
                properties.setdefault(key, value.strip())
        for child in description:
            key = _xmp_key(child.tag)
            if key is None:
                continue
            text = _xmp_value(child)
            if text is not None:
                properties.setdefault(key, text)
    return properties


def _xmp_key(tag: str) -> str | None:
    if not tag.startswith("{"):
        return None
    namespace, _, local = tag[1:].partition("}")
    prefix = _XMP_NAMESPACES.get(namespace)
    return f"{prefix}:{local}" if prefix else None


def _xmp_value(element: Element) -> str | None:
    resource = element.get(f"{{{_RDF}}}resource")
    if resource is not None:
        return resource.strip()
    for array in element:
        if array.tag in (f"{{{_RDF}}}Seq", f"{{{_RDF}}}Bag", f"{{{_RDF}}}Alt"):
            item = array.find(f"{{{_RDF}}}li")
            return (item.text or "").strip() if item is not None else None
        return None  # a structure, not a simple value
    return (element.text or "").strip()


def _fill_from_xmp(
    xmp: Mapping[str, str],
    ifd0: dict[int, object],
    exif: dict[int, object],
    gps: dict[int, object],
    flags: list[str],
) -> dict[int, str]:
    """Put XMP values into the EXIF tags they mirror, wherever EXIF has no value of its own; return the time
    tags so filled, each with the XMP property it came from.

    Times follow the Metadata Working Group's Guidelines for Handling Image Metadata 2.0 (5.7, "Date/Time"):
    photoshop:DateCreated (and exif:DateTimeOriginal) stand for DateTimeOriginal, xmp:CreateDate (and
    exif:DateTimeDigitized) for DateTimeDigitized, each keeping its UTC offset. xmp:ModifyDate is left out: it
    dates the last edit, never the capture.
    """
    filled: dict[int, str] = {}
    if not xmp:
        return filled
    base = ExifTags.Base
    for key, tag in (("tiff:Make", base.Make), ("tiff:Model", base.Model), ("tiff:Software", base.Software)):
        if key in xmp and tag not in ifd0:
            ifd0[tag] = xmp[key]
    if "xmp:CreatorTool" in xmp and base.Software not in ifd0:
        ifd0[base.Software] = xmp["xmp:CreatorTool"]
    if "tiff:Orientation" in xmp and base.Orientation not in ifd0:
        text = xmp["tiff:Orientation"]
        ifd0[base.Orientation] = int(text) if text.isdigit() else text
    for key, directory, tag, subsec, offset in (
        ("exif:DateTimeOriginal", exif, base.DateTimeOriginal, base.SubsecTimeOriginal, base.OffsetTimeOriginal),
        ("photoshop:DateCreated", exif, base.DateTimeOriginal, base.SubsecTimeOriginal, base.OffsetTimeOriginal),
        ("exif:DateTimeDigitized", exif, base.DateTimeDigitized, base.SubsecTimeDigitized, base.OffsetTimeDigitized),
        ("xmp:CreateDate", exif, base.DateTimeDigitized, base.SubsecTimeDigitized, base.OffsetTimeDigitized),
        ("tiff:DateTime", ifd0, base.DateTime, base.SubsecTime, base.OffsetTime),
    ):
        if key not in xmp or tag in directory:
            continue
        parsed = _xmp_datetime(xmp[key])
        if parsed is None:
            flags.append("time-malformed")
            continue
        moment, fraction, zone = parsed
        directory[tag] = moment
        if not key.startswith(("exif:", "tiff:")):
            filled[tag] = key  # an EXIF mirror (exif:DateTimeOriginal) is named as its EXIF tag
        if fraction:
            exif.setdefault(subsec, fraction)
        if zone:
            exif.setdefault(offset, zone)
    if not _has_position(gps):
        _gps_from_xmp(xmp, gps, flags)
    return filled


def _xmp_datetime(text: str) -> tuple[str, str, str] | None:
    """An XMP date-time as EXIF's "YYYY:MM:DD HH:MM:SS", its fraction digits and its "+HH:MM" zone.

    A date without a time of day is not a capture time: None, like any text that is not a date.
    """
    match = _XMP_DATETIME.fullmatch(text.strip())
    if not match or match[4] is None:
        return None
    seconds = match[6] or "00"
    moment = f"{match[1]}:{match[2]}:{match[3]} {match[4]}:{match[5]}:{seconds}"
    zone = match[8] or ""
    return moment, match[7] or "", "+00:00" if zone == "Z" else zone


def _gps_from_xmp(xmp: Mapping[str, str], gps: dict[int, object], flags: list[str]) -> None:
    latitude, longitude = xmp.get("exif:GPSLatitude"), xmp.get("exif:GPSLongitude")
    if latitude is None and longitude is None:
        return
    found: dict[int, object] = {}
    for text, tag, ref_tag in (
        (latitude, ExifTags.GPS.GPSLatitude, ExifTags.GPS.GPSLatitudeRef),
        (longitude, ExifTags.GPS.GPSLongitude, ExifTags.GPS.GPSLongitudeRef),
    ):
        match = _XMP_COORDINATE.fullmatch((text or "").strip())
        if not match:
            # Left for the capture reader to flag: present but not decodable.
            found[tag] = (text or "").strip()
            continue
        parts = [float(match[1]), float(match[2])] + ([float(match[3])] if match[3] else [])
        found[tag] = tuple(parts)
        found[ref_tag] = match[4].upper()
    for key, tag in (
        ("exif:GPSAltitude", ExifTags.GPS.GPSAltitude),
        ("exif:GPSImgDirection", ExifTags.GPS.GPSImgDirection),
        ("exif:GPSHPositioningError", ExifTags.GPS.GPSHPositioningError),
    ):
        number = _xmp_rational(xmp.get(key))
        if number is not None:
            found[tag] = number
    ref = xmp.get("exif:GPSAltitudeRef", "").strip()
    if ref in ("0", "1"):
        found[ExifTags.GPS.GPSAltitudeRef] = int(ref)
    if "exif:GPSImgDirectionRef" in xmp:
        found[ExifTags.GPS.GPSImgDirectionRef] = xmp["exif:GPSImgDirectionRef"]
    stamp = xmp.get("exif:GPSTimeStamp")
    if stamp:
        parsed = _xmp_datetime(stamp)
        if parsed is None or parsed[2] not in ("", "+00:00"):
            flags.append("time-malformed")
        else:
            day, clock = parsed[0].split(" ")
            hours, minutes, seconds = (float(part) for part in clock.split(":"))
            fraction = float(f"0.{parsed[1]}") if parsed[1] else 0.0
            found[ExifTags.GPS.GPSDateStamp] = day
            found[ExifTags.GPS.GPSTimeStamp] = (hours, minutes, seconds + fraction)
    gps.clear()
    gps.update(found)


def _xmp_rational(text: str | None) -> float | None:
    """An XMP rational ("1205/10") or decimal as a number; None for anything else or a zero denominator."""
    if text is None:
        return None
    match = _RATIONAL.fullmatch(text.strip())
    if not match:
        return None
    numerator = float(match[1])
    denominator = float(match[2]) if match[2] else 1.0
    return None if denominator == 0 else numerator / denominator
