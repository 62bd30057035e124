"""Finding every point a message mentions: the share sheet's sentence around a link and a `geo:` URI, a chat
message with coordinates inside it, a caption with an MGRS reference.

Each link is read by `maplinks`, each grid reference by its own reader, and the stretches of typed
coordinates by `parse_text`, so a point reads the same inside a sentence as alone. In prose only marked
coordinates count (two decimals, or a degree sign, hemisphere letter or lat/lon label): "Site 2, 49.2209,
37.2445" mentions one point, not "2, 49.2209". Links to other sites and services are passed over.

A link pasted with raw spaces in its query ("…/maps?q=49 13 15.2N, 37 14 40.2E", as chat apps and hand typing
leave it) is read whole: when a link ends inside a text value (a query parameter, a `geo:` URI, Google's
`/search/` or `/place/` path), the words after it are tried as part of it, longest first, and the longest that
reads as the link's point is taken. A link whose figures do not read as a point is a problem that stops a
sentence from yielding any other point (see `Mentions.unreadable`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from lestweforget.geo.errors import GeoError, NotAMapLink, UnreadablePoint
from lestweforget.geo.maplinks import read_map_link
from lestweforget.geo.parse_text import Lexeme, coordinate_runs, read_coordinates
from lestweforget.geo.point import ParsedLocation

_LINK: Final = re.compile(
    r"(?:geo:[+-]?\d|(?<![\w.@-])(?:[a-z][a-z0-9+.-]*://|(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?[/?#]))\S*",
    re.IGNORECASE,
)
_TRAILING: Final = ".,;:!?'\"»“”’)]}>"
# Grid references and codes, each confirmed by its own reader.
_GRID_REFERENCES: Final = tuple(
    re.compile(pattern, flags)
    for pattern, flags in (
        # MGRS: "37U CQ 72173 53498", "37UCQ7217353498".
        (r"(?<![\w.])\d{1,2}[C-HJ-NP-X] ?[A-HJ-NP-Z]{2} ?(?:\d{1,5} \d{1,5}|\d{2,10})(?!\w|\.\d)", 0),
        # UTM: "37U 372238 5455781".
        (r"(?<![\w.])\d{1,2} ?[C-HJ-NP-X] +\d{6,7}(?:\.\d+)? ?m?E? +\d{6,8}(?:\.\d+)? ?m?N?(?!\w|\.\d)", 0),
        # Plus Codes: "8GXV66CV+9R7".
        (r"(?<![\w+])[23456789CFGHJMPQRVWX]{8}\+[23456789CFGHJMPQRVWX]{2,7}(?![\w+])", re.IGNORECASE),
        # ISO 6709: "+49.2209+037.2445+150/".
        (r"(?<![\w.])[+-]\d{2,6}(?:\.\d+)?[+-]\d{3,7}(?:\.\d+)?(?:[+-]\d+(?:\.\d+)?)?(?:CRS\w+)?/", 0),
        # SK-42, labelled (X then Y or Y then X, Latin or Cyrillic letters) or two bare whole-metre figures.
        (
            r"(?<![^\W\d_])(?:(?:SK|CK|СК)[- ]?42:? *)?(?:[XХ] *[=:-]? *\d[\d \-]*\d(?:[.,]\d+)? *[mм]?\.? *[,;]? *"
            r"[YУ] *[=:-]? *\d[\d \-]*\d(?:[.,]\d+)?|[YУ] *[=:-]? *\d[\d \-]*\d(?:[.,]\d+)? *[mм]?\.? *[,;]? *"
            r"[XХ] *[=:-]? *\d[\d \-]*\d(?:[.,]\d+)?)(?: *[mм]\b\.?)?",
            re.IGNORECASE,
        ),
        (r"(?<![\d.,-])(?:\d{7,8}|\d{2,3}-\d{2}-?\d{3}) *[,;/]? *(?:\d{7,8}|\d{2,3}-\d{2}-?\d{3})(?![\d.,-])", 0),
    )
)
_DECIMAL: Final = re.compile(r"\d[.,]\d")
# A link that ends inside a value typed as text: the last query parameter ("?q=49", "&ll=49.2,"), a geo: URI,
# or Google's search, place and directions paths and 2GIS's search path.
_OPEN_TEXT: Final = re.compile(
    r"(?:[?&][^&#=]+=[^&#]*|^geo:[^#]*|/maps/(?:search|place|dir)/[^?#]*|2gis\.[a-z.]+/.*/search/[^?#]*)$",
    re.IGNORECASE,
)
_WORD: Final = re.compile(r"\s+\S+")
# A point typed with spaces is at most this many words ("49 ° 13 ' 15.2 \" N , 37 ° 14 ' 40.2 \" E").
_MAX_LINK_WORDS: Final = 16
# What carries a typed point on: a figure, a unit mark or a hemisphere letter standing alone.
_CONTINUES: Final = re.compile(r"[\s,;]*(?:[\d+\-°º'\"′″]|[NSEWnsew]\b)")
# One point is at most this many pieces ("Lat: 49 ° 13 ' 15.3 \" N, ..."); a stretch three times as long is a
# table of numbers, not a point in a sentence.
_MAX_LEXEMES: Final = 28
_TABLE_LEXEMES: Final = 3 * _MAX_LEXEMES


@dataclass(frozen=True)
class Mention:
    """One point a text mentions: where (start..end in the text), as what, and whether it came from a short
    link's code, which nobody can check by eye."""

    written: str
    start: int
    end: int
    location: ParsedLocation
    encoded: bool = False


@dataclass(frozen=True)
class Mentions:
    """What a text mentions: the points; what could not be read (a link to a place by name, an abbreviated
    grid reference); and stretches of numbers that read two ways. Each problem is a sentence naming the words
    it is about."""

    points: tuple[Mention, ...]
    unread: tuple[str, ...]
    ambiguous: tuple[str, ...]
    # Links holding figures meant as a point that do not read as one: beside another point, a conflict.
    unreadable: tuple[str, ...] = ()


def _trimmed(span: str) -> str:
    while span and span[-1] in _TRAILING:
        if span[-1] == ")" and span.count("(") >= span.count(")"):
            break
        span = span[:-1]
    return span


def _blanked(text: str, start: int, end: int) -> str:
    return text[:start] + "\x00" * (end - start) + text[end:]


def _with_spaces(text: str, start: int, written: str) -> tuple[str, ParsedLocation] | None:
    """The link at `start` read with the words after it, when it ends inside a text value and some of them
    (longest first) make it read; None otherwise. Refuses (UnreadablePoint) a reading that more figures
    follow ("q=49 13 15.2Q 37 …" reads as "49 13" only by leaving the rest of the point behind)."""
    if _OPEN_TEXT.search(written) is None:
        return None
    ends = [match.end() for match in _WORD.finditer(text, start + len(written))][:_MAX_LINK_WORDS]
    for end in reversed(ends):
        longer = _trimmed(text[start:end])
        if "\n" in longer or "\x00" in longer:
            continue
        try:
            location = read_map_link(longer)
        except GeoError:
            continue
        if _CONTINUES.match(text, start + len(longer)):
            raise UnreadablePoint(f"link {text[start:end]!r}... does not read as one point with what follows it")
        return longer, location
    return None


def _links(text: str, points: list[Mention], problems: list[str], unreadable: list[str]) -> str:
    position = 0
    while (match := _LINK.search(text, position)) is not None:
        written = _trimmed(match.group())
        position = match.end()
        if not written:
            continue
        start = match.start()
        try:
            longer = _with_spaces(text, start, written)
        except UnreadablePoint as error:
            problems.append(str(error))
            unreadable.append(str(error))
            text = _blanked(text, start, start + len(written))
            continue
        if longer is not None:
            written, location = longer
            position = start + len(written)
        end = start + len(written)
        text = _blanked(text, start, end)
        if longer is not None:
            points.append(Mention(written, start, end, location, location.read_as.endswith("short link")))
            continue
        try:
            location = read_map_link(written)
        except NotAMapLink:
            continue
        except UnreadablePoint as error:
            problems.append(str(error))
            unreadable.append(str(error))
            continue
        except GeoError as error:
            problems.append(str(error))
            continue
        encoded = location.read_as.endswith("short link")
        points.append(Mention(written, start, end, location, encoded))
    return text


def _grid_references(text: str, points: list[Mention], problems: list[str]) -> str:
    for pattern in _GRID_REFERENCES:
        for match in pattern.finditer(text):
            written = match.group().strip()
            try:
                location = read_coordinates(written)
            except GeoError as error:
                problems.append(str(error))
            else:
                points.append(Mention(written, match.start(), match.end(), location))
            text = _blanked(text, match.start(), match.end())
    return text


def _marked(run: list[Lexeme], text: str) -> bool:
    if any(lexeme.kind in ("unit", "hemisphere", "axis") for lexeme in run):
        return True
    return len(_DECIMAL.findall(text)) >= 2


def _typed(text: str, points: list[Mention], ambiguous: list[str]) -> None:
    for run in coordinate_runs(text):
        if len(run) > _TABLE_LEXEMES:
            ambiguous.append(f"{text[run[0].start : run[-1].end][:60]!r}... is a table of numbers, not one point")
            continue
        found: list[tuple[int, int, int, ParsedLocation]] = []
        for length in range(min(len(run), _MAX_LEXEMES), 1, -1):
            for first in range(len(run) - length + 1):
                pieces = run[first : first + length]
                if pieces[0].kind in ("separator", "colon", "unit") or pieces[-1].kind in ("separator", "colon"):
                    continue
                start, end = pieces[0].start, pieces[-1].end
                written = text[start:end]
                if not _marked(pieces, written):
                    continue
                try:
                    location = read_coordinates(written)
                except GeoError:
                    continue
                found.append((length, start, end, location))
        accepted: list[tuple[int, int, int, ParsedLocation]] = []
        for candidate in found:
            length, start, end, location = candidate
            overlapping = [a for a in accepted if start < a[2] and a[1] < end]
            if not overlapping:
                accepted.append(candidate)
                continue
            for other in overlapping:
                if other[0] == length and other[3].point != location.point:
                    ambiguous.append(
                        f"{text[min(start, other[1]) : max(end, other[2])]!r} can be read as "
                        f"{text[other[1] : other[2]]!r} or as {text[start:end]!r}"
                    )
        points.extend(Mention(text[start:end], start, end, location) for _, start, end, location in accepted)


def find_mentions(text: str) -> Mentions:
    """Every point `text` mentions, in the order written, and what in it could not be read."""
    points: list[Mention] = []
    unread: list[str] = []
    ambiguous: list[str] = []
    unreadable: list[str] = []
    rest = _links(text, points, unread, unreadable)
    rest = _grid_references(rest, points, unread)
    _typed(rest, points, ambiguous)
    ordered = tuple(sorted(points, key=lambda mention: mention.start))
    return Mentions(ordered, tuple(unread), tuple(ambiguous), tuple(unreadable))
