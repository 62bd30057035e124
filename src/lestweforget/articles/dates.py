"""Dates in an article: every date it gives, with its precision ("day", "month", "year", "by" a date, or a
"range"), relative expressions resolved against the publication date, and the sentence around each.

Month and weekday names, and the words of relative expressions, come from dateparser's locale data for the
article's language; Ukrainian and Russian words are matched by their dictionary form, so "у вересні",
"вересня" and "вересень" are all September. Relative expressions dateparser reads ("yesterday", "три дні
тому") are read by it against the publication date; weekdays ("last Friday", "минулої п'ятниці", "в среду")
mean the latest such day on or before it ("last"/"минулої"/"прошлую": before it). A date without a year takes
the publication year, or the year before when that would put it after publication.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

import dateparser
from dateparser.languages.loader import default_loader

from lestweforget.articles.morphology import lemma_set
from lestweforget.articles.text import Sentences, words

_Date = date  # the dataclass below has a field named "date"

PRECISIONS: Final = ("day", "month", "year", "by", "range")
MONTH_KEYS: Final = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
WEEKDAY_KEYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_YEAR_WORDS: Final = frozenset({"рік", "року", "році", "р", "рр", "год", "года", "году", "г", "гг", "year"})
_YEAR_BEFORE: Final = frozenset(
    {
        "in",
        "since",
        "by",
        "during",
        "until",
        "from",
        "of",
        "у",
        "в",
        "з",
        "із",
        "від",
        "до",
        "по",
        "с",
        "от",
        "к",
        "во",
        "між",
        "year",
    }
)
_MONTH_BEFORE: Final = frozenset(
    {
        "in",
        "since",
        "by",
        "during",
        "until",
        "from",
        "early",
        "mid",
        "late",
        "end",
        "beginning",
        "у",
        "в",
        "з",
        "із",
        "від",
        "до",
        "по",
        "с",
        "от",
        "к",
        "во",
        "початку",
        "кінці",
        "кінця",
        "середини",
        "конца",
        "начала",
        "середины",
        "наприкінці",
        "середині",
        "начале",
        "конце",
        "середине",
    }
)
_BY_WORDS: Final = (
    "by",
    "until",
    "till",
    "no later than",
    "до",
    "к",
    "не пізніше",
    "не пізніш",
    "не позднее",
    "не позже",
    "по состоянию на",
)
_RANGE_OPENERS: Final = frozenset({"from", "between", "з", "із", "зі", "від", "с", "со", "от", "между", "між"})
_RANGE_JOINERS: Final = frozenset({"to", "until", "till", "through", "and", "по", "до", "і", "й", "та", "и"})
_DASHES: Final = frozenset({"-", "–", "—", "−"})
_LAST_WORDS: Final = frozenset(
    {
        "last",
        "минулої",
        "минулого",
        "минулий",
        "минулу",
        "минулій",
        "прошлую",
        "прошлой",
        "прошлый",
        "прошлого",
        "прошлом",
    }
)
_WEEKDAY_BEFORE: Final = frozenset(
    {
        "on",
        "last",
        "this",
        "у",
        "в",
        "во",
        "минулої",
        "минулого",
        "минулу",
        "прошлую",
        "прошлой",
        "прошлый",
        "цієї",
        "этот",
        "эту",
    }
)
_RELATIVE: Final = re.compile(
    r"\b(?:the\s+day\s+before\s+yesterday|yesterday|today|позавчора|позавчера|учора|вчора|вчера|сьогодні|сегодня"
    r"|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|один|одну|два|дві|три|чотири|п'ять|шість|сім"
    r"|вісім|дев'ять|десять|одна|две|четыре|пять|шесть|семь|восемь|девять)\s+"
    r"(?:days?|weeks?|months?|years?|день|дні|днів|дня|дней|тиждень|тижні|тижнів|неделю|недели|недель|місяць"
    r"|місяці|місяців|месяц|месяца|месяцев|рік|роки|років|год|года|лет)\s+(?:ago|тому|назад))\b",
    re.IGNORECASE,
)
_ISO: Final = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC: Final = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


@dataclass(frozen=True)
class DateMention:
    """A date in the text. ``date`` is the day it names or the first day of its month, year or range;
    ``end`` the last day of a month, year or range (None for a day); ``precision`` one of PRECISIONS, with
    ``granularity`` ("day", "month", "year") saying how finely the date itself is given; ``relative`` is True
    when it was resolved against the publication date."""

    date: _Date
    end: _Date | None
    precision: str
    granularity: str
    text: str
    start: int
    stop: int
    sentence: str
    relative: bool = False
    # A range's end keeps its own precision ("from March until 8 September": month, then day); "" when the same.
    end_granularity: str = ""

    def iso(self) -> str:
        """ "2022-09-16", "2022-09", "2022", "2022-04/2022-08", "2022-03/2022-09-08" (ISO 8601 interval for a
        range, each end at its own precision)."""
        first = _iso_at(self.date, self.granularity)
        if self.precision == "range" and self.end is not None:
            return f"{first}/{_iso_at(self.end, self.end_granularity or self.granularity)}"
        return first


def _iso_at(day: date, granularity: str) -> str:
    return day.isoformat()[: {"day": 10, "month": 7, "year": 4}[granularity]]


@dataclass
class _Atom:
    first: int  # token indexes
    last: int
    year: int | None
    month: int | None
    day: int | None
    start: int  # character offsets
    stop: int
    relative: bool = False
    resolved: date | None = None


@functools.cache
def _vocabulary(language: str) -> tuple[dict[str, int], dict[str, int]]:
    info = default_loader.get_locale(language).info
    months = {
        name.lower().rstrip("."): number for number, key in enumerate(MONTH_KEYS, 1) for name in info.get(key, [])
    }
    weekdays = {name.lower(): number for number, key in enumerate(WEEKDAY_KEYS) for name in info.get(key, [])}
    if language == "en":
        months.update({"sept": 9})
        months = {name: number for name, number in months.items() if len(name) >= 3}
    weekdays = {name: number for name, number in weekdays.items() if len(name) >= 4}
    return months, weekdays


class _Reader:
    def __init__(self, text: str, language: str, published: date | None) -> None:
        self.text = text
        self.language = language
        self.published = published
        self.tokens = words(text)
        self.months, self.weekdays = _vocabulary(language)

    def word(self, index: int) -> str:
        return self.tokens[index].text.lower() if 0 <= index < len(self.tokens) else ""

    def month(self, index: int) -> int | None:
        if not 0 <= index < len(self.tokens):
            return None
        token = self.tokens[index]
        if token.is_number:
            return None
        lowered = token.text.lower()
        if self.language == "en" and lowered == "may" and token.text != "May":
            return None
        if lowered in self.months:
            return self.months[lowered]
        if self.language in ("uk", "ru"):
            for form in lemma_set(token.text, self.language):
                if form in self.months and len(form) > 4:
                    return self.months[form]
        return None

    def weekday(self, index: int) -> int | None:
        if not 0 <= index < len(self.tokens) or self.tokens[index].is_number:
            return None
        lowered = self.tokens[index].text.lower()
        if lowered in self.weekdays:
            return self.weekdays[lowered]
        if self.language in ("uk", "ru"):
            for form in lemma_set(self.tokens[index].text, self.language):
                if form in self.weekdays:
                    return self.weekdays[form]
        return None

    def day(self, index: int) -> int | None:
        if not 0 <= index < len(self.tokens):
            return None
        text = self.tokens[index].text
        return int(text) if text.isdigit() and len(text) <= 2 and 1 <= int(text) <= 31 else None

    def year(self, index: int) -> int | None:
        if not 0 <= index < len(self.tokens):
            return None
        text = self.tokens[index].text
        return int(text) if text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100 else None

    def skip_suffix(self, index: int) -> int:
        """Past an ordinal ending glued to a number ("16th", "16-го") or a year word ("2022 року", "2022 р.")."""
        if index + 1 < len(self.tokens):
            following = self.tokens[index + 1]
            gap = self.text[self.tokens[index].end : following.start]
            if gap in ("", "-") and following.text.lower() in ("st", "nd", "rd", "th", "го", "е", "ого", "того"):
                return index + 1
        return index

    def after_year(self, index: int) -> int:
        if (
            self.word(index + 1) in _YEAR_WORDS
            and self.text[self.tokens[index].end : self.tokens[index + 1].start].strip() == ""
        ):
            return index + 1
        return index


def find_dates(
    text: str, language: str, published: date | None = None, sentences: Sentences | None = None
) -> tuple[DateMention, ...]:
    """Every date in ``text`` (written in ``language``), in text order; relative dates and dates without a
    year need ``published`` and are left out without it."""
    sentences = sentences or Sentences.of(text)
    reader = _Reader(text, language, published)
    atoms = _atoms(reader)
    mentions = _combine(reader, atoms, sentences)
    return tuple(sorted(mentions, key=lambda m: m.start))


def _atoms(reader: _Reader) -> list[_Atom]:
    tokens = reader.tokens
    taken: set[int] = set()
    atoms: list[_Atom] = []

    def add(atom: _Atom) -> None:
        atoms.append(atom)
        taken.update(range(atom.first, atom.last + 1))

    for pattern in (_ISO, _NUMERIC):
        for match in pattern.finditer(reader.text):
            groups = [int(g) for g in match.groups()]
            year, month, day = groups if pattern is _ISO else groups[::-1]
            if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1] and 1900 <= year <= 2100:
                first = next(i for i, t in enumerate(tokens) if t.end > match.start())
                last = max(i for i, t in enumerate(tokens) if t.start < match.end())
                add(_Atom(first, last, year, month, day, match.start(), match.end()))
    for match in _RELATIVE.finditer(reader.text):
        first = next(i for i, t in enumerate(tokens) if t.end > match.start())
        last = max(i for i, t in enumerate(tokens) if t.start < match.end())
        if any(i in taken for i in range(first, last + 1)) or reader.published is None:
            continue
        parsed = dateparser.parse(
            match.group(),
            languages=[reader.language],
            settings={"RELATIVE_BASE": datetime.combine(reader.published, datetime.min.time())},
        )
        if parsed is not None:
            day = parsed.date()
            add(_Atom(first, last, day.year, day.month, day.day, match.start(), match.end(), relative=True))

    index = 0
    while index < len(tokens):
        if index in taken:
            index += 1
            continue
        atom = _atom_at(reader, index)
        if atom is None:
            index += 1
            continue
        add(atom)
        index = atom.last + 1
    return sorted(atoms, key=lambda a: a.first)


def _atom_at(reader: _Reader, index: int) -> _Atom | None:
    tokens = reader.tokens
    day = reader.day(index)
    if day is not None:
        month_index = reader.skip_suffix(index) + 1
        if reader.word(month_index) == "of":
            month_index += 1
        month = reader.month(month_index)
        if month is not None and reader.text[tokens[month_index - 1].end : tokens[month_index].start].strip() in (
            "",
            ",",
        ):
            last = month_index
            year = _year_after(reader, month_index)
            if year is not None:
                last = reader.after_year(month_index + 1 if reader.year(month_index + 1) else month_index + 2)
            return _Atom(index, last, year, month, day, tokens[index].start, tokens[last].end)
        return None
    month = reader.month(index)
    if month is not None:
        following_day = reader.day(index + 1)
        if following_day is not None and reader.language == "en":
            last = reader.skip_suffix(index + 1)
            year = _year_after(reader, last)
            if year is not None:
                last = reader.after_year(last + 1 if reader.year(last + 1) else last + 2)
            return _Atom(index, last, year, month, following_day, tokens[index].start, tokens[last].end)
        year = _year_after(reader, index)
        if year is not None:
            last = reader.after_year(index + 1 if reader.year(index + 1) else index + 2)
            return _Atom(index, last, year, month, None, tokens[index].start, tokens[last].end)
        before = reader.word(index - 1)
        if before in _MONTH_BEFORE or (reader.tokens[index].text[0].isupper() and reader.language == "en"):
            if reader.language == "en" and month == 5 and before not in _MONTH_BEFORE:
                return None
            return _Atom(index, index, None, month, None, tokens[index].start, tokens[index].end)
        return None
    weekday = reader.weekday(index)
    if weekday is not None and reader.published is not None:
        before = reader.word(index - 1)
        if before not in _WEEKDAY_BEFORE:
            return None
        strictly_before = before in _LAST_WORDS
        back = (reader.published.weekday() - weekday) % 7
        if back == 0 and strictly_before:
            back = 7
        resolved = reader.published - timedelta(days=back)
        first = index - 1 if before in _LAST_WORDS or before == "this" else index
        return _Atom(
            first,
            index,
            resolved.year,
            resolved.month,
            resolved.day,
            tokens[first].start,
            tokens[index].end,
            relative=True,
        )
    year = reader.year(index)
    if year is not None:
        before = reader.word(index - 1)
        last = reader.after_year(index)
        if before in _YEAR_BEFORE or last > index:
            return _Atom(index, last, year, None, None, tokens[index].start, tokens[last].end)
    return None


def _year_after(reader: _Reader, index: int) -> int | None:
    """The year right after token ``index`` ("вересня 2022", "September 16, 2022")."""
    for candidate in (index + 1, index + 2):
        year = reader.year(candidate)
        if year is not None:
            gap = reader.text[reader.tokens[candidate - 1].end : reader.tokens[candidate].start]
            if candidate == index + 1 and gap.strip() in ("", ","):
                return year
            return None
    return None


def _combine(reader: _Reader, atoms: list[_Atom], sentences: Sentences) -> list[DateMention]:
    mentions: list[DateMention] = []
    used: set[int] = set()
    # A bare day before a dash or joiner and a full date: "16–23 September", "з 16 по 23 вересня".
    for position, atom in enumerate(atoms):
        if position in used:
            continue
        following = atoms[position + 1] if position + 1 < len(atoms) else None
        if (
            following is not None
            and atom.relative
            and atom.day is not None
            and following.day is not None
            and not following.relative
            and reader.text[atom.stop : following.start].strip(" ,") == ""
        ):
            used.add(position)  # "on Friday, 23 September 2022": the date says it; the weekday adds nothing
            continue
        start_day = _day_before(reader, atom)
        if start_day is not None and atom.day is not None:
            first_index, joined_by_opener = start_day
            first = _Atom(
                first_index,
                first_index,
                atom.year,
                atom.month,
                int(reader.tokens[first_index].text),
                reader.tokens[first_index].start,
                reader.tokens[first_index].end,
            )
            mention = _range(reader, first, atom, sentences, opener_index=joined_by_opener)
            if mention is not None:
                mentions.append(mention)
                used.add(position)
                continue
        following = atoms[position + 1] if position + 1 < len(atoms) else None
        if following is not None and position + 1 not in used and _joined(reader, atom, following):
            mention = _range(reader, atom, following, sentences)
            if mention is not None:
                mentions.append(mention)
                used.update({position, position + 1})
                continue
        mention = _single(reader, atom, sentences)
        if mention is not None:
            mentions.append(mention)
        used.add(position)
    return mentions


def _day_before(reader: _Reader, atom: _Atom) -> tuple[int, int | None] | None:
    index = atom.first - 1
    if index < 0:
        return None
    gap = reader.text[reader.tokens[index].end : atom.start].strip()
    if reader.day(index) is not None and gap in _DASHES:
        return index, None
    if (
        reader.word(index) in _RANGE_JOINERS
        and index >= 1
        and reader.day(index - 1) is not None
        and reader.word(index - 2) in _RANGE_OPENERS
    ):
        return index - 1, index - 2
    return None


def _opener_before(reader: _Reader, atom: _Atom) -> int | None:
    """The token index of "from"/"з"/"с" opening a range at ``atom`` ("з кінця лютого", "from early April")."""
    index = atom.first - 1
    if reader.word(index) in _MONTH_BEFORE and reader.word(index) not in _RANGE_OPENERS:
        index -= 1
        if reader.word(index) in ("the", "of"):
            index -= 1
    return index if index >= 0 and reader.word(index) in _RANGE_OPENERS else None


def _joined(reader: _Reader, left: _Atom, right: _Atom) -> bool:
    gap = reader.text[left.stop : right.start].strip()
    if gap in _DASHES:
        return True
    if right.first - left.last != 2 or reader.word(left.last + 1) not in _RANGE_JOINERS:
        return False
    return _opener_before(reader, left) is not None


def _granularity(atom: _Atom) -> str:
    return "day" if atom.day is not None else "month" if atom.month is not None else "year"


def _bounds(atom: _Atom, year: int) -> tuple[date, date]:
    if atom.month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if atom.day is None:
        return date(year, atom.month, 1), date(year, atom.month, calendar.monthrange(year, atom.month)[1])
    day = date(year, atom.month, min(atom.day, calendar.monthrange(year, atom.month)[1]))
    return day, day


def _year_of(reader: _Reader, atom: _Atom) -> int | None:
    if atom.year is not None:
        return atom.year
    if reader.published is None:
        return None
    year = reader.published.year
    first, _ = _bounds(atom, year)
    return year - 1 if first > reader.published else year


def _single(reader: _Reader, atom: _Atom, sentences: Sentences) -> DateMention | None:
    year = _year_of(reader, atom)
    if year is None:
        return None
    granularity = _granularity(atom)
    first, last = _bounds(atom, year)
    precision = granularity
    start = atom.start
    by = _by_before(reader, atom)
    if by is not None:
        precision, start = "by", by
        first = last
    end = None if granularity == "day" or precision == "by" else last
    return DateMention(
        date=first,
        end=end,
        precision=precision,
        granularity=granularity,
        text=reader.text[start : atom.stop],
        start=start,
        stop=atom.stop,
        sentence=sentences.around(atom.start),
        relative=atom.relative or atom.year is None,
    )


def _by_before(reader: _Reader, atom: _Atom) -> int | None:
    """The offset of a "by"/"до"/"не пізніше" right before ``atom`` ("до кінця", "until the end of" too)."""
    before = reader.text[max(0, atom.start - 36) : atom.start].lower()
    end_of = r"(?:(?:the\s+)?end\s+of\s+|кінця\s+|конца\s+)?"
    for phrase in _BY_WORDS:
        match = re.search(rf"(?:^|[\s(,]){re.escape(phrase)}\s+{end_of}$", before)
        if match:
            return atom.start - (len(before) - match.start()) + (1 if before[match.start()] in " (," else 0)
    return None


def _range(
    reader: _Reader, left: _Atom, right: _Atom, sentences: Sentences, opener_index: int | None = None
) -> DateMention | None:
    right_year = _year_of(reader, right)
    if right_year is None:
        return None
    if left.year is None:
        left_year = right_year
        if left.month is None:
            left.month = right.month
        if left.month is not None and right.month is not None and left.month > right.month:
            left_year -= 1
    else:
        left_year = left.year
    if left.month is None and right.month is not None and left.day is not None:
        left.month = right.month
    first, _ = _bounds(left, left_year)
    _, last = _bounds(right, right_year)
    if last < first:
        return None
    if opener_index is None:
        opener_index = _opener_before(reader, left)
    start = reader.tokens[opener_index].start if opener_index is not None else left.start
    granularity, end_granularity = _granularity(left), _granularity(right)
    return DateMention(
        date=first,
        end=last,
        precision="range",
        granularity=granularity,
        end_granularity="" if end_granularity == granularity else end_granularity,
        text=reader.text[start : right.stop],
        start=start,
        stop=right.stop,
        sentence=sentences.around(left.start),
        relative=left.relative or right.relative or right.year is None,
    )
