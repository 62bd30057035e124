"""Text as the finders read it: typography made plain, words with their offsets, and sentences.

Offsets always refer to the article's text as returned by `read_article`, so every finding can quote the
sentence it came from.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Final

APOSTROPHES: Final = "'’ʼ`´‘"
_APOSTROPHE_TABLE: Final = str.maketrans(dict.fromkeys("’ʼ`´‘", "'"))
WORD: Final = re.compile(r"[^\W\d_]+(?:['’ʼ`´‘-][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)

# Abbreviations a full stop does not end a sentence after (Ukrainian, Russian, English).
_ABBREVIATIONS: Final = frozenset(
    [
        "м",
        "с",
        "смт",
        "сел",
        "обл",
        "р",
        "рр",
        "вул",
        "просп",
        "пров",
        "пл",
        "буд",
        "ст",
        "ч",
        "тис",
        "млн",
        "млрд",
        "грн",
        "км",
        "див",
        "т.",
        "ім",
        "пп",
        "п",
        "напр",
        "із.",
        "ін",
        "інш",
        "г",
        "гг",
        "ул",
        "д",
        "пос",
        "пгт",
        "им",
        "тыс",
        "руб",
        "др",
        "т.е",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "nos",
        "vs",
        "etc",
        "gen",
        "col",
        "lt",
        "capt",
        "sgt",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "approx",
    ]
)
_SENTENCE_END: Final = re.compile(r"(?<=[.!?…])[\"'»”)\]]*\s+(?=[\"«“(\[]?[A-ZА-ЯІЇЄҐЁ0-9])|\n\s*\n|\n(?=\s*[-*•])")
_LINE_BREAK: Final = re.compile(r"\s*\n\s*")


def plain(text: str) -> str:
    """``text`` with every apostrophe form as ' (the finders compare words, not typography)."""
    return text.translate(_APOSTROPHE_TABLE)


@dataclass(frozen=True)
class Word:
    """One word or number of the text: as written, and where (character offsets, end exclusive)."""

    text: str
    start: int
    end: int

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_number(self) -> bool:
        return self.text[:1].isdigit()


def words(text: str) -> list[Word]:
    """Every word and number in ``text`` in order, with offsets; apostrophes and hyphens stay inside words."""
    return [Word(match.group(), match.start(), match.end()) for match in WORD.finditer(text)]


@dataclass(frozen=True)
class Sentences:
    """The sentences of a text, to find the one around an offset."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Sentences:
        starts: list[int] = []
        ends: list[int] = []
        position = 0
        for boundary in _boundaries(text):
            _add(text, position, boundary.start(), starts, ends)
            position = boundary.end()
        _add(text, position, len(text), starts, ends)
        return cls(text, tuple(starts), tuple(ends))

    def index_at(self, offset: int) -> int:
        """The number of the sentence holding ``offset`` (or the nearest one before it)."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def around(self, offset: int) -> str:
        """The sentence holding ``offset``, on one line."""
        if not self.starts:
            return ""
        index = self.index_at(offset)
        return _LINE_BREAK.sub(" ", self.text[self.starts[index] : self.ends[index]]).strip()

    def span(self, index: int) -> tuple[int, int]:
        return self.starts[index], self.ends[index]


def _boundaries(text: str) -> list[re.Match[str]]:
    found = []
    for match in _SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()]
        last = re.search(r"([^\W\d_]+)\.[\"'»”)\]]*$", before)
        if last and (last.group(1).lower() in _ABBREVIATIONS or len(last.group(1)) == 1):
            continue  # "с. Виноградне", "O. Kotenko", "No. 5"
        found.append(match)
    return found


def _add(text: str, start: int, end: int, starts: list[int], ends: list[int]) -> None:
    piece = text[start:end]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        starts.append(start + lead)
        ends.append(start + len(piece.rstrip()))
