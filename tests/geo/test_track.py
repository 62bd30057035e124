"""Reading real GPX and KML tracks and placing a moment on them, checked against gpxpy, fastkml, exiftool."""

from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

import gpxpy
import pytest
import simplekml
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from lestweforget.geo.track import TrackError, TrackFix, position_at, read_track

TRACKS = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "tracks"


@pytest.fixture(scope="module")
def tracks() -> Path:
    if not TRACKS.is_dir():
        pytest.skip(f"real tracks not found at {TRACKS} (see shared/testdata/tracks/PROVENANCE.md)")
    return TRACKS


def _gpxpy_points(path: Path) -> list[gpxpy.gpx.GPXTrackPoint]:
    gpx = gpxpy.parse(path.read_bytes())
    return [point for track in gpx.tracks for segment in track.segments for point in segment.points]


def _time(fix: TrackFix) -> datetime:
    assert fix.time is not None
    return fix.time


def test_gpx_fixes_come_in_time_order_although_the_file_runs_backwards(tracks: Path) -> None:
    path = tracks / "exiftool-Geotag.gpx"
    fixes = read_track(path)
    oracle = sorted(_gpxpy_points(path), key=lambda p: p.time)
    assert [(f.latitude, f.longitude, f.time) for f in fixes] == [(p.latitude, p.longitude, p.time) for p in oracle]
    assert all(f.time is not None and f.time.utcoffset() == timedelta(0) for f in fixes)
    assert fixes[0].elevation_m == pytest.approx(1507.003906)


def test_gpx_points_without_a_time_are_left_out_when_others_have_one(tracks: Path) -> None:
    path = tracks / "gpxpy-korita-zbevnica.gpx"
    timed = [p for p in _gpxpy_points(path) if p.time is not None]
    fixes = read_track(path)
    assert len(fixes) == len(timed) == 513
    assert len(_gpxpy_points(path)) == 871


def test_kml_gx_track_pairs_each_when_with_its_coord_as_fastkml_does(tracks: Path) -> None:
    fastkml = pytest.importorskip("fastkml")
    path = tracks / "exiftool-Geotag.kml"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # fastkml warns that lxml is absent
        document = fastkml.kml.KML.parse(str(path))
    track = document.features[0].features[0].kml_geometry
    oracle = [(item.coord.y, item.coord.x, item.when.dt.astimezone(UTC)) for item in track.track_items]
    assert [(f.latitude, f.longitude, f.time) for f in read_track(path)] == oracle
    assert oracle[0][2] == datetime(2013, 11, 13, 9, 3, 34, 245000, tzinfo=UTC)


def test_kml_line_without_times_keeps_its_points_but_cannot_place_a_photo(tmp_path: Path) -> None:
    kml = simplekml.Kml()
    kml.newlinestring(name="walk", coords=[(37.2446, 49.2209), (37.2450, 49.2212, 140.0), (37.2461, 49.2215)])
    path = tmp_path / "line.kml"
    kml.save(str(path))
    fixes = read_track(path)
    assert fixes == (
        TrackFix(49.2209, 37.2446, None, 0.0),
        TrackFix(49.2212, 37.2450, None, 140.0),
        TrackFix(49.2215, 37.2461, None, 0.0),
    )
    with pytest.raises(TrackError, match="no times"):
        position_at(fixes, datetime(2024, 5, 1, 10, 0, tzinfo=UTC))


def test_gpx_route_is_read_when_there_is_no_track(tracks: Path) -> None:
    fixes = read_track(tracks / "gpxpy-route.gpx")
    route = gpxpy.parse((tracks / "gpxpy-route.gpx").read_bytes()).routes[0].points
    assert [(f.latitude, f.longitude) for f in fixes] == [(p.latitude, p.longitude) for p in route]
    assert all(f.time is None for f in fixes)


def test_interpolated_positions_agree_with_exiftool_geotag(tracks: Path, tmp_path: Path) -> None:
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        pytest.skip("exiftool is not installed (Debian: libimage-exiftool-perl)")
    cases = [
        ("exiftool-Geotag.gpx", datetime(2003, 5, 24, 17, 9, 50, tzinfo=UTC)),
        ("exiftool-Geotag.gpx", datetime(2003, 5, 24, 17, 9, 28, tzinfo=UTC)),
        ("exiftool-Geotag.gpx", datetime(2003, 5, 24, 17, 10, 1, 500000, tzinfo=UTC)),
        ("exiftool-Geotag.kml", datetime(2013, 11, 13, 9, 4, 0, tzinfo=UTC)),
        ("exiftool-Geotag.kml", datetime(2013, 11, 13, 9, 5, 20, tzinfo=UTC)),
        ("gpxpy-korita-zbevnica.gpx", datetime(2010, 10, 3, 11, 0, 7, tzinfo=UTC)),
    ]
    command = [exiftool, "-q", "-overwrite_original"]
    for number, (track, when) in enumerate(cases):
        photo = tmp_path / f"{number}.jpg"
        Image.new("RGB", (8, 8)).save(photo)
        stamp = when.strftime("%Y:%m:%d %H:%M:%S.%f")[:-3] + "Z"
        if number:
            command.append("-execute")
        command += [f"-geotag={tracks / track}", f"-geotime={stamp}", str(photo)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    read = subprocess.run(
        [exiftool, "-n", "-json", "-GPSLatitude", "-GPSLongitude", str(tmp_path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    oracle = {Path(r["SourceFile"]).stem: r for r in json.loads(read.stdout)}
    for number, (track, when) in enumerate(cases):
        position = position_at(read_track(tracks / track), when)
        assert position is not None, (track, when)
        # exiftool writes degrees as rationals to about 1e-7 degrees (a centimetre).
        assert position.latitude == pytest.approx(oracle[str(number)]["GPSLatitude"], abs=2e-7)
        assert position.longitude == pytest.approx(oracle[str(number)]["GPSLongitude"], abs=2e-7)


def test_gap_is_the_time_to_the_nearest_fix(tracks: Path) -> None:
    fixes = read_track(tracks / "exiftool-Geotag.gpx")
    position = position_at(fixes, datetime(2003, 5, 24, 17, 9, 50, tzinfo=UTC))
    assert position is not None
    assert position.gap_s == 4.0  # fixes at 17:09:46 and 17:09:55
    exact = position_at(fixes, datetime(2003, 5, 24, 17, 9, 46, tzinfo=UTC))
    assert exact is not None
    assert (exact.latitude, exact.longitude, exact.gap_s) == (43.641450, -116.061802, 0.0)


def test_time_outside_the_track_is_placed_at_its_end_only_within_the_limit(tracks: Path) -> None:
    fixes = read_track(tracks / "exiftool-Geotag.gpx")
    last = fixes[-1]
    assert last.time is not None
    near = position_at(fixes, last.time + timedelta(seconds=90), max_gap_s=120)
    assert near is not None
    assert (near.latitude, near.longitude, near.gap_s) == (last.latitude, last.longitude, 90.0)
    assert position_at(fixes, last.time + timedelta(seconds=121), max_gap_s=120) is None
    first = fixes[0]
    assert first.time is not None
    assert position_at(fixes, first.time - timedelta(hours=2)) is None


def test_long_pause_inside_the_track_places_nothing(tracks: Path) -> None:
    fixes = read_track(tracks / "exiftool-Geotag.gpx")
    pause = timedelta(hours=1)
    paused = (*fixes[:4], *(TrackFix(f.latitude, f.longitude, _time(f) + pause) for f in fixes[4:]))
    middle = _time(paused[3]) + pause / 2
    assert position_at(paused, middle) is None
    assert position_at(paused, middle, max_gap_s=3600) is not None


def test_track_with_a_wrong_clock_places_no_photo_of_its_day(tracks: Path) -> None:
    fixes = read_track(tracks / "gpxpy-Mojstrovka.gpx")
    assert fixes[0].time is not None and fixes[0].time.year == 1901
    assert position_at(fixes, datetime(2010, 12, 13, 10, 0, tzinfo=UTC)) is None


def test_naive_time_is_refused(tracks: Path) -> None:
    fixes = read_track(tracks / "exiftool-Geotag.gpx")
    with pytest.raises(TrackError, match="without a UTC offset"):
        position_at(fixes, datetime(2003, 5, 24, 17, 9, 50))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not well-formed|empty"),
        (b"lat,lon\n49.2,37.2\n", "not well-formed"),
        (b"<html><body>a map</body></html>", "root element is <html>"),
    ],
)
def test_what_is_not_a_track_is_refused_naming_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "walk.gpx"
    path.write_bytes(content)
    with pytest.raises(TrackError, match=rf"walk\.gpx: .*({message})"):
        read_track(path)


def test_file_with_waypoints_only_is_refused(tracks: Path) -> None:
    with pytest.raises(TrackError, match=r"gpxpy-unicode_with_bom\.gpx: holds no track or route points"):
        read_track(tracks / "gpxpy-unicode_with_bom.gpx")


def test_missing_file_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(TrackError, match=r"nowhere\.gpx: cannot read"):
        read_track(tmp_path / "nowhere.gpx")


_coordinates = st.tuples(st.floats(-80, 80, allow_nan=False), st.floats(-179.9, 179.9, allow_nan=False))


@given(start=_coordinates, end=_coordinates, seconds=st.integers(1, 3600), fraction=st.floats(0, 1))
def test_a_moment_between_two_fixes_lies_between_them(
    start: tuple[float, float], end: tuple[float, float], seconds: int, fraction: float
) -> None:
    t0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    fixes = (TrackFix(*start, t0), TrackFix(*end, t0 + timedelta(seconds=seconds)))
    position = position_at(fixes, t0 + timedelta(seconds=seconds * fraction), max_gap_s=seconds)
    assert position is not None
    assert min(start[0], end[0]) - 1e-9 <= position.latitude <= max(start[0], end[0]) + 1e-9
    assert position.gap_s <= seconds / 2 + 1e-6
    at_start = position_at(fixes, t0)
    assert at_start is not None
    assert (at_start.latitude, at_start.longitude, at_start.gap_s) == (*start, 0.0)
    if abs(end[1] - start[1]) <= 180:
        assert min(start[1], end[1]) - 1e-9 <= position.longitude <= max(start[1], end[1]) + 1e-9


def test_interpolation_crosses_the_antimeridian_the_short_way() -> None:
    t0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    fixes = (TrackFix(-17.0, 179.8, t0), TrackFix(-17.0, -179.8, t0 + timedelta(seconds=100)))
    position = position_at(fixes, t0 + timedelta(seconds=25))
    assert position is not None
    assert position.longitude == pytest.approx(179.9)
    position = position_at(fixes, t0 + timedelta(seconds=75))
    assert position is not None
    assert position.longitude == pytest.approx(-179.9)
