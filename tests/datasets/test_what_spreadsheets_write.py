"""Files as the tools people use write them: Excel's CSV under Ukrainian settings (";", decimal commas, a BOM or
Windows-1251), Excel's "Unicode text" (UTF-16, tabs), GeoJSON with shapes, timemap JSON with booleans; and
values longer than the atlas stores. Each is read, or refused naming the row and column."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from lestweforget.datasets import DEFAULT_MAPPINGS, DatasetError, read_dataset
from lestweforget.datasets.formats import CELL_LIMIT
from lestweforget.datasets.rows import NAME_LIMIT

TODAY = dt.date(2026, 12, 1)
ROWS = [
    ("id", "title", "date", "latitude", "longitude"),
    ("A1", "Масове поховання в лісі", "15.09.2022", "49,220922", "37,244553"),
    ("A2", "Їжаків яр", "16.09.2022", "49,2", "37,2"),
]


def _table(delimiter: str, rows: list[tuple[str, ...]] = ROWS) -> str:
    return "".join(delimiter.join(row) + "\r\n" for row in rows)


def _read(data: bytes, format: str = "csv", name: str = "x.csv") -> object:
    return read_dataset(data, name, format, DEFAULT_MAPPINGS[format], TODAY)


@pytest.mark.parametrize(
    ("encode", "delimiter", "read_as"),
    [
        (lambda text: "\ufeff".encode() + text.encode(), ";", "UTF-8 (with byte-order mark), semicolon-separated"),
        (lambda text: text.encode(), ";", "UTF-8, semicolon-separated"),
        (lambda text: text.encode("cp1251"), ";", "Windows-1251, semicolon-separated"),
        (lambda text: b"\xff\xfe" + text.encode("utf-16-le"), "\t", "UTF-16, tab-separated"),
        (lambda text: b"\xfe\xff" + text.encode("utf-16-be"), "\t", "UTF-16, tab-separated"),
        (lambda text: "\ufeff".encode() + text.encode(), "\t", "UTF-8 (with byte-order mark), tab-separated"),
        (lambda text: text.encode("cp1251"), "\t", "Windows-1251, tab-separated"),
    ],
)
def test_excel_files_under_ukrainian_settings_are_read(encode: object, delimiter: str, read_as: str) -> None:
    dataset = _read(encode(_table(delimiter)))  # type: ignore[operator]
    assert dataset.read_as == read_as and not dataset.problems  # type: ignore[attr-defined]
    first, second = dataset.rows  # type: ignore[attr-defined]
    assert (first.title, first.latitude, first.longitude) == ("Масове поховання в лісі", 49.220922, 37.244553)
    assert (second.title, second.date) == ("Їжаків яр", dt.date(2022, 9, 16))


def test_a_koi8_file_is_read_as_cyrillic() -> None:
    text = _table(";", [ROWS[0], ("A1", "Массовое захоронение в лесу", "15.09.2022", "49,22", "37,24")])
    dataset = _read(text.encode("koi8_r"))
    assert dataset.read_as.startswith("KOI8") and dataset.rows[0].title == "Массовое захоронение в лесу"  # type: ignore[attr-defined]


def test_a_western_european_code_page_is_not_read_as_cyrillic() -> None:
    text = "id;title;date;latitude;longitude\nA1;Friedhof in Zürich, café à côté;2022-01-01;48,1;35,1\n"
    dataset = _read(text.encode("cp1252"))
    assert dataset.read_as == "Windows-1252, semicolon-separated"  # type: ignore[attr-defined]
    assert dataset.rows[0].title == "Friedhof in Zürich, café à côté"  # type: ignore[attr-defined]


def test_quoted_commas_do_not_make_a_header_comma_separated() -> None:
    text = 'id;title;date;latitude;longitude;"notes, if any"\nA1;Grave, north;2022-09-15;49,2;37,2;\n'
    dataset = _read(text.encode())
    assert dataset.read_as == "UTF-8, semicolon-separated" and dataset.rows[0].latitude == 49.2  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title\nGrave\n", "found 1 column;"),
        ("\n\n", "found 0 columns;"),
        ("id;title;date;latitude;longitude\nA;B;2022-01-01;48;35;extra\n", "row 1 has 6 cells, but the header has 5"),
    ],
)
def test_a_table_that_is_not_one_says_so_in_good_grammar(text: str, message: str) -> None:
    with pytest.raises(DatasetError, match=message):
        _read(text.encode())


def test_a_cell_over_the_csv_modules_limit_names_its_row_and_column() -> None:
    huge = "x " * (CELL_LIMIT // 2 + 10)
    data = f"id,title,description,date,latitude,longitude\nA1,Grave,{huge},2022-01-01,48,35\n".encode()
    dataset = _read(data)
    assert [str(p) for p in dataset.problems] == [  # type: ignore[attr-defined]
        f"row 1 (A1), column 'description': a cell of {len(huge.strip()) + 1:,} characters, more than the "
        f"{CELL_LIMIT:,} a cell may hold"
    ]


@pytest.mark.parametrize(
    ("title", "kept", "note"),
    [
        ("Grave " * 2000, ("Grave " * 33).strip() + "…", "11,999 characters, cut at a word to 198"),
        ("Масове поховання " * 20, None, "cut at a word"),
        ("A" * 150 + " grave", None, None),
    ],
)
def test_a_long_title_is_cut_at_a_word_or_refused_when_it_has_no_words(
    title: str, kept: str | None, note: str | None
) -> None:
    data = f"id,title,date,latitude,longitude\nA1,{title},2022-01-01,48,35\n".encode()
    dataset = _read(data)
    if note is None:
        assert [p.message for p in dataset.problems] == [  # type: ignore[attr-defined]
            "a run of 150 characters without a space (at most 60): not a name; check the column or the file's separator"
        ]
        return
    row = dataset.rows[0]  # type: ignore[attr-defined]
    assert len(row.title) <= NAME_LIMIT and row.title.endswith("…") and " " in row.title
    if kept is not None:
        assert row.title == kept
    assert note in str(dataset.notes[0]) and "row 1 (A1), column 'title'" in str(dataset.notes[0])  # type: ignore[attr-defined]


def test_an_id_or_a_link_longer_than_the_atlas_keeps_is_refused() -> None:
    long_link = "https://example.org/" + "a" * 1000
    data = f"id,title,date,latitude,longitude,link\n{'I' * 201},Grave,2022-01-01,48,35,{long_link}\n".encode()
    messages = sorted(p.message for p in _read(data).problems)  # type: ignore[attr-defined]
    assert messages == [
        "a link of 1,020 characters, longer than 1000 (cut, it would lead elsewhere)",
        "an id of 201 characters, longer than 200",
    ]


def _collection(*geometries: object) -> bytes:
    features = [
        {"type": "Feature", "id": f"F{n}", "geometry": g, "properties": {"title": f"Grave {n}", "date": "2023-04-02"}}
        for n, g in enumerate(geometries, start=1)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def test_a_shape_is_placed_at_its_centre_with_its_reach_as_uncertainty() -> None:
    square = [[35.0, 48.0], [35.01, 48.0], [35.01, 48.01], [35.0, 48.01], [35.0, 48.0]]
    dataset = _read(
        _collection(
            {"type": "Polygon", "coordinates": [square]},
            {"type": "MultiPoint", "coordinates": [[36.0, 49.0], [36.002, 49.0]]},
            {"type": "LineString", "coordinates": [[37.0, 47.0], [37.0, 47.01]]},
            {"type": "Point", "coordinates": [35.3, 48.8]},
        ),
        "geojson",
    )
    polygon, points, line, point = dataset.rows  # type: ignore[attr-defined]
    assert (polygon.latitude, polygon.longitude) == pytest.approx((48.005, 35.005))
    assert polygon.uncertainty_m == pytest.approx(669, abs=2)  # half the diagonal of a 1.1 x 0.74 km square
    assert points.uncertainty_m == pytest.approx(73, abs=2) and line.uncertainty_m == pytest.approx(556, abs=3)
    assert point.uncertainty_m is None
    assert "row 1 (F1), column 'geometry': a Polygon: its centre 48.005000, 35.005000 is the site's point, ±670 m" in (
        str(dataset.notes[0])  # type: ignore[attr-defined]
    )


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (None, "the feature has no geometry (null)"),
        ({"type": "GeometryCollection", "geometries": []}, "a GeometryCollection geometry: only Point, MultiPoint"),
        ({"type": "Polygon", "coordinates": [[[35, "north"]]]}, "its Polygon geometry's coordinates are not"),
        ({"type": "Point", "coordinates": [48.1]}, "its Point geometry's coordinates are not"),
        ({"type": "Point", "coordinates": [35.1, 95]}, "position 35.1, 95 outside longitude -180..180, latitude"),
    ],
)
def test_a_geometry_that_places_nothing_names_its_row(geometry: object, message: str) -> None:
    problems = _read(_collection(geometry), "geojson").problems  # type: ignore[attr-defined]
    assert len(problems) == 1 and problems[0].column == "geometry" and problems[0].row == 1
    assert message in problems[0].message


def test_a_geojson_mapping_that_names_coordinate_columns_reads_the_geometry_and_says_so() -> None:
    mapping = DEFAULT_MAPPINGS["geojson"].merged({"columns": {"latitude": "y", "longitude": "x"}}, "m.yaml")
    dataset = read_dataset(
        _collection({"type": "Point", "coordinates": [35.3, 48.8]}), "x.geojson", "geojson", mapping, TODAY
    )
    assert (dataset.rows[0].latitude, dataset.rows[0].longitude) == (48.8, 35.3)
    assert dataset.file_notes == (
        "the mapping's latitude: y, longitude: x is not used: a GeoJSON feature's point is its geometry "
        "(RFC 7946 §3.1)",
    )


def _events(**values: object) -> bytes:
    event = {"id": "E1", "description": "Strike", "date": "3/2/2022", "latitude": "49.1", "longitude": "36.1"}
    return json.dumps([{**event, **values}]).encode()


@pytest.mark.parametrize(
    ("values", "graphic"),
    [
        ({"graphic": True}, True),
        ({"graphic": False}, False),
        ({"graphic": "TRUE"}, True),
        ({"graphic": "FALSE"}, False),
        ({"graphic": ""}, False),
        ({"graphic": True, "civId": 1042, "latitude": 49.1, "longitude": 36.1}, True),
        ({"id": 7.0, "latitude": 49, "longitude": 36}, False),
    ],
)
def test_timemap_json_booleans_and_numbers_are_read(values: dict[str, object], graphic: bool) -> None:
    dataset = _read(_events(**values), "timemap", "e.json")
    assert not dataset.problems  # type: ignore[attr-defined]
    row = dataset.rows[0]  # type: ignore[attr-defined]
    assert row.graphic is graphic
    assert row.external_id == {"civId": "1042", "id": "7"}.get(
        next((k for k in ("civId", "id") if k in values), ""), "E1"
    )


def test_a_timemap_value_of_the_wrong_kind_still_names_its_row() -> None:
    problems = _read(_events(description={"text": "Strike"}), "timemap", "e.json").problems  # type: ignore[attr-defined]
    assert [str(p) for p in problems] == ["row 1 (E1), column 'description': expected text, found dict"]
