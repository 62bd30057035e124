"""Figures: value or range, qualifier, unit and sentence, in Ukrainian, Russian and English."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lestweforget.articles import find_figures


def found(text: str, language: str) -> list[tuple[str, str, str]]:
    return [(f.qualifier, f.value_text(), f.unit) for f in find_figures(text, language)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Знайшли 447 тіл.", "uk", [("", "447", "bodies")]),
        ("Нашли 447 тел.", "ru", [("", "447", "bodies")]),
        ("They found 447 bodies.", "en", [("", "447", "bodies")]),
        ("Понад 440 могил.", "uk", [("more than", "440", "graves")]),
        ("Более 440 могил.", "ru", [("more than", "440", "graves")]),
        ("More than 440 graves.", "en", [("more than", "440", "graves")]),
        ("Серед них п'ятеро дітей.", "uk", [("", "5", "children")]),
        ("Среди них пятеро детей.", "ru", [("", "5", "children")]),
        ("Among them five children.", "en", [("", "5", "children")]),
        ("Знайшли сотні тіл.", "uk", [("about", "200–999", "bodies")]),
        ("Hundreds of bodies were found.", "en", [("about", "200–999", "bodies")]),
        ("Щонайменше 30 тіл.", "uk", [("at least", "30", "bodies")]),
        ("Не менее 30 тел.", "ru", [("at least", "30", "bodies")]),
        ("At least 30 bodies.", "en", [("at least", "30", "bodies")]),
        ("Близько 10 тис. мешканців.", "uk", [("about", "10000", "residents")]),
        ("От 10 до 15 тысяч жителей.", "ru", [("", "10000–15000", "residents")]),
        ("Between 25 and 30 servicemen.", "en", [("", "25–30", "soldiers")]),
        ("Загинули 17 українських військових.", "uk", [("", "17", "soldiers")]),
        ("17 Ukrainian soldiers.", "en", [("", "17", "soldiers")]),
        ("Понад двадцять п'ять людей.", "uk", [("more than", "25", "people")]),
        ("Twenty-five people and a dozen children.", "en", [("", "25", "people"), ("", "12", "children")]),
        ("99% тіл мали ознаки насильницької смерті.", "uk", [("", "99", "%")]),
        ("До 9 тысяч жителей.", "ru", [("up to", "9000", "residents")]),
        ("Nearly 60 bodies.", "en", [("almost", "60", "bodies")]),
        ("460+ bodies.", "en", [("more than", "460", "bodies")]),
        ("The city had 45,884 people.", "en", [("", "45884", "people")]),
        ("Місто мало 45 884 мешканці.", "uk", [("", "45884", "residents")]),
        ("Some graves held 2–4 bodies.", "en", [("", "2–4", "bodies")]),
    ],
)
def test_figures(text: str, language: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Grave No. 222 held a family.", "en"),
        ("Могила № 222.", "uk"),
        ("At 10:30 police arrived.", "en"),
        ("Fifteen of them were tortured.", "en"),
        ("Ще одне поховання виявили вчора.", "uk"),
        ("The 22nd brigade arrived.", "en"),
    ],
)
def test_identifiers_times_ordinals_and_counts_without_a_noun_are_not_figures(text: str, language: str) -> None:
    assert found(text, language) == []


def test_a_figure_quotes_its_sentence_and_where_it_stands() -> None:
    text = "Вчора завершили роботу. Загалом знайшли 447 тіл, серед них п'ятеро дітей."
    first, second = find_figures(text, "uk")
    assert first.sentence == second.sentence == "Загалом знайшли 447 тіл, серед них п'ятеро дітей."
    assert text[first.start : first.stop] == first.text == "447 тіл"
    assert first.unit_text == "тіл"


@given(st.integers(min_value=0, max_value=10_000_000))
def test_an_english_thousands_separated_count_reads_back(value: int) -> None:
    (figure,) = find_figures(f"Police counted {value:,} bodies.", "en")
    assert (figure.low, figure.high, figure.unit) == (value, value, "bodies")


@given(st.integers(min_value=0, max_value=10_000_000))
def test_a_ukrainian_space_separated_count_reads_back(value: int) -> None:
    written = f"{value:,}".replace(",", "\u00a0")
    (figure,) = find_figures(f"Поліція нарахувала {written} тіл.", "uk")
    assert (figure.low, figure.high, figure.unit) == (value, value, "bodies")
