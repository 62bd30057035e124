"""Search by name in any script and common spelling, typo-tolerant, on whichever database the suite runs on
(`make test-postgres` runs it on PostgreSQL's pg_trgm index, `make test-sqlite` on SQLite's FTS5 trigram table)."""

from __future__ import annotations

import pytest
from django.test import Client

from lestweforget.atlas import paging
from lestweforget.atlas.models import Settlement, Site, SiteName
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


@pytest.fixture
def crowded_izium(db: None) -> list[Site]:
    """What a black-box tester had: many sites in Izium matched only through their settlement's name or an English
    spelling, and the mass burial site, named in Ukrainian, made last (the highest id)."""
    izium = Settlement.objects.create(
        slug="izium", name_en="Izium", name_uk="Ізюм", name_ru="Изюм", latitude=49.21, longitude=37.26
    )
    made = [
        make_site(
            f"test-izium-shelling-{n}", 49.2 + n / 1000, 37.25, {"en": f"Shelling of house {n}"}, settlement=izium
        )
        for n in range(8)
    ]
    made += [
        make_site(f"test-izyum-row-{n}", 49.19, 37.2 + n / 1000, {"en": f"16/09/2022 Izyum strike {n}"})
        for n in range(4)
    ]
    made.append(
        make_site(
            "test-izium-grave",
            49.2209,
            37.2445,
            {"en": "Mass burial site in the forest", "uk": "Масове поховання в Ізюмі"},
            settlement=izium,
        )
    )
    return made


def _listed(client: Client, path: str, q: str, limit: int) -> list[str]:
    slugs: list[str] = []
    cursor = None
    while True:
        params = {"q": q, "limit": limit, "bbox": "22,44,40.5,52.5", **({"cursor": cursor} if cursor else {})}
        body = client.get(path, params).json()
        slugs += [item["slug"] for item in body["items"]]
        if not (cursor := body["next_cursor"]):
            return slugs


@pytest.mark.parametrize("path", ["/api/sites", "/api/viewport/list"])
def test_search_results_come_best_match_first_and_page_stably(
    client: Client, crowded_izium: list[Site], path: str
) -> None:
    whole = _listed(client, path, "Ізюм", 100)
    assert len(whole) == 13 and whole[0] == "test-izium-grave"
    # Sites named Izyum (every word's key exact in their own names) before those found through their settlement.
    assert {slug for slug in whole[1:5]} == {f"test-izyum-row-{n}" for n in range(4)}
    assert _listed(client, path, "Ізюм", 2) == whole
    latin = _listed(client, path, "Izyum", 5)
    assert set(latin[:4]) == {f"test-izyum-row-{n}" for n in range(4)} and latin[4] == "test-izium-grave"


def test_a_cursor_of_a_ranked_list_holds_the_rank_and_refuses_another_shape(
    client: Client, crowded_izium: list[Site]
) -> None:
    first = client.get("/api/sites", {"q": "Ізюм", "limit": 1}).json()
    assert first["items"][0]["slug"] == "test-izium-grave"
    rank, pk = paging.decode(first["next_cursor"], [int, int])
    assert pk == crowded_izium[-1].pk and rank == dict(search_index.ranked_search("Ізюм"))[pk]
    plain_cursor = client.get("/api/sites", {"limit": 1}).json()["next_cursor"]
    refused = client.get("/api/sites", {"q": "Ізюм", "cursor": plain_cursor})
    assert refused.status_code == 400 and "cursor" in refused.json()["detail"]
