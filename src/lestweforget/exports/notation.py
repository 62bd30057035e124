"""How coordinates, numbers, times and property values are spelled in the text formats."""

from __future__ import annotations

from datetime import datetime

from .features import PropertyValue

# Seven decimals of a degree is about 1 cm: finer than any survey of a site, and files stay small.
COORDINATE_DECIMALS = 7
ELEVATION_DECIMALS = 3


def rounded_degrees(value: float) -> float:
    """The coordinate rounded to COORDINATE_DECIMALS, with -0.0 made 0.0."""
    return round(value, COORDINATE_DECIMALS) + 0.0


def rounded_metres(value: float) -> float:
    """An elevation or distance to the millimetre, with -0.0 made 0.0: no device measures finer."""
    return round(value, ELEVATION_DECIMALS) + 0.0


def degrees_text(value: float) -> str:
    """The rounded coordinate in fixed-point notation: never an exponent, which some readers refuse."""
    return f"{rounded_degrees(value):.{COORDINATE_DECIMALS}f}".rstrip("0").rstrip(".")


def number_text(value: float) -> str:
    """A number as the shortest text that reads back to the same float, without a needless ".0"."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def property_text(value: PropertyValue) -> str:
    """A property value as a table or XML cell: numbers as numbers, booleans as true/false, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    return value


def unix_lines(text: str) -> str:
    """Every CR LF and lone CR made LF: what an XML reader gives back (XML 1.0 §2.11), so write that."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def time_text(value: datetime | None) -> str:
    """ISO 8601 with the UTC offset the time was given in, or empty."""
    return value.isoformat() if value is not None else ""
