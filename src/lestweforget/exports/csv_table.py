"""A collection as a CSV table (RFC 4180), one row per place, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from .errors import ExportError
from .features import Collection, PlaceFeature
from .notation import degrees_text, number_text, property_text, time_text
from .validation import check_collection

FIELDS = ("id", "name", "kind", "latitude", "longitude", "uncertainty_m", "time", "url", "description")
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(collection: Collection) -> str:
    """A header row (FIELDS, then every property key, sorted) and a row per place; tracks are not tables.

    Text cells a spreadsheet would run as a formula get a leading apostrophe; numbers stay numbers.
    Rows end in CRLF and quoted cells keep their line breaks: write the text with newline="".
    Raises ExportError for a collection that cannot be written (see validation).
    """
    check_collection(collection)
    property_keys = sorted({key for feature in collection.features for key in feature.properties})
    columns: dict[str, list[str]] = {}
    for key in property_keys:
        columns.setdefault(neutralised(key), []).append(key)
    for column, keys in columns.items():
        if len(keys) > 1:
            raise ExportError(f"properties {keys} would share the CSV column {column!r} once made spreadsheet-safe")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([*FIELDS, *columns])
    for feature in collection.features:
        writer.writerow(csv_row(feature, property_keys))
    return buffer.getvalue()


def neutralised(text: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe before a formula-starting character."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(feature: PlaceFeature, property_keys: Sequence[str]) -> list[str]:
    """One place's cells: FIELDS, then each of ``property_keys`` ("" where it has none), spreadsheet-safe. The row
    of `to_csv` and of the streamed table (`streaming.csv_stream`) alike."""
    row = [
        neutralised(feature.id),
        neutralised(feature.name),
        neutralised(feature.kind),
        degrees_text(feature.latitude),
        degrees_text(feature.longitude),
        number_text(feature.uncertainty_m) if feature.uncertainty_m is not None else "",
        time_text(feature.time),
        neutralised(feature.url),
        neutralised(feature.description),
    ]
    for key in property_keys:
        value = feature.properties.get(key)
        text = property_text(value)
        # Numbers stay numbers: -33.9 must read back as a number, not as text that escaped a formula.
        row.append(text if isinstance(value, int | float) else neutralised(text))
    return row
