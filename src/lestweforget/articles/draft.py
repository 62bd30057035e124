"""From a read article to what an editor reviews: its places, dates, figures and map points, found in one pass
over the same text and sentences, as plain values (and as JSON-ready dictionaries for `lwf import article
--json`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lestweforget.articles.dates import DateMention, find_dates
from lestweforget.articles.figures import Figure, find_figures
from lestweforget.articles.gazetteer import Gazetteer, Place
from lestweforget.articles.map_points import MapPoint, UnreadableMapLink, find_map_points
from lestweforget.articles.places import PlaceMention, distinct_places, find_places
from lestweforget.articles.reading import Article
from lestweforget.articles.regions import REGIONS_BY_CODE
from lestweforget.articles.text import Sentences

_URL = re.compile(r"(?:https?://|geo:)\S+")


@dataclass(frozen=True)
class ArticleFindings:
    """Everything found in one article's text, each item with the sentence it came from."""

    article: Article
    places: tuple[PlaceMention, ...]
    dates: tuple[DateMention, ...]
    figures: tuple[Figure, ...]
    map_points: tuple[MapPoint, ...]
    unreadable_map_links: tuple[UnreadableMapLink, ...]

    @property
    def distinct_places(self) -> tuple[Place, ...]:
        return distinct_places(self.places)

    def as_dict(self) -> dict[str, Any]:
        """The findings as JSON-ready values: places with latitude and longitude, dates in ISO form with their
        precision, figures with value, qualifier and unit, the byline as written."""
        article = self.article
        return {
            "title": article.title,
            "byline": article.byline,
            "published": article.published.date.isoformat() if article.published else None,
            "published_precision": article.published.precision if article.published else None,
            "language": article.language,
            "url": article.url,
            "publisher": article.publisher,
            "format": article.format,
            "notes": list(article.notes),
            "places": [_place_mention(m) for m in self.places],
            "dates": [_date(d) for d in self.dates],
            "figures": [_figure(f) for f in self.figures],
            "map_points": [
                {"latitude": p.latitude, "longitude": p.longitude, "how": p.how, "text": p.text, "sentence": p.sentence}
                for p in self.map_points
            ],
            "unreadable_map_links": [{"url": u.url, "reason": u.reason} for u in self.unreadable_map_links],
            "links": [{"url": link.url, "text": link.text} for link in article.links],
        }


def find_in_article(article: Article, gazetteer: Gazetteer) -> ArticleFindings:
    """Places, dates, figures and map points of ``article``; relative dates resolve against its publication
    date (and are left out when it has none)."""
    text = article.text
    sentences = Sentences.of(text)
    published = article.published.date if article.published else None
    dates = find_dates(text, article.language, published, sentences)
    links_in_text = [(m.start(), m.end()) for m in _URL.finditer(text)]
    figures = find_figures(
        text, article.language, sentences, excluded=[(d.start, d.stop) for d in dates] + links_in_text
    )
    points, unreadable = find_map_points(text, article.links, sentences)
    return ArticleFindings(
        article=article,
        places=find_places(text, article.language, gazetteer, sentences),
        dates=dates,
        figures=figures,
        map_points=points,
        unreadable_map_links=unreadable,
    )


def place_dict(place: Place) -> dict[str, Any]:
    return {
        "key": place.key,
        "name": place.name,
        "label": place.label(),
        "kind": place.kind,
        "latitude": round(place.latitude, 6),
        "longitude": round(place.longitude, 6),
        "uncertainty_m": round(place.uncertainty_m),
        "oblast": place.region_name,
        "name_uk": place.name_uk,
        "oblast_uk": REGIONS_BY_CODE[place.region].name_uk if place.region in REGIONS_BY_CODE else "",
    }


def _place_mention(mention: PlaceMention) -> dict[str, Any]:
    return {
        "text": mention.text,
        "place": place_dict(mention.place) if mention.place else None,
        "ambiguous": mention.is_ambiguous,
        "candidates": [place_dict(c) for c in mention.candidates] if mention.is_ambiguous else [],
        "confidence": mention.confidence,
        "resolution": mention.resolution,
        "sentence": mention.sentence,
    }


def _date(mention: DateMention) -> dict[str, Any]:
    return {
        "text": mention.text,
        "date": mention.iso(),
        "start": mention.date.isoformat(),
        "end": mention.end.isoformat() if mention.end else None,
        "precision": mention.precision,
        "granularity": mention.granularity,
        "end_granularity": mention.end_granularity or mention.granularity if mention.end else None,
        "relative": mention.relative,
        "sentence": mention.sentence,
    }


def _figure(figure: Figure) -> dict[str, Any]:
    return {
        "text": figure.text,
        "value": figure.value_text(),
        "low": figure.low,
        "high": figure.high,
        "qualifier": figure.qualifier,
        "unit": figure.unit,
        "unit_as_written": figure.unit_text,
        "sentence": figure.sentence,
    }
