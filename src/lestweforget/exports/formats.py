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
    name: str
    extension: str
    media_type: str
    write: Callable[[Collection], str]


FORMATS: dict[str, ExportFormat] = {
    export.name: export
    for export in (
        ExportFormat("geojson", "geojson", "application/geo+json", to_geojson),
        ExportFormat("kml", "kml", "application/vnd.google-earth.kml+xml", to_kml),
        ExportFormat("gpx", "gpx", "application/gpx+xml", to_gpx),
        ExportFormat("csv", "csv", "text/csv", to_csv),
    )
}
