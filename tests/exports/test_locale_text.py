"""Dates, numbers and distances in Ukrainian follow its grammar, and English reads as English."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from lestweforget.exports.locale_text import (
    MONTHS_UK_GENITIVE,
    MONTHS_UK_NOMINATIVE,
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
