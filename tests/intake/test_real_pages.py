"""The reader on pages modelled on real news articles in the three languages (see real_pages/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lestweforget.articles import find_in_article, read_article, ukraine_gazetteer

PAGES = Path(__file__).parent / "real_pages"


def findings(name: str) -> dict[str, object]:
    article = read_article((PAGES / name).read_bytes(), name=name)
    return find_in_article(article, ukraine_gazetteer()).as_dict() | {"text": article.text}


@pytest.mark.parametrize(
    ("name", "language", "published", "places", "dates", "figures", "furniture"),
    [
        (
            "en-interfax-2022-09-24.html",
            "en",
            "2022-09-24",
            {"Izium (Kharkiv oblast)", "Kharkiv oblast"},
            {("2022-09-16/2022-09-23", "range"), ("2022-09-23", "day"), ("2022-03-07/2022-09-10", "range")},
            {("447", "bodies"), ("425", "civilians"), ("5", "children"), ("22", "soldiers"), ("436", "bodies")},
            ("MORE ABOUT", "All rights reserved", "Share", "#izium", "Advertising", "2 min read"),
        ),
        (
            "uk-objectiv-2025-12-09.html",
            "uk",
            "2025-12-09",
            {"Izium (Kharkiv oblast)", "Kharkiv oblast"},
            {("2025-12-09", "day"), ("2025-11-24", "day"), ("2022-09", "month")},
            {("449", "bodies"), ("23", "soldiers")},
            ("cookie", "Поділитися", "Підписуйтесь", "Популярне", "Усі права", "трамваїв"),
        ),
        (
            "ru-zerkalo-2022-09-24.html",
            "ru",
            "2022-09-24",
            {"Izium (Kharkiv oblast)"},
            {("2022-09-23", "day")},
            {("447", "bodies")},
            ("Поделиться", "Поддержите", "Все права", "Перепечатка", "Экономика"),
        ),
    ],
)
def test_a_news_page_reads_into_its_facts_without_the_sites_furniture(
    name: str,
    language: str,
    published: str,
    places: set[str],
    dates: set[tuple[str, str]],
    figures: set[tuple[str, str]],
    furniture: tuple[str, ...],
) -> None:
    found = findings(name)
    assert (found["language"], found["published"]) == (language, published)
    assert {p["place"]["label"] for p in found["places"] if p["place"]} == places  # type: ignore[index, union-attr]
    assert dates <= {(d["date"], d["precision"]) for d in found["dates"]}  # type: ignore[index, union-attr]
    assert figures <= {(f["value"], f["unit"]) for f in found["figures"]}  # type: ignore[index, union-attr]
    for piece in furniture:
        assert piece not in found["text"], piece  # type: ignore[operator]
    assert not any("sharer" in link["url"] or "share" in link["url"] for link in found["links"])  # type: ignore[index, union-attr]
