"""Dates: precision, ranges, "by", relative expressions against the publication date, the sentence."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lestweforget.articles import find_dates

FRIDAY = date(2022, 9, 23)


def found(text: str, language: str, published: date | None = FRIDAY) -> list[tuple[str, str]]:
    return [(m.iso(), m.precision) for m in find_dates(text, language, published)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Ексгумацію завершили 23 вересня 2022 року.", "uk", [("2022-09-23", "day")]),
        ("Эксгумацию завершили 23 сентября 2022 года.", "ru", [("2022-09-23", "day")]),
        ("The exhumation ended on September 23, 2022.", "en", [("2022-09-23", "day")]),
        ("Exhumation ended on 23rd September 2022.", "en", [("2022-09-23", "day")]),
        ("Дата: 16.09.2022, ISO 2022-09-16.", "uk", [("2022-09-16", "day"), ("2022-09-16", "day")]),
        ("Пам'ятну дошку встановили у червні 2023 року.", "uk", [("2023-06", "month")]),
        ("Burials went on from April to August 2022.", "en", [("2022-04/2022-08", "range")]),
        ("Поховання тривали з 2 квітня по 15 вересня 2022 року.", "uk", [("2022-04-02/2022-09-15", "range")]),
        ("Работы шли с 16 по 23 сентября.", "ru", [("2022-09-16/2022-09-23", "range")]),
        # Issue 11 (finding 30): a range keeps each end's own precision.
        ("The town was occupied from March until 8 September 2022.", "en", [("2022-03/2022-09-08", "range")]),
        ("Місто було окуповане з березня до 8 вересня 2022 року.", "uk", [("2022-03/2022-09-08", "range")]),
        ("Город был оккупирован с марта по 8 сентября 2022 года.", "ru", [("2022-03/2022-09-08", "range")]),
        ("Searches went on from 2 April to August 2022.", "en", [("2022-04-02/2022-08", "range")]),
        ("Exhumation ran 16–23 September.", "en", [("2022-09-16/2022-09-23", "range")]),
        ("Ідентифікацію завершили до 24 листопада 2025 року.", "uk", [("2025-11-24", "by")]),
        ("The fighting lasted until the end of March.", "en", [("2022-03", "by")]),
        ("У 2022 році все змінилося.", "uk", [("2022", "year")]),
        ("The war began in 2022.", "en", [("2022", "year")]),
    ],
)
def test_dates_and_their_precision(text: str, language: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Вчора прокурор заявив про 447 тіл.", "uk", "2022-09-22"),
        ("Вчера прокурор сообщил.", "ru", "2022-09-22"),
        ("Three days ago police said.", "en", "2022-09-20"),
        ("У середу слідчі показали підвал.", "uk", "2022-09-21"),
        ("В среду следователи показали подвал.", "ru", "2022-09-21"),
        ("On Friday the exhumation ended.", "en", "2022-09-23"),
        ("Last Friday another grave was found.", "en", "2022-09-16"),
        ("Минулої п'ятниці знайшли ще одну могилу.", "uk", "2022-09-16"),
    ],
)
def test_relative_dates_resolve_against_the_publication_date(text: str, language: str, expected: str) -> None:
    (mention,) = find_dates(text, language, FRIDAY)
    assert (mention.iso(), mention.precision, mention.relative) == (expected, "day", True)
    assert mention.sentence == text


def test_a_weekday_before_the_date_it_names_is_one_date() -> None:
    assert found("У п'ятницю, 23 вересня 2022 року, завершили ексгумацію.", "uk") == [("2022-09-23", "day")]


def test_a_month_without_a_year_is_the_latest_one_up_to_publication() -> None:
    assert found("In December it was quiet.", "en", date(2023, 1, 10)) == [("2022-12", "month")]
    assert found("У лютому було тихо.", "uk", date(2023, 3, 1)) == [("2023-02", "month")]


def test_without_a_publication_date_relative_dates_are_left_out() -> None:
    assert found("Yesterday, on 16 September 2022, and in February.", "en", None) == [("2022-09-16", "day")]


def test_numbers_that_are_not_dates_stay_out() -> None:
    assert found("Police counted 447 bodies and 22 servicemen, may be more.", "en") == []


UK_MONTHS = [
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
]
RU_MONTHS = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)), st.sampled_from(["uk", "ru", "en"]))
def test_a_written_date_reads_back_as_itself(day: date, language: str) -> None:
    month = {"uk": UK_MONTHS, "ru": RU_MONTHS, "en": EN_MONTHS}[language][day.month - 1]
    year_word = {"uk": " року", "ru": " года", "en": ""}[language]
    text = (
        f"Це сталося {day.day} {month} {day.year}{year_word}."
        if language != "en"
        else f"On {day.day} {month} {day.year}."
    )
    (mention,) = find_dates(text, language, None)
    assert (mention.date, mention.precision, mention.end) == (day, "day", None)
