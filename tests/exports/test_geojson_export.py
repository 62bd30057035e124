"""GeoJSON export, read back with the json module and checked against the rules of RFC 7946."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest

from lestweforget.exports import Collection, PlaceFeature, Track, TrackPoint, to_geojson


def rfc7946_violations(document: Any) -> list[str]:
    """Every RFC 7946 rule the document breaks that a reader would trip on; an empty list when it is valid."""
    problems: list[str] = []
    if document.get("type") != "FeatureCollection":
        problems.append(f"type is {document.get('type')!r}, not FeatureCollection (§3.3)")
    if not isinstance(document.get("features"), list):
        problems.append("features is not an array (§3.3)")
        return problems
    if "crs" in json.dumps(document):
        problems.append("a crs member is present (§4: removed)")
    positions: list[list[float]] = []
    segments: list[tuple[list[float], list[float]]] = []
    for index, feature in enumerate(document["features"]):
        where = f"feature {index}"
        if feature.get("type") != "Feature":
            problems.append(f"{where}: type is not Feature (§3.2)")
        if "properties" not in feature or not isinstance(feature["properties"], dict | None):
            problems.append(f"{where}: properties missing or not an object (§3.2)")
        if "id" in feature and not isinstance(feature["id"], str | int | float):
            problems.append(f"{where}: id is neither string nor number (§3.2)")
        geometry = feature.get("geometry")
        kind = geometry["type"]
        if kind == "Point":
            runs = [[geometry["coordinates"]]]
        elif kind == "LineString":
            runs = [geometry["coordinates"]]
        elif kind == "MultiLineString":
            runs = geometry["coordinates"]
        else:
            problems.append(f"{where}: unexpected geometry {kind}")
            continue
        for run in runs:
            if kind != "Point" and len(run) < 2:
                problems.append(f"{where}: a line of {len(run)} position(s) (§3.1.4)")
            for position in run:
                problems += _position_violations(where, position)
                positions.append(position)
            segments += list(pairwise(run))
            for start, end in pairwise(run):
                if abs(start[0] - end[0]) > 180:
                    problems.append(f"{where}: segment {start}..{end} crosses ±180° uncut (§3.1.9)")
    if "bbox" in document:
        problems += _bbox_violations(document["bbox"], positions, segments)
    return problems


def _position_violations(where: str, position: list[float]) -> list[str]:
    problems = []
    if len(position) not in (2, 3):
        problems.append(f"{where}: position {position} has {len(position)} elements (§3.1.1)")
    longitude, latitude = position[0], position[1]
    if not -180 <= longitude <= 180 or not -90 <= latitude <= 90:
        problems.append(f"{where}: position {position} is not [longitude, latitude] in range (§3.1.1)")
    for value in position[:2]:
        if -Decimal(repr(value)).as_tuple().exponent > 7:
            problems.append(f"{where}: {value} has more than 7 decimals (§11.2 precision)")
    return problems


def _bbox_violations(
    bbox: list[float], positions: list[list[float]], segments: list[tuple[list[float], list[float]]]
) -> list[str]:
    half = len(bbox) // 2
    if len(bbox) not in (4, 6):
        return [f"bbox {bbox} is not 2*n long (§5)"]
    west, south, east, north = bbox[0], bbox[1], bbox[half], bbox[half + 1]
    problems = []
    if south > north:
        problems.append(f"bbox {bbox}: south above north (§5)")

    def inside(longitude: float) -> bool:
        # §5.2: west > east means the box runs east from west across the antimeridian to east.
        return west <= longitude <= east if west <= east else longitude >= west or longitude <= east

    for position in positions:
        if not (inside(position[0]) and south <= position[1] <= north):
            problems.append(f"bbox {bbox} does not hold position {position} (§5)")
    for start, end in segments:
        low, high = sorted((start[0], end[0]))
        # A segment is straight in longitude: its whole span must be inside.
        if west > east and low <= east and high >= west:
            problems.append(f"bbox {bbox} cuts segment {start}..{end} (§5.2)")
    return problems


def written(collection: Collection) -> Any:
    return json.loads(to_geojson(collection))


def feature_by_id(document: Any, feature_id: str) -> Any:
    return next(feature for feature in document["features"] if feature.get("id") == feature_id)


def test_output_obeys_rfc7946(collection: Collection) -> None:
    assert rfc7946_violations(written(collection)) == []


def test_izium_point_is_longitude_then_latitude(collection: Collection) -> None:
    izium = feature_by_id(written(collection), "izium-mass-burial")
    assert izium["geometry"] == {"type": "Point", "coordinates": [37.244553, 49.220922]}


def test_izium_properties_keep_name_description_link_and_time(collection: Collection) -> None:
    source = collection.features[0]
    properties = feature_by_id(written(collection), source.id)["properties"]
    assert properties["name"] == "Масове поховання в Ізюмі"
    assert properties["description"] == source.description
    assert properties["url"] == "https://example.org/sites/izium-mass-burial/?lang=uk&view=map"
    assert properties["thumbnail_url"] == source.thumbnail_url
    assert properties["uncertainty_m"] == 300
    assert properties["kind"] == "mass_grave"
    assert datetime.fromisoformat(properties["time"]) == source.time
    assert properties["time"] == "2022-09-16T10:30:00+03:00"
    assert properties["settlement"] == "Ізюм"
    assert properties["bodies_exhumed"] == 447
    assert properties["location_generalised"] is False


def test_text_is_written_as_utf8_not_escapes(collection: Collection) -> None:
    text = to_geojson(collection)
    assert "Масове поховання в Ізюмі" in text
    assert "\\u" not in text


def test_feature_without_thumbnail_has_no_thumbnail_property(collection: Collection) -> None:
    properties = feature_by_id(written(collection), "antimeridian-test-point")["properties"]
    assert "thumbnail_url" not in properties
    assert properties["time"] is None
    assert properties["uncertainty_m"] is None


def test_track_is_a_linestring_with_elevations_and_times(collection: Collection) -> None:
    track = next(f for f in written(collection)["features"] if f["properties"]["kind"] == "track")
    assert track["geometry"] == {
        "type": "LineString",
        "coordinates": [
            [37.241102, 49.219801, 102.0],
            [37.24302, 49.22041, 104.5],
            [37.244553, 49.220922, 106.0],
        ],
    }
    assert track["properties"]["name"] == "Walk from the road to the graves"
    times = [datetime.fromisoformat(t) for t in track["properties"]["coordinateProperties"]["times"]]
    assert times == [point.time for point in collection.tracks[0].points]


def test_collection_details_are_a_metadata_foreign_member(collection: Collection) -> None:
    document = written(collection)
    assert document["metadata"] == {
        "title": collection.title,
        "description": collection.description,
        "url": "https://example.org/atlas/?a=1&b=2",
        "generated_at": "2024-05-01T12:00:00+00:00",
    }


def test_bbox_crosses_the_antimeridian_when_that_box_is_narrower(collection: Collection) -> None:
    # Longitudes -70.6, 37.24 and 179.95: the widest empty arc is 37.24..179.95, so the box runs east
    # from 179.95 across ±180° to 37.24 (217.3° wide) rather than from -70.6 to 179.95 (250.55° wide).
    assert written(collection)["bbox"] == [179.95, -33.9, 102.0, 37.244553, 49.220922, 106.0]


def test_bbox_is_ordinary_away_from_the_antimeridian(collection: Collection) -> None:
    two_points = replace(collection, features=collection.features[:2], tracks=())
    assert written(two_points)["bbox"] == [-70.6, -33.9, 37.244553, 49.220922]


def test_rfc7946_fiji_example_gives_the_rfc_bbox() -> None:
    fiji = Collection(
        title="Fiji",
        features=(
            PlaceFeature(id="sw", name="south-west", latitude=-20.0, longitude=177.0),
            PlaceFeature(id="ne", name="north-east", latitude=-16.0, longitude=-178.0),
        ),
    )
    document = written(fiji)
    assert document["bbox"] == [177.0, -20.0, -178.0, -16.0]
    assert rfc7946_violations(document) == []


def test_track_across_the_antimeridian_is_cut_into_two_lines() -> None:
    start = datetime(2023, 1, 1, 0, 0, tzinfo=UTC)
    crossing = Track(
        name="Across",
        points=(
            TrackPoint(-16.0, 179.5, start),
            TrackPoint(-16.2, -179.5, start.replace(minute=10)),
            TrackPoint(-16.4, -179.0, start.replace(minute=20)),
        ),
    )
    document = written(Collection(title="Across", features=(), tracks=(crossing,)))
    geometry = document["features"][0]["geometry"]
    assert geometry == {
        "type": "MultiLineString",
        "coordinates": [
            [[179.5, -16.0], [180.0, -16.1]],
            [[-180.0, -16.1], [-179.5, -16.2], [-179.0, -16.4]],
        ],
    }
    times = document["features"][0]["properties"]["coordinateProperties"]["times"]
    assert times[0][1] == times[1][0] == "2023-01-01T00:05:00+00:00"
    assert document["bbox"] == [179.5, -16.4, -179.0, -16.0]
    assert rfc7946_violations(document) == []


def test_coordinates_are_rounded_to_seven_decimals() -> None:
    fine = PlaceFeature(id="fine", name="fine", latitude=49.22092212345, longitude=-0.000000012)
    document = written(Collection(title="fine", features=(fine,)))
    assert document["features"][0]["geometry"]["coordinates"] == [0.0, 49.2209221]
    assert rfc7946_violations(document) == []


def test_empty_collection_is_an_empty_feature_collection(empty_collection: Collection) -> None:
    document = written(empty_collection)
    assert document["type"] == "FeatureCollection"
    assert document["features"] == []
    assert "bbox" not in document
    assert rfc7946_violations(document) == []


def test_checker_catches_latitude_first_and_a_wrong_bbox() -> None:
    swapped = {
        "type": "FeatureCollection",
        "bbox": [0, 0, 1, 1],
        "features": [
            {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [49.2, 137.2]}}
        ],
    }
    problems = rfc7946_violations(swapped)
    assert any("not [longitude, latitude]" in problem for problem in problems)
    assert any("does not hold" in problem for problem in problems)


@pytest.mark.parametrize("longitude", [-180.0, 180.0])
def test_points_on_the_antimeridian_are_valid(longitude: float) -> None:
    edge = PlaceFeature(id="edge", name="edge", latitude=0.0, longitude=longitude)
    document = written(Collection(title="edge", features=(edge,)))
    assert document["features"][0]["geometry"]["coordinates"] == [longitude, 0.0]
    assert document["bbox"] == [longitude, 0.0, longitude, 0.0]
