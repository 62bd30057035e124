"""An imported row as plain values, and the readers of one value each (text, coordinate, date, flag) that say which
row and column is wrong instead of guessing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lestweforget.exports import find_control_character, without_invisible_format

from .errors import RowProblem
from .links import is_social_media, web_url

# The longest values the atlas stores, by the model field they go to (a test checks these are the models'
# max_length; this library cannot import Django to ask).
FIELD_LIMITS = {
    "external_id": 200,  # ImportedRow.external_id
    "category": 200,  # ImportedRow.category
    "url": 1000,  # Source.url
    "place": 200,  # ImportedRow.place
    "region": 200,  # ImportedRow.region
}
# A row's title: SiteName.name and Event.title_en hold 300; a dataset's titles longer than 200 are sentences, cut at a
# word rather than refused (the row's description keeps the whole text). The event keeps that title.
NAME_LIMIT = 200
# A new site is named by its first row's title cut at a word to this: about four lines of the site page's heading on a
# 390 px phone (about 20 characters a line at 2em); a tester saw a 192-character name fill 14 lines.
SITE_NAME_LIMIT = 80
# Longer than any word of a place name ("Вознесенськ-Дніпровський" is 24); a longer run is pasted data.
LONGEST_WORD = 60


def cut_at_word(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at the last space before it, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–") or text[: limit - 1]
    return cut + "…"


@dataclass(frozen=True)
class Link:
    """A URL a row cites: ``role`` is "post" (the material itself: a post, article or video) or "geolocation"
    (where someone showed the place); ``social`` says it is a social-media post, kept as a source, not embedded."""

    url: str
    role: str = "post"
    title: str = ""

    @property
    def social(self) -> bool:
        return is_social_media(self.url)


@dataclass(frozen=True)
class DatasetRow:
    """One row read from a dataset: what happened (``title``, ``description``, ``date``..``date_end``), where
    (``latitude``/``longitude`` in WGS84 degrees, ``place``, ``region``), under which ``categories`` (as written,
    first the row's own category, then its filters), the ``links`` it cites and whether it is marked graphic.

    ``external_id`` is the dataset's own id of the row (or, when it has none, a hash of its values), so importing
    the file again finds the row; ``fingerprint`` is a hash of every value read, to tell whether a row changed."""

    row: int
    external_id: str
    title: str
    date: dt.date
    latitude: float
    longitude: float
    description: str = ""
    date_end: dt.date | None = None
    categories: tuple[str, ...] = ()
    place: str = ""
    region: str = ""
    links: tuple[Link, ...] = ()
    graphic: bool = False
    fingerprint: str = ""
    # Metres: set when the file says how precise the point is (a GeoJSON shape's reach), else the mapping's.
    uncertainty_m: float | None = None

    @property
    def category(self) -> str:
        return self.categories[0] if self.categories else ""


@dataclass
class RowReader:
    """Reads the values of one row, collecting a `RowProblem` per bad value instead of stopping at the first."""

    row: int
    external_id: str = ""
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[RowProblem] = field(default_factory=list)

    def note(self, column: str, message: str) -> None:
        """Something left out of the row that does not stop it being imported."""
        self.notes.append(RowProblem(self.row, column, message, self.external_id))

    def problem(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(self.row, column, message, self.external_id))

    def text(self, column: str, value: Any, *, required: bool = False, limit: int = 0, what: str = "") -> str:
        """``value`` as stripped text; a control character, a non-text value, or an empty required value is a
        problem. Text over ``limit`` characters is cut at a word with an ellipsis and a note saying so (``what``
        names what the limit is for: "a site's name")."""
        if value is None:
            value = ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(column, f"expected text, found {type(value).__name__}")
            return ""
        # JSON writes whole numbers as 5.0 when a spreadsheet column held numbers: the cell said 5.
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
        text, removed = without_invisible_format(text)
        if removed:
            self.note(column, f"invisible characters removed ({', '.join(removed)}): they only hide or reorder text")
        if (found := find_control_character(text)) is not None:
            where = f"after {found.before!r}" if found.before else "at the start"
            self.problem(
                column,
                f"holds the control character {found.code_point} at character {found.index + 1} ({where}); "
                "remove it from the file",
            )
            return ""
        if required and not text:
            self.problem(column, "is empty")
        if limit and len(text) > limit:
            cut = cut_at_word(text, limit)
            self.note(
                column, f"{len(text):,} characters, cut at a word to {len(cut)}: {what or 'its field'} holds {limit}"
            )
            text = cut
        return text

    def name(self, column: str, value: Any) -> str:
        """A title that becomes a site's name and an event's title: text (see `text`) cut at a word to
        `NAME_LIMIT` with a note; a run of more than `LONGEST_WORD` characters without a space is a problem, since
        no name holds such a word and pages never break a word mid-way (it would widen them instead)."""
        text = self.text(column, value)
        longest = max((len(word) for word in text.split()), default=0)
        if longest <= LONGEST_WORD and len(text) > NAME_LIMIT:
            cut = cut_at_word(text, NAME_LIMIT)
            self.note(
                column, f"{len(text):,} characters, cut at a word to {len(cut)}: a site's name holds {NAME_LIMIT}"
            )
            text = cut
        if longest > LONGEST_WORD:
            self.problem(
                column,
                f"a run of {longest} characters without a space (at most {LONGEST_WORD}): not a name; "
                "check the column or the file's separator",
            )
            return ""
        return text

    def coordinate(self, column: str, value: Any, axis: str) -> float | None:
        """A latitude (``axis`` "lat", -90..90) or longitude ("lon", -180..180) in decimal degrees; a decimal
        comma is read as a point (spreadsheets in Ukraine write 49,22)."""
        limit = 90.0 if axis == "lat" else 180.0
        name = "latitude" if axis == "lat" else "longitude"
        if isinstance(value, bool):
            value = None
        if isinstance(value, int | float):
            number = float(value)
        else:
            text = "" if value is None else str(value).strip()
            if not text:
                self.problem(column, f"no {name}")
                return None
            if text.count(",") == 1 and "." not in text:
                text = text.replace(",", ".")
            try:
                number = float(text)
            except ValueError:
                self.problem(column, f"{text[:40]!r} is not a {name} in decimal degrees")
                return None
        if not math.isfinite(number) or not -limit <= number <= limit:
            self.problem(column, f"{name} {number:g} is outside -{limit:g}..{limit:g}")
            return None
        return number

    def date(self, column: str, value: Any, formats: Iterable[str], today: dt.date) -> dt.date | None:
        """A calendar date in one of ``formats`` (strptime patterns, ISO 8601 always accepted, a time after the
        date ignored); a date after ``today`` is a problem."""
        text = "" if value is None else str(value).strip()
        if not text:
            self.problem(column, "no date")
            return None
        found = _read_date(text, formats)
        if found is None:
            shown = ", ".join(f.replace("%", "") for f in ("%Y-%m-%d", *formats))
            self.problem(column, f"{text[:40]!r} is not a date (read as {shown})")
            return None
        if found > today:
            self.problem(column, f"{found.isoformat()} is in the future")
            return None
        return found


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")


def _read_date(text: str, formats: Iterable[str]) -> dt.date | None:
    if (iso := _ISO_DATE.match(text)) is not None:
        try:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return None
    day_part = text.split(" ")[0].split("T")[0]
    for pattern in formats:
        try:
            return dt.datetime.strptime(day_part, pattern).date()
        except ValueError:
            continue
    return None


def fingerprint(values: Mapping[str, Any] | Iterable[Any]) -> str:
    """SHA-256 of a row's values as read (JSON, keys sorted), to tell an unchanged row from a changed one."""
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def links_from(reader: RowReader, column: str, value: Any, role: str) -> list[Link]:
    """The http(s) URLs in a cell (one, or several among other words); words that are not links ("Link",
    "Access can be requested") are left out with a note, since the links the cell does hold are still good."""
    if value is None or value == "":
        return []
    items = value if isinstance(value, list) else [value]
    found: list[Link] = []
    for item in items:
        item_text = reader.text(column, item)
        urls = [match.rstrip(".,;)") for match in _URL.findall(item_text)]
        for candidate in urls:
            url = web_url(candidate)
            if url is not None and len(url) > FIELD_LIMITS["url"]:
                reader.problem(
                    column,
                    f"a link of {len(url):,} characters, longer than {FIELD_LIMITS['url']} "
                    "(cut, it would lead elsewhere)",
                )
            elif url is not None:
                found.append(Link(url=url, role=role))
        rest = _URL.sub(" ", item_text).strip(" ,;")
        if rest:
            reader.note(column, f"{rest[:60]!r} is not a link; left out")
    return found
