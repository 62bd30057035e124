"""Tracks as exporters really write them (issue 8, kinds 3 and 4): what the file holds is read, or what could not
be read is named; no encoding makes the reader fail outside its own error family.

Inputs are written here from the GPX 1.0/1.1 schemas (xsd:dateTime, whitespace collapse), the KML 2.2 and gx
extension references, and XML 1.0's encoding rules; gpxpy is run beside each to show what it drops.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import gpxpy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lestweforget.geo.track import TrackError, parse_track_time, read_track, read_track_bytes, read_track_file

CASES = Path(__file__).resolve().parents[2].parent / "shared" / "cases"
NINE = datetime(2022, 9, 16, 9, 0, tzinfo=UTC)
NINE_TWO = datetime(2022, 9, 16, 9, 2, tzinfo=UTC)

GPX11 = "http://www.topografix.com/GPX/1/1"
GPX10 = "http://www.topografix.com/GPX/1/0"


def _gpx(points: str, root: str = f'<gpx version="1.1" creator="test" xmlns="{GPX11}">', end: str = "</gpx>") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{root}<trk><trkseg>{points}</trkseg></trk>{end}'


TWO_POINTS = (
    '<trkpt lat="49.220000" lon="37.240000"><ele>120.5</ele><time>2022-09-16T09:00:00Z</time></trkpt>'
    '<trkpt lat="49.221000" lon="37.242000"><ele>121.0</ele><time>2022-09-16T09:02:00Z</time></trkpt>'
)

T01_REBUILT = _gpx(
    "\n".join(
        f'<trkpt lat="{lat}" lon="{lon}">\n  <ele>\n    {ele}\n  </ele>\n  <time>\n    {time}\n  </time>\n</trkpt>'
        for lat, lon, ele, time in (
            ("49.220000", "37.240000", "120.5", "2022-09-16T09:00:00Z"),
            ("49.221000", "37.242000", "121.0", "2022-09-16T09:02:00Z"),
        )
    )
)

T02_REBUILT = (
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
    f'<gpx version="1.1" creator="example logger" xmlns="{GPX11}"><trk><name>Walk 12°C, café to forest</name>'
    f"<trkseg>{TWO_POINTS}</trkseg></trk></gpx>"
).encode("latin-1")


def _times(data: bytes, name: str = "walk.gpx") -> list[datetime | None]:
    return [fix.time for fix in read_track_bytes(data, name).fixes]


def test_handed_case_t01_whitespace_around_time() -> None:
    path = CASES / "T01_gpx_time_whitespace.gpx"
    if not path.exists():
        pytest.skip(f"the handed case {path} is not here (shared/cases)")
    reading = read_track_file(path)
    assert [fix.time for fix in reading.fixes] == [NINE, NINE_TWO]
    assert reading.timed and not reading.left_out
    # The library beside it drops both times: the reason this reader checks what the XML holds.
    assert all(p.time is None for t in gpxpy.parse(path.read_bytes()).tracks for s in t.segments for p in s.points)
    assert any("gpxpy reads no time for points 1-2" in note for note in reading.notes)


def test_t01_rebuilt_reads_both_times_and_elevations() -> None:
    reading = read_track_bytes(T01_REBUILT.encode(), "pretty.gpx")
    assert [(f.time, f.elevation_m) for f in reading.fixes] == [(NINE, 120.5), (NINE_TWO, 121.0)]


def test_handed_case_t02_iso_8859_1() -> None:
    path = CASES / "T02_gpx_iso8859_1.gpx"
    if not path.exists():
        pytest.skip(f"the handed case {path} is not here (shared/cases)")
    assert [fix.time for fix in read_track_file(path).fixes] == [NINE, NINE_TWO]


def test_t02_rebuilt_is_read_without_notes() -> None:
    reading = read_track_bytes(T02_REBUILT, "latin.gpx")
    assert [fix.time for fix in reading.fixes] == [NINE, NINE_TWO]
    assert reading.notes == ()


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(_gpx(TWO_POINTS, f'<gpx version="1.0" creator="t" xmlns="{GPX10}">'), id="gpx-1.0"),
        pytest.param(_gpx(TWO_POINTS, '<gpx version="1.1" creator="t">'), id="no-namespace"),
        pytest.param(
            f'<gpx:gpx xmlns:gpx="{GPX11}" version="1.1" creator="t"><gpx:trk><gpx:trkseg>'
            + TWO_POINTS.replace("<", "<gpx:").replace("<gpx:/", "</gpx:")
            + "</gpx:trkseg></gpx:trk></gpx:gpx>",
            id="prefixed-elements",
        ),
        pytest.param(
            _gpx(
                TWO_POINTS.replace(
                    "</time>",
                    "</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>98</gpxtpx:hr>"
                    "</gpxtpx:TrackPointExtension></extensions>",
                ),
                f'<gpx version="1.1" creator="Garmin" xmlns="{GPX11}" '
                'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">',
            ),
            id="garmin-extensions",
        ),
        pytest.param(
            _gpx(TWO_POINTS.replace("09:00:00Z", "12:00:00+03:00").replace("09:02:00Z", "09:02:00.000000000Z")),
            id="offset-and-nanoseconds",
        ),
        pytest.param(_gpx(TWO_POINTS.replace("<time>", "<time>\t\r\n ")), id="tabs-and-crlf"),
        pytest.param(_gpx(TWO_POINTS.replace('lat="49.220000"', 'lat=" 49.220000 "')), id="spaces-in-attribute"),
    ],
)
def test_gpx_variants_give_the_same_two_fixes(document: str) -> None:
    assert _times(document.encode()) == [NINE, NINE_TWO]
    assert read_track_bytes(document.encode(), "x.gpx").fixes[0].latitude == pytest.approx(49.22)


@pytest.mark.parametrize(
    ("data", "note"),
    [
        pytest.param(_gpx(TWO_POINTS).replace("UTF-8", "UTF-16").encode("utf-16"), None, id="utf-16-with-bom"),
        pytest.param(_gpx(TWO_POINTS).replace("UTF-8", "UTF-16").encode("utf-16-le"), None, id="utf-16le-no-bom"),
        pytest.param(_gpx(TWO_POINTS).encode("utf-8-sig"), None, id="utf-8-bom"),
        pytest.param(
            _gpx(TWO_POINTS.replace("<trkseg>", ""))
            .replace("<trkseg>", "<name>Прогулка</name><trkseg>")
            .replace("UTF-8", "windows-1251")
            .encode("cp1251"),
            None,
            id="windows-1251-declared",
        ),
        pytest.param(
            _gpx(TWO_POINTS).replace("<trk>", "<trk><name>Прогулка</name>").encode("cp1251"),
            "byte 0xCF on line 2",
            id="says-utf-8-but-is-cp1251",
        ),
        pytest.param(
            _gpx(TWO_POINTS).replace("UTF-8", "ISO-8859-1").encode("utf-8-sig"),
            "declares ISO-8859-1 but starts with a UTF-8",
            id="bom-contradicts-declaration",
        ),
        pytest.param(
            _gpx(TWO_POINTS).replace("UTF-8", "x-no-such-code").encode(),
            "unknown",
            id="unknown-encoding",
        ),
        # Issue 8 (finding 12): liar.gpx declares ISO-8859-1 and holds UTF-8 bytes.
        pytest.param(
            _gpx(TWO_POINTS).replace("<trk>", "<trk><name>Ізюм, café</name>").replace("UTF-8", "ISO-8859-1").encode(),
            "declares the encoding ISO-8859-1, but its bytes are UTF-8",
            id="says-latin-1-but-is-utf-8",
        ),
        pytest.param(
            _gpx(TWO_POINTS).replace("<trk>", "<trk><name>Прогулка</name>").replace("UTF-8", "windows-1251").encode(),
            "declares the encoding windows-1251, but its bytes are UTF-8",
            id="says-windows-1251-but-is-utf-8",
        ),
        pytest.param(
            _gpx(TWO_POINTS)
            .replace("<trk>", "<trk><name>café</name>")
            .replace("UTF-8", "ISO-8859-1")
            .encode("latin-1"),
            None,
            id="latin-1-declared-and-true",
        ),
    ],
)
def test_encodings_are_read_or_their_lie_is_named(data: bytes, note: str | None) -> None:
    reading = read_track_bytes(data, "walk.gpx")
    assert [fix.time for fix in reading.fixes] == [NINE, NINE_TWO]
    if note is None:
        assert not reading.notes or all("gpxpy" in n for n in reading.notes)
    else:
        assert any(note in n for n in reading.notes), reading.notes


def test_a_point_whose_time_cannot_be_read_is_named_and_the_rest_is_used() -> None:
    points = TWO_POINTS + '<trkpt lat="49.222" lon="37.243"><time>yesterday</time></trkpt>'
    reading = read_track_bytes(_gpx(points).encode(), "walk.gpx")
    assert [fix.time for fix in reading.fixes] == [NINE, NINE_TWO]
    assert reading.left_out == ("point 3: <time>yesterday</time> is not an ISO 8601 date-time",)


def test_points_without_a_time_are_named_when_others_have_one() -> None:
    points = '<trkpt lat="49.2" lon="37.2"/><trkpt lat="49.2" lon="37.2"/>' + TWO_POINTS
    reading = read_track_bytes(_gpx(points).encode(), "walk.gpx")
    assert len(reading.fixes) == 2 and reading.points == 4
    assert reading.left_out == ("points 1-2: no <time> (other points have one)",)


def test_a_point_with_bad_coordinates_is_named_not_fatal() -> None:
    points = TWO_POINTS + '<trkpt lat="north" lon="37.2"><time>2022-09-16T09:03:00Z</time></trkpt>'
    reading = read_track_bytes(_gpx(points).encode(), "walk.gpx")
    assert len(reading.fixes) == 2
    assert reading.left_out == ("point 3: lat='north' lon='37.2' are not both numbers",)


def test_route_without_times_says_what_it_holds() -> None:
    route = (
        f'<gpx version="1.1" creator="t" xmlns="{GPX11}">'
        '<rte><rtept lat="1" lon="2"/><rtept lat="1" lon="3"/></rte></gpx>'
    )
    reading = read_track_bytes(route.encode(), "plan.gpx")
    assert not reading.timed
    assert "plan.gpx: the track has no times: it holds a GPX route of 2 points" in reading.why_no_times("plan.gpx")


KML = '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Document>{}</Document></kml>'
GX_TRACK = (
    "<Placemark><gx:Track>"
    "<when>\n  2022-09-16T09:00:00Z\n</when><when>2022-09-16T12:02:00+03:00</when>"
    "<gx:coord>\n 37.24 49.22 120.5 \n</gx:coord><gx:coord>37.242 49.221 121</gx:coord>"
    "</gx:Track></Placemark>"
)


def test_kml_gx_track_with_whitespace_and_offsets() -> None:
    reading = read_track_bytes(KML.format(GX_TRACK).encode(), "walk.kml")
    assert [(f.latitude, f.longitude, f.time, f.elevation_m) for f in reading.fixes] == [
        (49.22, 37.24, NINE, 120.5),
        (49.221, 37.242, NINE_TWO, 121.0),
    ]


def test_kmz_holding_the_gx_track() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("doc.kml", KML.format(GX_TRACK))
    assert _times(buffer.getvalue(), "walk.kmz") == [NINE, NINE_TWO]


def test_kml_placemarks_with_timestamps_are_a_track() -> None:
    marks = "".join(
        f"<Placemark><TimeStamp><when>{t}</when></TimeStamp><Point><coordinates>{c}</coordinates></Point></Placemark>"
        for t, c in (("2022-09-16T09:02:00Z", "37.242,49.221"), ("2022-09-16T09:00:00Z", "37.24,49.22,120"))
    )
    reading = read_track_bytes(KML.format(marks).encode(), "marks.kml")
    assert reading.kind == "KML placemarks"
    assert [fix.time for fix in reading.fixes] == [NINE, NINE_TWO]


def test_kml_line_string_says_it_carries_no_times() -> None:
    line = "<Placemark><LineString><coordinates>37.24,49.22 37.242,49.221,5</coordinates></LineString></Placemark>"
    reading = read_track_bytes(KML.format(line).encode(), "line.kml")
    assert not reading.timed and reading.points == 2
    assert "it holds a KML LineString of 2 points, which carries none" in reading.why_no_times("line.kml")


def test_gx_track_with_unequal_runs_is_refused_with_the_counts() -> None:
    broken = GX_TRACK.replace("<gx:coord>37.242 49.221 121</gx:coord>", "")
    with pytest.raises(TrackError, match=r"walk\.kml: a gx:Track has 2 <when> but 1 <gx:coord>"):
        read_track_bytes(KML.format(broken).encode(), "walk.kml")


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\x00\x00garbage",
        b"<?xml version='1.0'?><!DOCTYPE gpx [<!ENTITY a 'aaaa'>]><gpx>&a;</gpx>",
        b"PK\x03\x04not really a zip",
        "<gpx>\udcff</gpx>".encode("utf-8", "surrogatepass"),
        b"\x00\x00\x00\x00",
    ],
)
def test_hostile_bytes_stay_inside_track_error(data: bytes) -> None:
    with pytest.raises(TrackError, match=r"^walk\.gpx: "):
        read_track_bytes(data, "walk.gpx")


def test_missing_file_is_a_track_error(tmp_path: Path) -> None:
    with pytest.raises(TrackError, match=r"gone\.gpx: cannot read"):
        read_track(tmp_path / "gone.gpx")


_space = st.text(alphabet=" \t\r\n", max_size=6)


@given(
    moments=st.lists(
        st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)), min_size=1, max_size=5
    ),
    before=_space,
    after=_space,
    offset_minutes=st.integers(-12 * 60, 14 * 60),
)
def test_any_whitespace_and_offset_around_a_time_reads_back(
    moments: list[datetime], before: str, after: str, offset_minutes: int
) -> None:
    zone = timedelta(minutes=offset_minutes)
    sign = "+" if offset_minutes >= 0 else "-"
    text = f"{sign}{abs(offset_minutes) // 60:02d}:{abs(offset_minutes) % 60:02d}"
    written = [(m + zone).isoformat(timespec="microseconds") for m in moments]
    points = "".join(f'<trkpt lat="1" lon="2"><time>{before}{w}{text}{after}</time></trkpt>' for w in written)
    expected = sorted(m.replace(tzinfo=UTC) for m in moments)
    assert _times(_gpx(points).encode()) == expected
    assert parse_track_time(f"{before}{moments[0].isoformat()}Z{after}") == moments[0].replace(
        microsecond=moments[0].microsecond, tzinfo=UTC
    )


@pytest.mark.parametrize("relative", ["exiftool-Geotag.gpx", "gpxpy-cerknicko-jezero.gpx", "exiftool-Geotag.kml"])
def test_real_track_relabelled_latin_1_with_utf_8_text_is_named_as_a_liar(relative: str) -> None:
    # A real track (ASCII as published), given a UTF-8 comment and a declaration of ISO-8859-1, as liar.gpx was.
    data = (Path("/work/shared/testdata/tracks") / relative).read_bytes()
    head, rest = data.split(b"?>", 1)
    liar = (
        re.sub(rb'encoding="[^"]+"', b'encoding="ISO-8859-1"', head)
        + b"?>\n<!-- \xd0\x86\xd0\xb7\xd1\x8e\xd0\xbc -->"
        + rest
    )
    honest = read_track_bytes(data, relative)
    reading = read_track_bytes(liar, relative)
    assert not any("declares the encoding" in note for note in honest.notes)
    assert any("declares the encoding ISO-8859-1, but its bytes are UTF-8" in note for note in reading.notes)
    assert [f.time for f in reading.fixes] == [f.time for f in honest.fixes]
