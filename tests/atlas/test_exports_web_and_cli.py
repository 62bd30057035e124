"""Every download, from the web and from `lwf export`, read back by an independent reader."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import fastkml
import gpxpy
import pytest
from django.test import Client

from lestweforget.cli import main

SITE = "izium-mass-burial-site"
LAT, LON = 49.220922, 37.244553


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.getvalue()[:300]
    return response.getvalue().decode("utf-8")


def assert_geojson_holds_izium(text: str) -> None:
    doc = json.loads(text)
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc  # RFC 7946 §4: no crs member
    feature = next(f for f in doc["features"] if f["id"] == SITE)
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]  # RFC 7946 §3.1.1: longitude first
    assert (lat, lon) == pytest.approx((LAT, LON), abs=1e-7)
    if "bbox" in doc:
        west, south, east, north = doc["bbox"]
        assert west <= lon <= east and south <= lat <= north


def assert_gpx_holds_izium(text: str) -> None:
    gpx = gpxpy.parse(text)
    assert gpx.version == "1.1"
    waypoint = next(w for w in gpx.waypoints if SITE in (w.link or ""))
    assert (waypoint.latitude, waypoint.longitude) == pytest.approx((LAT, LON), abs=1e-7)
    assert waypoint.name and waypoint.description


def assert_kml_holds_izium(text: str) -> None:
    kml = fastkml.KML.from_string(text.encode("utf-8"))
    placemarks = []

    def walk(node: object) -> None:
        for child in getattr(node, "features", []) or []:
            if isinstance(child, fastkml.Placemark):
                placemarks.append(child)
            walk(child)

    walk(kml)
    points = [p.geometry for p in placemarks if p.geometry is not None and p.geometry.geom_type == "Point"]
    assert any((pt.y, pt.x) == pytest.approx((LAT, LON), abs=1e-7) for pt in points)


def assert_csv_holds_izium(text: str) -> None:
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if r["id"] == SITE)
    assert (float(row["latitude"]), float(row["longitude"])) == pytest.approx((LAT, LON), abs=1e-7)


CHECKS = {
    "geojson": assert_geojson_holds_izium,
    "gpx": assert_gpx_holds_izium,
    "kml": assert_kml_holds_izium,
    "csv": assert_csv_holds_izium,
}


@pytest.mark.parametrize("fmt", sorted(CHECKS))
def test_site_download_parses_and_holds_the_stored_point(client: Client, demo: object, fmt: str) -> None:
    CHECKS[fmt](_get(client, f"/sites/{SITE}/export.{fmt}"))


@pytest.mark.parametrize("fmt", sorted(CHECKS))
def test_atlas_download_parses_and_holds_the_stored_point(client: Client, demo: object, fmt: str) -> None:
    CHECKS[fmt](_get(client, f"/export/atlas.{fmt}"))


@pytest.mark.parametrize("fmt", sorted(CHECKS))
def test_cli_export_writes_the_same_file(demo: object, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / f"izium.{fmt}"
    assert main(["export", fmt, "--site", SITE, "-o", str(out)]) == 0
    CHECKS[fmt](out.read_text(encoding="utf-8"))
    assert str(out) in capsys.readouterr().err


def test_cli_export_to_stdout(demo: object, capsys: pytest.CaptureFixture) -> None:
    assert main(["export", "geojson"]) == 0
    assert_geojson_holds_izium(capsys.readouterr().out)


def test_cli_export_of_an_unknown_site_fails_and_names_it(demo: object, tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.gpx"
    assert main(["export", "gpx", "--site", "atlantis", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "atlantis" in err and SITE in err
    assert not out.exists()


def test_cli_export_of_an_unknown_format_fails(demo: object, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "shapefile"])
    assert exit_info.value.code == 2
    assert "shapefile" in capsys.readouterr().err


def test_cli_export_into_a_folder_fails_and_says_so(demo: object, tmp_path: Path, capsys) -> None:
    assert main(["export", "csv", "-o", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
