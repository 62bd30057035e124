"""The language switch leads to the same page in the other language, both ways; each page names its own address
in its language as canonical, with hreflang alternates for every language and x-default."""

from __future__ import annotations

import re

import pytest
from django.test import Client

PAGES = ["/", "/about/", "/sites/izium-mass-burial-site/", "/sites/izium-police-station-basement/", "/no-such-page/"]


def _switch_links(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="language".*?</nav>', html, re.S)
    assert nav is not None, "no language switch"
    return {code: href for href, code in re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', nav.group(0))}


@pytest.mark.parametrize("path", PAGES)
def test_the_switch_leads_to_the_same_page_in_the_other_language_and_back(
    client: Client, demo: object, path: str
) -> None:
    english = client.get(path)
    links = _switch_links(english.content.decode())
    assert links == {"en": path, "uk": f"/uk{path}"}
    ukrainian = client.get(links["uk"])
    assert ukrainian.status_code == english.status_code
    assert '<html lang="uk">' in ukrainian.content.decode()
    back = _switch_links(ukrainian.content.decode())
    assert back == links
    # The reader's cookie from an earlier choice does not pull an English address back to Ukrainian.
    client.cookies["django_language"] = "uk"
    again = client.get(back["en"])
    assert '<html lang="en">' in again.content.decode()


@pytest.mark.parametrize("path", PAGES[:4])
def test_canonical_and_hreflang_alternates_name_each_language_s_own_address(
    client: Client, demo: object, path: str
) -> None:
    for prefix in ("", "/uk"):
        html = client.get(f"{prefix}{path}").content.decode()
        assert f'<link rel="canonical" href="http://testserver{prefix}{path}">' in html
        assert f'<link rel="alternate" hreflang="en" href="http://testserver{path}">' in html
        assert f'<link rel="alternate" hreflang="uk" href="http://testserver/uk{path}">' in html
        assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{path}">' in html
        assert html.count('rel="canonical"') == 1


def test_the_ukrainian_site_page_cites_its_ukrainian_address(client: Client, demo: object) -> None:
    html = client.get("/uk/sites/izium-mass-burial-site/").content.decode()
    assert 'class="citable-url" href="http://testserver/uk/sites/izium-mass-burial-site/"' in html
    english = client.get("/sites/izium-mass-burial-site/").content.decode()
    assert 'class="citable-url" href="http://testserver/sites/izium-mass-burial-site/"' in english
