"""`lwf import photos --track` with the tracks of issue 8 (T01, T02 and their kinds): photos are placed from what
the file holds, and what could not be read is said, never "the track has no times" when it has them."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from photo_fixtures import SITE, evidence_dir, jpeg

from lestweforget.cli import main
from lestweforget.photos.models import Photo

__all__ = ["evidence_dir"]  # a fixture, used by name

pytestmark = pytest.mark.usefixtures("demo", "evidence_dir")

CASES = Path(__file__).resolve().parents[2].parent / "shared" / "cases"
POINTS = (
    '<trkpt lat="49.220000" lon="37.240000">\n <time>\n  2022-09-16T09:00:00Z\n </time>\n</trkpt>'
    '<trkpt lat="49.221000" lon="37.242000">\n <time>\n  2022-09-16T09:02:00Z\n </time>\n</trkpt>'
)
TRACKS = {
    "T01_gpx_time_whitespace.gpx": (
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="example" '
        f'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>{POINTS}</trkseg></trk></gpx>'
    ).encode(),
    "T02_gpx_iso8859_1.gpx": (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<gpx version="1.1" creator="example logger" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Walk 12°C, café to forest</name>'
        f"<trkseg>{POINTS}</trkseg></trk></gpx>"
    ).encode("latin-1"),
}


def _track(tmp_path: Path, name: str, handed: bool) -> Path:
    if handed:
        if not (CASES / name).exists():
            pytest.skip(f"the handed case {CASES / name} is not here (shared/cases)")
        return CASES / name
    path = tmp_path / name
    path.write_bytes(TRACKS[name])
    return path


@pytest.mark.parametrize("handed", [True, False], ids=["handed", "rebuilt"])
@pytest.mark.parametrize("name", sorted(TRACKS))
def test_a_photo_is_placed_from_the_track_between_its_two_fixes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, handed: bool
) -> None:
    track = _track(tmp_path, name, handed)
    photo = jpeg(tmp_path / "card" / "a.jpg", taken=datetime(2022, 9, 16, 12, 1), offset="+03:00", position=None)
    code = main(["import", "photos", str(photo), "--site", SITE, "--track", str(track)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Traceback" not in captured.err
    row = Photo.objects.get()
    assert row.position_source == "track"
    # 09:01:00Z lies half-way between 09:00 and 09:02.
    assert row.latitude == pytest.approx(49.2205) and row.longitude == pytest.approx(37.241)
    assert row.track_gap_s == 60.0


def test_gpxpy_dropping_the_times_is_said_not_blamed_on_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    track = _track(tmp_path, "T01_gpx_time_whitespace.gpx", handed=False)
    photo = jpeg(tmp_path / "a.jpg", taken=datetime(2022, 9, 16, 12, 1), offset="+03:00", position=None)
    main(["import", "photos", str(photo), "--site", SITE, "--track", str(track)])
    err = capsys.readouterr().err
    assert "has no times" not in err
    assert "gpxpy reads no time for points 1-2; read from the file's <time> elements" in err


def test_a_line_without_times_is_refused_saying_what_it_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = tmp_path / "route.kml"
    line.write_text(
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><LineString>'
        "<coordinates>37.24,49.22 37.242,49.221</coordinates></LineString></Placemark></kml>",
        encoding="utf-8",
    )
    photo = jpeg(tmp_path / "a.jpg", taken=datetime(2022, 9, 16, 12, 1), offset="+03:00", position=None)
    assert main(["import", "photos", str(photo), "--site", SITE, "--track", str(line)]) == 2
    err = capsys.readouterr().err
    assert "route.kml: the track has no times: it holds a KML LineString of 2 points" in err
    assert not Photo.objects.exists()


def test_times_that_cannot_be_read_are_named_point_by_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    track = tmp_path / "walk.gpx"
    track.write_bytes(
        TRACKS["T01_gpx_time_whitespace.gpx"].replace(
            b"</trkseg>", b'<trkpt lat="49.2" lon="37.2"><time>16.09.2022 09:03</time></trkpt></trkseg>'
        )
    )
    photo = jpeg(tmp_path / "a.jpg", taken=datetime(2022, 9, 16, 12, 1), offset="+03:00", position=None)
    assert main(["import", "photos", str(photo), "--site", SITE, "--track", str(track)]) == 0
    err = capsys.readouterr().err
    assert "walk.gpx: left out point 3: <time>16.09.2022 09:03</time> is not an ISO 8601 date-time" in err


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_track_that_is_not_a_file_is_refused_without_waiting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    track = tmp_path / "walk.gpx"
    if kind == "folder":
        track.mkdir()
    else:
        os.mkfifo(track)  # reading it would wait for a writer for ever
    photo = jpeg(tmp_path / "a.jpg", taken=datetime(2022, 9, 16, 12, 1), offset="+03:00", position=None)
    assert main(["import", "photos", str(photo), "--site", SITE, "--track", str(track)]) == 2
    assert "walk.gpx: not a regular file" in capsys.readouterr().err
