"""Rows stored before the input rule may hold any control character: every export still parses and says the rest.

Every C0 control character (and DEL, C1 controls, U+FFFE/FFFF) goes into every field that an export or the field
guide writes: site names and summaries, the settlement, the approach, sources, the diary, its waypoints and captions.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import fastkml
import gpxpy
import pytest
from diary_fixtures import WALK_SITE, import_walk, load_walk_site, walk_files
from django.db import connection
from django.db.models import Model
from django.test import Client
from photo_fixtures import evidence_dir

from lestweforget.atlas.demo import load_demo
from lestweforget.atlas.models import Approach, Settlement, Site, SiteName, Source
from lestweforget.cli import main
from lestweforget.exports.plain_text import CONTROL_CHARACTER, plain_text
from lestweforget.photos.models import Diary, DiaryEntry, Photo

__all__ = ["evidence_dir"]

pytestmark = pytest.mark.usefixtures("evidence_dir")

DEMO_SITE = "izium-mass-burial-site"
EXPORTED_FIELDS: dict[type[Model], tuple[str, ...]] = {
    Site: ("summary_en", "summary_uk"),
    SiteName: ("name", "note_en", "note_uk"),
    Settlement: ("name_en", "name_uk"),
    Approach: ("start_name_en", "start_name_uk", "directions_en", "directions_uk", "safety_en", "safety_uk"),
    Source: ("title", "publisher"),
    Diary: ("title_en", "introduction_en"),
    DiaryEntry: ("caption_en", "text_en", "waypoint_name_en"),
    Photo: ("caption_en", "credit"),
}


def _controls() -> str:
    # PostgreSQL's text type cannot hold U+0000 at all, so no row there can carry it.
    first = 1 if connection.vendor == "postgresql" else 0
    c0 = "".join(chr(code) for code in range(first, 0x20))
    return c0 + "\x7f\x85\x9f\ufffe\uffff"


@pytest.fixture
def stored_controls(db: None, tmp_path: Path) -> str:
    files = walk_files()
    load_demo()
    load_walk_site(tmp_path)
    assert import_walk(files) == 0
    for entry in DiaryEntry.objects.all():
        entry.waypoint_name_en = f"Stop {entry.position}"
        entry.save()
    controls = _controls()
    for model, fields in EXPORTED_FIELDS.items():
        for row in model.objects.all():
            # update() skips validation, as a row written before the rule existed did.
            values = {name: f"{getattr(row, name) or 'text'} [{controls}] end" for name in fields}
            model.objects.filter(pk=row.pk).update(**values)
    return controls


def _parse(fmt: str, text: str) -> list[str]:
    """The export read back by an independent reader; returns the place names it holds."""
    if fmt == "kml":
        document = fastkml.KML.from_string(text.encode("utf-8"))
        return [placemark.name for placemark in document.features[0].features]
    if fmt == "gpx":
        return [waypoint.name for waypoint in gpxpy.parse(text).waypoints]
    if fmt == "geojson":
        return [feature["properties"]["name"] for feature in json.loads(text)["features"]]
    return [row["name"] for row in csv.DictReader(io.StringIO(text))]


def _assert_clean(fmt: str, text: str) -> None:
    assert CONTROL_CHARACTER.search(text) is None, f"{fmt}: a control character was written"
    names = _parse(fmt, text)
    assert names and all(name and CONTROL_CHARACTER.search(name) is None for name in names)


@pytest.mark.parametrize("fmt", ["kml", "gpx", "geojson", "csv"])
def test_every_download_parses_whatever_is_stored(stored_controls: str, client: Client, fmt: str) -> None:
    for url in (f"/export/atlas.{fmt}", f"/sites/{DEMO_SITE}/export.{fmt}", f"/sites/{WALK_SITE}/export.{fmt}"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.getvalue()[:300])
        _assert_clean(fmt, response.getvalue().decode("utf-8"))


def test_export_names_keep_their_text_and_line_breaks(stored_controls: str, client: Client) -> None:
    names = _parse("geojson", client.get(f"/sites/{WALK_SITE}/export.geojson").content.decode())
    site_name = next(name for name in names if name.startswith("Walk test site"))
    # The text around the characters is all there; Word's line breaks (U+000B, U+000C, U+0085) stay line breaks.
    assert site_name == f"Walk test site [{plain_text(stored_controls)}] end"
    assert plain_text(stored_controls) == "\t\n\n\n\r\n"


@pytest.mark.parametrize("fmt", ["kml", "gpx", "geojson", "csv"])
def test_lwf_export_exits_0_whatever_is_stored(
    stored_controls: str, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for extra in ([], ["--site", WALK_SITE]):
        out = tmp_path / f"atlas.{fmt}"
        assert main(["export", fmt, "-o", str(out), *extra]) == 0
        _assert_clean(fmt, out.read_text(encoding="utf-8"))
    assert "Traceback" not in capsys.readouterr().err


class _StrictHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_field_guide_is_made_whatever_is_stored(stored_controls: str, client: Client, language: str) -> None:
    prefix = "" if language == "en" else "/uk"
    for slug in (DEMO_SITE, WALK_SITE):
        response = client.get(f"{prefix}/sites/{slug}/guide.zip")
        assert response.status_code == 200, response.content[:300]
        index = zipfile.ZipFile(io.BytesIO(response.content)).read("index.html").decode("utf-8")
        assert CONTROL_CHARACTER.search(index) is None
        reader = _StrictHTML()
        reader.feed(index)
        assert "] end" in "".join(reader.text)
