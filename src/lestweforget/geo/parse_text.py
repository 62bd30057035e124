"""Reading coordinates as people type them and as tools print them: decimal, DMS, degrees and decimal minutes,
exiftool's "49 deg 13' 15.24\" N", ISO 6709 ("+49.2209+037.2445/"), MGRS, UTM, Plus Codes and SK-42.

Latitude comes first unless hemisphere letters or lat/lon labels say otherwise. Anything that could be read
two ways (four bare numbers, one labelled coordinate beside an unlabelled one) is refused, not guessed.
This is the one typed-text reader: map links hand it their query text, so what it reads typed alone it
reads inside any link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

from lestweforget.geo.errors import GeoError
from lestweforget.geo.military_grid import from_mgrs, looks_like_mgrs
from lestweforget.geo.plus_code import from_plus_code, looks_like_plus_code
from lestweforget.geo.point import LatLon, ParsedLocation
from lestweforget.geo.sk42 import from_sk42, looks_like_sk42, parse_sk42
from lestweforget.geo.utm import from_utm, looks_like_utm

_DEGREES: Final = 0
_MINUTES: Final = 1
_SECONDS: Final = 2
_UNIT_NAMES: Final = ("degrees", "minutes", "seconds")

# One character for one, so positions found in the translated text are positions in the original.
_TYPOGRAPHY: Final = str.maketrans(
    {
        "º": "°",
        "˚": "°",
        "′": "'",
        "’": "'",
        "‘": "'",
        "´": "'",
        "`": "'",
        "ʹ": "'",
        "″": '"',
        "”": '"',
        "“": '"',
        "ʺ": '"',
        "−": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2007": " ",
    }
)

# Ukrainian (пн. ш., пд. ш., сх. д., зх. д.) and Russian (с. ш., ю. ш., в. д., з. д.), abbreviated or in full,
# and English "north latitude".
_NOT_LETTER_BEFORE: Final = r"(?<![^\W\d_])"
_CYRILLIC_HEMISPHERES: Final = tuple(
    (re.compile(_NOT_LETTER_BEFORE + pattern, re.IGNORECASE), letter)
    for pattern, letter in (
        (r"(?:пн|с)\.?\s*ш\b\.?", "N"),
        (r"(?:пд|ю)\.?\s*ш\b\.?", "S"),
        (r"(?:сх|в)\.?\s*д\b\.?", "E"),
        (r"(?:зх|з)\.?\s*д\b\.?", "W"),
        (r"(?:північн|северн|north(?:ern)?)\w*\s+(?:широт|latitude)\w*", "N"),
        (r"(?:південн|южн|south(?:ern)?)\w*\s+(?:широт|latitude)\w*", "S"),
        (r"(?:східн|восточн|east(?:ern)?)\w*\s+(?:довгот|долгот|longitude)\w*", "E"),
        (r"(?:західн|западн|west(?:ern)?)\w*\s+(?:довгот|долгот|longitude)\w*", "W"),
    )
)

_HEMISPHERE_WORDS: Final = {
    "n": "N",
    "north": "N",
    "пн": "N",
    "с": "N",
    "s": "S",
    "south": "S",
    "пд": "S",
    "ю": "S",
    "e": "E",
    "east": "E",
    "сх": "E",
    "в": "E",
    "w": "W",
    "west": "W",
    "зх": "W",
    "з": "W",
}
_AXIS_WORDS: Final = {
    "lat": "lat",
    "latitude": "lat",
    "широта": "lat",
    "шир": "lat",
    "lon": "lon",
    "lng": "lon",
    "long": "lon",
    "longitude": "lon",
    "довгота": "lon",
    "довг": "lon",
    "долгота": "lon",
    "долг": "lon",
}
# exiftool and iPhone write "49 deg 13' 15.24\" N"; PROJ and GDAL write "49d13'15.24\"N".
_UNIT_WORDS: Final = {
    **dict.fromkeys(("d", "deg", "degs", "degree", "degrees", "град", "градус", "градуса", "градусів"), _DEGREES),
    **dict.fromkeys(("градусов", "градуси"), _DEGREES),
    **dict.fromkeys(("min", "mins", "minute", "minutes", "хв", "хвилин", "хвилини", "мин", "минут"), _MINUTES),
    **dict.fromkeys(("sec", "secs", "second", "seconds", "сек", "секунд", "секунди", "секунды"), _SECONDS),
}

_TOKEN: Final = re.compile(
    r"""
    (?P<space>\s+)
    |(?P<number>[+-]?\d+(?:\.\d+)?)
    |(?P<unit>°|''|'|")
    |(?P<word>[^\W\d_]+)
    |(?P<separator>[,;/])
    |(?P<colon>[:=])
    """,
    re.VERBOSE,
)
_DIGIT_COMMA: Final = re.compile(r"(?<=\d),(?=\d)")
# A label after the point, as Google and Android write it: "49.2209,37.2445 (Site A)".
_LABEL: Final = re.compile(r"\s*\([^()]*\)\s*$")
# exiftool's QuickTime GPSCoordinates (iPhone videos): "..., 150.2 m Above Sea Level".
_ALTITUDE: Final = re.compile(r"\s*,?\s*([+-]?\d+(?:\.\d+)?)\s*m\s+(above|below)\s+sea\s+level\s*$", re.IGNORECASE)
# ISO 6709 Annex H, as QuickTime's location tag and exiftool print it: "+49.2209+037.2445+150.0/", the
# integer parts telling degrees (DD, DDD), degrees-minutes (DDMM) or degrees-minutes-seconds (DDMMSS).
_ISO6709: Final = re.compile(
    r"\s*(?P<lat>[+-]\d{2}(?:\d{2}){0,2}(?:\.\d+)?)(?P<lon>[+-]\d{3}(?:\d{2}){0,2}(?:\.\d+)?)"
    r"(?P<alt>[+-]\d+(?:\.\d+)?)?(?:CRS[A-Za-z0-9_:]+)?/\s*"
)


@dataclass
class _Quantity:
    text: str
    value: float
    unit: int | None


@dataclass
class _Token:
    kind: str
    text: str
    quantity: _Quantity | None = None


@dataclass
class _Group:
    quantities: list[_Quantity] = field(default_factory=list)
    hemisphere: str | None = None
    axis: str | None = None

    def is_empty(self) -> bool:
        return not self.quantities and self.hemisphere is None and self.axis is None

    def last_unit(self) -> int:
        return -1 if not self.quantities else _unit_of(self, len(self.quantities) - 1)


def _unit_of(group: _Group, index: int) -> int:
    quantity = group.quantities[index]
    if quantity.unit is not None:
        return quantity.unit
    return 0 if index == 0 else _unit_of(group, index - 1) + 1


@dataclass(frozen=True)
class Lexeme:
    """One piece of typed coordinates: kind is number, unit, hemisphere, axis, separator, colon or other."""

    kind: str
    text: str
    start: int
    end: int
    value: str = ""


def _lexemes(text: str) -> Iterator[Lexeme]:
    """Every piece of `text` (already translated by _TYPOGRAPHY) with its position; spaces are left out."""
    position = 0
    while position < len(text):
        hemisphere = next(
            ((match, letter) for pattern, letter in _CYRILLIC_HEMISPHERES if (match := pattern.match(text, position))),
            None,
        )
        if hemisphere is not None:
            match, letter = hemisphere
            yield Lexeme("hemisphere", match.group(), position, match.end(), letter)
            position = match.end()
            continue
        token = _TOKEN.match(text, position)
        if token is None:
            yield Lexeme("other", text[position], position, position + 1)
            position += 1
            continue
        kind, piece, end = token.lastgroup or "", token.group(), token.end()
        position = end
        if kind == "space":
            continue
        if kind == "word":
            word = piece.lower()
            if word in _HEMISPHERE_WORDS:
                kind, value = "hemisphere", _HEMISPHERE_WORDS[word]
            elif word in _AXIS_WORDS:
                kind, value = "axis", _AXIS_WORDS[word]
            elif word in _UNIT_WORDS:
                kind, value = "unit", "°'\""[_UNIT_WORDS[word]]
            else:
                yield Lexeme("other", piece, token.start(), end)
                continue
            # "Lat. 49.2", "N. 49.2": a known word's abbreviation dot.
            if text.startswith(".", end):
                end += 1
                position = end
            yield Lexeme(kind, piece, token.start(), end, value)
            continue
        yield Lexeme(kind, piece, token.start(), end, piece)


def _tokens(text: str, source: str) -> list[_Token]:
    tokens: list[_Token] = []
    for lexeme in _lexemes(text):
        kind, piece = lexeme.kind, lexeme.text
        if kind == "number":
            tokens.append(_Token(kind, piece, _Quantity(piece, float(piece), None)))
        elif kind == "unit":
            previous = tokens[-1] if tokens else None
            if previous is None or previous.quantity is None or previous.quantity.unit is not None:
                raise GeoError(f"{source!r}: {piece!r} does not follow a number")
            previous.quantity.unit = {"°": _DEGREES, "'": _MINUTES}.get(lexeme.value, _SECONDS)
        elif kind in ("hemisphere", "axis"):
            tokens.append(_Token(kind, lexeme.value))
        elif kind == "colon":
            if not tokens or tokens[-1].kind != "axis":
                raise GeoError(f"{source!r}: unexpected {piece!r}")
        elif kind == "separator":
            tokens.append(_Token(kind, piece))
        elif piece[0].isalpha():
            raise GeoError(f"{source!r}: unexpected word {piece!r}")
        else:
            raise GeoError(f"{source!r}: unexpected character {piece!r}")
    return tokens


def coordinate_runs(text: str) -> list[list[Lexeme]]:
    """The stretches of `text` made only of pieces typed coordinates use (numbers, units, hemisphere letters,
    axis labels, separators), split at every other word or character: where coordinates may sit in prose.
    Positions are those of `text` itself."""
    runs: list[list[Lexeme]] = [[]]
    for lexeme in _lexemes(text.translate(_TYPOGRAPHY)):
        if lexeme.kind == "other":
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(lexeme)
    return [run for run in runs if any(lexeme.kind == "number" for lexeme in run)]


def _groups(tokens: list[_Token], source: str) -> list[_Group]:
    """Split tokens into one group per coordinate, at separators, labels and restarting units."""
    significant = [token for token in tokens if token.kind in ("number", "hemisphere")]
    hemispheres_lead = bool(significant) and significant[0].kind == "hemisphere"
    bare = all(token.quantity is not None and token.quantity.unit is None for token in tokens)
    if bare and len(tokens) == 2:
        # "49.2209 37.2446": the one bare-numbers form that reads only one way.
        return [_Group([token.quantity]) for token in tokens if token.quantity]
    groups: list[_Group] = [_Group()]

    def close() -> None:
        if not groups[-1].is_empty():
            groups.append(_Group())

    for token in tokens:
        current = groups[-1]
        if token.kind == "separator":
            close()
        elif token.kind == "axis":
            if current.axis is not None or current.quantities:
                close()
            groups[-1].axis = token.text
        elif token.kind == "hemisphere":
            if hemispheres_lead:
                if current.hemisphere is not None or current.quantities:
                    close()
                groups[-1].hemisphere = token.text
            else:
                if not current.quantities:
                    raise GeoError(f"{source!r}: hemisphere letter {token.text} does not follow a coordinate")
                current.hemisphere = token.text
                close()
        elif token.quantity is not None:
            quantity = token.quantity
            restarts = quantity.unit is not None and quantity.unit <= current.last_unit()
            # A sign starts a new coordinate unless a minutes or seconds mark puts it in this one.
            signed = quantity.text[0] in "+-" and quantity.unit in (None, _DEGREES)
            if current.quantities and (restarts or signed):
                close()
            groups[-1].quantities.append(quantity)
    return [group for group in groups if not group.is_empty()]


def _degrees(group: _Group, source: str) -> float:
    """The signed decimal degrees of one coordinate; refuses misordered units and minutes or seconds ≥ 60."""
    quantities = group.quantities
    if not quantities:
        raise GeoError(f"{source!r}: a hemisphere letter or label has no number")
    if len(quantities) > 3:
        raise GeoError(f"{source!r}: more than degrees, minutes and seconds in one coordinate")
    units = [_unit_of(group, index) for index in range(len(quantities))]
    if units != list(range(len(quantities))):
        names = ", ".join(_UNIT_NAMES[unit] if unit < 3 else "?" for unit in units)
        raise GeoError(f"{source!r}: units out of order ({names})")
    marked = any(quantity.unit is not None for quantity in quantities)
    if len(quantities) > 1 and not marked and group.hemisphere is None and group.axis is None:
        raise GeoError(f"{source!r}: ambiguous bare numbers; mark degrees and minutes with ° ′ ″ or hemisphere letters")
    for quantity in quantities[1:]:
        if quantity.text[0] in "+-":
            raise GeoError(f"{source!r}: a sign belongs before the degrees, not on {quantity.text}")
    for quantity in quantities[:-1]:
        if not quantity.value.is_integer() or "." in quantity.text:
            raise GeoError(f"{source!r}: {quantity.text} must be whole when smaller units follow it")
    for quantity, unit in zip(quantities[1:], units[1:], strict=True):
        if quantity.value >= 60:
            raise GeoError(f"{source!r}: {_UNIT_NAMES[unit]} {quantity.text} must be below 60")
    magnitude = sum(abs(quantity.value) / 60.0**unit for quantity, unit in zip(quantities, units, strict=True))
    negative = quantities[0].text.startswith("-")
    if negative and group.hemisphere is not None:
        raise GeoError(f"{source!r}: both a minus sign and hemisphere {group.hemisphere} on one coordinate")
    return -magnitude if negative or group.hemisphere in ("S", "W") else magnitude


def _axis(group: _Group, source: str) -> str | None:
    from_hemisphere = None if group.hemisphere is None else ("lat" if group.hemisphere in "NS" else "lon")
    if from_hemisphere and group.axis and from_hemisphere != group.axis:
        raise GeoError(f"{source!r}: hemisphere {group.hemisphere} contradicts the {group.axis} label")
    return from_hemisphere or group.axis


def _pair(text: str, source: str) -> tuple[LatLon, float | None]:
    """The point, and the altitude when exiftool's -n form gave three bare numbers ("49.2209 37.2445 150")."""
    tokens = _tokens(text, source)
    bare = all(token.quantity is not None and token.quantity.unit is None for token in tokens)
    altitude: float | None = None
    if bare and len(tokens) == 3 and all("." in token.text for token in tokens[:2]):
        altitude = float(tokens.pop().text)
    elif bare and len(tokens) > 2:
        raise GeoError(
            f"{source!r}: {len(tokens)} bare numbers can be read several ways; "
            "write 'latitude, longitude' or mark degrees, minutes and seconds with ° ′ ″"
        )
    groups = _groups(tokens, source)
    if len(groups) != 2:
        raise GeoError(f"{source!r}: expected a latitude and a longitude, found {len(groups)} coordinate(s)")
    first, second = groups
    values = (_degrees(first, source), _degrees(second, source))
    axes = (_axis(first, source), _axis(second, source))
    if axes == (None, None):
        lat, lon = values
    elif None in axes:
        raise GeoError(f"{source!r}: ambiguous, only one coordinate says which axis it is")
    elif axes == ("lat", "lon"):
        lat, lon = values
    elif axes == ("lon", "lat"):
        lon, lat = values
    else:
        raise GeoError(f"{source!r}: both coordinates are {'latitudes' if axes[0] == 'lat' else 'longitudes'}")
    try:
        return LatLon(lat, lon), altitude
    except GeoError as error:
        raise GeoError(f"{source!r}: {error}") from error


def _typed(text: str, source: str) -> tuple[LatLon, float | None]:
    normal = text.translate(_TYPOGRAPHY).strip()
    if "." in normal or not _DIGIT_COMMA.search(normal):
        return _pair(normal, source)
    # No decimal points but a comma between digits: "49,5 37,5" uses decimal commas, "49,37" separates.
    try:
        return _pair(_DIGIT_COMMA.sub(".", normal), source)
    except GeoError as decimal_comma_error:
        if normal.count(",") == 1:
            return _pair(normal, source)
        if not re.search(r"[\s,;/°'\"]|[^\W\d_]", _DIGIT_COMMA.sub("", normal)):
            raise GeoError(
                f"{source!r}: ambiguous, commas could be decimal commas or separators; use points for decimals"
            ) from decimal_comma_error
        raise


def _iso6709_degrees(part: str, name: str, degree_digits: int, source: str) -> float:
    """One ISO 6709 coordinate: the integer part's length says DD(D), DD(D)MM or DD(D)MMSS."""
    whole, _, fraction = part[1:].partition(".")
    decimals = float("0." + fraction) if fraction else 0.0
    degrees = int(whole[:degree_digits])
    sixtieths = [int(whole[start : start + 2]) for start in range(degree_digits, len(whole), 2)]
    if any(value >= 60 for value in sixtieths):
        raise GeoError(f"{source!r}: ISO 6709 {name} {part} has minutes or seconds of 60 or more")
    if not sixtieths:
        magnitude = degrees + decimals
    elif len(sixtieths) == 1:
        magnitude = degrees + (sixtieths[0] + decimals) / 60
    else:
        magnitude = degrees + sixtieths[0] / 60 + (sixtieths[1] + decimals) / 3600
    return -magnitude if part[0] == "-" else magnitude


def _iso6709(match: re.Match[str], source: str) -> ParsedLocation:
    lat = _iso6709_degrees(match.group("lat"), "latitude", 2, source)
    lon = _iso6709_degrees(match.group("lon"), "longitude", 3, source)
    try:
        point = LatLon(lat, lon)
    except GeoError as error:
        raise GeoError(f"{source!r}: {error}") from error
    altitude = float(match.group("alt")) if match.group("alt") else None
    return ParsedLocation(point, altitude_m=altitude, read_as="ISO 6709")


def read_coordinates(text: str) -> ParsedLocation:
    """Read a typed position in any form this module knows (see the module's docstring), with its altitude
    when the text gives one. Refuses, naming the input, anything unreadable or readable more than one way."""
    if not text.strip():
        raise GeoError(f"{text!r}: no coordinates given")
    body = text
    unlabelled = _LABEL.sub("", body)
    if unlabelled.strip():
        body = unlabelled
    altitude: float | None = None
    above_sea = _ALTITUDE.search(body)
    if above_sea is not None and body[: above_sea.start()].strip():
        value = float(above_sea.group(1))
        altitude = -value if above_sea.group(2).lower() == "below" else value
        body = body[: above_sea.start()]
    body = body.strip()
    if looks_like_plus_code(body):
        return ParsedLocation(from_plus_code(body), read_as="Plus Code")
    if looks_like_mgrs(body):
        return ParsedLocation(from_mgrs(body), read_as="MGRS")
    iso = _ISO6709.fullmatch(body)
    if iso is not None:
        return _iso6709(iso, text)
    if looks_like_sk42(body):
        return ParsedLocation(from_sk42(parse_sk42(body)), read_as="SK-42")
    if looks_like_utm(body):
        return ParsedLocation(from_utm(body), read_as="UTM")
    point, bare_altitude = _typed(body, text)
    return ParsedLocation(
        point, altitude_m=altitude if altitude is not None else bare_altitude, read_as="typed coordinates"
    )


def parse_coordinates(text: str) -> LatLon:
    """The point of a typed position: decimal, DMS, degrees-decimal-minutes, exiftool's "deg" form, ISO 6709,
    MGRS, UTM, a full Plus Code or SK-42. Refuses, naming the input, anything unreadable or readable more than
    one way."""
    return read_coordinates(text).point


def names_a_place(text: str) -> bool:
    """Whether `text` holds a word typed coordinates never use ("Izium", "cemetery"): a search by name."""
    return any(lexeme.kind == "other" and lexeme.text[0].isalpha() for lexeme in _lexemes(text.translate(_TYPOGRAPHY)))
