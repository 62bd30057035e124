"""A collection as a KML 2.2 document for Google Earth, OsmAnd and Organic Maps, whole or a piece at a time."""

from __future__ import annotations

import html
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from xml.etree import ElementTree as ET

from .features import Collection, PlaceFeature, Track, TrackPoint
from .locale_text import metres_text
from .notation import degrees_text, number_text, property_text, rounded_metres, time_text, unix_lines
from .validation import check_collection, check_tracks_are_lines, check_xml_text

KML_NAMESPACE = "http://www.opengis.net/kml/2.2"
THUMBNAIL_WIDTH_PX = 320
TRACK_STYLE_ID = "track"

# Icon colours as RGB; KML spells them aabbggrr (see _kml_colour).
KIND_COLOURS = {
    "mass_grave": "b71c1c",
    "burial_site": "6d4c41",
    "execution_site": "e65100",
    "detention_site": "6a1b9a",
    "memorial": "1565c0",
    "other": "546e7a",
}
# Kinds without a colour of their own get one of these, the same one every time for the same kind.
FALLBACK_COLOURS = ("00838f", "2e7d32", "ad1457", "4e342e", "283593", "9e9d24")
TRACK_COLOUR = "d81b60"
TRACK_WIDTH_PX = 4

# ElementTree cannot write CDATA, so descriptions are written as markers and swapped for CDATA afterwards.
# A marker holds U+0000, which check_xml_text refuses in any text, so no text of the collection can forge one.
_CDATA_MARKER = re.compile("\x00([0-9]+)\x00")


def to_kml(collection: Collection) -> str:
    """A KML Document named after the title: one Style per kind, a Placemark per place and per track.

    A place's description is HTML in CDATA (text, ± uncertainty, link, thumbnail); its fields and properties
    that are not empty go in ExtendedData.
    Raises ExportError for a collection that cannot be written or a track of fewer than 2 points.
    """
    kinds = [feature.kind for feature in collection.features]
    return "".join(kml_stream(replace(collection, features=()), [replace(collection, tracks=())], kinds=kinds))


def kml_stream(
    head: Collection, chunks: Iterable[Collection], property_keys: Sequence[str] = (), kinds: Sequence[str] = ()
) -> Iterator[str]:
    """The KML Document of `to_kml` a piece at a time: the head (``head``'s title, description, url and time, and a
    Style for each of ``kinds``, which KML wants before any Placemark), then a piece of Placemarks per chunk, then
    ``head``'s tracks. A place of a kind not in ``kinds`` gets no style (readers draw their default pin).
    ``property_keys`` is not needed here (each Placemark carries its own ExtendedData). Raises ExportError."""
    check_collection(head)
    check_xml_text(head)
    check_tracks_are_lines(head)
    descriptions: list[str] = []
    root = ET.Element("kml", xmlns=KML_NAMESPACE)
    document = ET.SubElement(root, "Document")
    _text(document, "name", head.title)
    collection_html = _paragraphs(head.description) + _link(head.url)
    if collection_html:
        _cdata(document, "description", collection_html, descriptions)
    style_ids = _style_ids(kinds)
    for kind, style_id in style_ids.items():
        _icon_style(document, style_id, KIND_COLOURS.get(kind) or _fallback_colour(kind))
    if head.tracks:
        _line_style(document)
    about = {"url": head.url, "generated_at": time_text(head.generated_at)}
    _extended_data(document, {name: value for name, value in about.items() if value})
    ET.indent(root)
    whole = _with_cdata(ET.tostring(root, encoding="unicode"), descriptions)
    opening, closing = whole.rsplit(_DOCUMENT_END, 1)
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n{opening}'
    for chunk in chunks:
        check_collection(chunk)
        check_xml_text(chunk)
        yield _placemarks(chunk.features, style_ids, head.language)
    if head.tracks:
        yield _placemarks((), style_ids, head.language, head.tracks)
    yield f"{_DOCUMENT_END}{closing}\n"


# How the Document's end tag stands in the indented text: where a stream's Placemarks go.
_DOCUMENT_END = "  </Document>"


def _placemarks(
    features: Iterable[PlaceFeature], style_ids: dict[str, str], language: str, tracks: Iterable[Track] = ()
) -> str:
    """The Placemarks of ``features`` and ``tracks``, indented as children of the Document; the words and numbers
    of the descriptions in ``language`` (the document's, `Collection.language`)."""
    descriptions: list[str] = []
    holder = ET.Element("Document")
    for feature in features:
        _place_placemark(holder, feature, style_ids.get(feature.kind), descriptions, language)
    for track in tracks:
        _track_placemark(holder, track, descriptions)
    ET.indent(holder, level=1)
    pieces = []
    for placemark in holder:
        placemark.tail = None
        pieces.append(f"    {ET.tostring(placemark, encoding='unicode')}\n")
    return _with_cdata("".join(pieces), descriptions)


def _with_cdata(text: str, descriptions: list[str]) -> str:
    return _CDATA_MARKER.sub(lambda match: _cdata_section(descriptions[int(match.group(1))]), text)


def _place_placemark(
    document: ET.Element, feature: PlaceFeature, style_id: str | None, descriptions: list[str], language: str
) -> None:
    # Children follow the element order of the KML 2.2 schema (Feature, then Placemark).
    placemark = ET.SubElement(document, "Placemark")
    _text(placemark, "name", feature.name)
    balloon = _paragraphs(feature.description)
    if feature.uncertainty_m is not None:
        balloon += f"<p>± {html.escape(metres_text(feature.uncertainty_m, language))}</p>"
    balloon += _link(feature.url)
    if feature.thumbnail_url:
        source = html.escape(feature.thumbnail_url)
        balloon += f'<p><img src="{source}" width="{THUMBNAIL_WIDTH_PX}"></p>'
    if balloon:
        _cdata(placemark, "description", balloon, descriptions)
    if feature.time is not None:
        _text(ET.SubElement(placemark, "TimeStamp"), "when", feature.time.isoformat())
    if style_id is not None:
        _text(placemark, "styleUrl", f"#{style_id}")
    own = {
        "id": feature.id,
        "kind": feature.kind,
        "url": feature.url,
        "uncertainty_m": number_text(feature.uncertainty_m) if feature.uncertainty_m is not None else "",
        "thumbnail_url": feature.thumbnail_url,
    }
    fields = {**own, **{key: property_text(value) for key, value in feature.properties.items()}}
    # An empty <value/> is dropped by some readers (fastkml among them): leave out what is empty.
    _extended_data(placemark, {name: value for name, value in fields.items() if value})
    point = ET.SubElement(placemark, "Point")
    _text(point, "coordinates", f"{degrees_text(feature.longitude)},{degrees_text(feature.latitude)}")


def _track_placemark(document: ET.Element, track: Track, descriptions: list[str]) -> None:
    placemark = ET.SubElement(document, "Placemark")
    _text(placemark, "name", track.name)
    if track.description:
        _cdata(placemark, "description", _paragraphs(track.description), descriptions)
    first, last = track.points[0].time, track.points[-1].time
    if first is not None and last is not None:
        span = ET.SubElement(placemark, "TimeSpan")
        _text(span, "begin", first.isoformat())
        _text(span, "end", last.isoformat())
    _text(placemark, "styleUrl", f"#{TRACK_STYLE_ID}")
    _extended_data(placemark, {"kind": "track"})
    line = ET.SubElement(placemark, "LineString")
    _text(line, "tessellate", "1")
    with_elevation = all(point.elevation_m is not None for point in track.points)
    _text(line, "coordinates", " ".join(_tuple_text(point, with_elevation) for point in track.points))


def _tuple_text(point: TrackPoint, with_elevation: bool) -> str:
    text = f"{degrees_text(point.longitude)},{degrees_text(point.latitude)}"
    if with_elevation and point.elevation_m is not None:
        text += f",{number_text(rounded_metres(point.elevation_m))}"
    return text


def _style_ids(kinds: Iterable[str]) -> dict[str, str]:
    """One style id per kind in order of first use, each a valid XML id and none equal to another."""
    ids: dict[str, str] = {}
    for kind in kinds:
        if not kind or kind in ids:
            continue
        base = "kind-" + (re.sub(r"[^A-Za-z0-9_.-]+", "-", kind).strip("-") or "unnamed")
        style_id, number = base, 1
        while style_id in ids.values():
            number += 1
            style_id = f"{base}-{number}"
        ids[kind] = style_id
    return ids


def _icon_style(document: ET.Element, style_id: str, colour: str) -> None:
    style = ET.SubElement(document, "Style", id=style_id)
    icon_style = ET.SubElement(style, "IconStyle")
    _text(icon_style, "color", _kml_colour(colour))
    _text(icon_style, "scale", "1.1")


def _line_style(document: ET.Element) -> None:
    style = ET.SubElement(document, "Style", id=TRACK_STYLE_ID)
    line_style = ET.SubElement(style, "LineStyle")
    _text(line_style, "color", _kml_colour(TRACK_COLOUR))
    _text(line_style, "width", str(TRACK_WIDTH_PX))


def _kml_colour(rgb: str) -> str:
    """KML colours are opacity then blue, green, red: "aabbggrr"."""
    return f"ff{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}"


def _fallback_colour(kind: str) -> str:
    return FALLBACK_COLOURS[zlib.crc32(kind.encode("utf-8")) % len(FALLBACK_COLOURS)]


def _extended_data(parent: ET.Element, fields: dict[str, str]) -> None:
    if not fields:
        return
    extended = ET.SubElement(parent, "ExtendedData")
    for name, value in fields.items():
        _text(ET.SubElement(extended, "Data", name=name), "value", value)


def _paragraphs(text: str) -> str:
    """Plain text as one HTML paragraph, its line breaks kept."""
    if not text:
        return ""
    return "<p>" + html.escape(unix_lines(text)).replace("\n", "<br>") + "</p>"


def _link(url: str) -> str:
    if not url:
        return ""
    escaped = html.escape(url)
    return f'<p><a href="{escaped}">{escaped}</a></p>'


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = unix_lines(text)
    return element


def _cdata(parent: ET.Element, tag: str, markup: str, descriptions: list[str]) -> None:
    ET.SubElement(parent, tag).text = f"\x00{len(descriptions)}\x00"
    descriptions.append(markup)


def _cdata_section(markup: str) -> str:
    # Escaped text never holds "]]>", but a section must not end early whatever it is given.
    return "<![CDATA[" + markup.replace("]]>", "]]]]><![CDATA[>") + "]]>"
