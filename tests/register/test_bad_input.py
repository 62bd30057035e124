"""Bad input to `lwf import sites`: one clear line naming the file, row and column, exit 2, nothing stored changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from lestweforget.atlas.models import Event, Site, SiteName, Source
from lestweforget.cli import main
from lestweforget.register.models import DatasetImport, ImportedRow

DATA = Path(__file__).parent / "data"
HEADER = "id,title,date,latitude,longitude\n"

pytestmark = pytest.mark.usefixtures("demo")


def _stored() -> list[int]:
    return [m.objects.count() for m in (Site, SiteName, Event, Source, ImportedRow, DatasetImport)]


def _refused(args: list[str], capsys: pytest.CaptureFixture[str], *expected: str) -> None:
    before = _stored()
    assert main(["import", "sites", *args]) == 2
    err = capsys.readouterr().err
    for text in expected:
        assert text in err, err
    assert _stored() == before


def _csv(tmp_path: Path, rows: str, name: str = "rows.csv") -> str:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return str(path)


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _refused([str(tmp_path / "nope.csv"), "--format", "csv"], capsys, "nope.csv: no such file")


def test_a_folder_is_not_a_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _refused([str(tmp_path), "--format", "csv"], capsys, "is a folder")


@pytest.mark.parametrize(
    ("name", "format", "message"),
    [
        ("cir_izium.csv", "geojson", "broken JSON at line 1, column 1"),
        ("cir_izium.csv", "timemap", "broken JSON at line 1"),
        ("graves.geojson", "cir", "this is JSON, not a CSV table; use --format geojson or --format timemap"),
        ("graves.geojson", "timemap", "this is GeoJSON, not timemap events; use --format geojson"),
        ("timemap.json", "geojson", "not a GeoJSON FeatureCollection"),
        ("graves.csv", "cir", "not a Russia-Ukraine Monitor table: it has no column 'entry'"),
    ],
)
def test_wrong_format(name: str, format: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    _refused([str(DATA / name), "--format", format], capsys, message)


def test_an_unknown_format_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["import", "sites", str(DATA / "graves.csv"), "--format", "xlsx"])
    assert stopped.value.code == 2 and "invalid choice: 'xlsx'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("B1,Grave,2023-01-01,95.5,35.1", "row 1 (B1), column 'latitude': latitude 95.5 is outside -90..90"),
        ("B1,Grave,2023-01-01,48.1,east", "row 1 (B1), column 'longitude': 'east' is not a longitude"),
        ("B1,Grave,2023-01-01,,35.1", "row 1 (B1), column 'latitude': no latitude"),
        ("B1,Grave,2023-01-01,0,0", "0, 0 is no place"),
        ("B1,Grave,2023-02-30,48.1,35.1", "row 1 (B1), column 'date': '2023-02-30' is not a date"),
        ("B1,Grave,yesterday,48.1,35.1", "row 1 (B1), column 'date': 'yesterday' is not a date"),
        ("B1,Grave,2999-01-01,48.1,35.1", "row 1 (B1), column 'date': 2999-01-01 is in the future"),
        ("B1,,2023-01-01,48.1,35.1", "row 1 (B1), column 'title': no title or description"),
        ("B1,Grave\x1b[31m,2023-01-01,48.1,35.1", "row 1 (B1), column 'title': holds the control character U+001B"),
        ("B1,Grave\u0085x,2023-01-01,48.1,35.1", "holds the control character U+0085"),
    ],
)
def test_a_bad_value_refuses_the_file_naming_row_and_column(
    row: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = "G1,Good grave,2023-01-01,48.2,35.2\n"
    _refused(
        [_csv(tmp_path, good.replace("G1", "A0") + row.replace("B1", "B1") + "\n"), "--format", "csv"],
        capsys,
        message.replace("row 1", "row 2"),
        "nothing was imported",
    )


def test_every_bad_row_is_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = "A,Grave,2023-01-01,91,35\nB,Grave,2023-13-01,48,35\nC,Grave,2023-01-01,48,35\n"
    _refused(
        [_csv(tmp_path, rows), "--format", "csv"],
        capsys,
        "row 1 (A), column 'latitude'",
        "row 2 (B), column 'date'",
        "2 bad value(s)",
    )


def test_a_duplicate_id_is_a_bad_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = "A,Grave,2023-01-01,48,35\nA,Other grave,2023-01-02,48.5,35.5\n"
    _refused([_csv(tmp_path, rows), "--format", "csv"], capsys, "row 2 (A), column 'id': id 'A' is also row 1's")


def test_broken_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.json"
    path.write_text('{"events": [{"description": "x", "date": "1/2/2022",\n "latitude": "49.1" "longitude": "36"}]}')
    _refused([str(path), "--format", "timemap"], capsys, "events.json: broken JSON at line 2, column 21")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # Neither UTF-8 nor a legacy code page: binary bytes (NUL) beside broken UTF-8 sequences.
        (b"A,\x00\xff\xfe\x00\x81\x8d,2023-01-01,48,35\n", "rows.csv: not UTF-8 text (row 1, byte 36 is 0xff)"),
        (b"A,Grave,2023-01-01,48,35\nB,\x00\x00\xc3\x28\x00,2023-01-02,48,35\n", "(row 2, byte 62 is 0xc3)"),
    ],
)
def test_bytes_no_encoding_reads_are_refused_naming_row_and_byte(
    data: bytes, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(HEADER.encode() + data)
    _refused([str(path), "--format", "csv"], capsys, message, "save it again as UTF-8")


def test_a_broken_utf16_file_is_refused_naming_row_and_byte(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "rows.csv"
    text = HEADER.replace(",", "\t") + "A\tGrave\t2023-01-01\t48\t35\n"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le") + b"\x00\xd8")  # a lone high surrogate at the end
    _refused([str(path), "--format", "csv"], capsys, "its byte-order mark says UTF-16, but row 2, byte")


def test_a_timemap_source_the_file_does_not_hold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.json"
    path.write_text(
        '[{"id": "E1", "description": "Strike", "date": "1/2/2022", "latitude": "49.1", '
        '"longitude": "36.1", "sources": ["SRC404"]}]'
    )
    _refused([str(path), "--format", "timemap"], capsys, "row 1 (E1), column 'sources': source 'SRC404' is not")


def test_an_unknown_mapping_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns: {title: name, date: when, latitude: y, longitude: x, place: town}\n")
    _refused(
        [str(DATA / "graves.csv"), "--format", "csv", "--mapping", str(mapping)],
        capsys,
        "the mapping's column 'town' (for place) is not in the file (its columns: case, name, when",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns: {town: x}\n", "columns: 'town' is not one of our fields"),
        ("colums: {}\n", "unknown key 'colums'"),
        ("categories: {burial: {site: crater}}\n", "site kind 'crater' is not one of"),
        ("columns: [title]\n", "columns must map our fields"),
        ("dataset: '../x'\n", "dataset '../x' must be"),
        ("columns: {title: [a, b]}\n", "title takes one column, not 2"),
        ("columns: {title: name\n", "not valid YAML"),
        ("- a\n- b\n", "expected keys such as columns:"),
    ],
)
def test_a_bad_mapping_file(text: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(text)
    _refused([str(DATA / "graves.csv"), "--format", "csv", "--mapping", str(mapping)], capsys, message)


def test_a_missing_mapping_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _refused(
        [str(DATA / "graves.csv"), "--format", "csv", "--mapping", str(tmp_path / "m.yaml")],
        capsys,
        "m.yaml: no such file",
    )


def test_a_table_without_the_required_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("name,when\nGrave,2023-01-01\n")
    _refused([str(path), "--format", "csv"], capsys, "rows.csv: no date column ('date'); its columns are name, when")


def test_an_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _refused([_csv(tmp_path, ""), "--format", "csv"], capsys, "rows.csv: no rows to import")


def test_json_report_of_the_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["import", "sites", _csv(tmp_path, "A,Grave,2023-01-01,91,35\n"), "--format", "csv", "--json"]) == 2
    document = json.loads(capsys.readouterr().out)
    assert document["problems"] == [
        {"row": 1, "id": "A", "column": "latitude", "message": "latitude 91 is outside -90..90"}
    ]


@pytest.mark.parametrize("value", ["-5", "nan", "far"])
def test_a_merge_distance_that_is_not_one(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["import", "sites", str(DATA / "graves.csv"), "--format", "csv", "--merge-distance", value])
    assert stopped.value.code == 2 and "--merge-distance" in capsys.readouterr().err


def test_skip_bad_rows_imports_the_good_ones_and_lists_the_bad(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = "A,Grave,2023-01-01,91,35\nB,Grave,2023-01-02,48,35\nB,Other grave,2023-01-02,48.5,35.5\n"
    assert main(["import", "sites", _csv(tmp_path, rows), "--format", "csv", "--skip-bad-rows"]) == 1
    err = capsys.readouterr().err
    assert "left out: row 1 (A), column 'latitude'" in err and "row 3 (B), column 'id'" in err
    assert list(ImportedRow.objects.values_list("external_id", "row")) == [("B", 2)]


@pytest.mark.parametrize(
    ("hidden", "code_point"),
    [
        ("\u200b", "U+200B"),  # zero width space: pasted from web pages
        ("\ufeff", "U+FEFF"),  # a byte-order mark in the middle of a cell: cells pasted from other files
        ("\u2060", "U+2060"),  # word joiner
        ("\u202e", "U+202E"),  # right-to-left override: would show "Grave" backwards
        ("\u2066", "U+2066"),  # left-to-right isolate
        ("\U000e0041", "U+E0041"),  # tag character: hidden ASCII
    ],
)
def test_invisible_characters_are_removed_with_a_note_not_refused(
    hidden: str, code_point: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A black-box tester's file was refused whole for one zero-width space in a description, "at character 1
    (after '')". Characters that only hide or reorder text are removed, and the summary says so by row and column."""
    from lestweforget.atlas.models import Event, SiteName

    path = _csv(tmp_path, f"Z1,{hidden}Grave{hidden} by the road,2023-01-01,48.1,35.1\n")
    assert main(["import", "sites", path, "--format", "csv"]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert f"row 1 (Z1), column 'title': invisible characters removed ({code_point})" in err, err
    assert SiteName.objects.filter(name="Grave by the road").exists()
    assert Event.objects.filter(title_en="Grave by the road").exists()
    assert not any(hidden in name for name in SiteName.objects.values_list("name", flat=True))


def test_a_control_character_first_in_a_cell_is_said_to_be_at_the_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _refused(
        [_csv(tmp_path, "C1,\x07Grave,2023-01-01,48.1,35.1\n"), "--format", "csv"],
        capsys,
        "holds the control character U+0007 at character 1 (at the start)",
    )
