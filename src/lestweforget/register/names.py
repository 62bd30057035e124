"""Search keys for names in any script and any common spelling.

A name becomes loose Latin keys, one per word: a Cyrillic word is first reduced to its dictionary forms by the
`articles` morphology (pymorphy3: "Ізюмі" → "ізюм"), each romanised in the Ukrainian national system (Cabinet of
Ministers resolution 55, 2010) and the Russian ICAO one through translitua (the `articles` gazetteer's
`transliterations`), then every Latin form goes through the gazetteer's `loose_latin_key`, which takes out the
y/i/j, kh/h, zh/z, apostrophe and doubled-letter differences of competing romanisations. So Izium, Izyum, Ізюм,
Изюм and Ізюмі all give "izium"; typos (Izum) are left to the trigram match of the index.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Final

from lestweforget.articles.gazetteer import loose_latin_key, transliterations
from lestweforget.articles.morphology import dictionary_forms, is_cyrillic

_WORD: Final = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*", re.UNICODE)
# Words this short are initials and prepositions ("в", "of"); they find nothing by trigram either.
MIN_KEY_CHARS: Final = 3


@functools.lru_cache(maxsize=200_000)
def word_keys(word: str) -> tuple[str, ...]:
    """The loose Latin keys of one word, each at least MIN_KEY_CHARS long; () for a shorter word. Kept for the
    process: a register repeats the same few thousand place names and kinds over a million sites."""
    forms: dict[str, None] = {}
    if is_cyrillic(word):
        for lemma in dictionary_forms(word, "uk"):
            for latin in transliterations(lemma):
                forms[loose_latin_key(latin)] = None
    else:
        forms[loose_latin_key(word)] = None
    return tuple(key for key in forms if len(key) >= MIN_KEY_CHARS and key.isascii())


def query_keys(text: str) -> list[tuple[str, ...]]:
    """The keys of each word of a search text: one tuple per word (any key of it may match), short words left out."""
    result = []
    for word in _WORD.findall(text):
        keys = word_keys(word)
        if keys:
            result.append(keys)
    return result


def name_keys(names: Iterable[str]) -> str:
    """Every key of every word of ``names``, space-separated, each once, in first-seen order."""
    keys: dict[str, None] = {}
    for name in names:
        keys.update(dict.fromkeys(_keys_of_name(name)))
    return " ".join(keys)


@functools.lru_cache(maxsize=200_000)
def _keys_of_name(name: str) -> tuple[str, ...]:
    keys: dict[str, None] = {}
    for word in _WORD.findall(name):
        keys.update(dict.fromkeys(word_keys(word)))
    return tuple(keys)


def fts_text(keys: str) -> str:
    """Keys as SQLite's FTS5 table holds them: each between underscores, so a word's first and last letters make
    trigrams of their own ("_iz", "um_"), as pg_trgm's padding does; then "Izum" still meets "izium"."""
    return " ".join(f"_{key}_" for key in keys.split())


def name_words(name: str) -> list[str]:
    """The words of a name as the index splits them (letters, with apostrophes inside a word)."""
    return _WORD.findall(name)


@functools.lru_cache(maxsize=100_000)
def spelling_keys(word: str) -> tuple[str, ...]:
    """The loose Latin keys of one word as written, not reduced to its dictionary forms ("Ізюмі" → "iziumi"): a
    hundred times cheaper than `word_keys`, for ranking many names where most are nowhere near the query."""
    latin = transliterations(word) if is_cyrillic(word) else (word,)
    return tuple(dict.fromkeys(key for key in (loose_latin_key(form) for form in latin) if key.isascii()))
