"""The export formats by name, with what a download or a command needs to know about each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .csv_table import to_csv
from .features import Collection
from .geojson import to_geojson
from .gpx import to_gpx
from .kml import to_kml


@dataclass(frozen=True)
class ExportFormat:
    """``name`` as URLs and commands take it, ``label`` as people write it (GeoJSON, not GEOJSON)."""

    name: str
    label: str
    extension: str
    media_type: str
    write: Callable[[Collection], str]


FORMATS: dict[str, ExportFormat] = {
    export.name: export
    for export in (
        ExportFormat("geojson", "GeoJSON", "geojson", "application/geo+json", to_geojson),
        ExportFormat("kml", "KML", "kml", "application/vnd.google-earth.kml+xml", to_kml),
        ExportFormat("gpx", "GPX", "gpx", "application/gpx+xml", to_gpx),
        ExportFormat("csv", "CSV", "csv", "text/csv", to_csv),
    )
}
