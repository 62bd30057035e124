"""Places: inflected and transliterated names resolve to one gazetteer entry; namesakes are resolved by the
oblast or the places around them, or reported as ambiguous."""

from __future__ import annotations

import pytest

from lestweforget.articles import Gazetteer, Place, build_gazetteer, distinct_places, find_places

from .conftest import IZIUM_SITE


def labels(text: str, language: str, gazetteer: Gazetteer) -> list[str]:
    return [m.place.label() if m.place else f"ambiguous: {m.text}" for m in find_places(text, language, gazetteer)]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Слідчі працюють в Ізюмі.", "uk"),
        ("Тіла везли з Ізюма.", "uk"),
        ("Перед Ізюмом стоїть блокпост.", "uk"),
        ("Следователи работают в Изюме.", "ru"),
        ("Investigators work in Izium.", "en"),
        ("Investigators work in Izyum.", "en"),
        ("Die Ermittler arbeiten in Izjum.", "en"),
        ("Izium's forest hides a grave.", "en"),
    ],
)
def test_every_form_of_izium_is_izium(text: str, language: str, gazetteer: Gazetteer) -> None:
    (mention,) = find_places(text, language, gazetteer)
    assert mention.place is not None
    assert mention.place.label() == "Izium (Kharkiv oblast)"
    assert mention.place.key == "geonames:707292"
    assert mention.resolution == "unique" and mention.confidence >= 0.9
    assert mention.sentence == text


def test_multi_word_names_are_found_in_any_case(gazetteer: Gazetteer) -> None:
    assert labels("Загиблих знайшли у Новій Каховці та Кривому Розі.", "uk", gazetteer) == [
        "Nova Kakhovka (Kherson oblast)",
        "Kryvyi Rih (Dnipropetrovsk oblast)",
    ]


def test_oblasts_raions_and_regional_names(gazetteer: Gazetteer) -> None:
    assert labels("У Харківській області, на Харківщині, в Ізюмському районі.", "uk", gazetteer) == [
        "Kharkiv oblast",
        "Kharkiv oblast",
        "Izium raion (Kharkiv oblast)",
    ]
    assert labels("The Kharkiv regional prosecutor's office and Bucha district police.", "en", gazetteer) == [
        "Kharkiv oblast",
        "Bucha raion (Kyiv oblast)",
    ]
    assert labels("В Купянском районе Харьковщины.", "ru", gazetteer) == [
        "Kupiansk raion (Kharkiv oblast)",
        "Kharkiv oblast",
    ]


def test_a_name_many_villages_share_is_reported_as_ambiguous_with_its_candidates(gazetteer: Gazetteer) -> None:
    (mention,) = find_places("A grave was found in Vynohradne.", "en", gazetteer)
    assert mention.is_ambiguous and mention.resolution == "ambiguous" and mention.confidence == 0
    regions = {candidate.region_name for candidate in mention.candidates}
    assert {"Odesa", "Donetsk", "Mykolaiv", "Crimea"} <= regions
    assert distinct_places([mention]) == ()


def test_an_oblast_named_with_a_village_decides_among_its_namesakes(gazetteer: Gazetteer) -> None:
    mentions = find_places("У Виноградному Миколаївської області знайшли могилу.", "uk", gazetteer)
    assert [(m.place.label() if m.place else None, m.resolution) for m in mentions] == [
        ("Vynohradne (Mykolaiv oblast)", "oblast named with it"),
        ("Mykolaiv oblast", "unique"),
    ]


def test_the_nearest_namesake_to_the_other_places_wins(gazetteer: Gazetteer) -> None:
    mentions = find_places("Под Мариуполем и в Старом Крыму нашли могилы.", "ru", gazetteer)
    assert [m.place.label() if m.place else None for m in mentions] == [
        "Mariupol (Donetsk oblast)",
        "Staryi Krym (Donetsk oblast)",
    ]
    assert mentions[1].resolution in ("oblast of the article", "nearby places")


def test_people_streets_and_sentence_opening_adjectives_are_not_places(gazetteer: Gazetteer) -> None:
    assert labels("У середу Володимир Зеленський відвідав Ізюм.", "uk", gazetteer) == ["Izium (Kharkiv oblast)"]
    assert labels("Oleh Kotenko visited Izium.", "en", gazetteer) == ["Izium (Kharkiv oblast)"]
    assert labels("Будинок на вулиці Харківській зруйновано.", "uk", gazetteer) == []
    assert labels("Мирне населення Ізюма пережило окупацію.", "uk", gazetteer) == ["Izium (Kharkiv oblast)"]


def test_atlas_entries_join_the_gazetteer_and_replace_their_geonames_twin(atlas_gazetteer: Gazetteer) -> None:
    mentions = find_places("На Піщанському кладовищі в Ізюмі завершили ексгумацію.", "uk", atlas_gazetteer)
    assert [(m.text, m.place.key if m.place else None) for m in mentions] == [
        ("Піщанському кладовищі", "atlas:site:izium-mass-burial-site"),
        ("Ізюмі", "atlas:settlement:izium"),
    ]
    assert "geonames:707292" not in atlas_gazetteer.places
    english = find_places("Bodies lie near the Pishchanske cemetery.", "en", atlas_gazetteer)
    assert [m.place.key if m.place else None for m in english] == ["atlas:site:izium-mass-burial-site"]


def test_a_gazetteer_entry_with_a_bad_kind_or_point_is_refused() -> None:
    from lestweforget.articles import ArticleError

    with pytest.raises(ArticleError, match=r"^gazetteer entry x: kind 'village' is not one of"):
        Place("x", "X", "village", 49.0, 37.0, 100.0)
    with pytest.raises(ValueError, match="latitude 95"):
        Place("x", "X", "site", 95.0, 37.0, 100.0)
    with pytest.raises(ArticleError, match="uncertainty 0"):
        build_gazetteer([Place("x", "X", "site", 49.0, 37.0, 0)])
    assert IZIUM_SITE.label() == "Izium mass burial site (Kharkiv oblast)"
