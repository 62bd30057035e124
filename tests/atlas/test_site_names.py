"""A site is shown by a name wherever it appears: the reader's language, else English, else Ukrainian, else any, and
only with no name at all by its slug (a site imported with only a Cyrillic name showed its transliterated slug as
its heading on English pages, in the atlas list, the viewport and the downloads)."""

from __future__ import annotations

import pytest
from django.test import Client

from lestweforget.atlas.models import Site, SiteName, choose_name

pytestmark = pytest.mark.django_db

UK = "Братська могила в Ірпені"


@pytest.mark.parametrize(
    ("names", "language", "shown"),
    [
        ({"uk": UK}, "en", UK),
        ({"en": "Irpin grave", "uk": UK}, "en", "Irpin grave"),
        ({"en": "Irpin grave", "uk": UK}, "uk", UK),
        ({"ru": "Братская могила в Ирпене"}, "en", "Братская могила в Ирпене"),
        ({"ru": "Братская могила в Ирпене", "uk": UK}, "en", UK),
        ({}, "en", None),
    ],
)
def test_the_name_shown_to_a_reader(names: dict[str, str], language: str, shown: str | None) -> None:
    assert choose_name(names, language) == shown


@pytest.fixture
def cyrillic_only() -> Site:
    site = Site.objects.create(
        slug="bratska-mohyla-v-irpeni",
        kind=Site.Kind.MASS_GRAVE,
        summary_en="A grave.",
        latitude=50.52,
        longitude=30.25,
        uncertainty_m=100,
        is_published=True,
    )
    SiteName.objects.create(site=site, language="uk", name=UK, is_primary=True)
    return site


def test_an_english_page_list_and_download_show_the_ukrainian_name_not_the_slug(
    client: Client, cyrillic_only: Site
) -> None:
    page = client.get("/sites/bratska-mohyla-v-irpeni/").content.decode()
    assert f"<h1>{UK}</h1>" in page or UK in page.split("<h1", 1)[1].split("</h1>", 1)[0]
    view = client.get("/api/viewport", {"bbox": "30,50,31,51", "zoom": 12, "lang": "en"}).json()
    assert [point["name"] for point in view["points"]] == [UK]
    listed = client.get("/api/viewport/list", {"bbox": "30,50,31,51", "lang": "en"}).json()
    assert [item["name"] for item in listed["items"]] == [UK]
    response = client.get("/export/atlas.csv")
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert UK in body
