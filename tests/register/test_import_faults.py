"""What a black-box tester of `lwf import sites` found, each as a kind: files as spreadsheets write them, a GeoJSON
with the README's mapping, implausible points, --publish on a re-run, Ukrainian pages of imported sites, values
longer than the atlas stores, one source per URL, Cyrillic slugs, and a stopped run."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
from pathlib import Path
from types import ModuleType

import pytest
from django.test import Client
from django.utils import translation

from lestweforget.atlas.models import Event, Site, SiteName, Source
from lestweforget.cli import main
from lestweforget.datasets.rows import SITE_NAME_LIMIT
from lestweforget.register import importing
from lestweforget.register.importing import ImportOptions, import_sites
from lestweforget.register.models import DatasetImport, ImportedRow

DATA = Path(__file__).parent / "data"
CIR_HEADER = (
    "entry,date,event_group,title,brief description,lat,lon,country,province,district,town/city,arms/munition,"
    "violence level,link,geolocation\n"
)

pytestmark = pytest.mark.usefixtures("demo")


def _checker() -> ModuleType:
    """The Latin-words-on-Ukrainian-pages checker of tests/atlas (a folder without a package, so loaded by path)."""
    path = Path(__file__).parents[1] / "atlas" / "test_no_english_on_ukrainian_pages.py"
    spec = importlib.util.spec_from_file_location("no_english_on_ukrainian_pages", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cir(tmp_path: Path, *rows: str, name: str = "cir.csv") -> Path:
    path = tmp_path / name
    path.write_text(CIR_HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def _stored() -> list[int]:
    return [m.objects.count() for m in (Site, SiteName, Event, Source, ImportedRow, DatasetImport)]


# --- 1. files as spreadsheets write them ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "read_as"),
    [
        (
            "\ufeffid;title;date;latitude;longitude\r\nU1;Поховання біля ставу;12.03.2023;48,81;35,31\r\n".encode(),
            "UTF-8 (with byte-order mark), semicolon-separated",
        ),
        (
            b"\xff\xfe"
            + "id\ttitle\tdate\tlatitude\tlongitude\r\nU1\tПоховання біля ставу\t2023-03-12\t48,81\t35,31\r\n".encode(
                "utf-16-le"
            ),
            "UTF-16, tab-separated",
        ),
        (
            "id;title;date;latitude;longitude\r\nU1;Поховання біля ставу;12.03.2023;48.81;35.31\r\n".encode("cp1251"),
            "Windows-1251, semicolon-separated",
        ),
    ],
)
def test_excel_csv_under_ukrainian_settings_imports_and_says_how_it_was_read(
    data: bytes, read_as: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "graves.csv"
    path.write_bytes(data)
    assert main(["import", "sites", str(path), "--format", "csv"]) == 0
    assert f"Read as {read_as}." in capsys.readouterr().out
    row = ImportedRow.objects.get(external_id="U1")
    assert row.title == "Поховання біля ставу" and (row.site.latitude, row.site.longitude) == (48.81, 35.31)


# --- 2. GeoJSON with the README's mapping ---------------------------------------------------------------------------


def test_geojson_with_the_readmes_csv_mapping_reads_the_geometry_and_notes_the_unused_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [35.2001, 48.7001]},
            "properties": {
                "case": "K-9",
                "name": "Burial by the road",
                "when": "12.03.2023",
                "type": "burial",
                "url": "",
                "note": "",
            },
        },
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[35.30, 48.60], [35.31, 48.60], [35.31, 48.61], [35.30, 48.61], [35.30, 48.60]]],
            },
            "properties": {
                "case": "K-10",
                "name": "Mass grave in the field",
                "when": "13.03.2023",
                "type": "mass grave",
            },
        },
    ]
    path = tmp_path / "graves.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    assert main(["import", "sites", str(path), "--format", "geojson", "--mapping", str(DATA / "graves.yaml")]) == 0
    err = capsys.readouterr().err
    assert "the mapping's latitude: y, longitude: x is not used: a GeoJSON feature's point is its geometry" in err
    assert "row 2 (K-10), column 'geometry': a Polygon: its centre" in err
    point, shape = ImportedRow.objects.get(external_id="K-9"), ImportedRow.objects.get(external_id="K-10")
    assert (point.site.latitude, point.site.longitude, point.site.uncertainty_m) == (48.7001, 35.2001, 50)
    assert shape.site.latitude == pytest.approx(48.605) and shape.site.uncertainty_m == pytest.approx(669, abs=2)


def test_a_geometry_that_is_not_a_place_refuses_the_file_naming_the_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "graves.geojson"
    feature = {"type": "Feature", "id": "G7", "geometry": None, "properties": {"title": "Grave", "date": "2023-01-01"}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    before = _stored()
    assert main(["import", "sites", str(path), "--format", "geojson"]) == 2
    assert "row 1 (G7), column 'geometry': the feature has no geometry (null)" in capsys.readouterr().err
    assert _stored() == before


# --- 4. implausible points ------------------------------------------------------------------------------------------

SWAPPED = "UW8001,2022-09-16,Mass grave or Burial,Graves in the pine forest,Graves,37.244553,49.220922,Ukraine,Kharkiv Oblast,,Izium,,2,https://example.org/a,"
FAR_FROM_OBLAST = "UW8002,2022-09-16,Mass grave or Burial,Graves by the road,Graves,49.84,24.03,Ukraine,Kharkiv Oblast,,,,2,https://example.org/b,"
FAR_FROM_TOWN = "UW8003,2022-09-16,Mass grave or Burial,Graves by the school,Graves,46.48,30.72,Ukraine,Kharkiv Oblast,,Izium,,2,https://example.org/c,"
NEAR = "UW8004,2022-09-16,Mass grave or Burial,Graves by the church,Graves,49.19,37.28,Ukraine,Kharkiv Oblast,,Izyum,,2,https://example.org/d,"
ABROAD = "UW8005,2022-09-16,Mass grave or Burial,Graves by the depot,Graves,50.59,36.58,Russia,Belgorod Oblast,,Belgorod,,2,https://example.org/e,"


def test_implausible_points_are_flagged_by_row_and_column_and_never_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _cir(tmp_path, SWAPPED, FAR_FROM_OBLAST, FAR_FROM_TOWN, NEAR, ABROAD)
    assert main(["import", "sites", str(path), "--format", "cir", "--publish"]) == 0
    out = capsys.readouterr()
    err = " ".join(out.err.split())
    assert "implausible point: row 1 (UW8001), column 'lat': The point is" in err
    assert "of central Izium, more than 50 km from the settlement it belongs to. Latitude and longitude look " in err
    assert "swapped: 49.220922, 37.244553 would be near it." in err
    assert "row 2 (UW8002), column 'lat': The point is" in err and "of the centre of Kharkiv oblast, more than" in err
    assert "row 3 (UW8003), column 'lat'" in err and "row 4" not in err and "row 5" not in err
    published = dict(ImportedRow.objects.values_list("external_id", "is_published"))
    assert published == {"UW8001": False, "UW8002": False, "UW8003": False, "UW8004": True, "UW8005": True}
    for key in ("UW8001", "UW8002", "UW8003"):
        refused = ImportedRow.objects.get(external_id=key)
        # Unpublished, like any row not yet published: its event is on its own unpublished site.
        assert not refused.site.is_published and refused.event is not None and not refused.site.is_published
    text = " ".join(out.out.split())
    assert "Not published: row UW8001: its site" in text and "look swapped: 49.220922, 37.244553" in text


def test_the_admins_bulk_publishing_refuses_an_implausible_row_too(tmp_path: Path) -> None:
    from lestweforget.register.importing import publish_rows

    assert main(["import", "sites", str(_cir(tmp_path, SWAPPED, NEAR)), "--format", "cir"]) == 0
    refused: list[str] = []
    assert publish_rows(ImportedRow.objects.all(), refused) == 1
    assert len(refused) == 1 and refused[0].startswith("row UW8001: its site") and "look swapped" in refused[0]
    # Once the point is corrected, the row publishes.
    row = ImportedRow.objects.get(external_id="UW8001")
    Site.objects.filter(pk=row.site_id).update(latitude=49.220922, longitude=37.244553)
    assert publish_rows(ImportedRow.objects.filter(pk=row.pk)) == 1


# --- 5. --publish on a re-run ---------------------------------------------------------------------------------------


def test_publish_on_a_re_run_publishes_the_rows_imported_before_and_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["import", "sites", str(DATA / "cir_izium.csv"), "--format", "cir"]
    assert main(args) == 0
    assert not ImportedRow.objects.filter(is_published=True).exists()
    counts = _stored()
    capsys.readouterr()
    assert main([*args, "--publish"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Published: 12 row(s), 12 of them imported by an earlier run." in out
    assert not ImportedRow.objects.filter(is_published=False).exists()
    assert Site.objects.get(imported_rows__external_id="TEST0002").is_published
    assert _stored()[4:] == counts[4:]  # no row or import record added
    assert main([*args, "--publish"]) == 0
    assert "Published: none; the file's rows were all published before." in capsys.readouterr().out


# --- 6. Ukrainian pages of imported sites ---------------------------------------------------------------------------


def test_an_imported_sites_ukrainian_page_has_no_english_the_importer_wrote(tmp_path: Path) -> None:
    row = "UW8010,2023-02-01,Mass grave or Burial,Graves near the lake,Graves near the lake,48.95,37.30,Ukraine,Donetsk Oblast,,Lyman,,2,,"  # noqa: E501
    assert main(["import", "sites", str(_cir(tmp_path, row)), "--format", "cir", "--publish"]) == 0
    site = ImportedRow.objects.get(external_id="UW8010").site
    assert site.location_method_uk.startswith("Точка, яку Центр інформаційної стійкості (CIR)")
    assert "(місце у файлі: «Lyman, Donetsk Oblast»)" in site.location_method_uk and "±300 м" in site.location_method_uk
    with translation.override("en"):  # the request switches to Ukrainian; the tests after it do not
        html = Client().get(f"/uk/sites/{site.slug}/").content.decode()
    assert site.location_method_uk.split(";")[0] in html
    words = _checker().english_words(html)
    # The dataset's own words (its title: the site's only name) are shown as written; nothing the importer wrote
    # is in English.
    assert [w for w in words if w.split("'")[1] not in {"Graves", "near", "the", "lake"}] == []


def test_a_mapping_names_the_publisher_in_ukrainian(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        'publisher: "Kharkiv Oblast Prosecutor\'s Office"\npublisher_uk: "Харківська обласна прокуратура"\n'
    )
    path = tmp_path / "rows.csv"
    path.write_text("id,title,date,latitude,longitude\nP1,Grave,2023-01-01,48.1,35.1\n")
    assert main(["import", "sites", str(path), "--format", "csv", "--mapping", str(mapping)]) == 0
    row = ImportedRow.objects.get(external_id="P1")
    assert row.site.location_method_uk.startswith("Точка, яку Харківська обласна прокуратура подає для рядка P1;")
    assert row.sources.get().publisher_uk == "Харківська обласна прокуратура"


# --- 7. values longer than the atlas stores -------------------------------------------------------------------------


def test_a_title_of_ten_thousand_characters_becomes_a_name_cut_at_a_word(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    title = "Graves " * 1500
    path = tmp_path / "rows.csv"
    path.write_text(f"id,title,date,latitude,longitude\nL1,{title},2023-01-01,48.1,35.1\n")
    assert main(["import", "sites", str(path), "--format", "csv", "--publish"]) == 0
    assert "row 1 (L1), column 'title': 10,499 characters, cut at a word to 196" in capsys.readouterr().err
    site = ImportedRow.objects.get(external_id="L1").site
    title_kept = site.events.get().title_en
    assert len(title_kept) == 196 and title_kept.endswith("Graves…")
    # The site's name is the title cut again to a heading's length: a tester saw 192 characters fill 14 lines.
    name = site.names.get().name
    assert len(name) <= SITE_NAME_LIMIT and name.endswith("Graves…") and title_kept.startswith(name[:-1])


@pytest.mark.parametrize(
    ("cell", "column", "message"),
    [
        ("x" * 10_500, "title", "a run of 10500 characters without a space"),
        ("K" * 300, "id", "an id of 300 characters, longer than 200"),
    ],
)
def test_a_value_the_atlas_cannot_hold_refuses_the_file_by_row_and_column(
    cell: str, column: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = {"id": "L2", "title": "Grave"} | {column: cell}
    path = tmp_path / "rows.csv"
    path.write_text(f"id,title,date,latitude,longitude\n{values['id']},{values['title']},2023-01-01,48.1,35.1\n")
    before = _stored()
    assert main(["import", "sites", str(path), "--format", "csv"]) == 2
    assert f"row 1 ({values['id'][:200]}), column '{column}': {message}" in capsys.readouterr().err
    assert _stored() == before


# --- 8. one source per URL, Cyrillic slugs, a stopped run -----------------------------------------------------------


def test_two_rows_citing_one_link_cite_one_source(tmp_path: Path) -> None:
    link = "https://t.me/example_channel/77"
    rows = (
        f"UW8020,2023-03-01,Civilian Casualty,Strike on the market,Strike,48.50,35.00,Ukraine,,,,,5,{link},",
        f"UW8021,2023-03-01,Civilian Casualty,Strike on the market,Strike,48.5001,35.0001,Ukraine,,,,,2,{link},",
    )
    report = import_sites(ImportOptions(path=_cir(tmp_path, *rows), format="cir"))
    assert Source.objects.filter(url=link).count() == 1 and report.sources_reused == 1
    event = Event.objects.get(title_en="Strike on the market")
    assert event.sources.count() == 1 and event.sources.get().content_note == Source.ContentNote.GRAPHIC


def test_a_cyrillic_title_makes_a_transliterated_slug_and_a_ukrainian_name(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("id,title,place,date,latitude,longitude\n166,Масове поховання,Ізюм,2023-01-01,49.2,37.25\n")
    assert main(["import", "sites", str(path), "--format", "csv"]) == 0
    site = ImportedRow.objects.get(external_id="166").site
    assert site.slug == "masove-pokhovannia-izium-166"
    assert site.names.get().language == "uk" and site.events.get().title_uk == "Масове поховання"


def test_sigterm_stops_after_the_batch_and_says_where(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(importing, "BATCH_ROWS", 2)
    real_write = importing._Writer._write_row
    written: list[str] = []

    def write_then_signal(self: importing._Writer, row: object) -> None:
        written.append(row.external_id)  # type: ignore[attr-defined]
        if len(written) == 3:
            os.kill(os.getpid(), signal.SIGTERM)
        real_write(self, row)  # type: ignore[arg-type]

    monkeypatch.setattr(importing._Writer, "_write_row", write_then_signal)
    args = ["import", "sites", str(DATA / "cir_izium.csv"), "--format", "cir"]
    assert main(args) == 128 + signal.SIGTERM
    err = " ".join(capsys.readouterr().err.split())
    assert "stopped by SIGTERM after 2 batch(es); 8 row(s) not imported yet." in err
    assert "run the same command again to import the rest" in err
    assert ImportedRow.objects.count() == 4
    monkeypatch.setattr(importing._Writer, "_write_row", real_write)
    assert main(args) == 0
    assert ImportedRow.objects.count() == 12


def test_a_site_placed_at_a_shape_s_centre_says_so_in_both_languages(tmp_path: Path) -> None:
    """A tester's MultiPolygon row: the import said "centre … ±1,042 m", the site page "its precision is not stated"."""
    square = [[35.0, 48.0], [35.01, 48.0], [35.01, 48.01], [35.0, 48.01], [35.0, 48.0]]
    feature = {
        "type": "Feature",
        "properties": {"id": "P9", "title": "Burial in a field", "date": "2022-04-02"},
        "geometry": {"type": "Polygon", "coordinates": [square]},
    }
    path = tmp_path / "shapes.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    assert main(["import", "sites", str(path), "--format", "geojson"]) == 0
    site = ImportedRow.objects.get(external_id="P9").site
    assert site.uncertainty_m == pytest.approx(670, abs=2)
    metres = round(site.uncertainty_m)
    assert "centre of the shape" in site.location_method_en and f"±{metres} m reaches" in site.location_method_en
    assert "Центр фігури" in site.location_method_uk and f"±{metres} м" in site.location_method_uk
    assert "not stated" not in site.location_method_en


# --- a dry run beside a running import ------------------------------------------------------------------------------


def test_a_dry_run_while_an_import_runs_waits_for_it_as_an_import_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A dry run writes (and rolls back): beside a running import, SQLite refused its first write with a traceback
    ("database is locked"). It is refused as a second import is, naming the running one, and stores nothing."""
    from lestweforget.atlas import evidence_records

    before = _stored()
    with evidence_records.only_writer("the running import"):
        code = main(["import", "sites", str(DATA / "cir_izium.csv"), "--format", "cir", "--dry-run"])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2
    assert "another import is running" in err and "this dry run must wait for it" in err
    assert "Traceback" not in err
    assert _stored() == before
    assert main(["import", "sites", str(DATA / "cir_izium.csv"), "--format", "cir", "--dry-run"]) == 0
    assert _stored() == before
