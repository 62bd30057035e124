"""Search by name in any script and common spelling, typo-tolerant, on whichever database the suite runs on
(`make test-postgres` runs it on PostgreSQL's pg_trgm index, `make test-sqlite` on SQLite's FTS5 trigram table)."""

from __future__ import annotations

import pytest
from django.test import Client

from lestweforget.atlas.models import Site, SiteName
from lestweforget.register import search_index

from .conftest import make_site

SPELLINGS = ["Izium", "Izyum", "Izum", "Ізюм", "Изюм", "Ізюмі", "izjum", "IZIUM", "Изюме", "Izium forest"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_finds_izium_and_nothing_else(places: dict[str, Site], spelling: str) -> None:
    found = search_index.search(spelling)
    assert found and found[0] == places["izium"].pk, spelling
    assert places["bucha"].pk not in found and places["kharkiv"].pk not in found


@pytest.mark.parametrize(
    ("spelling", "place"), [("Buča", "bucha"), ("Бучі", "bucha"), ("Kharkov", "kharkiv"), ("Харкові", "kharkiv")]
)
def test_other_places_in_their_spellings(places: dict[str, Site], spelling: str, place: str) -> None:
    assert search_index.search(spelling)[:1] == [places[place].pk]


def test_api_search_takes_q_in_any_script(client: Client, places: dict[str, Site]) -> None:
    for spelling in ("Izyum", "Ізюмі", "Изюм"):
        items = client.get("/api/sites", {"q": spelling}).json()["items"]
        assert [item["slug"] for item in items] == ["test-izium"], spelling


def test_unrelated_text_finds_nothing(places: dict[str, Site]) -> None:
    assert search_index.search("Odesa") == []
    assert search_index.search("a") == []


def test_unpublished_sites_are_searched_but_never_shown(client: Client, places: dict[str, Site]) -> None:
    make_site("test-izium-hidden", 49.2, 37.25, {"en": "Izium hidden site"}, published=False)
    slugs = [item["slug"] for item in client.get("/api/sites", {"q": "Izium"}).json()["items"]]
    assert slugs == ["test-izium"]


def test_the_index_follows_renames_and_deletions(places: dict[str, Site]) -> None:
    name = SiteName.objects.get(site=places["bucha"], language="en")
    name.name = "Irpin bridge"
    name.save()
    assert search_index.search("Irpin") == [places["bucha"].pk]
    places["bucha"].delete()
    assert search_index.search("Irpin") == []
    assert search_index.search("Бучі") == []


def test_reindex_after_a_bulk_write(places: dict[str, Site]) -> None:
    SiteName.objects.filter(site=places["kharkiv"], language="en").update(name="Chuhuiv airfield")
    assert search_index.search("Chuhuiv") == []  # update() sends no signal: a bulk loader reindexes itself
    assert search_index.reindex([places["kharkiv"].pk]) == 1
    assert search_index.search("Чугуїв") == [places["kharkiv"].pk]
