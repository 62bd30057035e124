"""The article-reading quality set scored: precision and recall of places, dates, figures, links and map points
found by `lestweforget.articles` in the 24 articles under benchmarks/articles/, against what a careful reader
marked in expected.yaml; and the same for a naive reference (exact names, dateparser's search_dates, a number
followed by a word), run on the same texts in the same run.

`make bench` runs it through benchmarks/run.py; tests/articles/test_quality_set.py holds the goals to it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from lestweforget.articles import (
    Article,
    Gazetteer,
    Place,
    build_gazetteer,
    find_in_article,
    read_article,
)

SET_DIR = Path(__file__).resolve().parent / "articles"
HELD_OUT_DIR = SET_DIR / "held-out"
KINDS = ("places", "dates", "figures", "links", "map_points")
GOALS = {"places": 0.9, "dates": 0.9, "figures": 0.8}


@dataclass
class Score:
    """True positives, false positives and false negatives, with the items behind them for the report."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, name: str, expected: set[str], found: set[str]) -> None:
        self.tp += len(expected & found)
        self.fp += len(found - expected)
        self.fn += len(expected - found)
        self.missed += [f"{name}: {item}" for item in sorted(expected - found)]
        self.spurious += [f"{name}: {item}" for item in sorted(found - expected)]


def load_set(folder: Path = SET_DIR) -> tuple[list[Place], dict[str, dict[str, list[str]]]]:
    """The gazetteer's extra entries (always from the main set) and the marked articles of ``folder``."""
    main = yaml.safe_load((SET_DIR / "expected.yaml").read_text(encoding="utf-8"))
    extras = [Place(**{**entry, "names": tuple(entry.get("names", ()))}) for entry in main["extra_places"]]
    data = main if folder == SET_DIR else yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    return extras, data["articles"]


def _figure_key(qualifier: str, value: str, unit: str) -> str:
    return f"{qualifier} {value} {unit}".strip()


def ours(article: Article, gazetteer: Gazetteer) -> dict[str, set[str]]:
    findings = find_in_article(article, gazetteer)
    places = set()
    for mention in findings.places:
        if mention.place is not None:
            places.add(mention.place.label())
        else:
            places.add(f"ambiguous: {mention.candidates[0].name}")
    return {
        "places": places,
        "dates": {f"{d.iso()} {d.precision}" for d in findings.dates},
        "figures": {_figure_key(f.qualifier, f.value_text(), f.unit) for f in findings.figures},
        "links": {link.url for link in article.links},
        "map_points": {f"{p.latitude:.4f},{p.longitude:.4f}" for p in findings.map_points},
    }


_NAIVE_NUMBER = re.compile(r"\b(\d+(?:[,.]\d+)?)\s+([^\W\d_]+)")


def reference(article: Article, gazetteer: Gazetteer) -> dict[str, set[str]]:
    """What a first attempt finds: each capitalised word or pair looked up as written, the most populous place
    of a name taken; dateparser's search_dates at day precision; a number followed by a word, the word as unit."""
    from dateparser.search import search_dates

    text = article.text
    places = set()
    tokens = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text)
    for first, second in zip(tokens, [*tokens[1:], ""], strict=True):
        for form in (f"{first} {second}", first):
            if not form[:1].isupper():
                continue
            found = gazetteer.lookup(form)
            if found:
                places.add(max(found, key=lambda p: p.population).label())
                break
    dates = set()
    base = datetime.combine(article.published.date, datetime.min.time()) if article.published else None
    settings: dict[str, Any] = {"RELATIVE_BASE": base} if base else {}
    for _, when in search_dates(text, languages=[article.language], settings=settings) or []:
        dates.add(f"{when.date().isoformat()} day")
    figures = {
        f"{float(value.replace(',', '.')):g} {word.lower()}"
        for value, word in _NAIVE_NUMBER.findall(text)
        if not re.fullmatch(r"(19|20)\d\d", value)
    }
    return {
        "places": places,
        "dates": dates,
        "figures": figures,
        "links": {link.url for link in article.links},
        "map_points": set(),
    }


@dataclass
class Run:
    scores: dict[str, dict[str, Score]]  # method -> kind -> score
    by_language: dict[str, dict[str, Score]]  # language -> kind -> score (ours)
    articles: int
    seconds: dict[str, float]
    gazetteer_seconds: float


def run(methods: Iterable[str] = ("ours", "reference"), folder: Path = SET_DIR) -> Run:
    started = time.perf_counter()
    extras, expected = load_set(folder)
    gazetteer = build_gazetteer(extras)
    gazetteer_seconds = time.perf_counter() - started
    finders: dict[str, Callable[[Article, Gazetteer], dict[str, set[str]]]] = {"ours": ours, "reference": reference}
    scores = {method: {kind: Score() for kind in KINDS} for method in methods}
    by_language: dict[str, dict[str, Score]] = {}
    seconds = dict.fromkeys(methods, 0.0)
    for name, marked in expected.items():
        data = (folder / name).read_bytes()
        for method in methods:
            mark = time.perf_counter()
            article = read_article(data, name=name)
            found = finders[method](article, gazetteer)
            seconds[method] += time.perf_counter() - mark
            for kind in KINDS:
                wanted = {str(item) for item in marked.get(kind) or []}
                scores[method][kind].add(name, wanted, found[kind])
                if method == "ours":
                    language = by_language.setdefault(name[:2], {k: Score() for k in KINDS})
                    language[kind].add(name, wanted, found[kind])
    return Run(scores, by_language, len(expected), seconds, gazetteer_seconds)


def held_out_summary() -> str:
    """The held-out articles' precision and recall, as a Markdown table with what was missed."""
    result = run(folder=HELD_OUT_DIR)
    lines = [
        f"Held out: {result.articles} articles (2 per language), ours against the reference:",
        "",
        "| kind | ours: precision | ours: recall | reference: precision | reference: recall |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for kind in KINDS:
        mine, ref = result.scores["ours"][kind], result.scores["reference"][kind]
        lines.append(f"| {kind} | {mine.precision:.2f} | {mine.recall:.2f} | {ref.precision:.2f} | {ref.recall:.2f} |")
    wrong = [f"- {kind}: missed {item}" for kind in KINDS for item in result.scores["ours"][kind].missed]
    wrong += [
        f"- {kind}: found but not marked {item}" for kind in KINDS for item in result.scores["ours"][kind].spurious
    ]
    note = (
        "Listed as measured. Some are slips of the marking against the set's own conventions (a unit the set keeps "
        "in its dictionary form written in the plural, a point rounded the other way at the fifth decimal, a noun "
        "after an adjective that the marking took from the adjective); the others are the reader's."
    )
    return "\n".join([*lines, "", "What ours gets wrong there:", "", *(wrong or ["- nothing"]), "", note])


if __name__ == "__main__":
    result = run()
    for method, kinds in result.scores.items():
        for kind, score in kinds.items():
            counts = f"tp {score.tp} fp {score.fp} fn {score.fn}"
            print(f"{method:9} {kind:10} P {score.precision:.2f} R {score.recall:.2f}  ({counts})")
    for kind, score in result.scores["ours"].items():
        for item in score.missed:
            print("missed  ", kind, item)
        for item in score.spurious:
            print("spurious", kind, item)
