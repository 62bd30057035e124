"""The format registry, and what every format refuses to write."""

from __future__ import annotations

import json
import re
from dataclasses import FrozenInstanceError, replace
from datetime import datetime

import pytest

from lestweforget.exports import (
    FORMATS,
    Collection,
    ExportError,
    Track,
    TrackPoint,
    to_csv,
    to_geojson,
    to_gpx,
    to_kml,
)


def test_registry_names_the_four_formats_with_their_media_types() -> None:
    assert {name: (f.extension, f.media_type, f.write) for name, f in FORMATS.items()} == {
        "geojson": ("geojson", "application/geo+json", to_geojson),
        "kml": ("kml", "application/vnd.google-earth.kml+xml", to_kml),
        "gpx": ("gpx", "application/gpx+xml", to_gpx),
        "csv": ("csv", "text/csv", to_csv),
    }
    assert all(name == export.name for name, export in FORMATS.items())


def test_format_entries_are_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        FORMATS["csv"].extension = "txt"  # type: ignore[misc]


def test_export_error_is_a_value_error() -> None:
    assert issubclass(ExportError, ValueError)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_writes_the_empty_collection(name: str, empty_collection: Collection) -> None:
    assert FORMATS[name].write(empty_collection).strip()


@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"latitude": float("nan")}, "izium-mass-burial: latitude nan is not a finite number"),
        ({"longitude": float("inf")}, "izium-mass-burial: longitude inf is not a finite number"),
        ({"latitude": 91.0}, r"izium-mass-burial: latitude 91.0 is outside -90..90"),
        ({"longitude": -180.5}, r"izium-mass-burial: longitude -180.5 is outside -180..180"),
        ({"uncertainty_m": -1.0}, "izium-mass-burial: uncertainty_m -1.0 is not a finite number of metres"),
        ({"time": datetime(2022, 9, 16)}, "izium-mass-burial: time 2022-09-16T00:00:00 has no UTC offset"),
        (
            {"url": "javascript:alert(1)"},
            re.escape("izium-mass-burial: url 'javascript:alert(1)' is a javascript: link"),
        ),
        (
            {"thumbnail_url": "data:image/png,x"},
            "izium-mass-burial: thumbnail_url 'data:image/png,x' is a data:",
        ),
        ({"url": "https://example.org/a b"}, "izium-mass-burial: url .* contains whitespace"),
        ({"properties": {"name": "other"}}, "izium-mass-burial: property 'name' clashes"),
        ({"properties": {"ratio": float("nan")}}, "izium-mass-burial: property 'ratio' is nan"),
        ({"properties": {"list": [1, 2]}}, "izium-mass-burial: property 'list' is a list"),
        ({"properties": {" ": 1}}, "izium-mass-burial: property name ' ' is blank"),
        ({"name": "half \ud800 pair"}, r"izium-mass-burial: name contains U\+D800, a lone surrogate"),
    ],
)
def test_unwritable_place_is_refused_naming_it(
    name: str, change: dict[str, object], message: str, collection: Collection
) -> None:
    broken = replace(collection.features[0], **change)  # type: ignore[arg-type]
    with pytest.raises(ExportError, match=message):
        FORMATS[name].write(replace(collection, features=(broken, *collection.features[1:])))


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_unwritable_track_point_is_refused_naming_the_track(name: str, collection: Collection) -> None:
    walk = collection.tracks[0]
    broken = replace(walk, points=(*walk.points[:2], replace(walk.points[2], elevation_m=float("nan"))))
    with pytest.raises(ExportError, match=r"track 1 \('Walk from the road to the graves'\), point 3: elevation_m nan"):
        FORMATS[name].write(replace(collection, tracks=(broken,)))


@pytest.mark.parametrize("write", [to_geojson, to_kml])
def test_line_formats_refuse_a_track_of_one_point(write: object, collection: Collection) -> None:
    lonely = Track(name="Lonely", points=(TrackPoint(49.0, 37.0),))
    with pytest.raises(ExportError, match=r"track 1 \('Lonely'\): has 1 point\(s\); a line needs at least 2"):
        write(replace(collection, tracks=(lonely,)))  # type: ignore[operator]


def test_gpx_writes_a_track_of_one_point(collection: Collection) -> None:
    lonely = Track(name="Lonely", points=(TrackPoint(49.0, 37.0),))
    assert '<trkpt lat="49.0" lon="37.0">' in to_gpx(replace(collection, tracks=(lonely,)))


def test_relative_links_are_allowed(collection: Collection) -> None:
    bundled = replace(collection.features[0], url="sites/izium/", thumbnail_url="photos/izium-320.jpg")
    properties = json.loads(to_geojson(replace(collection, features=(bundled,))))["features"][0]["properties"]
    assert (properties["url"], properties["thumbnail_url"]) == ("sites/izium/", "photos/izium-320.jpg")
