"""GPX export, read back with gpxpy and checked against the GPX 1.1 schema's structure with ElementTree."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import gpxpy
import pytest

from lestweforget.exports import Collection, ExportError, to_gpx

GPX_NS = "{http://www.topografix.com/GPX/1/1}"
TESTDATA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata"

# Child order of the GPX 1.1 schema (gpx.xsd) for the types this exporter writes.
SEQUENCES = {
    "gpx": ["metadata", "wpt", "rte", "trk", "extensions"],
    "metadata": ["name", "desc", "author", "copyright", "link", "time", "keywords", "bounds", "extensions"],
    "wpt": [
        "ele",
        "time",
        "magvar",
        "geoidheight",
        "name",
        "cmt",
        "desc",
        "src",
        "link",
        "sym",
        "type",
        "fix",
        "sat",
        "hdop",
        "vdop",
        "pdop",
        "ageofdgpsdata",
        "dgpsid",
        "extensions",
    ],
    "trk": ["name", "cmt", "desc", "src", "link", "number", "type", "extensions", "trkseg"],
    "trkseg": ["trkpt", "extensions"],
    "link": ["text", "type"],
}
SEQUENCES["trkpt"] = SEQUENCES["wpt"]


def structure_violations(text: str) -> list[str]:
    """Where the document leaves GPX 1.1: root, version, namespace, the child order of known types."""
    root = ET.fromstring(text)
    problems = []
    if root.tag != f"{GPX_NS}gpx":
        problems.append(f"root is {root.tag}, not gpx in the GPX 1.1 namespace")
    if root.get("version") != "1.1":
        problems.append(f"version is {root.get('version')!r}, not '1.1'")
    if not root.get("creator"):
        problems.append("creator is missing (required by gpx.xsd)")
    for element in root.iter():
        if not element.tag.startswith(GPX_NS):
            problems.append(f"{element.tag} is outside the GPX 1.1 namespace")
            continue
        name = element.tag.removeprefix(GPX_NS)
        if name in ("wpt", "trkpt") and (element.get("lat") is None or element.get("lon") is None):
            problems.append(f"{name} lacks lat or lon")
        order = SEQUENCES.get(name)
        if order is None:
            continue
        children = [child.tag.removeprefix(GPX_NS) for child in element]
        unknown = [child for child in children if child not in order]
        positions = [order.index(child) for child in children if child in order]
        if unknown or positions != sorted(positions):
            problems.append(f"{name} children {children} break the schema order {order}")
    return problems


def test_output_is_gpx_1_1_in_its_namespace_and_order(collection: Collection) -> None:
    text = to_gpx(collection)
    assert structure_violations(text) == []
    assert 'version="1.1"' in text
    assert 'xmlns="http://www.topografix.com/GPX/1/1"' in text


def test_metadata_holds_title_description_link_and_time(collection: Collection) -> None:
    gpx = gpxpy.parse(to_gpx(collection))
    assert gpx.version == "1.1"
    assert gpx.name == "Lest We Forget: test atlas — Ізюм"
    assert gpx.description == collection.description
    assert gpx.link == "https://example.org/atlas/?a=1&b=2"
    assert gpx.time == collection.generated_at


def test_izium_waypoint_has_point_name_description_link_kind_time_and_symbol(collection: Collection) -> None:
    source = collection.features[0]
    izium = gpxpy.parse(to_gpx(collection)).waypoints[0]
    assert (izium.latitude, izium.longitude) == (49.220922, 37.244553)
    assert izium.name == "Масове поховання в Ізюмі"
    assert izium.description == source.description + "\n\n± 300 m"
    assert izium.link == "https://example.org/sites/izium-mass-burial/?lang=uk&view=map"
    assert izium.type == "mass_grave"
    assert izium.symbol == "Cemetery"
    assert izium.time == source.time
    assert izium.time is not None and izium.time.utcoffset() is not None


def test_times_are_written_in_utc(collection: Collection) -> None:
    # 10:30 in Kyiv summer time (UTC+3) is 07:30 UTC; GPX times are UTC.
    assert "<time>2022-09-16T07:30:00Z</time>" in to_gpx(collection)


def test_every_place_is_a_waypoint_in_order(collection: Collection) -> None:
    waypoints = gpxpy.parse(to_gpx(collection)).waypoints
    assert [(w.latitude, w.longitude) for w in waypoints] == [(f.latitude, f.longitude) for f in collection.features]
    assert [w.symbol for w in waypoints] == ["Cemetery", "Civil", "Flag, Blue"]
    assert waypoints[2].description is None
    assert waypoints[2].link is None


def test_track_keeps_points_times_and_elevations(collection: Collection) -> None:
    walk = collection.tracks[0]
    (track,) = gpxpy.parse(to_gpx(collection)).tracks
    assert track.name == walk.name
    assert track.description == walk.description
    (segment,) = track.segments
    assert [(p.latitude, p.longitude, p.elevation, p.time) for p in segment.points] == [
        (p.latitude, p.longitude, p.elevation_m, p.time) for p in walk.points
    ]


def test_one_track_per_route_each_with_one_segment(collection: Collection) -> None:
    second = replace(collection.tracks[0], name="Back to the road", points=collection.tracks[0].points[::-1])
    gpx = gpxpy.parse(to_gpx(replace(collection, tracks=(*collection.tracks, second))))
    assert [track.name for track in gpx.tracks] == [collection.tracks[0].name, "Back to the road"]
    assert [len(track.segments) for track in gpx.tracks] == [1, 1]


def test_link_with_quote_and_ampersand_stays_well_formed(collection: Collection) -> None:
    odd = replace(collection.features[0], url='https://example.org/q?a="1"&b=<2>')
    text = to_gpx(replace(collection, features=(odd,)))
    assert structure_violations(text) == []
    assert gpxpy.parse(text).waypoints[0].link == 'https://example.org/q?a="1"&b=<2>'


def test_carriage_returns_read_back_as_line_feeds(collection: Collection) -> None:
    windows = replace(collection.features[1], description="first\r\nsecond\rthird", uncertainty_m=None)
    gpx = gpxpy.parse(to_gpx(replace(collection, features=(windows,))))
    assert gpx.waypoints[0].description == "first\nsecond\nthird"


def test_empty_collection_is_a_valid_empty_gpx(empty_collection: Collection) -> None:
    text = to_gpx(empty_collection)
    assert structure_violations(text) == []
    gpx = gpxpy.parse(text)
    assert (gpx.waypoints, gpx.tracks, gpx.name) == ([], [], "Nothing yet")


def test_time_without_offset_is_refused_naming_the_feature(collection: Collection) -> None:
    naive = replace(collection.features[0], time=datetime(2022, 9, 16, 10, 30))
    with pytest.raises(ExportError, match="izium-mass-burial: time 2022-09-16T10:30:00 has no UTC offset"):
        to_gpx(replace(collection, features=(naive,)))


def test_utc_generated_at_is_written_with_z(collection: Collection) -> None:
    assert collection.generated_at is not None and collection.generated_at.tzinfo is UTC
    assert "<time>2024-05-01T12:00:00Z</time>" in to_gpx(collection)


def test_structure_check_tells_a_real_gpx_1_0_file_apart() -> None:
    path = TESTDATA / "tracks" / "gpxpy-Mojstrovka.gpx"
    if not path.exists():
        pytest.skip(f"real GPX 1.0 file not found at {path} (../shared/testdata beside the repo)")
    problems = structure_violations(path.read_text(encoding="utf-8"))
    assert any("not gpx in the GPX 1.1 namespace" in problem for problem in problems)
    assert any("version is '1.0'" in problem for problem in problems)
