"""How a dataset's columns and categories become sites, events and sources: a `Mapping`, one default per format,
which a YAML mapping file changes key by key.

A mapping file (every key optional; see the README's "Import a dataset")::

    dataset: kharkiv-graves          # external ids are unique within a dataset; importing again finds them
    publisher: "Kharkiv Oblast Prosecutor's Office"
    publisher_uk: "Харківська обласна прокуратура"
    columns: {id: case, title: name, date: day, latitude: lat, longitude: lng, category: type, links: [url]}
    date_formats: ["%d.%m.%Y"]
    uncertainty_m: 100
    graphic_values: ["GRAPHIC", "yes"]
    categories:
      "Mass grave": {site: mass_grave, event: discovery}
      "Shelling": skip
    other_categories: skip            # or {site: other, event: other}
"""

from __future__ import annotations

import re
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .errors import DatasetError

SITE_KINDS = ("mass_grave", "burial_site", "execution_site", "detention_site", "memorial", "other")
EVENT_KINDS = (
    "invasion",
    "attack",
    "occupation",
    "liberation",
    "discovery",
    "exhumation",
    "identification",
    "investigation",
    "memorial",
    "reburial",
    "other",
)
# Our fields a `columns:` entry may name, and whether each takes a list of columns.
FIELDS = {
    "id": False,
    "title": False,
    "description": False,
    "date": False,
    "date_end": False,
    "latitude": False,
    "longitude": False,
    "category": False,
    "place": False,
    "region": False,
    "links": True,
    "geolocation": True,
    "graphic": False,
}
# Source.publisher's max_length.
PUBLISHER_LIMIT = 200
FILE_KEYS = frozenset(
    {
        "dataset",
        "publisher",
        "publisher_uk",
        "columns",
        "date_formats",
        "uncertainty_m",
        "graphic_values",
        "categories",
        "other_categories",
    }
)

# A period at the end of a category ("... March 2022", "... Feb - June", "... July - Now"): the Russia-Ukraine
# Monitor splits one category into layers by month, and a mapping names the category once.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_PERIOD = re.compile(rf"\s+(?:{_MONTH}(?:\s+\d{{4}})?|{_MONTH}\s*-\s*(?:{_MONTH}|now)|\d{{4}})$", re.IGNORECASE)


def category_key(name: str) -> str:
    """A category's name made comparable: without a trailing period ("March 2022", "Feb - June"), lower case,
    words joined by hyphens ("Civilian Infrastructure Damage March 2022" -> "civilian-infrastructure-damage")."""
    without_period = _PERIOD.sub("", name.strip())
    return "-".join(re.findall(r"\w+", without_period.casefold()))


@dataclass(frozen=True)
class Kinds:
    """The site kind and event kind a category becomes; ``None`` (see `Mapping.kinds`) means "not a site: skip"."""

    site: str
    event: str


@dataclass(frozen=True)
class Mapping:
    """Columns (our field -> the file's column names), date formats, categories (key -> `Kinds` or None to skip)
    and the rest of what an import needs to know about one dataset."""

    dataset: str = ""
    publisher: str = ""
    # How Ukrainian pages name the publisher (Source.publisher_uk); else its name in «» quotes.
    publisher_uk: str = ""
    columns: MappingType[str, tuple[str, ...]] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ()
    uncertainty_m: float = 300.0
    graphic_values: frozenset[str] = frozenset()
    categories: MappingType[str, Kinds | None] = field(default_factory=dict)
    other_categories: Kinds | None = Kinds("other", "other")
    # The fields a mapping file named: a column it names must be in the file.
    given: frozenset[str] = frozenset()

    def column(self, name: str) -> str:
        """The file's column for a single-column field, "" when the mapping gives none."""
        return self.columns.get(name, ("",))[0] if self.columns.get(name) else ""

    def kinds(self, categories: tuple[str, ...]) -> Kinds | None:
        """The kinds of the first of ``categories`` the mapping names, else `other_categories`."""
        for name in categories:
            key = category_key(name)
            if key in self.categories:
                return self.categories[key]
        return self.other_categories

    def is_graphic(self, value: str) -> bool:
        return value.strip().casefold() in self.graphic_values

    def merged(self, changes: MappingType[str, Any], where: str) -> Mapping:
        """This mapping with a mapping file's keys applied (``where`` names the file in messages)."""
        unknown = sorted(set(changes) - FILE_KEYS)
        if unknown:
            raise DatasetError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(FILE_KEYS))})")
        result = self
        if "dataset" in changes:
            dataset = _text(changes["dataset"], f"{where}: dataset")
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,59}", dataset):
                raise DatasetError(f"{where}: dataset {dataset!r} must be 1-60 letters, digits, dots, dashes")
            result = replace(result, dataset=dataset)
        if "publisher" in changes:
            result = replace(result, publisher=_publisher(changes["publisher"], f"{where}: publisher"))
        if "publisher_uk" in changes:
            result = replace(result, publisher_uk=_publisher(changes["publisher_uk"], f"{where}: publisher_uk"))
        if "columns" in changes:
            columns = _columns(changes["columns"], where)
            result = replace(result, columns={**result.columns, **columns}, given=result.given | set(columns))
        if "date_formats" in changes:
            formats = changes["date_formats"]
            if isinstance(formats, str):
                formats = [formats]
            if not isinstance(formats, list) or not all(isinstance(f, str) and "%" in f for f in formats):
                raise DatasetError(f'{where}: date_formats must be strptime patterns such as "%d.%m.%Y"')
            result = replace(result, date_formats=tuple(formats))
        if "uncertainty_m" in changes:
            value = changes["uncertainty_m"]
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100_000:
                raise DatasetError(f"{where}: uncertainty_m must be a number of metres above 0, got {value!r}")
            result = replace(result, uncertainty_m=float(value))
        if "graphic_values" in changes:
            values = changes["graphic_values"]
            if not isinstance(values, list):
                raise DatasetError(f"{where}: graphic_values must be a list of cell values, such as [GRAPHIC, 5]")
            result = replace(result, graphic_values=frozenset(str(v).strip().casefold() for v in values))
        if "categories" in changes:
            categories = changes["categories"]
            if not isinstance(categories, dict):
                raise DatasetError(f"{where}: categories must map a category to {{site: KIND, event: KIND}} or skip")
            read = {
                category_key(str(name)): _kinds(value, f"{where}: category {name!r}")
                for name, value in categories.items()
            }
            result = replace(result, categories={**result.categories, **read})
        if "other_categories" in changes:
            result = replace(result, other_categories=_kinds(changes["other_categories"], f"{where}: other_categories"))
        return result


def read_mapping_file(path: Path, base: Mapping) -> Mapping:
    """``base`` (a format's default) changed by the YAML mapping file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DatasetError(f"--mapping {path}: no such file") from None
    except IsADirectoryError:
        raise DatasetError(f"--mapping {path}: is a folder, not a mapping file") from None
    except UnicodeDecodeError as error:
        raise DatasetError(f"--mapping {path}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise DatasetError(f"--mapping {path}: cannot read ({error.strerror})") from None
    try:
        changes = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise DatasetError(f"--mapping {path}: not valid YAML{where}") from None
    if changes is None:
        return base
    if not isinstance(changes, dict):
        raise DatasetError(f"--mapping {path}: expected keys such as columns: and categories:, found a list or a value")
    return base.merged(changes, f"--mapping {path.name}")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DatasetError(f"{where} must be text")
    return value.strip()


def _publisher(value: Any, where: str) -> str:
    text = _text(value, where)
    if len(text) > PUBLISHER_LIMIT:
        raise DatasetError(f"{where} is {len(text)} characters; a source's publisher holds at most {PUBLISHER_LIMIT}")
    return text


def _columns(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise DatasetError(f"{where}: columns must map our fields ({', '.join(FIELDS)}) to the file's columns")
    read: dict[str, tuple[str, ...]] = {}
    for ours, theirs in value.items():
        if ours not in FIELDS:
            raise DatasetError(f"{where}: columns: {ours!r} is not one of our fields ({', '.join(FIELDS)})")
        names = theirs if isinstance(theirs, list) else [theirs]
        if not names or not all(isinstance(n, str) and n for n in names):
            raise DatasetError(f"{where}: columns: {ours} must name a column of the file")
        if len(names) > 1 and not FIELDS[ours]:
            raise DatasetError(f"{where}: columns: {ours} takes one column, not {len(names)}")
        read[ours] = tuple(names)
    return read


def _kinds(value: Any, where: str) -> Kinds | None:
    if value in ("skip", None, False):
        return None
    if not isinstance(value, dict) or set(value) - {"site", "event"}:
        raise DatasetError(f"{where}: expected {{site: KIND, event: KIND}} or skip")
    site, event = value.get("site", "other"), value.get("event", "other")
    if site not in SITE_KINDS:
        raise DatasetError(f"{where}: site kind {site!r} is not one of {', '.join(SITE_KINDS)}")
    if event not in EVENT_KINDS:
        raise DatasetError(f"{where}: event kind {event!r} is not one of {', '.join(EVENT_KINDS)}")
    return Kinds(site, event)
