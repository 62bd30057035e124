"""The publisher's own line: an "about and policies" page in both languages, linked from every page's footer, and a
support link there only when LWF_SUPPORT_URL is set."""

from __future__ import annotations

import pytest
from django.test import Client

SITE = "izium-mass-burial-site"


@pytest.mark.parametrize(
    ("url", "headings"),
    [
        ("/about/", ["Sources", "Anonymity of contributors", "Content notes", "Corrections", "Licence"]),
        ("/uk/about/", ["Джерела", "Анонімність дописувачів", "Попередження про вміст", "Виправлення", "Ліцензія"]),
    ],
)
def test_the_about_page_states_each_policy_in_the_reader_s_language(
    client: Client, db: None, url: str, headings: list[str]
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in headings:
        assert f">{heading}</h2>" in html
    assert "pseudonym" in html or "псевдонім" in html


@pytest.mark.parametrize(("prefix", "label"), [("", "About and policies"), ("/uk", "Про проєкт і правила")])
def test_every_page_s_footer_links_the_about_page(client: Client, demo: object, prefix: str, label: str) -> None:
    for path in ("/", f"/sites/{SITE}/", "/sites/nowhere/"):
        html = client.get(prefix + path).content.decode()
        footer = html.split("<footer>", 1)[1]
        assert f'<a href="{prefix}/about/">{label}</a>' in footer, path


def test_no_support_link_unless_it_is_set(client: Client, demo: object) -> None:
    assert 'class="support"' not in client.get("/").content.decode()
    assert 'id="support"' not in client.get("/about/").content.decode()


def test_the_support_link_and_its_words_show_in_the_footer_and_on_the_about_page(
    client: Client, demo: object, settings: object
) -> None:
    settings.SUPPORT_URL = "https://example.org/donate?from=atlas&x=1"  # type: ignore[attr-defined]
    settings.SUPPORT_TEXT = "Help keep these records"  # type: ignore[attr-defined]
    for url in ("/", "/uk/", f"/sites/{SITE}/", "/about/"):
        html = client.get(url).content.decode()
        assert (
            '<a href="https://example.org/donate?from=atlas&amp;x=1" rel="noopener">Help keep these records</a>'
            in (html.split("<footer>", 1)[1])
        )
    about = client.get("/uk/about/").content.decode()
    assert "Підтримка" in about and "Help keep these records" in about


def test_the_support_link_has_default_words_in_each_language(client: Client, db: None, settings: object) -> None:
    settings.SUPPORT_URL = "https://example.org/donate"  # type: ignore[attr-defined]
    settings.SUPPORT_TEXT = ""  # type: ignore[attr-defined]
    assert ">Support this atlas</a>" in client.get("/").content.decode()
    assert ">Підтримати атлас</a>" in client.get("/uk/").content.decode()
