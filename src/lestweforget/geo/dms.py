"""Degrees, minutes and seconds as text: "49°13′15.3″N 37°14′40.4″E", and degrees with decimal minutes."""

from __future__ import annotations

from lestweforget.geo.errors import GeoError
from lestweforget.geo.point import LatLon


def _scaled(value: float, units_per_degree: int, places: int) -> tuple[bool, int, int]:
    """|value| rounded once in the smallest printed unit, so 59.96″ carries to 1′00.0″, never 60.0″."""
    scale = 10**places
    total = round(abs(value) * units_per_degree * scale)
    return value < 0 and total != 0, total, scale


def _decimals(scaled: int, scale: int, places: int) -> str:
    whole, fraction = divmod(scaled, scale)
    return f"{whole:02d}" + (f".{fraction:0{places}d}" if places else "")


def _dms_axis(value: float, positive: str, negative: str, places: int) -> str:
    is_negative, total, scale = _scaled(value, 3600, places)
    degrees, rest = divmod(total, 3600 * scale)
    minutes, seconds = divmod(rest, 60 * scale)
    hemisphere = negative if is_negative else positive
    return f"{degrees}°{minutes:02d}′{_decimals(seconds, scale, places)}″{hemisphere}"


def _ddm_axis(value: float, positive: str, negative: str, places: int) -> str:
    is_negative, total, scale = _scaled(value, 60, places)
    degrees, minutes = divmod(total, 60 * scale)
    return f"{degrees}°{_decimals(minutes, scale, places)}′{negative if is_negative else positive}"


def _check_places(name: str, places: int) -> None:
    if not 0 <= places <= 6:
        raise GeoError(f"{name} {places!r} is outside 0..6")


def format_dms(p: LatLon, seconds_places: int = 1) -> str:
    """Degrees, minutes and seconds with hemisphere letters; never prints 60″ or 60′ (it carries instead)."""
    _check_places("seconds places", seconds_places)
    return f"{_dms_axis(p.lat, 'N', 'S', seconds_places)} {_dms_axis(p.lon, 'E', 'W', seconds_places)}"


def format_ddm(p: LatLon, minutes_places: int = 3) -> str:
    """Degrees and decimal minutes, the GPS-receiver form: "49°13.255′N 37°14.673′E"."""
    _check_places("minutes places", minutes_places)
    return f"{_ddm_axis(p.lat, 'N', 'S', minutes_places)} {_ddm_axis(p.lon, 'E', 'W', minutes_places)}"
