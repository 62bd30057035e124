"""The whole atlas downloads as a stream in every format, with the API's filters: KML read by fastkml and GPX by
gpxpy hold exactly the sites `/api/sites` gives for the same filters, and the export's memory does not grow with the
number of sites (tracemalloc's peak at N and at 10 N)."""

from __future__ import annotations

import tracemalloc
import warnings
from pathlib import Path

import gpxpy
import pytest
from django.test import Client

from lestweforget.atlas import public
from lestweforget.cli import main
from lestweforget.register import synthetic

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    import fastkml

FILTERS = [{}, {"kind": "memorial"}, {"bbox": "30,47,38,51"}, {"bbox": "30,47,38,51", "kind": "mass_grave,memorial"}]


def _api_slugs(client: Client, params: dict[str, str]) -> set[str]:
    slugs: set[str] = set()
    cursor = ""
    while True:
        body = client.get("/api/sites", {**params, "limit": 100, "cursor": cursor}).json()
        slugs |= {item["slug"] for item in body["items"]}
        cursor = body["next_cursor"]
        if not cursor:
            return slugs


def _kml_slugs(text: str) -> set[str]:
    (document,) = fastkml.KML.from_string(text).features
    slugs = set()
    for placemark in document.features:
        data = {item.name: item.value for item in placemark.extended_data.elements}
        slugs.add(data["id"])
    return slugs


def _gpx_slugs(text: str) -> set[str]:
    return {waypoint.link.rstrip("/").rsplit("/", 1)[-1] for waypoint in gpxpy.parse(text).waypoints}


@pytest.mark.parametrize("params", FILTERS)
@pytest.mark.parametrize("fmt", ["kml", "gpx"])
def test_the_atlas_kml_and_gpx_stream_the_sites_the_api_gives_for_the_same_filters(
    client: Client, demo: object, fmt: str, params: dict[str, str]
) -> None:
    synthetic.generate(120, seed=11)
    response = client.get(f"/export/atlas.{fmt}", params)
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    found = _kml_slugs(text) if fmt == "kml" else _gpx_slugs(text)
    assert found == _api_slugs(client, params) and found


def _export_peak_bytes(fmt: str) -> int:
    tracemalloc.start()
    try:
        written = 0
        for piece in public.export_stream(fmt, public.public_sites(), "https://example.org", "Atlas"):
            written += len(piece)
        assert written
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_atlas_export_holds_one_chunk_at_a_time_in_every_format(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(public, "EXPORT_CHUNK", 40)
    synthetic.generate(80, seed=21)
    small = {fmt: _export_peak_bytes(fmt) for fmt in ("geojson", "kml", "gpx", "csv")}
    synthetic.generate(720, seed=22)
    assert public.public_sites().count() > 700
    for fmt, peak in small.items():
        large = _export_peak_bytes(fmt)
        # Ten times the sites, well under twice the peak (a document built whole grows tenfold): what is left is the
        # database driver's and Django's per-query overhead and the interpreter's free lists, not the sites.
        assert large < peak * 2, (fmt, peak, large)


@pytest.mark.parametrize("fmt", ["kml", "gpx"])
def test_lwf_export_takes_the_same_filters_and_writes_the_same_sites(
    client: Client, demo: object, tmp_path: Path, fmt: str
) -> None:
    synthetic.generate(120, seed=11)
    params = {"bbox": "30,47,38,51", "kind": "mass_grave,memorial"}
    out = tmp_path / f"atlas.{fmt}"
    assert main(["export", fmt, "--bbox", params["bbox"], "--kind", params["kind"], "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    found = _kml_slugs(text) if fmt == "kml" else _gpx_slugs(text)
    assert found == _api_slugs(client, params) and found


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--bbox", "30,47,38"], "--bbox: give four numbers"),
        (["--kind", "castle"], "--kind: “castle” is not one of"),
        (["--from", "2022-13-01"], "--from: “2022-13-01” is not a date"),
        (["--site", "izium-mass-burial-site", "--kind", "memorial"], "--kind: filters narrow the whole atlas"),
    ],
)
def test_lwf_export_refuses_a_filter_it_cannot_read_by_name_and_writes_nothing(
    demo: object, tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], named: str
) -> None:
    out = tmp_path / "atlas.kml"
    assert main(["export", "kml", *arguments, "-o", str(out)]) == 2
    assert named in capsys.readouterr().err
    assert not out.exists()
