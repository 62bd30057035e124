"""Datasets of sites from elsewhere, read as plain values: CSV and GeoJSON through a column mapping, timemap events,
and the Russia-Ukraine Monitor's table; the rule that merges rows describing the same place and happening.

No Django: `lestweforget.register.importing` stores what this reads."""

from lestweforget.datasets.errors import DatasetError, RowProblem
from lestweforget.datasets.formats import DEFAULT_MAPPINGS, FORMATS, Dataset, read_dataset, unknown_categories
from lestweforget.datasets.links import is_social_media
from lestweforget.datasets.mapping import Kinds, Mapping, category_key, read_mapping_file
from lestweforget.datasets.merge import Match, MergeRule, SiteCandidate, SiteIndex, find_match, name_key
from lestweforget.datasets.rows import DatasetRow, Link

__all__ = [
    "DEFAULT_MAPPINGS",
    "FORMATS",
    "Dataset",
    "DatasetError",
    "DatasetRow",
    "Kinds",
    "Link",
    "Mapping",
    "Match",
    "MergeRule",
    "RowProblem",
    "SiteCandidate",
    "SiteIndex",
    "category_key",
    "find_match",
    "is_social_media",
    "name_key",
    "read_dataset",
    "read_mapping_file",
    "unknown_categories",
]
