"""A row's source is published by whom the file tells (its link's host, else the dataset's name from the file or
its mapping), never by the format's name; and the summary says what uncertainty a point gets when the file
states none."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lestweforget.atlas.models import Site, Source
from lestweforget.cli import main
from lestweforget.register.models import ImportedRow

DATA = Path(__file__).parent / "data"

pytestmark = pytest.mark.usefixtures("demo")


def _import(path: Path, format: str, *args: str) -> int:
    return main(["import", "sites", str(path), "--format", format, *args])


def test_a_timemap_event_without_sources_is_the_datasets_own_not_timemaps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kharkiv-strikes.json"
    event = {"id": "E1", "description": "School hit", "date": "4/18/2022", "latitude": "49.8353", "longitude": "36.686"}
    path.write_text(json.dumps([event]), encoding="utf-8")
    assert _import(path, "timemap") == 0
    out = capsys.readouterr().out
    row = ImportedRow.objects.get(external_id="E1")
    assert row.dataset == "kharkiv-strikes"
    assert row.sources.get().publisher == "kharkiv-strikes"
    site = Site.objects.get(pk=row.site_id)
    assert "timemap" not in site.location_method_en and "timemap" not in site.location_method_uk
    assert "kharkiv-strikes" in site.location_method_en
    assert site.uncertainty_m == 150
    assert "Uncertainty: a point whose file states no precision: ±150 m (the default for --format timemap" in out


@pytest.mark.parametrize(
    ("name", "format", "mapping"),
    [("timemap.json", "timemap", ""), ("bellingcat_download.json", "timemap", ""), ("graves.csv", "csv", "graves.yaml"),
     ("graves.geojson", "geojson", "graves_geojson.yaml"), ("cir_izium.csv", "cir", "")],
)  # fmt: skip
def test_no_format_publishes_a_source(
    name: str, format: str, mapping: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not named after its format ("timemap.json" would honestly name its dataset "timemap").
    path = tmp_path / f"sample-{name}"
    shutil.copy(DATA / name, path)
    assert _import(path, format, *(["--mapping", str(DATA / mapping)] if mapping else [])) == 0
    out = capsys.readouterr().out
    rows = ImportedRow.objects.all()
    sources = Source.objects.filter(pk__in=rows.values("sources"))
    assert sources.exists()
    formats = {"timemap", "csv", "geojson", "cir"}
    assert not {s.publisher.casefold() for s in sources} & formats
    for site in Site.objects.filter(imported_rows__made_site=True).distinct():
        assert f"that {format} gives" not in site.location_method_en
    assert "Uncertainty: a point whose file states no precision: ±" in out


def test_a_mapping_files_uncertainty_is_named_as_its(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _import(DATA / "graves.csv", "csv", "--mapping", str(DATA / "graves.yaml")) == 0
    assert "±50 m (uncertainty_m in graves.yaml)" in capsys.readouterr().out
