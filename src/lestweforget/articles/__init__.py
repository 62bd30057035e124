"""Articles: from a saved article (web page, plain text or Markdown) to what an editor reviews: title, byline,
publication date, language, main text and links, and the places, dates, figures and map points in it.

Pure library: bytes or text in (hashed and kept by the caller before they are read here), plain values out,
no Django.
"""

from __future__ import annotations

from lestweforget.articles.dates import PRECISIONS, DateMention, find_dates
from lestweforget.articles.draft import ArticleFindings, find_in_article, place_dict
from lestweforget.articles.encoding import MAX_ARTICLE_BYTES
from lestweforget.articles.errors import ArticleError
from lestweforget.articles.figures import QUALIFIERS, UNITS, Figure, canonical_unit, find_figures
from lestweforget.articles.gazetteer import (
    KINDS,
    Gazetteer,
    Place,
    build_gazetteer,
    settlement_radius_m,
    ukraine_gazetteer,
)
from lestweforget.articles.language import SUPPORTED_LANGUAGES, detect_language
from lestweforget.articles.map_points import MapPoint, UnreadableMapLink, find_map_points
from lestweforget.articles.places import PlaceMention, distinct_places, find_places
from lestweforget.articles.reading import FORMATS, Article, Link, PublicationDate, read_article

__all__ = [
    "FORMATS",
    "KINDS",
    "MAX_ARTICLE_BYTES",
    "PRECISIONS",
    "QUALIFIERS",
    "SUPPORTED_LANGUAGES",
    "UNITS",
    "Article",
    "ArticleError",
    "ArticleFindings",
    "DateMention",
    "Figure",
    "Gazetteer",
    "Link",
    "MapPoint",
    "Place",
    "PlaceMention",
    "PublicationDate",
    "UnreadableMapLink",
    "build_gazetteer",
    "canonical_unit",
    "detect_language",
    "distinct_places",
    "find_dates",
    "find_figures",
    "find_in_article",
    "find_map_points",
    "find_places",
    "place_dict",
    "read_article",
    "settlement_radius_m",
    "ukraine_gazetteer",
]
