"""Dates, numbers and distances as a reader writes them in English or Ukrainian: the one place pages, exports and
the field guide take them from.

Ukrainian follows the standard grammar (Правопис 2019; ДСТУ 3582 for dates): month names in lower case; the
genitive after a day and after "з" / "до" / "близько" ("15 вересня 2022", "з квітня 2022 до серпня 2022",
"близько червня 2023"); the nominative for a month and year on its own ("вересень 2022"); a decimal comma
("1,3 км") and a space (U+00A0) between groups of thousands from five digits on ("12 500").
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from types import MappingProxyType

LANGUAGES = ("en", "uk")

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS_UK_NOMINATIVE = (
    "січень", "лютий", "березень", "квітень", "травень", "червень",
    "липень", "серпень", "вересень", "жовтень", "листопад", "грудень",
)  # fmt: skip
MONTHS_UK_GENITIVE = (
    "січня", "лютого", "березня", "квітня", "травня", "червня",
    "липня", "серпня", "вересня", "жовтня", "листопада", "грудня",
)  # fmt: skip

_PHRASES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "en": MappingProxyType(
            {
                "by": "by {date}",
                "about": "about {date}",
                "range": "{start} to {end}",
                "unknown": "date unknown",
                "metres": "{n} m",
                "kilometres": "{n} km",
                "about_distance": "about {distance}",
                "within": "within about {distance}",
            }
        ),
        "uk": MappingProxyType(
            {
                "by": "не пізніше {date}",
                "about": "близько {date}",
                "range": "з {start} до {end}",
                "unknown": "дата невідома",
                "metres": "{n} м",
                "kilometres": "{n} км",
                "about_distance": "близько {distance}",
                "within": "у межах близько {distance}",
            }
        ),
    }
)


def _language(language: str) -> str:
    code = (language or "en").split("-")[0].lower()
    return code if code in LANGUAGES else "en"


def day_text(date: dt.date, language: str) -> str:
    """A day: "15 September 2022", "15 вересня 2022" (genitive month)."""
    if _language(language) == "uk":
        return f"{date.day} {MONTHS_UK_GENITIVE[date.month - 1]} {date.year}"
    return f"{date.day} {MONTHS_EN[date.month - 1]} {date.year}"


def month_text(date: dt.date, language: str, genitive: bool = False) -> str:
    """A month and year: "April 2022"; "квітень 2022" on its own, "квітня 2022" after a preposition."""
    if _language(language) == "uk":
        months = MONTHS_UK_GENITIVE if genitive else MONTHS_UK_NOMINATIVE
        return f"{months[date.month - 1]} {date.year}"
    return f"{MONTHS_EN[date.month - 1]} {date.year}"


def date_text(date: dt.date | None, precision: str = "day", language: str = "en", end: dt.date | None = None) -> str:
    """A date told with its precision (the atlas's DatePrecision values: day, month, year, by, approx, range):
    "15 September 2022", "April 2022", "by 24 November 2025", "about June 2023", "April 2022 to August 2022";
    in Ukrainian "15 вересня 2022", "квітень 2022", "не пізніше 24 листопада 2025", "близько червня 2023",
    "з квітня 2022 до серпня 2022". An unknown precision is told as a day."""
    phrases = _PHRASES[_language(language)]
    if date is None:
        return phrases["unknown"]
    if precision == "month":
        return month_text(date, language)
    if precision == "year":
        return str(date.year)
    if precision == "by":
        return phrases["by"].format(date=day_text(date, language))
    if precision == "approx":
        return phrases["about"].format(date=month_text(date, language, genitive=True))
    if precision == "range" and end is not None:
        whole_months = date.day == 1 and (end + dt.timedelta(days=1)).day == 1
        if whole_months:
            start_text, end_text = month_text(date, language, True), month_text(end, language, True)
        else:
            start_text, end_text = day_text(date, language), day_text(end, language)
        return phrases["range"].format(start=start_text, end=end_text)
    return day_text(date, language)


def number_text(value: float, language: str, places: int = 0) -> str:
    """A number with ``places`` decimals: "1.3" / "1,3"; groups of thousands from 10 000 on ("12,500" /
    "12 500" with a no-break space). Raises ValueError for a number that is not finite."""
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    text = f"{value:,.{places}f}" if abs(value) >= 10_000 else f"{value:.{places}f}"
    if _language(language) == "uk":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def metres_text(metres: float, language: str) -> str:
    """Whole metres as measured, not rounded further: "2000 m", "2000 м" (an uncertainty, a grid size)."""
    return _PHRASES[_language(language)]["metres"].format(n=number_text(round(metres), language))


def distance_text(distance_m: float, language: str, step_m: int = 0) -> str:
    """A distance as a visitor reads it: "37 m", "850 m" (to 10 m), "1.3 km" / "1,3 км" (to 100 m), "23 km".

    With ``step_m`` (a point known only within a radius, see `geo.distance_step_m`) the distance is rounded to
    that step and said to be approximate: "about 2 km", "близько 0,5 км"; one that rounds to nothing is
    "within about 2 km". Raises ValueError for a distance that is negative or not finite.
    """
    if distance_m < 0 or not math.isfinite(distance_m):
        raise ValueError(f"distance {distance_m!r} is not a finite number of metres >= 0")
    phrases = _PHRASES[_language(language)]
    if step_m:
        rounded = step_m * math.floor(distance_m / step_m + 0.5)
        if rounded == 0:
            return phrases["within"].format(distance=_kilometres(step_m, language, phrases, whole=True))
        return phrases["about_distance"].format(distance=_kilometres(rounded, language, phrases, whole=True))
    if distance_m < 100:
        return phrases["metres"].format(n=math.floor(distance_m + 0.5))
    if distance_m < 995:
        return phrases["metres"].format(n=10 * math.floor(distance_m / 10 + 0.5))
    return _kilometres(distance_m, language, phrases)


def _kilometres(distance_m: float, language: str, phrases: Mapping[str, str], whole: bool = False) -> str:
    """To 100 m below 10 km ("1.0 km", as guide.js writes it; "2 km" when ``whole`` and it is whole), else to 1 km."""
    if distance_m < 9_950:
        tenths = math.floor(distance_m / 100 + 0.5)
        places = 0 if whole and tenths % 10 == 0 else 1
        return phrases["kilometres"].format(n=number_text(tenths / 10, language, places))
    return phrases["kilometres"].format(n=number_text(math.floor(distance_m / 1000 + 0.5), language))


# Qualifiers a figure is stated with ("more than 460"), as the record files and the article reader write them in
# English, and how Ukrainian says them before a number.
QUALIFIERS_UK: Mapping[str, str] = MappingProxyType(
    {
        "more than": "понад",
        "over": "понад",
        "at least": "щонайменше",
        "about": "близько",
        "around": "близько",
        "almost": "майже",
        "nearly": "майже",
        "up to": "до",
        "fewer than": "менше ніж",
        "less than": "менше ніж",
    }
)
_QUALIFIED = re.compile(r"(?P<qualifier>[A-Za-z][A-Za-z ]*?)\s+(?P<figure>\d.*)")
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def figure_text(value: str, language: str) -> str:
    """A figure as stated ("447", "more than 460", "about 90%", "25–30", "1.5") in the reader's language:
    in Ukrainian the qualifier translated and a decimal comma ("понад 460", "близько 90%", "1,5"). Text that is
    not a known qualifier and a number is returned as it is."""
    if _language(language) != "uk":
        return value
    text = value.strip()
    match = _QUALIFIED.fullmatch(text)
    if match is not None and match.group("qualifier").lower() in QUALIFIERS_UK:
        text = f"{QUALIFIERS_UK[match.group('qualifier').lower()]} {match.group('figure')}"
    return _DECIMAL_POINT.sub(",", text)


# Hemispheres as Ukrainian writes them after a coordinate (ДСТУ 3582 abbreviations: "пн. ш." північної широти,
# "пд. ш." південної, "сх. д." східної довготи, "зх. д." західної), joined by no-break spaces so a line never
# parts a number from its hemisphere.
HEMISPHERES_UK: Mapping[str, str] = MappingProxyType(
    {"N": "пн.\u00a0ш.", "S": "пд.\u00a0ш.", "E": "сх.\u00a0д.", "W": "зх.\u00a0д."}
)
_SIGNED_PAIR = re.compile(r"(-?)(\d+(?:\.\d+)?), (-?)(\d+(?:\.\d+)?)")
# A hemisphere letter right after a degree, minute or second sign: never an MGRS band ("37S", "33N").
_WITH_HEMISPHERE = re.compile(r"(\d[\d°′″.]*[°′″])([NSEW])(?=\s|$)")


def coordinates_text(text: str, language: str) -> str:
    """A point as `geo` writes it — signed decimal degrees "49.220922, 37.244553", or degrees, minutes and seconds
    (or decimal minutes) with hemisphere letters "49°13′15.3″N 37°14′40.4″E" — as a reader of ``language`` reads
    it. English gets it unchanged. Ukrainian gets a decimal comma and the hemisphere in words, each coordinate
    held together by no-break spaces: "49,220922° пн. ш. 37,244553° сх. д.", "49°13′15,3″ пн. ш. 37°14′40,4″ сх. д.".
    Any other text (MGRS, a Plus Code, an address) is returned unchanged: those are codes, written the same in
    every language. What a map app must read (a `geo:` URI, a link) is never passed here."""
    if _language(language) != "uk":
        return text
    pair = _SIGNED_PAIR.fullmatch(text.strip())
    if pair is not None:
        lat_sign, lat, lon_sign, lon = pair.groups()
        latitude = f"{lat.replace('.', ',')}°\u00a0{HEMISPHERES_UK['S' if lat_sign and float(lat) else 'N']}"
        longitude = f"{lon.replace('.', ',')}°\u00a0{HEMISPHERES_UK['W' if lon_sign and float(lon) else 'E']}"
        return f"{latitude} {longitude}"
    return _WITH_HEMISPHERE.sub(
        lambda match: f"{_DECIMAL_POINT.sub(',', match.group(1))}\u00a0{HEMISPHERES_UK[match.group(2)]}", text
    )
