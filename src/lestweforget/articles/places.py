"""Places named in an article: every mention of a settlement, raion, oblast, region or atlas site, resolved to a
gazetteer entry with a confidence, or reported as ambiguous with its candidates.

A mention is found by its written form or by a dictionary form of it (Ізюмі → Ізюм, Харківської області →
Харківська область, Новій Каховці → Нова Каховка), in Cyrillic or Latin. A name that several places share is
resolved, in this order, by an oblast named right after it ("Vynohradne, Zaporizhzhia oblast"), by an oblast
named in the same sentence, by an oblast the article names or is set in, by the nearest of the other places the
article names (within 60 km), and by population (a city over ten times any namesake). Otherwise it stays
ambiguous.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from lestweforget import geo
from lestweforget.articles.dates import MONTH_KEYS, WEEKDAY_KEYS
from lestweforget.articles.gazetteer import Gazetteer, Place
from lestweforget.articles.morphology import has_tag, is_common_word, lemma_set, readings
from lestweforget.articles.regions import (
    OBLAST_ADJECTIVES,
    OBLAST_WORDS,
    RAION_WORDS,
    SETTLEMENT_WORDS,
    STREET_WORDS_AFTER,
    STREET_WORDS_BEFORE,
)
from lestweforget.articles.text import Sentences, Word, words

RESOLUTIONS: Final = (
    "unique",
    "oblast named with it",
    "oblast in the sentence",
    "oblast of the article",
    "nearby places",
    "largest namesake",
    "ambiguous",
)
_CONFIDENCE: Final = {
    "unique": 0.95,
    "oblast named with it": 0.9,
    "oblast in the sentence": 0.85,
    "oblast of the article": 0.8,
    "nearby places": 0.75,
    "largest namesake": 0.6,
    "ambiguous": 0.0,
}
_NEARBY_M: Final = 60_000.0
_DOMINANT_POPULATION_RATIO: Final = 10
_MAX_FORMS_PER_WORD: Final = 6
# A raion's adjective in any case and gender: its stem before -ськ-/-цьк-/-ск-/-цк- ("Ізюмського", "Купянском").
_RAION_ADJECTIVE: Final = re.compile(
    r"^(.{3,}?)(?:ськ|цьк|зьк|ск|цк|зк)(?:ий|ого|ому|им|ім|ій|ої|ою|а|у|е|ом|ая|ой|ую|ое)$"
)
# Capitalised English words that GeoNames also lists as a Ukrainian place's alternate name.
_ENGLISH_NOT_PLACES: Final = frozenset(
    [
        "the",
        "this",
        "that",
        "these",
        "those",
        "a",
        "an",
        "and",
        "but",
        "or",
        "on",
        "in",
        "at",
        "of",
        "for",
        "by",
        "from",
        "with",
        "to",
        "as",
        "it",
        "its",
        "his",
        "her",
        "their",
        "our",
        "we",
        "they",
        "he",
        "she",
        "there",
        "here",
        "when",
        "where",
        "after",
        "before",
        "during",
        "since",
        "while",
        "police",
        "prosecutor",
        "prosecutors",
        "president",
        "governor",
        "general",
        "mayor",
        "minister",
        "ministry",
        "army",
        "forces",
        "russia",
        "russian",
        "russians",
        "ukraine",
        "ukrainian",
        "ukrainians",
        "europe",
        "european",
        "today",
        "yesterday",
        "some",
        "many",
        "most",
        "more",
        "about",
        "over",
        "under",
        "up",
        "down",
        "all",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "dozens",
        "hundreds",
        "thousands",
        "photo",
        "video",
        "map",
        "source",
        "sources",
        "read",
        "also",
        "according",
    ]
) | frozenset((*MONTH_KEYS, *WEEKDAY_KEYS))


@dataclass(frozen=True)
class PlaceMention:
    """One mention: the words as written and where (character offsets), the sentence, the place it resolves
    to (None when ambiguous), every candidate, the confidence (0..1) and how it was resolved (RESOLUTIONS)."""

    text: str
    start: int
    end: int
    sentence: str
    place: Place | None
    candidates: tuple[Place, ...]
    confidence: float
    resolution: str

    @property
    def is_ambiguous(self) -> bool:
        return self.place is None


@dataclass
class _Found:
    first: int
    last: int
    candidates: tuple[Place, ...]
    oblast_after: str = ""
    settlement_word: bool = False
    demoted: bool = False


def find_places(
    text: str, language: str, gazetteer: Gazetteer, sentences: Sentences | None = None
) -> tuple[PlaceMention, ...]:
    """Every place mention in ``text`` (written in ``language``: "uk", "ru" or "en"), in text order."""
    sentences = sentences or Sentences.of(text)
    tokens = words(text)
    sentence_starts = set(sentences.starts)
    found: list[_Found] = []
    index = 0
    while index < len(tokens):
        match = _match_at(tokens, index, text, language, gazetteer, sentence_starts)
        if match is None:
            index += 1
            continue
        found.append(match)
        index = match.last + 1
    _note_oblasts_named_after(found, tokens, text)
    return _resolve(found, tokens, text, sentences)


def distinct_places(mentions: Sequence[PlaceMention]) -> tuple[Place, ...]:
    """The places resolved in ``mentions``, each once, in order of first mention."""
    return tuple({m.place.key: m.place for m in mentions if m.place is not None}.values())


def _adjacent(text: str, left: Word, right: Word) -> bool:
    between = text[left.end : right.start]
    return between.strip(" \u00a0") in ("", "-") and "\n" not in between


def _forms(word: Word, language: str) -> list[str]:
    if word.is_number:
        return []
    return sorted(lemma_set(word.text, language), key=len)[:_MAX_FORMS_PER_WORD]


def _match_at(
    tokens: list[Word], index: int, text: str, language: str, gazetteer: Gazetteer, sentence_starts: set[int]
) -> _Found | None:
    first = tokens[index]
    if not first.is_capitalised or len(first.text) < 3:
        return None
    first_forms = _forms(first, language)
    if any(gazetteer.starts_a_longer_name(form) for form in first_forms):
        for size in range(min(gazetteer.max_words, len(tokens) - index), 1, -1):
            phrase = tokens[index : index + size]
            if not all(_adjacent(text, a, b) for a, b in itertools.pairwise(phrase)):
                continue
            candidates = _lookup_phrase(phrase, language, gazetteer)
            if candidates:
                return _Found(index, index + size - 1, candidates)
    raion = _raion(tokens, index, text, language, gazetteer)
    if raion is not None:
        return raion
    oblast = _oblast_by_adjective(tokens, index, text, language, first_forms, gazetteer)
    if oblast is not None:
        return _Found(index, index + 1, (oblast,))
    candidates = tuple(dict.fromkeys(place for form in first_forms for place in gazetteer.lookup(form)))
    candidates = tuple(place for place in candidates if place.kind != "site")
    if not candidates or not _plausible(tokens, index, text, language, candidates, sentence_starts, gazetteer):
        return None
    previous = tokens[index - 1] if index else None
    settlement_word = (
        previous is not None and previous.text.lower() in SETTLEMENT_WORDS and _adjacent_or_dot(text, previous, first)
    )
    if settlement_word:
        candidates = tuple(place for place in candidates if place.kind == "settlement") or candidates
    demoted = first.start in sentence_starts and is_common_word(first.text, language)
    return _Found(index, index, candidates, settlement_word=settlement_word, demoted=demoted)


def _oblast_by_adjective(
    tokens: list[Word], index: int, text: str, language: str, forms: list[str], gazetteer: Gazetteer
) -> Place | None:
    """The oblast when a name is followed by "regional"/"обласна" ("Kharkiv regional prosecutor's office",
    "Донецької обласної адміністрації")."""
    if index + 1 >= len(tokens) or not _adjacent(text, tokens[index], tokens[index + 1]):
        return None
    following = tokens[index + 1]
    if not (lemma_set(following.text, language) | {following.text.lower()}) & OBLAST_ADJECTIVES:
        return None
    found = {
        place.key: place
        for form in forms
        for word in ("область", "oblast")
        for place in gazetteer.lookup(f"{form} {word}")
        if place.kind == "oblast"
    }
    return next(iter(found.values())) if len(found) == 1 else None


def _adjacent_or_dot(text: str, left: Word, right: Word) -> bool:
    return text[left.end : right.start].strip(" .\u00a0") == ""


def _lookup_phrase(phrase: list[Word], language: str, gazetteer: Gazetteer) -> tuple[Place, ...]:
    per_word = [_forms(word, language) or [word.text.lower()] for word in phrase]
    forms = {" ".join(combination) for combination in itertools.islice(itertools.product(*per_word), 256)}
    forms.add(" ".join(word.text for word in phrase))
    found = tuple(dict.fromkeys(place for form in forms for place in gazetteer.lookup(form)))
    # Words after the first may be lower case only in a site's name or a "… область" phrase.
    if not all(word.is_capitalised for word in phrase[1:]):
        found = tuple(place for place in found if place.kind in ("site", "oblast"))
    return found


def _raion(tokens: list[Word], index: int, text: str, language: str, gazetteer: Gazetteer) -> _Found | None:
    if index + 1 >= len(tokens) or not _adjacent(text, tokens[index], tokens[index + 1]):
        return None
    following = tokens[index + 1]
    if not lemma_set(following.text, language) & RAION_WORDS and following.text.lower() not in RAION_WORDS:
        return None
    word = tokens[index]
    centres: tuple[Place, ...] = ()
    if readings(word.text, language):
        for form in sorted(lemma_set(word.text, language)):
            stem = _RAION_ADJECTIVE.match(form)
            if stem is not None:
                centres = gazetteer.raion_centres(stem.group(1))
                if centres:
                    break
    else:
        stem_en = re.sub(r"(?:s'?kyi|skyy|sky|s'ka|ska)$", "", word.text)
        centres = tuple(p for p in gazetteer.lookup(stem_en) if p.kind == "settlement")
    if not centres:
        return None
    return _Found(index, index + 1, tuple(_raion_of(centre) for centre in centres[:6]))


def _raion_of(centre: Place) -> Place:
    return Place(
        key=f"raion:{centre.key}",
        name=f"{centre.name} raion",
        kind="raion",
        latitude=centre.latitude,
        longitude=centre.longitude,
        uncertainty_m=30_000.0,
        region=centre.region,
        population=centre.population,
        names=(),
        name_uk=f"{centre.name_uk} район" if centre.name_uk else "",
        name_ru=f"{centre.name_ru} район" if centre.name_ru else "",
    )


def _plausible(
    tokens: list[Word],
    index: int,
    text: str,
    language: str,
    candidates: tuple[Place, ...],
    sentence_starts: set[int],
    gazetteer: Gazetteer,
) -> bool:
    word = tokens[index]
    previous = tokens[index - 1] if index else None
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    known_words = readings(word.text, language)
    if not known_words and word.text.lower().removesuffix("'s") in _ENGLISH_NOT_PLACES:
        return False
    # Part of a person's name or of a title: "Oleh Kotenko", "Олена Лиман", "Kyiv Independent".
    after_capital = (
        previous is not None
        and previous.is_capitalised
        and not previous.is_number
        and _adjacent(text, previous, word)
        and previous.text.lower() not in SETTLEMENT_WORDS
        and not (previous.start in sentence_starts and _function_word(previous, language))
    )
    before_capital = (
        following is not None
        and following.is_capitalised
        and _adjacent(text, word, following)
        and not any(place.kind == "oblast" for place in candidates)
        and not _is_place_word(following, language)
        and not _names_a_place(following, language, gazetteer)
    )
    surname = (
        has_tag(word.text, language, ("Surn", "Patr"))
        and not has_tag(word.text, language, ("Geox",))
        and previous is not None
        and has_tag(previous.text, language, ("Name",))
    )
    street = (
        previous is not None
        and bool((lemma_set(previous.text, language) | {previous.text.lower()}) & STREET_WORDS_BEFORE)
        and not any(place.kind in ("oblast", "region") for place in candidates)
    ) or (following is not None and following.text.lower() in STREET_WORDS_AFTER and _adjacent(text, word, following))
    # "Мирне населення…" opens a sentence with an adjective, not with one of 14 villages.
    biggest = max(place.population for place in candidates)
    common_opening = (
        word.start in sentence_starts
        and is_common_word(word.text, language)
        and (biggest < 10_000 or len(candidates) > 1)
    )
    return not (after_capital or before_capital or surname or street or common_opening)


def _names_a_place(word: Word, language: str, gazetteer: Gazetteer) -> bool:
    """Whether ``word`` is (or begins) a place's name: "Ізюм Харківської області" is two places, while
    "Володимир Зеленський" is a person."""
    return any(
        gazetteer.lookup(form) or gazetteer.lookup(f"{form} область") or gazetteer.starts_a_longer_name(form)
        for form in _forms(word, language)
    )


def _function_word(word: Word, language: str) -> bool:
    """A word that opens a sentence without being a name: "In", "Під", "В", "The"."""
    lowered = word.text.lower()
    return len(lowered) <= 3 or lowered in _ENGLISH_NOT_PLACES or is_common_word(word.text, language)


def _is_place_word(word: Word, language: str) -> bool:
    forms = lemma_set(word.text, language)
    return bool(forms & (OBLAST_WORDS | RAION_WORDS))


def _note_oblasts_named_after(found: list[_Found], tokens: list[Word], text: str) -> None:
    """Mark a mention followed closely by an oblast ("Vynohradne, Zaporizhzhia oblast", "с. Виноградне
    Запорізької області"), which then decides among its namesakes."""
    for current, following in itertools.pairwise(found):
        if following.first - current.last > 3 or current.last + 1 > following.first:
            continue
        oblasts = [place for place in following.candidates if place.kind == "oblast"]
        gap = text[tokens[current.last].end : tokens[following.first].start]
        if len(oblasts) == 1 and len(gap) <= 12 and not any(mark in gap for mark in ".;!?"):
            current.oblast_after = oblasts[0].region


def _resolve(found: list[_Found], tokens: list[Word], text: str, sentences: Sentences) -> tuple[PlaceMention, ...]:
    sentence_of = [sentences.index_at(tokens[f.first].start) for f in found]
    unique = [f.candidates[0] for f in found if len(f.candidates) == 1]
    article_oblasts = {place.region for place in unique if place.kind in ("settlement", "oblast", "raion", "site")}
    sentence_oblasts: dict[int, set[str]] = {}
    for f, number in zip(found, sentence_of, strict=True):
        if len(f.candidates) == 1 and f.candidates[0].kind in ("oblast", "raion"):
            sentence_oblasts.setdefault(number, set()).add(f.candidates[0].region)
    anchors = [place for place in unique if place.kind in ("settlement", "site")]
    mentions = []
    for f, number in zip(found, sentence_of, strict=True):
        place, resolution = _choose(f, sentence_oblasts.get(number, set()), article_oblasts, anchors)
        confidence = _CONFIDENCE[resolution] * (0.85 if f.demoted else 1.0)
        start, end = tokens[f.first].start, tokens[f.last].end
        mentions.append(
            PlaceMention(
                text=text[start:end],
                start=start,
                end=end,
                sentence=sentences.around(start),
                place=place,
                candidates=f.candidates,
                confidence=round(confidence, 2),
                resolution=resolution,
            )
        )
    return tuple(mentions)


def _choose(
    f: _Found, sentence_oblasts: set[str], article_oblasts: set[str], anchors: list[Place]
) -> tuple[Place | None, str]:
    candidates = f.candidates
    if len(candidates) == 1:
        return candidates[0], "unique"
    for oblasts, resolution in (
        ({f.oblast_after} if f.oblast_after else set(), "oblast named with it"),
        (sentence_oblasts, "oblast in the sentence"),
        (article_oblasts, "oblast of the article"),
    ):
        inside = [place for place in candidates if place.region in oblasts]
        if len(inside) == 1:
            return inside[0], resolution
        if inside:
            candidates = tuple(inside)
    others = [anchor for anchor in anchors if anchor not in candidates]
    if others:
        by_distance = sorted(
            (min(geo.distance_m(place.point, anchor.point) for anchor in others), place.key, place)
            for place in candidates
        )
        nearest, runner_up = by_distance[0], by_distance[1]
        if nearest[0] <= _NEARBY_M and runner_up[0] > 2 * nearest[0]:
            return nearest[2], "nearby places"
    ranked = sorted(candidates, key=lambda place: -place.population)
    if ranked[0].population >= _DOMINANT_POPULATION_RATIO * max(ranked[1].population, 1):
        return ranked[0], "largest namesake"
    return None, "ambiguous"
