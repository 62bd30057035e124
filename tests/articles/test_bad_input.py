"""Every kind of bad input gets one clear message naming the file and what is wrong."""

from __future__ import annotations

import pytest

from lestweforget.articles import MAX_ARTICLE_BYTES, ArticleError, read_article

ENGLISH = b"The exhumation in Izium ended on Friday with 447 bodies recovered from the forest. " * 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", r"^empty\.html: the file is empty; there is no article in it$"),
        (b"  \n\t\n ", r"^empty\.html: the file is empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", r"^empty\.html: this is a PDF document, not an article"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"this is a PNG image, not an article"),
        (b"\xff\xd8\xff\xe1\x00\x18Exif\x00\x00", r"this is a JPEG image, not an article"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", r"an image or video file, not an article"),
        (b"PK\x03\x04\x14\x00\x06\x00", r"a ZIP archive \(or a Word or OpenDocument file\)"),
        (b"abc\x00def\x00" * 20, r"binary data \(NUL bytes\)"),
    ],
)
def test_non_articles_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ArticleError, match=message):
        read_article(data, name="empty.html")


def test_a_twenty_megabyte_page_is_refused_as_larger_than_any_article() -> None:
    page = b"<html><body>" + b"<p>" + b"x" * (20 * 1024 * 1024) + b"</p></body></html>"
    with pytest.raises(ArticleError, match=r"^big\.html: 20\.0 MB is more than any article page \(limit 8 MB\)"):
        read_article(page, name="big.html")
    assert MAX_ARTICLE_BYTES == 8 * 1024 * 1024


def test_invalid_utf8_in_a_page_that_declares_utf8_is_a_broken_encoding() -> None:
    text = "<html><head><meta charset='utf-8'></head><body><p>" + "Ізюм, 447 тіл. " * 40 + "</p></body></html>"
    data = text.encode("utf-8")
    broken = bytearray(data)
    for position in range(200, len(broken) - 40, 37):
        broken[position] = 0xFF
    with pytest.raises(
        ArticleError, match=r"^p\.html: broken encoding: the page declares utf-8, but \d+ bytes are not valid utf-8"
    ):
        read_article(bytes(broken), name="p.html")


def test_utf8_saved_as_latin1_mojibake_is_refused() -> None:
    text = "У п'ятницю в Ізюмі завершили ексгумацію, знайшли 447 тіл, серед них п'ятеро дітей."
    garbled = text.encode("utf-8").decode("latin-1").encode("utf-8")
    with pytest.raises(ArticleError, match=r"^m\.txt: broken encoding: UTF-8 text that was read as Latin-1"):
        read_article(garbled, name="m.txt")


def test_utf8_saved_as_windows_1251_mojibake_is_refused() -> None:
    text = "В пятницу в Изюме завершили эксгумацию, нашли 447 тел, среди них пятеро детей и двое стариков."
    garbled = text.encode("utf-8").decode("cp1251", errors="replace").encode("utf-8")
    with pytest.raises(ArticleError, match=r"read as Windows-1251"):
        read_article(garbled, name="m.txt")


def test_an_article_in_german_is_refused_naming_the_language() -> None:
    text = (
        "Am Freitag wurde die Exhumierung in Isjum abgeschlossen. Insgesamt wurden 447 Leichen geborgen, darunter "
        "fünf Kinder. Die Ermittler arbeiten weiter an der Identifizierung der Toten."
    )
    with pytest.raises(ArticleError, match=r"^de\.txt: the article is in German \(de, \d+% sure\); the reader handles"):
        read_article(text.encode("utf-8"), name="de.txt")


def test_a_page_with_only_navigation_has_no_article_text() -> None:
    page = "<html><body><nav><a href='/'>Home</a></nav><footer>© 2022</footer></body></html>"
    with pytest.raises(ArticleError, match=r"^nav\.html: no article text found in the page$"):
        read_article(page, name="nav.html")


def test_the_same_refusals_hold_for_text_already_decoded() -> None:
    with pytest.raises(ArticleError, match="empty"):
        read_article("   ", name="pasted text")
    assert read_article(ENGLISH.decode()).language == "en"
