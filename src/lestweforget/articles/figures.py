"""Figures in an article: counts and measures with what they count and how sure the text is ("447 bodies",
"more than 440 graves", "hundreds of bodies", "п'ятеро дітей", "от 25 до 30 военных"), as a value or range,
a qualifier, a unit and the sentence.

A number counts as a figure only when a noun says what it counts (within three words, past adjectives:
"17 Ukrainian soldiers", "17 українських військових"): a bare number is a date, an address or an identifier
more often than a claim. Units are compared across languages by their dictionary form, mapped to the English
plural the atlas's claims use ("тіл", "тел" and "bodies" are all "bodies"); a noun not in that map stays in its
dictionary form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from lestweforget.articles.morphology import english_forms, readings
from lestweforget.articles.numbers import Number, read_number
from lestweforget.articles.text import Sentences, Word, words

QUALIFIERS: Final = ("", "about", "almost", "at least", "more than", "fewer than", "up to")
_QUALIFIER_PHRASES: Final = {
    "about": (
        "about",
        "around",
        "approximately",
        "roughly",
        "some",
        "circa",
        "an estimated",
        "близько",
        "приблизно",
        "орієнтовно",
        "майже близько",
        "около",
        "примерно",
        "порядка",
        "приблизительно",
    ),
    "almost": ("almost", "nearly", "майже", "мало не", "почти", "чуть ли не"),
    "at least": (
        "at least",
        "no fewer than",
        "no less than",
        "a minimum of",
        "щонайменше",
        "принаймні",
        "не менше ніж",
        "не менше як",
        "не менше",
        "як мінімум",
        "мінімум",
        "не менее",
        "по меньшей мере",
        "как минимум",
        "минимум",
    ),
    "more than": (
        "more than",
        "over",
        "upwards of",
        "in excess of",
        "понад",
        "більше ніж",
        "більш ніж",
        "більше як",
        "більше",
        "свыше",
        "более",
        "больше",
        "больше чем",
    ),
    "fewer than": ("fewer than", "less than", "under", "менше ніж", "менш ніж", "менше", "менее", "меньше"),
    "up to": ("up to", "до", "as many as"),
}
# Dictionary forms of units → the English plural the atlas's claims use.
UNITS: Final = {
    "bodies": "body тіло тело труп трупи",
    "graves": "grave могила",
    "burials": "burial поховання захоронение",
    "people": "person people individual людина особа человек люди",
    "civilians": "civilian цивільний гражданский мирний мирный",
    "soldiers": "soldier serviceman servicemember servicewoman military військовий військовослужбовець солдат боєць "
    "захисник военный военнослужащий боец",
    "children": "child дитина ребенок дитя",
    "women": "woman жінка женщина",
    "men": "man чоловік мужчина",
    "residents": "resident inhabitant мешканець житель",
    "crosses": "cross хрест крест",
    "places": "place site location місце место локація",
    "torture chambers": "chamber катівня пыточная пыточный застінок",
    "victims": "victim жертва",
    "dead": "dead загиблий погибший убитий убитый вбитий",
    "detainees": "detainee prisoner затриманий задержанный в'язень заключенный полонений пленный",
    "missing": "зниклий пропавший",
    "%": "% percent відсоток процент",
    "km": "km kilometre kilometer кілометр километр км",
    "m": "metre meter метр",
    "houses": "house будинок дом",
    "villages": "village село селище деревня",
    "settlements": "settlement населений",
    "days": "day день доба сутки",
    "months": "month місяць месяц",
}
_UNIT_OF: Final = {form: unit for unit, forms in UNITS.items() for form in forms.split()}
_NOT_UNITS: Final = frozenset(
    [
        "of",
        "in",
        "on",
        "at",
        "to",
        "and",
        "or",
        "the",
        "a",
        "an",
        "was",
        "were",
        "is",
        "are",
        "had",
        "have",
        "has",
        "by",
        "for",
        "from",
        "with",
        "than",
        "as",
        "per",
        "from",
        "year",
        "years",
        "yearold",
        "old",
        "am",
        "pm",
        "hours",
        "hour",
        "minutes",
        "km²",
        "ст",
        "року",
        "рік",
        "році",
        "года",
        "год",
        "лет",
        "роки",
        "років",
        "р",
        "г",
        "гг",
        "вересня",
    ]
)
_IDENTIFIER_BEFORE: Final = re.compile(
    r"(?:\b(?:no|nos|number|route|street|house|building|grave|№|#|case|article|"
    r"ст|статт\w*|стать\w*|номер\w*|буд|дом|вул|ул|тел|phone)\.?\s*)$",
    re.I,
)
_RANGE_JOINERS: Final = frozenset({"to", "and", "до", "по", "і", "й", "и", "or", "або", "или"})
_RANGE_OPENERS: Final = frozenset({"from", "between", "від", "з", "із", "от", "с", "між", "между"})
_DASHES: Final = frozenset({"-", "–", "—", "−"})


@dataclass(frozen=True)
class Figure:
    """A count or measure. ``low`` and ``high`` are equal for one value; ``qualifier`` is one of QUALIFIERS;
    ``unit`` the atlas's English plural (or the noun's dictionary form); ``unit_text`` the noun as written;
    ``text`` the whole figure as written; ``vague`` marks "hundreds"-like counts."""

    low: float
    high: float
    qualifier: str
    unit: str
    unit_text: str
    text: str
    start: int
    stop: int
    sentence: str
    vague: bool = False

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def value_text(self) -> str:
        """ "447", "25–30", "1.5" (the value or range, without qualifier or unit)."""
        low, high = _number_text(self.low), _number_text(self.high)
        return low if low == high else f"{low}–{high}"


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"


def canonical_unit(lemma: str) -> str:
    return _UNIT_OF.get(lemma, lemma)


def find_figures(
    text: str,
    language: str,
    sentences: Sentences | None = None,
    excluded: Iterable[tuple[int, int]] = (),
) -> tuple[Figure, ...]:
    """Every figure in ``text`` (written in ``language``), in text order; numbers inside ``excluded``
    character spans (dates, links) are not figures."""
    sentences = sentences or Sentences.of(text)
    tokens = words(text)
    spans = sorted(excluded)
    figures: list[Figure] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if _inside(token, spans):
            index += 1
            continue
        number = read_number(tokens, index, text, language)
        if number is None or not _stands_alone(tokens, number, text):
            index += 1
            continue
        if number.low == number.high == 1 and not token.is_number and _another(tokens, number.first):
            index += 1  # "ще одне поховання", "another grave": one more, not a count
            continue
        number = _as_range(tokens, number, text, language)
        unit = _unit_after(tokens, number.last, text, language)
        if unit is None:
            index = number.last + 1
            continue
        unit_index, unit_name = unit
        if number.vague and language == "en" and tokens[number.last + 1].text.lower() != "of":
            index = number.last + 1
            continue
        first = number.first
        if number.low != number.high and first and tokens[first - 1].text.lower() in _RANGE_OPENERS:
            first -= 1  # "from 25 to 30", "від 25 до 30"
        qualifier, start = _qualifier_before(text, tokens[first].start, language)
        if number.vague:
            qualifier = qualifier or "about"
        if text[tokens[number.last].end : tokens[number.last].end + 1] == "+":
            qualifier = qualifier or "more than"
        stop = tokens[unit_index].end + (1 if unit_name == "%" and unit_index == number.last else 0)
        figures.append(
            Figure(
                low=number.low,
                high=number.high,
                qualifier=qualifier,
                unit=unit_name,
                unit_text=tokens[unit_index].text,
                text=text[start:stop],
                start=start,
                stop=stop,
                sentence=sentences.around(tokens[number.first].start),
                vague=number.vague,
            )
        )
        index = unit_index + 1
    return tuple(figures)


def _another(tokens: list[Word], index: int) -> bool:
    before = tokens[index - 1].text.lower() if index else ""
    after = tokens[index + 1].text.lower() if index + 1 < len(tokens) else ""
    return before in ("ще", "ещё", "еще", "another") or after == "more"


def _inside(token: Word, spans: list[tuple[int, int]]) -> bool:
    return any(start <= token.start < stop for start, stop in spans)


def _stands_alone(tokens: list[Word], number: Number, text: str) -> bool:
    """Not part of an identifier ("No. 222", "№ 5"), a time ("10:30"), an ordinal ("22nd", "22-й") or a decimal
    coordinate."""
    first, last = tokens[number.first], tokens[number.last]
    before = text[max(0, first.start - 16) : first.start]
    after = text[last.end : last.end + 3]
    if _IDENTIFIER_BEFORE.search(before) or re.match(r"[:/]\d|-(?:й|го|ий|а|е|я|ї|th)\b|(?:st|nd|rd|th)\b", after):
        return False
    if first.is_number and re.fullmatch(r"\d+\.\d{3,}", first.text):
        return False
    return not (first.is_number and re.search(r"[/=:]$", before))


def _as_range(tokens: list[Word], number: Number, text: str, language: str) -> Number:
    following = number.last + 1
    if following >= len(tokens):
        return number
    gap = text[tokens[number.last].end : tokens[following].start].strip()
    joiner = tokens[following].text.lower()
    if gap in _DASHES:
        second = read_number(tokens, following, text, language)
    elif not gap and joiner in _RANGE_JOINERS and following + 1 < len(tokens):
        opener = tokens[number.first - 1].text.lower() if number.first else ""
        second = read_number(tokens, following + 1, text, language)
        if second is not None and opener not in _RANGE_OPENERS and joiner not in ("to", "or", "або", "или"):
            return number
    else:
        return number
    if second is None or second.vague or number.vague:
        return number
    low = number.low
    if second.factor > 1 and number.factor == 1 and low * second.factor <= second.low:
        low *= second.factor  # "от 10 до 15 тысяч": 10 thousand to 15 thousand
    if second.low <= low:
        return number
    return Number(low, second.high, number.first, second.last)


def _unit_after(tokens: list[Word], last: int, text: str, language: str) -> tuple[int, str] | None:
    """The token holding what the number counts, and the unit's name; None when no noun follows closely."""
    if text[tokens[last].end : tokens[last].end + 2].strip().startswith("%"):
        return last, "%"
    position = last + 1
    if position < len(tokens) and tokens[position].text.lower() == "of" and language == "en":
        position += 1  # "hundreds of bodies", "five of them"
        if position < len(tokens) and tokens[position].text.lower() == "the":
            position += 1  # "66 of the dead"
    adjective: tuple[int, str] | None = None
    for index in range(position, min(position + 3, len(tokens))):
        token = tokens[index]
        gap = text[tokens[index - 1].end : token.start]
        if tokens[index - 1].text.lower() in ("тис", "тыс", "млн", "млрд", "k"):
            gap = gap.replace(".", "", 1)  # "10 тис. мешканців"
        if any(mark in gap for mark in ".;:!?()\n") or token.is_number:
            break
        lowered = token.text.lower()
        if lowered in _NOT_UNITS:
            break
        if language == "en" or not readings(token.text, language):
            forms = english_forms(token.text)
            known = next((form for form in forms if form in _UNIT_OF), None)
            if known is not None:
                return index, _UNIT_OF[known]
            if (
                index == position
                and lowered.endswith("s")
                and lowered.isalpha()
                and len(lowered) > 3
                and token.text.islower()
            ):
                return index, forms[-1]
            continue
        parsed = readings(token.text, language)
        nouns = [r for r in parsed if r.pos == "NOUN" and not r.grammemes & {"Geox", "Name", "Surn", "Abbr"}]
        adjectives = [r for r in parsed if r.pos in ("ADJF", "PRTF")]
        known_unit = next((r.lemma for r in parsed if r.lemma in _UNIT_OF), None)
        if known_unit is not None:
            return index, _UNIT_OF[known_unit]
        if nouns and (not adjectives or nouns[0].score >= adjectives[0].score):
            return index, canonical_unit(nouns[0].lemma)
        if adjectives:
            adjective = (index, canonical_unit(adjectives[0].lemma))
            continue
        break
    # A noun-like adjective ("17 загиблих", "22 військових") when no noun follows it.
    return adjective if adjective is not None and adjective[1] in _UNIT_OF.values() else None


def _qualifier_before(text: str, start: int, language: str) -> tuple[str, int]:
    """The qualifier right before a number ("more than", "понад", "около") and where the figure then starts."""
    before = text[max(0, start - 30) : start].lower()
    best: tuple[str, int] = ("", start)
    longest = 0
    for qualifier, phrases in _QUALIFIER_PHRASES.items():
        for phrase in phrases:
            match = re.search(rf"(?:^|[\s(«\"]){re.escape(phrase)}\s+$", before)
            if match and len(phrase) > longest:
                longest = len(phrase)
                offset = match.start() + (1 if before[match.start()] in ' («"\n\t' else 0)
                best = (qualifier, start - (len(before) - offset))
    return best
