"""Whole-atlas exports written a chunk at a time, so memory stays flat however many places there are.

A stream is a head (a Collection holding the title, url and time, no features) and chunks (Collections of places, each
already made plain with `plain_values` and checked here like any collection). GeoJSON (RFC 7946) and CSV (RFC 4180)
stream; their bytes match what `to_geojson` / `to_csv` write for the same places, except that the GeoJSON "bbox"
member comes after the features (member order is free in JSON, RFC 8259 §4) and a CSV's property columns are given
up front. KML (`kml.kml_stream`) and GPX (`gpx.gpx_stream`) stream too: `to_kml` and `to_gpx` are those streams
joined, so whole and streamed documents are written by the same code; a streamed KML declares its styles for the
kinds given up front.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence

from .csv_table import FIELDS, csv_row, neutralised
from .features import Collection
from .geojson import place_feature
from .gpx import gpx_stream
from .kml import kml_stream
from .notation import time_text
from .validation import check_collection


def geojson_stream(
    head: Collection, chunks: Iterable[Collection], property_keys: Sequence[str] = (), kinds: Sequence[str] = ()
) -> Iterator[str]:
    """A FeatureCollection of every place of ``chunks``, a chunk per piece of text (``property_keys`` and ``kinds``
    are not needed). Raises ExportError (validation)."""
    check_collection(head)
    metadata = {
        "title": head.title,
        "description": head.description,
        "url": head.url,
        "generated_at": time_text(head.generated_at) or None,
    }
    yield '{"type": "FeatureCollection", "metadata": ' + json.dumps(metadata, ensure_ascii=False) + ', "features": ['
    west = south = float("inf")
    east = north = float("-inf")
    first = True
    for chunk in chunks:
        check_collection(chunk)
        pieces = []
        for feature in chunk.features:
            document = place_feature(feature)
            longitude, latitude = document["geometry"]["coordinates"]
            west, east = min(west, longitude), max(east, longitude)
            south, north = min(south, latitude), max(north, latitude)
            pieces.append(json.dumps(document, ensure_ascii=False, allow_nan=False))
        if pieces:
            yield ("" if first else ", ") + ", ".join(pieces)
            first = False
    bbox = "" if first else ', "bbox": ' + json.dumps([west, south, east, north])
    yield "]" + bbox + "}\n"


def csv_stream(
    head: Collection, chunks: Iterable[Collection], property_keys: Sequence[str] = (), kinds: Sequence[str] = ()
) -> Iterator[str]:
    """A CSV table: FIELDS then ``property_keys`` (sorted) as the header, a row per place (``kinds`` is not needed).
    Raises ExportError."""
    check_collection(head)
    keys = sorted(property_keys)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([*FIELDS, *(neutralised(key) for key in keys)])
    for chunk in chunks:
        check_collection(chunk)
        for feature in chunk.features:
            writer.writerow(csv_row(feature, keys))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


# Each takes the head, the chunks, the property keys every place may have (CSV's columns, fixed before the first row)
# and the kinds of place there may be (KML's styles, declared before the first Placemark).
STREAMED: dict[str, Callable[[Collection, Iterable[Collection], Sequence[str], Sequence[str]], Iterator[str]]] = {
    "geojson": geojson_stream,
    "kml": kml_stream,
    "gpx": gpx_stream,
    "csv": csv_stream,
}
