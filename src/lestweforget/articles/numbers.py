"""Numbers as reporting writes them: digits with the three languages' separators ("45,884", "45 884",
"1,5 тис."), number words ("five", "п'ятеро", "двадцять п'ять", "пятерых") and vague multiples ("hundreds",
"сотні", "десятки тисяч"), each with where it stands in the text.

Ukrainian and Russian number words are matched by their dictionary form (pymorphy3), so every case counts:
"п'ятьох", "п'ятьом" and "п'ять" are all 5; collective numerals ("п'ятеро", "пятеро") by their forms below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from lestweforget.articles.morphology import lemma_set
from lestweforget.articles.text import Word, plain

_EN_UNITS: Final = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
_UK_UNITS: Final = {
    "один": 1,
    "одна": 1,
    "одне": 1,
    "два": 2,
    "дві": 2,
    "три": 3,
    "чотири": 4,
    "п'ять": 5,
    "шість": 6,
    "сім": 7,
    "вісім": 8,
    "дев'ять": 9,
    "десять": 10,
    "одинадцять": 11,
    "дванадцять": 12,
    "тринадцять": 13,
    "чотирнадцять": 14,
    "п'ятнадцять": 15,
    "шістнадцять": 16,
    "сімнадцять": 17,
    "вісімнадцять": 18,
    "дев'ятнадцять": 19,
    "двадцять": 20,
    "тридцять": 30,
    "сорок": 40,
    "п'ятдесят": 50,
    "шістдесят": 60,
    "сімдесят": 70,
    "вісімдесят": 80,
    "дев'яносто": 90,
    "сто": 100,
    "двісті": 200,
    "триста": 300,
    "чотириста": 400,
    "п'ятсот": 500,
    "шістсот": 600,
    "сімсот": 700,
    "вісімсот": 800,
    "дев'ятсот": 900,
}
_RU_UNITS: Final = {
    "один": 1,
    "одна": 1,
    "одно": 1,
    "два": 2,
    "две": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "тринадцать": 13,
    "четырнадцать": 14,
    "пятнадцать": 15,
    "шестнадцать": 16,
    "семнадцать": 17,
    "восемнадцать": 18,
    "девятнадцать": 19,
    "двадцать": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "шестьдесят": 60,
    "семьдесят": 70,
    "восемьдесят": 80,
    "девяносто": 90,
    "сто": 100,
    "двести": 200,
    "триста": 300,
    "четыреста": 400,
    "пятьсот": 500,
    "шестьсот": 600,
    "семьсот": 700,
    "восемьсот": 800,
    "девятьсот": 900,
}
# Collective numerals ("п'ятеро дітей", "пятеро детей") in every case; the analysers lemmatise them unevenly.
_COLLECTIVE: Final = {
    2: "двоє двох двом двома обоє обидва обидві оба обе двое двоих двоим двоими",
    3: "троє трьох трьом трьома трое троих троим троими",
    4: "четверо чотирьох чотирьом чотирма четверых четверым четверыми",
    5: "п'ятеро п'ятьох п'ятьом п'ятьма пятеро пятерых пятерым пятерыми",
    6: "шестеро шістьох шістьом шістьма шестерых шестерым",
    7: "семеро сімох сімом сімома семерых семерым",
    8: "восьмеро вісьмох вісьмом восьмерых восьмерым",
    9: "дев'ятеро дев'ятьох девятеро девятерых",
    10: "десятеро десятьох десятерых",
}
_COLLECTIVE_FORMS: Final = {form: value for value, forms in _COLLECTIVE.items() for form in forms.split()}
_MULTIPLIERS: Final = {
    "thousand": 1000,
    "million": 1_000_000,
    "тисяча": 1000,
    "тис": 1000,
    "тисячі": 1000,
    "тысяча": 1000,
    "тыс": 1000,
    "мільйон": 1_000_000,
    "млн": 1_000_000,
    "миллион": 1_000_000,
}
# Vague multiples: what the words may mean, as a range.
_VAGUE: Final = {
    "dozens": (24, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "десяток": (10, 19),
    "десятки": (20, 99),
    "сотні": (200, 999),
    "тисячі": (2000, 9999),
    "сотни": (200, 999),
    "тысячи": (2000, 9999),
    "десятків": (20, 99),
    "сотень": (200, 999),
    "тисяч": (2000, 9999),
    "десятков": (20, 99),
    "тысяч": (2000, 9999),
    "десятками": (20, 99),
    "сотнями": (200, 999),
    "тисячами": (2000, 9999),
    "тысячами": (2000, 9999),
}
_DIGITS: Final = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Number:
    """A number in the text: its value range (equal ends for one value), the tokens it spans, and whether it
    is a vague multiple ("hundreds")."""

    low: float
    high: float
    first: int
    last: int
    vague: bool = False
    factor: int = 1


def digits_value(text: str, language: str, followed_by_multiplier: bool) -> float | None:
    """The value of a run of digits with separators, read the way ``language`` writes them."""
    if not _DIGITS.fullmatch(text):
        return None
    groups = re.split(r"[.,]", text)
    separators = re.findall(r"[.,]", text)
    if not separators:
        return float(text)
    thousands = all(len(group) == 3 for group in groups[1:]) and len(groups[0]) <= 3
    if language == "en":
        if set(separators) == {","} and thousands:
            return float(text.replace(",", ""))
        if separators == ["."]:
            return float(text)
        return None
    # Ukrainian and Russian: the comma is the decimal mark ("1,5 тис."); a full stop or comma between groups
    # of three digits ("45.884", rarely "45,884") separates thousands.
    if len(separators) == 1 and (followed_by_multiplier or not thousands):
        return float(text.replace(",", "."))
    if thousands and len(set(separators)) == 1:
        return float(re.sub(r"[.,]", "", text))
    return None


def word_value(word: str, language: str) -> int | None:
    """The value of one number word ("five", "п'ятьох", "пятерых"), or None."""
    lowered = plain(word).lower()
    if lowered in _COLLECTIVE_FORMS:
        return _COLLECTIVE_FORMS[lowered]
    if language == "en" or not re.search(r"[а-яіїєґё]", lowered):
        return _EN_UNITS.get(lowered)
    table = _UK_UNITS if language == "uk" else _RU_UNITS
    if lowered in table:
        return table[lowered]
    for form in lemma_set(word, language):
        if form in table:
            return table[form]
    return None


def multiplier(word: str, language: str) -> int | None:
    lowered = plain(word).lower().rstrip(".")
    if lowered in _MULTIPLIERS:
        return _MULTIPLIERS[lowered]
    if re.search(r"[а-яіїєґё]", lowered):
        for form in lemma_set(word, language):
            if form in _MULTIPLIERS:
                return _MULTIPLIERS[form]
    if lowered.endswith("s") and lowered[:-1] in _MULTIPLIERS:
        return None  # "thousands" is vague, not a multiplier
    return None


def vague_range(word: str) -> tuple[int, int] | None:
    return _VAGUE.get(plain(word).lower())


def read_number(tokens: list[Word], index: int, text: str, language: str) -> Number | None:
    """The number starting at ``tokens[index]``, with any multiplier or compound words after it, or None."""
    token = tokens[index]

    def gap(left: int, right: int) -> str:
        return text[tokens[left].end : tokens[right].start]

    if token.is_number:
        last = index
        joined = token.text
        group = token.text
        # "45 884", "1 000 000": a group of three digits after a space continues the number (Ukrainian, Russian).
        while (
            language != "en"
            and last + 1 < len(tokens)
            and re.fullmatch(r"\d{3}", tokens[last + 1].text)
            and len(group) <= 3
            and gap(last, last + 1) in (" ", "\u00a0", "\u202f", "\u2009")
        ):
            group = tokens[last + 1].text
            joined += group
            last += 1
        following = tokens[last + 1] if last + 1 < len(tokens) else None
        factor = multiplier(following.text, language) if following and not following.is_number else None
        value = digits_value(joined, language, factor is not None)
        if value is None:
            return None
        if factor and following is not None and gap(last, last + 1).strip() in ("", "."):
            value *= factor
            last += 1
            return Number(value, value, index, last, factor=factor)
        return Number(value, value, index, last)
    vague = vague_range(token.text)
    if vague is not None:
        low, high = vague
        last = index
        # "десятки тисяч", "tens of thousands", "сотні тисяч"
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        thousands = vague_range(following.text) if following is not None else None
        if thousands is not None and thousands[0] >= 2000 and low < 2000:
            low, high, last = low * 1000, high * 1000, index + 1  # "десятки тисяч": tens of thousands
        return Number(float(low), float(high), index, last, vague=True)
    if token.text.lower() == "a" and index + 1 < len(tokens) and tokens[index + 1].text.lower() == "dozen":
        return Number(12.0, 12.0, index, index + 1)
    # "twenty-five": the hyphen keeps an English compound in one token.
    parts = [word_value(part, language) for part in token.text.split("-")]
    if any(part is None for part in parts):
        return None
    total, current, last = 0, sum(part for part in parts if part is not None), index
    position = index + 1
    while position < len(tokens):
        word = tokens[position]
        lowered = word.text.lower()
        if lowered == "and" and language == "en" and position + 1 < len(tokens):
            following_value = word_value(tokens[position + 1].text, language)
            if following_value is not None and current >= 100:
                position += 1
                continue
            break
        value = word_value(word.text, language) if not word.is_number else None
        factor = multiplier(word.text, language) if not word.is_number else None
        if lowered == "hundred" and 0 < current < 10:
            current *= 100
        elif value is not None and _continues(current, value):
            current += value
        elif factor:
            total += max(current, 1) * factor
            current = 0
        else:
            break
        last = position
        position += 1
    total += current
    return Number(float(total), float(total), index, last)


def _continues(current: int, value: int) -> bool:
    """Whether number word ``value`` adds to ``current`` (сто + двадцять, двадцять + п'ять), not a new number."""
    if current == 0:
        return True
    if current % 100 == 0:
        return value < 100
    if current % 10 == 0 and current % 100 >= 20:
        return value < 10
    return False
