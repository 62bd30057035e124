"""Who asserted a claim, the figure's wording and the citation labels read in the page's language; what has no
Ukrainian form yet is shown as written, marked with its own language."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lestweforget.atlas.models import Claim, Source
from lestweforget.exports.locale_text import QUALIFIERS_UK, figure_text


def _claim_rows(html: str) -> list[str]:
    return re.findall(r'<tr class="claim claim-\w+">(.*?)</tr>', html, re.S)


def test_every_asserted_by_of_the_demo_has_a_ukrainian_value_or_is_a_latin_proper_name(demo: object) -> None:
    for claim in Claim.objects.exclude(asserted_by_en=""):
        assert claim.asserted_by_uk or claim.asserted_by_en in {"Human Rights Watch"}, claim.asserted_by_en


def test_the_ukrainian_page_shows_asserted_by_in_ukrainian(client: Client, demo: object) -> None:
    html = client.get("/uk/sites/izium-mass-burial-site/").content.decode()
    rows = _claim_rows(html)
    assert rows
    assert "Харківська обласна прокуратура" in html
    assert "prosecutor" not in html.split('id="findings"')[1].split('id="sources"')[0]
    english = client.get("/sites/izium-mass-burial-site/").content.decode()
    assert "Kharkiv regional prosecutor" in english and "Харківська обласна прокуратура" not in english


def test_an_asserted_by_without_a_ukrainian_value_is_marked_english(client: Client, demo: object) -> None:
    claim = Claim.objects.exclude(asserted_by_en="").first()
    assert claim is not None
    Claim.objects.filter(pk=claim.pk).update(asserted_by_uk="", asserted_by_en="Someone Untranslated")
    html = client.get(f"/uk/sites/{claim.site.slug}/").content.decode()
    assert '<span lang="en">Someone Untranslated</span>' in html


def test_the_admin_edits_asserted_by_in_both_languages(client: Client, admin_user: object, demo: object) -> None:
    from accounts import sign_in

    claim = Claim.objects.exclude(asserted_by_en="").first()
    assert claim is not None
    sign_in(client, admin_user)  # type: ignore[arg-type]
    html = client.get(f"/admin/atlas/claim/{claim.pk}/change/").content.decode()
    assert 'name="asserted_by_en"' in html and 'name="asserted_by_uk"' in html


@pytest.mark.parametrize(("english", "ukrainian"), [(q, u) for q, u in QUALIFIERS_UK.items()])
def test_every_figure_qualifier_reads_in_ukrainian(english: str, ukrainian: str) -> None:
    assert figure_text(f"{english} 460", "uk") == f"{ukrainian} 460"
    assert figure_text(f"{english} 460", "en") == f"{english} 460"


def test_figures_on_the_ukrainian_page_carry_no_english_qualifier_nor_a_decimal_point(
    client: Client, demo: object
) -> None:
    html = client.get("/uk/sites/izium-mass-burial-site/").content.decode()
    values = [value.strip() for value in re.findall(r'<td class="value">.*?<div class="cell-value">([^<]*)', html)]
    assert values and "понад 460" in values
    for value in values:
        assert not re.search(r"[A-Za-z]", value), value
        assert not re.search(r"\d\.\d", value), value


def test_citation_labels_are_translated_or_marked_with_their_language(client: Client, demo: object) -> None:
    html = client.get("/uk/sites/izium-mass-burial-site/").content.decode()
    assert "[Wikipedia (English)]" not in html
    for anchor in re.findall(r'<a href="#source-[^"]+" class="cite"[^>]*>[^<]*</a>', html):
        label = re.sub(r"<[^>]+>", "", anchor)
        if not re.search("[а-яіїєґА-ЯІЇЄҐ]", label) and re.search(
            r"[A-Za-z]{3,}", re.sub(r"\S+\.\w{2,}\S*", "", label)
        ):
            assert ' lang="' in anchor, anchor
    wikipedia = Source.objects.filter(publisher="Wikipedia (English)").first()
    if wikipedia is not None and wikipedia.key in html:
        assert "Вікіпедія (англійська)" in html
