"""Exports: a collection of places and tracks written as GeoJSON, KML, GPX or CSV text. No Django here."""

from __future__ import annotations

from .csv_table import to_csv
from .errors import ExportError
from .features import Collection, PlaceFeature, PropertyValue, Track, TrackPoint
from .formats import FORMATS, ExportFormat
from .geojson import to_geojson
from .gpx import gpx_stream, to_gpx
from .kml import kml_stream, to_kml
from .plain_text import (
    ControlCharacter,
    find_control_character,
    plain_text,
    plain_values,
    visible_controls,
    without_invisible_format,
)
from .streaming import STREAMED, csv_stream, geojson_stream

__all__ = [
    "FORMATS",
    "STREAMED",
    "Collection",
    "ControlCharacter",
    "ExportError",
    "ExportFormat",
    "PlaceFeature",
    "PropertyValue",
    "Track",
    "TrackPoint",
    "csv_stream",
    "find_control_character",
    "geojson_stream",
    "gpx_stream",
    "kml_stream",
    "plain_text",
    "plain_values",
    "to_csv",
    "to_geojson",
    "to_gpx",
    "to_kml",
    "visible_controls",
    "without_invisible_format",
]
