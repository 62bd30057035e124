"""A Ukrainian page reads in Ukrainian: every Latin-script word on it is inside an element marked with another
language (`lang`), or is a code, an address, a unit or a proper name the allowlist names."""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser

import pytest
from django.test import Client

from lestweforget.atlas import public
from ukrainian_text import ADDRESS, ALLOWED, LATIN_WORD

PAGES = [
    "/uk/",
    "/uk/sites/izium-mass-burial-site/",
    "/uk/sites/izium-police-station-basement/",
    "/uk/about/",
    "/uk/suggest/",
    "/uk/sites/izium-mass-burial-site/suggest/",
    "/uk/suggest/thanks/",
    "/uk/sites/no-such-site/",
    "/uk/sites/izium-mass-burial-site/export.nope",
]


class _UkrainianText(HTMLParser):
    """Collects text that is in Ukrainian by the page's own marking: not inside an element of another `lang`,
    nor in script, style or code."""

    SKIP = {"script", "style", "code"}
    VOID = {"br", "wbr", "img", "input", "link", "meta", "hr", "source", "area", "base", "col", "embed", "track"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None, bool]] = []
        self.texts: list[str] = []

    def _lang(self) -> str | None:
        return next((lang for _tag, lang, _skip in reversed(self.stack) if lang), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        self.stack.append((tag, dict(attrs).get("lang"), tag in self.SKIP))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if any(skip for _tag, _lang, skip in self.stack):
            return
        if (self._lang() or "uk").split("-")[0] == "uk":
            self.texts.append(data)


def english_words(html: str) -> list[str]:
    parser = _UkrainianText()
    # A <wbr> offers a line break inside a word or an address; it does not end it.
    parser.feed(html.replace("<wbr>", ""))
    found = []
    for text in parser.texts:
        for word in LATIN_WORD.findall(ADDRESS.sub(" ", text)):
            if word not in ALLOWED and not (word.isupper() and len(word) <= 7):
                found.append(f"{word!r} in {text.strip()[:80]!r}")
    return found


def test_the_checker_finds_english_and_lets_marked_text_be() -> None:
    assert english_words('<html lang="uk"><p>понад 460 more than</p></html>')
    assert not english_words('<html lang="uk"><p>Джерело: <span lang="en">Kharkiv prosecutor</span></p></html>')
    assert not english_words('<html lang="uk"><p>Див. https://example.org/a-b та 37U CQ 72173</p></html>')


@pytest.mark.parametrize("path", PAGES)
def test_no_english_word_on_a_ukrainian_page(client: Client, demo: object, settings: object, path: str) -> None:
    settings.CONTACT_EMAIL = "editors@example.org"  # type: ignore[attr-defined]
    html = client.get(path).content.decode()
    assert '<html lang="uk">' in html
    assert english_words(html) == []


@pytest.mark.parametrize("slug", ["izium-mass-burial-site", "izium-police-station-basement"])
def test_no_english_word_in_a_ukrainian_field_guide(demo: object, settings: object, slug: str) -> None:
    from lestweforget.photos.field_guide import site_guide

    settings.CONTACT_EMAIL = "editors@example.org"  # type: ignore[attr-defined]
    data = site_guide(public.public_site(slug), "uk", "https://atlas.example.org")
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        html = bundle.read("index.html").decode()
    assert english_words(html) == []
