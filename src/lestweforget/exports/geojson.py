"""A collection as a GeoJSON FeatureCollection (RFC 7946)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import Any

from .antimeridian import longitude_extent, split_at_antimeridian
from .features import Collection, PlaceFeature, Track, TrackPoint
from .notation import rounded_degrees, rounded_metres, time_text
from .validation import check_collection, check_tracks_are_lines

Position = list[float]


def to_geojson(collection: Collection) -> str:
    """An RFC 7946 FeatureCollection: places as Points, tracks as lines cut at ±180°, a correct bbox, no crs.

    The collection's title, description, url and time go in a "metadata" foreign member (RFC 7946 §6.1).
    Raises ExportError for a collection that cannot be written or a track of fewer than 2 points.
    """
    check_collection(collection)
    check_tracks_are_lines(collection)
    features = [place_feature(feature) for feature in collection.features]
    features += [_track_feature(track) for track in collection.tracks]
    document: dict[str, Any] = {"type": "FeatureCollection"}
    bbox = _bbox([feature["geometry"] for feature in features])
    if bbox is not None:
        document["bbox"] = bbox
    document["metadata"] = {
        "title": collection.title,
        "description": collection.description,
        "url": collection.url,
        "generated_at": time_text(collection.generated_at) or None,
    }
    document["features"] = features
    return json.dumps(document, ensure_ascii=False, allow_nan=False) + "\n"


def place_feature(feature: PlaceFeature) -> dict[str, Any]:
    """One place as a GeoJSON Feature (RFC 7946 §3.2: a Point at [longitude, latitude]), as a dict for json.dumps;
    the feature of `to_geojson` and of the streamed collection (`streaming.geojson_stream`) alike."""
    properties: dict[str, Any] = {
        "name": feature.name,
        "kind": feature.kind,
        "description": feature.description,
        "url": feature.url,
        "uncertainty_m": feature.uncertainty_m,
        "time": time_text(feature.time) or None,
    }
    if feature.thumbnail_url:
        properties["thumbnail_url"] = feature.thumbnail_url
    properties.update(feature.properties)
    return {
        "type": "Feature",
        "id": feature.id,
        "geometry": {
            "type": "Point",
            "coordinates": [rounded_degrees(feature.longitude), rounded_degrees(feature.latitude)],
        },
        "properties": properties,
    }


def _track_feature(track: Track) -> dict[str, Any]:
    with_elevation = all(point.elevation_m is not None for point in track.points)
    parts = split_at_antimeridian(track.points)
    lines = [[_position(point, with_elevation) for point in part] for part in parts]
    times = [[time_text(point.time) or None for point in part] for part in parts]
    geometry: dict[str, Any]
    if len(lines) == 1:
        geometry = {"type": "LineString", "coordinates": lines[0]}
    else:
        geometry = {"type": "MultiLineString", "coordinates": lines}
    properties: dict[str, Any] = {"name": track.name, "kind": "track", "description": track.description}
    if any(point.time is not None for point in track.points):
        # The per-position times that readers such as togeojson write, shaped like the coordinates.
        properties["coordinateProperties"] = {"times": times[0] if len(times) == 1 else times}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _position(point: TrackPoint, with_elevation: bool) -> Position:
    position = [rounded_degrees(point.longitude), rounded_degrees(point.latitude)]
    if with_elevation and point.elevation_m is not None:
        position.append(rounded_metres(point.elevation_m))
    return position


def _bbox(geometries: Sequence[dict[str, Any]]) -> list[float] | None:
    """The box of every position (RFC 7946 §5), crossing ±180° when narrower (§5.2); None when empty."""
    lines = [line for geometry in geometries for line in _lines(geometry)]
    positions = [position for line in lines for position in line]
    intervals = [(position[0], position[0]) for position in positions]
    intervals += [(min(start[0], end[0]), max(start[0], end[0])) for line in lines for start, end in pairwise(line)]
    extent = longitude_extent(intervals)
    if extent is None:
        return None
    west, east = extent
    south = min(position[1] for position in positions)
    north = max(position[1] for position in positions)
    elevations = [position[2] for position in positions if len(position) > 2]
    if elevations:
        return [west, south, min(elevations), east, north, max(elevations)]
    return [west, south, east, north]


def _lines(geometry: dict[str, Any]) -> Iterator[list[Position]]:
    """A geometry as runs of positions joined by straight segments (a Point is a run of one)."""
    if geometry["type"] == "Point":
        yield [geometry["coordinates"]]
    elif geometry["type"] == "LineString":
        yield geometry["coordinates"]
    else:
        yield from geometry["coordinates"]
