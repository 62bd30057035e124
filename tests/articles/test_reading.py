"""read_article: title, byline, date, language, main text without a site's furniture, and every link."""

from __future__ import annotations

from datetime import date

import pytest

from lestweforget.articles import ArticleError, PublicationDate, read_article

from .conftest import QUALITY_SET


def test_a_news_page_loses_its_cookie_banner_share_row_donate_appeal_and_footer() -> None:
    data = (QUALITY_SET / "uk-01-ekshumatsiia-zavershena.html").read_bytes()
    article = read_article(data, name="uk-01.html")
    assert article.title == "В Ізюмі завершили ексгумацію: 447 тіл"
    assert article.byline == "Марта Ліс"
    assert article.published == PublicationDate(date(2022, 9, 23), "day")
    assert article.language == "uk"
    assert article.format == "html"
    assert article.text.startswith("У п'ятницю, 23 вересня 2022 року")
    for furniture in (
        "cookie",
        "Погоджуюсь",
        "Поділитися",
        "Підтримайте",
        "задонатьте",
        "©",
        "Усі права",
        "Головна",
        "Читайте також",
        "пункт незламності",
    ):
        assert furniture not in article.text, furniture
    urls = [link.url for link in article.links]
    assert urls == ["https://www.openstreetmap.org/?mlat=49.2209&mlon=37.2446#map=16/49.2209/37.2446"]
    assert article.links[0].text == "на мапі"


def test_an_english_page_keeps_the_pseudonym_and_drops_gdpr_and_support_blocks() -> None:
    article = read_article((QUALITY_SET / "en-01-exhumation-begins.html").read_bytes(), name="en-01.html")
    assert article.byline == "Grey Heron"
    assert article.language == "en"
    assert article.publisher == "Eastern Front Weekly"
    assert "cookies" not in article.text and "donate" not in article.text and "All rights" not in article.text
    assert "Share this article" not in article.text
    assert "more than 440 graves" in article.text


def test_relative_links_resolve_against_the_pages_address_and_embedded_maps_are_kept() -> None:
    page = (
        '<html><head><meta charset="utf-8"><title>Звіт</title></head><body><article><h1>Звіт</h1>'
        '<p>Поліція опублікувала <a href="/docs/report.pdf">звіт</a> про поховання біля Ізюма, яке '
        "виявили у вересні 2022 року під час огляду лісу на північній околиці міста.</p>"
        "<p>Слідчі працюють на місці вже третій тиждень і щодня оновлюють дані.</p></article>"
        '<iframe src="https://www.google.com/maps/embed?pb=!1m2!3d49.2!4d37.2"></iframe></body></html>'
    )
    article = read_article(page, url="https://news.example.org/2022/09/izium")
    urls = {link.url: link.text for link in article.links}
    assert urls["https://news.example.org/docs/report.pdf"] == "звіт"
    assert urls["https://www.google.com/maps/embed?pb=!1m2!3d49.2!4d37.2"] == "[embedded map]"


def test_markdown_takes_title_byline_date_and_links_from_its_head_and_body() -> None:
    article = read_article((QUALITY_SET / "uk-02-zelenskyi-v-iziumi.md").read_bytes(), name="uk-02.md")
    assert article.format == "markdown"
    assert article.title == "Президент побував у звільненому Ізюмі"
    assert article.byline == "Степовий Вітер"
    assert article.published == PublicationDate(date(2022, 9, 15), "day")
    assert not article.text.startswith("#") and "Автор:" not in article.text
    assert [link.url for link in article.links] == [
        "https://www.google.com/maps/search/?api=1&query=49.220922,37.244553"
    ]


def test_plain_text_reads_a_russian_head_and_a_numeric_date() -> None:
    article = read_article((QUALITY_SET / "uk-03-kativnia.txt").read_bytes(), name="uk-03.txt")
    assert article.format == "text"
    assert article.byline == "Оксана Дніпрова"
    assert article.published == PublicationDate(date(2022, 9, 19), "day")
    assert article.text.startswith("У понеділок слідчі")


def test_front_matter_gives_title_author_date_and_url() -> None:
    text = (
        "---\ntitle: Exhumation at Izium\nauthor: Night Owl\ndate: 2022-09\nurl: https://example.org/a\n---\n"
        "Forensic teams began exhuming bodies from a pine forest on the edge of Izium on Friday, officials said.\n"
    )
    article = read_article(text)
    assert (article.title, article.byline, article.url) == ("Exhumation at Izium", "Night Owl", "https://example.org/a")
    assert article.published == PublicationDate(date(2022, 9, 1), "month")


def test_a_windows_1251_page_without_a_declared_encoding_is_read() -> None:
    text = "Вчора в Ізюмі завершили ексгумацію. Загалом знайшли 447 тіл, серед них п'ятеро дітей і двоє літніх людей."
    article = read_article(text.encode("cp1251"), name="old.txt")
    assert article.text == text
    assert article.encoding == "cp1251"
    assert any("no encoding declared" in note for note in article.notes)


def test_a_declared_encoding_is_used_and_utf16_with_bom_is_read() -> None:
    page = (
        '<html><head><meta charset="koi8-r"></head><body><p>В Изюме завершили эксгумацию, обнаружено 447 тел '
        "и пятеро детей среди них.</p></body></html>"
    )
    assert "447 тел" in read_article(page.encode("koi8_r")).text
    text = "The exhumation at Izium ended on Friday with 447 bodies recovered from the forest grave site."
    assert read_article(text.encode("utf-16")).text == text


def test_a_few_stray_bytes_are_replaced_and_noted() -> None:
    text = "Exhumation in Izium ended on Friday with 447 bodies recovered from the pine forest grave site."
    data = text.encode("utf-8").replace(b"Friday", b"Fri\xffday")
    article = read_article(data, name="stray.txt")
    assert "Fri\ufffdday" in article.text
    assert any("replaced" in note for note in article.notes) or any("UTF-8" in note for note in article.notes)


def test_bytes_and_text_give_the_same_article() -> None:
    data = (QUALITY_SET / "ru-02-okkupatsiia.md").read_bytes()
    assert read_article(data) == read_article(data.decode("utf-8"))


@pytest.mark.parametrize("language_file", ["uk-06-bucha.txt", "ru-03-pytki.txt", "en-03-torture-report.txt"])
def test_the_language_is_recognised(language_file: str) -> None:
    article = read_article((QUALITY_SET / language_file).read_bytes())
    assert article.language == language_file[:2]


def test_an_unknown_format_is_refused_by_name() -> None:
    with pytest.raises(ArticleError, match=r"^a\.doc: format 'docx' is not one of html, markdown, text$"):
        read_article("Some text about Izium that is long enough.", name="a.doc", format="docx")


_BODY = (
    "У вересні 2022 року в Ізюмі, на Харківщині, знайшли масове поховання в лісі біля кладовища. "
    "Ексгумація тривала кілька тижнів; слідчі описали кожне тіло і кожен хрест, а родини впізнавали своїх. "
)


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("Автор: Іван Коваль", "Іван Коваль"),  # Ukrainian (and Russian spelling alike)
        ("Авторка: Марта Ліс", "Марта Ліс"),
        ("Текст: Степовий Вітер", "Степовий Вітер"),
        ("Автор — Алексей Иванов", "Алексей Иванов"),
        ("By Grey Heron", "Grey Heron"),
    ],
)
def test_a_byline_left_in_the_page_body_is_found_and_taken_out_of_the_text(line: str, byline: str) -> None:
    # Issue 11 (finding 7): <p>Автор: Іван Коваль</p> was missed.
    page = (
        f"<html lang='uk'><head><title>Масове поховання в Ізюмі</title></head><body><article>"
        f"<h1>Масове поховання в Ізюмі</h1><p>{line}</p><p>{_BODY}</p><p>{_BODY}</p></article></body></html>"
    )
    article = read_article(page.encode(), name="page.html")
    assert article.byline == byline
    assert line not in article.text


def test_a_sentence_starting_with_by_is_not_a_byline() -> None:
    text = f"Izium exhumation\n\nBy the end of September the exhumation was over.\n\n{_BODY}\n\n{_BODY}\n"
    assert read_article(text.encode(), name="a.txt").byline == ""


def test_markdown_emphasised_byline_with_a_date_gives_byline_and_publication_date() -> None:
    # Issue 11 (finding 7): "*By Pseudonym X, 20 September 2022*" gave no byline and no date.
    text = f"# Izium, after\n\n*By Pseudonym X, 20 September 2022*\n\n{_BODY}\n\n{_BODY}\n"
    article = read_article(text.encode(), name="a.md")
    assert article.byline == "Pseudonym X"
    assert article.published == PublicationDate(date(2022, 9, 20), "day")
