"""Ukrainian and Russian word forms through pymorphy3 (Korobov 2015) with the OpenCorpora (Russian) and
VESUM-based (Ukrainian) dictionaries: the dictionary forms a word in the text may be an inflection of.

English needs no analyser for what the finders do: a possessive "'s" and a plural "s" are all its inflection.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import pymorphy3

from lestweforget.articles.text import plain

_CYRILLIC_UK: Final = frozenset("іїєґ")
_CYRILLIC_RU: Final = frozenset("ыэёъ")
_GENDERS: Final = ("masc", "femn", "neut")


@dataclass(frozen=True)
class Reading:
    """One possible reading of a word: its dictionary form (lower case), part of speech, grammemes, whether the
    dictionary knows the word (rather than guessing by its ending), and the analyser's score."""

    lemma: str
    pos: str
    grammemes: frozenset[str]
    known: bool
    score: float


@functools.cache
def analyser(language: str) -> pymorphy3.MorphAnalyzer:
    """The analyser for "uk" or "ru" (loaded once per process)."""
    return pymorphy3.MorphAnalyzer(lang=language)


def script_language(word: str, language: str) -> str:
    """Which analyser fits ``word``: its letters decide (і → uk, ы → ru), else the article's language."""
    lowered = set(word.lower())
    if lowered & _CYRILLIC_UK:
        return "uk"
    if lowered & _CYRILLIC_RU:
        return "ru"
    return language if language in ("uk", "ru") else "uk"


def is_cyrillic(word: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in word)


@functools.lru_cache(maxsize=200_000)
def readings(word: str, language: str) -> tuple[Reading, ...]:
    """Every reading pymorphy3 gives ``word`` in ``language`` ("uk" or "ru"); () for a word not in Cyrillic."""
    if not is_cyrillic(word):
        return ()
    morph = analyser(script_language(word, language))
    result = []
    for parse in morph.parse(plain(word)):
        tag = parse.tag
        grammemes = frozenset(str(tag).replace(" ", ",").split(","))
        result.append(
            Reading(
                lemma=plain(parse.normal_form).replace("ё", "е"),
                pos=str(tag.POS or ""),
                grammemes=grammemes,
                known=bool(parse.is_known),
                score=float(parse.score),
            )
        )
    return tuple(result)


@functools.lru_cache(maxsize=200_000)
def dictionary_forms(word: str, language: str) -> tuple[str, ...]:
    """The nominative forms ``word`` may stand for, lower case: each lemma, and for an adjective its feminine
    and neuter forms too, since place names are often adjectives of either ("Виноградного" → виноградне)."""
    lowered = plain(word).lower().replace("ё", "е")
    if not is_cyrillic(word):
        return (lowered,)
    forms: dict[str, None] = {lowered: None}
    morph = analyser(script_language(word, language))
    for parse in morph.parse(plain(word)):
        forms[plain(parse.normal_form).replace("ё", "е")] = None
        if parse.tag.POS in ("ADJF", "PRTF"):
            for gender in _GENDERS:
                inflected = parse.inflect({gender, "nomn"})
                if inflected is not None:
                    forms[plain(inflected.word).replace("ё", "е")] = None
        elif parse.tag.POS == "NOUN" and "plur" in parse.tag and parse.tag.number == "plur":
            # Pluralia tantum place names (Піски, Святогірськ's "Гори") come back in the plural.
            inflected = parse.inflect({"nomn", "plur"})
            if inflected is not None:
                forms[plain(inflected.word).replace("ё", "е")] = None
    return tuple(forms)


def is_common_word(word: str, language: str) -> bool:
    """Whether the dictionary knows ``word`` (lower-cased) as an everyday adjective, verb or other non-noun
    word ("Мирне" opening a sentence is "peaceful"); place names are nouns to the Ukrainian dictionary."""
    for reading in readings(word.lower(), language):
        if reading.grammemes & {"Geox", "Name", "Surn", "Patr", "Orgn", "Trad"}:
            return False
    return any(reading.known and reading.pos not in ("NOUN", "") for reading in readings(word.lower(), language))


def has_tag(word: str, language: str, tags: Iterable[str]) -> bool:
    """Whether any reading of ``word`` carries one of ``tags`` (pymorphy3 grammemes such as "Name", "Surn")."""
    wanted = frozenset(tags)
    return any(reading.grammemes & wanted for reading in readings(word, language))


def lemma_set(word: str, language: str) -> frozenset[str]:
    """The dictionary forms of ``word`` as a set; for a word not in Cyrillic, its lower-cased English stem."""
    if is_cyrillic(word):
        return frozenset(dictionary_forms(word, language))
    return frozenset(english_forms(word))


def english_forms(word: str) -> tuple[str, ...]:
    """``word`` lower-cased, without a possessive, and its singular when it looks like a regular plural."""
    lowered = plain(word).lower()
    if lowered.endswith("'s"):
        lowered = lowered[:-2]
    forms = [lowered]
    if lowered.endswith("ies") and len(lowered) > 4:
        forms.append(lowered[:-3] + "y")
    elif lowered.endswith(("ches", "shes", "sses", "xes")):
        forms.append(lowered[:-2])
    elif lowered.endswith("s") and not lowered.endswith("ss") and len(lowered) > 3:
        forms.append(lowered[:-1])
    irregular = {"men": "man", "women": "woman", "children": "child", "people": "person", "servicemen": "serviceman"}
    if lowered in irregular:
        forms.append(irregular[lowered])
    return tuple(forms)
