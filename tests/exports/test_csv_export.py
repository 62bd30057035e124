"""CSV export, read back with csv.DictReader."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import datetime

import pytest

from lestweforget.exports import Collection, ExportError, PlaceFeature, to_csv

HEADER = ["id", "name", "kind", "latitude", "longitude", "uncertainty_m", "time", "url", "description"]


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_header_is_the_fields_then_property_keys_sorted(collection: Collection) -> None:
    reader = csv.DictReader(io.StringIO(to_csv(collection), newline=""))
    assert reader.fieldnames == [
        *HEADER,
        "bodies_exhumed",
        "location_generalised",
        "note",
        "offset_m",
        "settlement",
    ]


def test_izium_row_reads_back(collection: Collection) -> None:
    source = collection.features[0]
    izium = rows(to_csv(collection))[0]
    assert izium["id"] == "izium-mass-burial"
    assert izium["name"] == "Масове поховання в Ізюмі"
    assert izium["kind"] == "mass_grave"
    assert (float(izium["latitude"]), float(izium["longitude"])) == (49.220922, 37.244553)
    assert float(izium["uncertainty_m"]) == 300
    assert datetime.fromisoformat(izium["time"]) == source.time
    assert izium["url"] == "https://example.org/sites/izium-mass-burial/?lang=uk&view=map"
    assert izium["settlement"] == "Ізюм"
    assert izium["bodies_exhumed"] == "447"
    assert izium["location_generalised"] == "false"


def test_description_with_newlines_quotes_and_markup_survives(collection: Collection) -> None:
    assert rows(to_csv(collection))[0]["description"] == collection.features[0].description


def test_formula_cells_get_a_leading_apostrophe(collection: Collection) -> None:
    izium, south_west, _ = rows(to_csv(collection))
    assert izium["note"] == '\'=HYPERLINK("https://evil.example","click")'
    assert south_west["description"] == "'-1 is not a formula here"


def test_negative_numbers_stay_numbers(collection: Collection) -> None:
    izium, south_west, _ = rows(to_csv(collection))
    assert (south_west["latitude"], south_west["longitude"]) == ("-33.9", "-70.6")
    assert izium["offset_m"] == "-12.5"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised_in_every_text_column(start: str) -> None:
    text = f"{start}1+1"
    feature = PlaceFeature(
        id=text, name=text, latitude=1.0, longitude=2.0, kind=text, url="", description=text,
        properties={"label": text},
    )  # fmt: skip
    (row,) = rows(to_csv(Collection(title="t", features=(feature,))))
    for column in ("id", "name", "kind", "description", "label"):
        assert row[column] == "'" + text, column


def test_place_without_optional_fields_has_empty_cells(collection: Collection) -> None:
    antimeridian = rows(to_csv(collection))[2]
    assert antimeridian["uncertainty_m"] == ""
    assert antimeridian["time"] == ""
    assert antimeridian["url"] == ""
    assert antimeridian["note"] == ""
    assert float(antimeridian["longitude"]) == 179.95


def test_rows_end_in_crlf_as_rfc4180_says(collection: Collection) -> None:
    text = to_csv(collection)
    assert text.startswith(",".join(HEADER))
    assert text.split("\r\n")[0].endswith("settlement")
    assert text.endswith("\r\n")


def test_line_breaks_of_every_kind_survive(collection: Collection) -> None:
    windows = replace(collection.features[2], description="a\r\nb\rc\nd")
    (row,) = rows(to_csv(replace(collection, features=(windows,))))
    assert row["description"] == "a\r\nb\rc\nd"


def test_empty_collection_is_just_the_header(empty_collection: Collection) -> None:
    text = to_csv(empty_collection)
    assert text == ",".join(HEADER) + "\r\n"
    assert rows(text) == []


def test_property_names_that_would_share_a_column_are_refused() -> None:
    place = PlaceFeature(id="p", name="p", latitude=1.0, longitude=2.0, properties={"=a": 1, "'=a": 2})
    with pytest.raises(ExportError, match=r"properties \[\"'=a\", '=a'\] would share the CSV column \"'=a\""):
        to_csv(Collection(title="t", features=(place,)))
