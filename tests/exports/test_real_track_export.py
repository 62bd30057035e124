"""Real GPS tracks (Garmin logs in gpxpy's test files) written out again in every line format."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import gpxpy
import pytest

from lestweforget.exports import Collection, Track, TrackPoint, to_geojson, to_gpx, to_kml

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    import fastkml

TESTDATA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata"
KORITA = TESTDATA / "tracks" / "gpxpy-korita-zbevnica.gpx"
# The exporters write 7 decimals of a degree and elevations to the millimetre; the Garmin log has 9 and 6.
TOLERANCE_DEG = 1e-7
TOLERANCE_M = 0.001


def flat(positions: list[tuple[float, float, float | None]]) -> tuple[list[float], list[float | None]]:
    """Coordinates and elevations apart, for pytest.approx with a tolerance for each."""
    return [c for p in positions for c in p[:2]], [p[2] for p in positions]


def assert_same_positions(
    read: list[tuple[float, float, float | None]], logged: list[tuple[float, float, float | None]]
) -> None:
    read_degrees, read_metres = flat(read)
    logged_degrees, logged_metres = flat(logged)
    assert read_degrees == pytest.approx(logged_degrees, abs=TOLERANCE_DEG, rel=0)
    assert read_metres == pytest.approx(logged_metres, abs=TOLERANCE_M, rel=0)


@pytest.fixture(scope="module")
def real_tracks() -> tuple[Track, ...]:
    if not KORITA.exists():
        pytest.skip(f"real GPS track not found at {KORITA} (../shared/testdata beside the repo)")
    logged = gpxpy.parse(KORITA.read_text(encoding="utf-8"))
    return tuple(
        Track(
            name=track.name or "",
            points=tuple(TrackPoint(p.latitude, p.longitude, p.time, p.elevation) for p in segment.points),
        )
        for track in logged.tracks
        for segment in track.segments
        if len(segment.points) >= 2
    )


def test_the_real_file_has_hundreds_of_points(real_tracks: tuple[Track, ...]) -> None:
    assert sum(len(track.points) for track in real_tracks) == 358 + 176 + 337


def test_gpx_keeps_every_real_point(real_tracks: tuple[Track, ...]) -> None:
    gpx = gpxpy.parse(to_gpx(Collection(title="Korita", features=(), tracks=real_tracks)))
    assert gpx.version == "1.1"
    for written, track in zip(gpx.tracks, real_tracks, strict=True):
        assert written.name == track.name
        points = written.segments[0].points
        assert_same_positions(
            [(p.latitude, p.longitude, p.elevation) for p in points],
            [(p.latitude, p.longitude, p.elevation_m) for p in track.points],
        )
        assert [p.time for p in points] == [p.time for p in track.points]


def test_geojson_keeps_every_real_point(real_tracks: tuple[Track, ...]) -> None:
    document = json.loads(to_geojson(Collection(title="Korita", features=(), tracks=real_tracks)))
    for feature, track in zip(document["features"], real_tracks, strict=True):
        assert feature["geometry"]["type"] == "LineString"
        assert_same_positions(
            [tuple(position) for position in feature["geometry"]["coordinates"]],
            [(p.longitude, p.latitude, p.elevation_m) for p in track.points],
        )


def test_kml_keeps_every_real_point(real_tracks: tuple[Track, ...]) -> None:
    (document,) = fastkml.KML.from_string(to_kml(Collection(title="Korita", features=(), tracks=real_tracks))).features
    for placemark, track in zip(document.features, real_tracks, strict=True):
        assert_same_positions(
            [tuple(position) for position in placemark.geometry.coords],
            [(p.longitude, p.latitude, p.elevation_m) for p in track.points],
        )
