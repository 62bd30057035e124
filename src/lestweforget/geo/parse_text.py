"""Reading coordinates as people type them: decimal, DMS, degrees and decimal minutes, MGRS, Plus Codes.

Latitude comes first unless hemisphere letters or lat/lon labels say otherwise. Anything that could be read
two ways (four bare numbers, one labelled coordinate beside an unlabelled one) is refused, not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from lestweforget.geo.errors import GeoError
from lestweforget.geo.military_grid import from_mgrs, looks_like_mgrs
from lestweforget.geo.plus_code import from_plus_code, looks_like_plus_code
from lestweforget.geo.point import LatLon

_DEGREES: Final = 0
_MINUTES: Final = 1
_SECONDS: Final = 2
_UNIT_NAMES: Final = ("degrees", "minutes", "seconds")

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
    }
)

# Ukrainian (пн. ш., пд. ш., сх. д., зх. д.) and Russian (с. ш., ю. ш., в. д., з. д.).
_NOT_LETTER_BEFORE: Final = r"(?<![^\W\d_])"
_CYRILLIC_HEMISPHERES: Final = (
    (re.compile(_NOT_LETTER_BEFORE + r"(?:пн|с)\.?\s*ш\b\.?", re.IGNORECASE), " N "),
    (re.compile(_NOT_LETTER_BEFORE + r"(?:пд|ю)\.?\s*ш\b\.?", re.IGNORECASE), " S "),
    (re.compile(_NOT_LETTER_BEFORE + r"(?:сх|в)\.?\s*д\b\.?", re.IGNORECASE), " E "),
    (re.compile(_NOT_LETTER_BEFORE + r"(?:зх|з)\.?\s*д\b\.?", re.IGNORECASE), " W "),
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
    "lon": "lon",
    "lng": "lon",
    "long": "lon",
    "longitude": "lon",
    "довгота": "lon",
    "долгота": "lon",
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


def _tokens(text: str, source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise GeoError(f"{source!r}: unexpected character {text[position]!r}")
        position = match.end()
        kind = match.lastgroup or ""
        piece = match.group()
        if kind == "space":
            continue
        if kind == "number":
            tokens.append(_Token(kind, piece, _Quantity(piece, float(piece), None)))
        elif kind == "unit":
            previous = tokens[-1] if tokens else None
            if previous is None or previous.quantity is None or previous.quantity.unit is not None:
                raise GeoError(f"{source!r}: {piece!r} does not follow a number")
            previous.quantity.unit = {"°": _DEGREES, "'": _MINUTES}.get(piece, _SECONDS)
        elif kind == "word":
            word = piece.lower()
            if word in _HEMISPHERE_WORDS:
                tokens.append(_Token("hemisphere", _HEMISPHERE_WORDS[word]))
            elif word in _AXIS_WORDS:
                tokens.append(_Token("axis", _AXIS_WORDS[word]))
            else:
                raise GeoError(f"{source!r}: unexpected word {piece!r}")
        elif kind == "colon":
            if not tokens or tokens[-1].kind != "axis":
                raise GeoError(f"{source!r}: unexpected {piece!r}")
        else:
            tokens.append(_Token(kind, piece))
    return tokens


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


def _pair(text: str, source: str) -> LatLon:
    tokens = _tokens(text, source)
    bare = all(token.quantity is not None and token.quantity.unit is None for token in tokens)
    if bare and len(tokens) > 2:
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
        return LatLon(lat, lon)
    except GeoError as error:
        raise GeoError(f"{source!r}: {error}") from error


def _normalised(text: str) -> str:
    normal = text.translate(_TYPOGRAPHY).replace("''", '"')
    for pattern, letter in _CYRILLIC_HEMISPHERES:
        normal = pattern.sub(letter, normal)
    return normal.strip()


def parse_coordinates(text: str) -> LatLon:
    """Read a typed position: decimal, DMS, degrees-decimal-minutes, MGRS or a full Plus Code.

    Refuses, naming the input, anything unreadable or readable more than one way.
    """
    if not text.strip():
        raise GeoError(f"{text!r}: no coordinates given")
    if looks_like_plus_code(text):
        return from_plus_code(text)
    if looks_like_mgrs(text):
        return from_mgrs(text)
    normal = _normalised(text)
    if "." in normal or not _DIGIT_COMMA.search(normal):
        return _pair(normal, text)
    # No decimal points but a comma between digits: "49,5 37,5" uses decimal commas, "49,37" separates.
    try:
        return _pair(_DIGIT_COMMA.sub(".", normal), text)
    except GeoError as decimal_comma_error:
        if normal.count(",") == 1:
            return _pair(normal, text)
        if not re.search(r"[\s,;/°'\"]|[^\W\d_]", _DIGIT_COMMA.sub("", normal)):
            raise GeoError(
                f"{text!r}: ambiguous, commas could be decimal commas or separators; use points for decimals"
            ) from decimal_comma_error
        raise
