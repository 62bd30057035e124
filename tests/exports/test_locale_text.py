"""Dates, numbers and distances in Ukrainian follow its grammar, and English reads as English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lestweforget.exports.locale_text import (
    MONTHS_UK_GENITIVE,
    MONTHS_UK_NOMINATIVE,
    coordinates_text,
    date_text,
    day_text,
    distance_text,
    number_text,
)

D = dt.date


@pytest.mark.parametrize(
    ("args", "en", "uk"),
    [
        ((D(2022, 9, 15), "day"), "15 September 2022", "15 вересня 2022"),
        ((D(2022, 9, 1), "month"), "September 2022", "вересень 2022"),
        ((D(2022, 1, 1), "year"), "2022", "2022"),
        ((D(2025, 11, 24), "by"), "by 24 November 2025", "не пізніше 24 листопада 2025"),
        ((D(2023, 6, 1), "approx"), "about June 2023", "близько червня 2023"),
        ((D(2022, 4, 1), "range", D(2022, 8, 31)), "April 2022 to August 2022", "з квітня 2022 до серпня 2022"),
        ((D(2022, 9, 16), "range", D(2022, 9, 23)), "16 September 2022 to 23 September 2022",
         "з 16 вересня 2022 до 23 вересня 2022"),
        ((None, "day"), "date unknown", "дата невідома"),
    ],
)  # fmt: skip
def test_a_date_is_told_with_its_precision_in_each_language(args: tuple, en: str, uk: str) -> None:
    start, precision, *end = args
    assert date_text(start, precision, "en", *end) == en
    assert date_text(start, precision, "uk", *end) == uk


@pytest.mark.parametrize("month", range(1, 13))
def test_every_ukrainian_month_is_lower_case_genitive_after_a_day_or_preposition_nominative_alone(month: int) -> None:
    day = D(2022, month, 1)
    end = D(2022, month, 28) if month == 2 else D(2022, month, 30)
    assert day_text(day, "uk") == f"1 {MONTHS_UK_GENITIVE[month - 1]} 2022"
    assert date_text(day, "month", "uk") == f"{MONTHS_UK_NOMINATIVE[month - 1]} 2022"
    assert date_text(day, "approx", "uk") == f"близько {MONTHS_UK_GENITIVE[month - 1]} 2022"
    for text in (day_text(day, "uk"), date_text(day, "range", "uk", end), date_text(day, "by", "uk")):
        assert text == text.lower()
        assert not set(text.split()) & (set(MONTHS_UK_NOMINATIVE) - set(MONTHS_UK_GENITIVE))


@pytest.mark.parametrize(
    ("metres", "step", "en", "uk"),
    [
        (37, 0, "37 m", "37 м"),
        (846, 0, "850 m", "850 м"),
        (1283, 0, "1.3 km", "1,3 км"),
        (23_400, 0, "23 km", "23 км"),
        (375, 2000, "within about 2 km", "у межах близько 2 км"),
        (3375, 2000, "about 4 km", "близько 4 км"),
        (700, 500, "about 0.5 km", "близько 0,5 км"),
        (1300, 500, "about 1.5 km", "близько 1,5 км"),
    ],
)
def test_distances_use_a_decimal_comma_in_ukrainian_and_round_to_the_step(
    metres: float, step: int, en: str, uk: str
) -> None:
    assert distance_text(metres, "en", step) == en
    assert distance_text(metres, "uk", step) == uk


def test_no_ukrainian_number_has_a_decimal_point() -> None:
    for value in (0.5, 1.25, 12_500.75, 1_234_567.5):
        text = number_text(value, "uk", 2)
        assert "." not in text and re.fullmatch(r"[\d\u00a0]+,\d\d", text)
    assert number_text(12_500, "uk") == "12\u00a0500"
    assert number_text(12_500, "en") == "12,500"


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_a_distance_that_is_not_a_number_of_metres_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="distance"):
        distance_text(bad, "uk")


@pytest.mark.parametrize(
    ("written", "ukrainian"),
    [
        ("49.220922, 37.244553", "49,220922°\u00a0пн.\u00a0ш. 37,244553°\u00a0сх.\u00a0д."),
        ("-33.5, -70.25", "33,5°\u00a0пд.\u00a0ш. 70,25°\u00a0зх.\u00a0д."),
        ("49°13′15.3″N 37°14′40.4″E", "49°13′15,3″\u00a0пн.\u00a0ш. 37°14′40,4″\u00a0сх.\u00a0д."),
        ("12°03.500′S 77°02.500′W", "12°03,500′\u00a0пд.\u00a0ш. 77°02,500′\u00a0зх.\u00a0д."),
        ("49°13′N 37°16′E", "49°13′\u00a0пн.\u00a0ш. 37°16′\u00a0сх.\u00a0д."),
    ],
)
def test_coordinates_read_in_ukrainian_with_a_decimal_comma_and_hemisphere_words(written: str, ukrainian: str) -> None:
    assert coordinates_text(written, "uk") == ukrainian
    assert coordinates_text(written, "en") == written


@pytest.mark.parametrize("code", ["37S CQ 72173 53498", "31N AB 12 34", "8GXV66CV+9R7", "X 5 455 781, Y 7 372 236"])
def test_codes_stay_as_they_are_even_with_a_hemisphere_like_letter(code: str) -> None:
    assert coordinates_text(code, "uk") == code


@given(st.floats(-90, 90), st.floats(-180, 180))
def test_every_point_geo_writes_reads_in_ukrainian_without_a_point_or_a_latin_letter(lat: float, lon: float) -> None:
    from lestweforget.geo import LatLon
    from lestweforget.geo.decimal_degrees import format_decimal
    from lestweforget.geo.dms import format_ddm, format_dms

    point = LatLon(lat, lon)
    for written in (format_decimal(point, 6), format_dms(point, 1), format_ddm(point, 3), format_dms(point, 0)):
        text = coordinates_text(written, "uk")
        assert not re.search(r"\d\.\d|[A-Za-z]", text), (written, text)
        assert len(re.findall(r"(?:пн|пд)\.\u00a0ш\.", text)) == 1, (written, text)
        assert len(re.findall(r"(?:сх|зх)\.\u00a0д\.", text)) == 1, (written, text)
