"""A download made from a Ukrainian page is in Ukrainian where it has words: the uncertainty in "м", links to the
Ukrainian pages, and the histogram's months named; the machine parts (coordinates, kinds) stay as the formats want."""

from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.mark.parametrize("fmt", ["kml", "gpx"])
def test_a_ukrainian_site_download_says_its_uncertainty_in_ukrainian(client: Client, demo: object, fmt: str) -> None:
    ukrainian = client.get(f"/uk/sites/izium-mass-burial-site/export.{fmt}").content.decode()
    assert "± 300 м" in ukrainian and "± 300 m" not in ukrainian
    assert "http://testserver/uk/sites/izium-mass-burial-site/" in ukrainian
    assert not re.search(r"http://testserver/sites/", ukrainian)
    english = client.get(f"/sites/izium-mass-burial-site/export.{fmt}").content.decode()
    assert "± 300 m" in english and "http://testserver/sites/izium-mass-burial-site/" in english


def test_the_ukrainian_atlas_download_links_to_ukrainian_pages(client: Client, demo: object) -> None:
    response = client.get("/uk/export/atlas.kml")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    assert "± 300 м" in text and "http://testserver/uk/sites/izium-mass-burial-site/" in text


def test_the_timeline_histogram_names_its_months_in_the_readers_language(
    client: Client, demo: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lestweforget.register import viewport

    monkeypatch.setattr(viewport, "EVENT_LIMIT", 1)
    params = {"bbox": "30,40,40,50", "zoom": "6"}
    months = client.get("/api/viewport/timeline", {**params, "lang": "uk"}).json()["months"]
    labels = {m["month"]: m["label"] for m in months}
    assert labels["2022-09"] == "вересень 2022"
    english = client.get("/api/viewport/timeline", {**params, "lang": "en"}).json()["months"]
    assert {m["month"]: m["label"] for m in english}["2022-09"] == "September 2022"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/uk/export/atlas.kml?q=" + "a" * 10_000, "«q» в адресі: щонайбільше 200 символів"),
        ("/uk/export/atlas.gpx?from=yesterday", "«from» в адресі: «yesterday» — не дата; вкажіть РРРР-ММ-ДД"),
        ("/export/atlas.kml?kind=volcano", "«kind» in the address: “volcano” is not one of"),
        ("/uk/export/atlas.csv?has_photos=maybe", "«has_photos» в адресі: вкажіть 1 або 0"),
    ],
)
def test_an_unreadable_filter_gets_400_and_a_page_naming_it(
    client: Client, demo: object, path: str, reason: str
) -> None:
    response = client.get(path)
    assert response.status_code == 400
    page = response.content.decode()
    assert reason in page
