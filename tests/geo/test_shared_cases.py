"""The geo cases of issue 8 (shared/cases G03, G04, G06, G07), each line with the value its README gives.

The inputs are kept here too, so these tests stand without shared/; where shared/cases is present, a test
checks that the inline copies are still the files' lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyproj import Transformer

from lestweforget.geo import LatLon, distance_m, parse_location

CASES_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "cases"

# (file, line number, the line, expected point, how close in metres)
CASES = [
    (
        "G03_google_maps_q_label_and_dms.txt",
        1,
        "https://maps.google.com/maps?q=49.2209,37.2445+(Site+A)",
        LatLon(49.2209, 37.2445),
        0.01,
    ),
    (
        "G03_google_maps_q_label_and_dms.txt",
        2,
        "https://maps.google.com/maps?q=49+13+15.2N,37+14+40.2E",
        LatLon(49.220889, 37.2445),
        0.1,
    ),
    (
        "G03_google_maps_q_label_and_dms.txt",
        3,
        "https://maps.google.com/maps?q=49.2209N,37.2445E",
        LatLon(49.2209, 37.2445),
        0.01,
    ),
    (
        "G04_exiftool_gps_position_text.txt",
        1,
        "49 deg 13' 15.24\" N, 37 deg 14' 40.20\" E",
        LatLon(49.2209, 37.2445),
        0.01,
    ),
    # The README's SK-42 value is PROJ's default route, the GOST shift EPSG:5044 the atlas pins (geo/sk42.py);
    # within the README's five decimals.
    ("G06_sk42_text.txt", 1, "X 5 455 781, Y 7 372 238", LatLon(49.22092, 37.24458), 0.5),
    ("G06_sk42_text.txt", 2, "X 54-55781 Y 73-72238", LatLon(49.22092, 37.24458), 0.5),
    (
        "G07_comaps_share_text.txt",
        1,
        "Follow this link https://comaps.at/ABCDEFGHIJ/Site or paste these coordinates geo:49.2209,37.2445 "
        "into your maps app to see this location.",
        LatLon(49.2209, 37.2445),
        0.01,
    ),
    ("G07_comaps_share_text.txt", 2, "https://comaps.at/ItdwBgeWW1/Hereford", LatLon(52.0553846, -2.7151898), 0.2),
]


@pytest.mark.parametrize(("name", "line", "text", "expected", "within_m"), CASES)
def test_each_case_reads_to_its_readme_value(
    name: str, line: int, text: str, expected: LatLon, within_m: float
) -> None:
    assert distance_m(parse_location(text).point, expected) <= within_m


@pytest.mark.parametrize(("name", "line", "text"), [case[:3] for case in CASES])
def test_the_inline_cases_are_the_shared_files_lines(name: str, line: int, text: str) -> None:
    path = CASES_DIR / name
    if not path.exists():
        pytest.skip(f"shared cases not found at {CASES_DIR}")
    assert path.read_text(encoding="utf-8").splitlines()[line - 1] == text


def test_sk42_reads_exactly_as_proj_does_with_the_pinned_shift() -> None:
    # The same X and Y through PROJ with EPSG:5044 named explicitly: the atlas and PROJ agree to the millimetre.
    gauss_kruger = Transformer.from_crs("EPSG:28407", "EPSG:4284", always_xy=True)
    lon, lat = gauss_kruger.transform(7372238, 5455781)
    lat, lon = Transformer.from_pipeline("EPSG:5044").transform(lat, lon)
    assert distance_m(parse_location("X 54-55781 Y 73-72238").point, LatLon(lat, lon)) < 0.001
