"""The dataset formats `lwf import sites` reads, each turned into `DatasetRow` values by one row builder.

- ``csv``: a table with a header row, columns chosen by the mapping (defaults: id, title, description, date,
  latitude, longitude, category, place, region, link). Cells separated by commas, semicolons or tabs (judged from
  the header), text in UTF-8, UTF-16/32 with a byte-order mark, or a legacy code page: what Excel writes as
  "CSV UTF-8", as "CSV" under Ukrainian settings (Windows-1251, ";", decimal commas) and as "Unicode text".
- ``geojson``: an RFC 7946 FeatureCollection; properties chosen by the mapping, the point always from the
  geometry (a Point's, or the centre of a MultiPoint, LineString or Polygon, with the shape's reach as the
  uncertainty).
- ``timemap``: the events that Forensic Architecture's timemap loads (its `eventSchema`: id, description, date,
  time, location, latitude, longitude, category, associations, sources; Bellingcat's fork adds civId and graphic)
  as one JSON document: a list of events, or ``{"events": [...], "sources": {...}, "associations": [...]}`` as
  the timemap's three endpoints serve them, or the list Bellingcat's "download JSON" writes (sources as
  ``{id, path, description}``, filters as ``{key, value}``). Dates are ISO or month first (M/D/YYYY), as both
  timemap configurations set DATE_FMT; associations and filters are categories.
- ``cir``: the Centre for Information Resilience's Russia-Ukraine Monitor event table as CSV (entry, date,
  event_group, title, brief description, lat, lon, country, province, district, town/city, arms/munition,
  violence level, link, geolocation), as the map's export is archived in the mauforonda/ukraine repository.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import charset_normalizer

from lestweforget import geo

from .errors import DatasetError, RowProblem
from .mapping import Kinds, Mapping, category_key
from .rows import FIELD_LIMITS, DatasetRow, Link, RowReader, cut_at_word, fingerprint, links_from

FORMATS = ("csv", "geojson", "timemap", "cir")
# "15/09/2022 Corpses of Izyum mass grave": the monitor's titles begin with the row's date.
_LEADING_DATE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\s*[-–:]?\s*")

_TABLE_COLUMNS = {
    "id": ("id",),
    "title": ("title", "name"),
    "description": ("description",),
    "date": ("date",),
    "date_end": ("date_end",),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng"),
    "category": ("category",),
    "place": ("place", "location", "town"),
    "region": ("region",),
    "links": ("link", "url", "source"),
    "graphic": ("graphic",),
}
TABLE = Mapping(
    columns=_TABLE_COLUMNS,
    date_formats=("%d.%m.%Y", "%d/%m/%Y"),
    uncertainty_m=300.0,
    graphic_values=frozenset({"graphic", "true", "yes", "1"}),
)
# No dataset name or publisher: a timemap file may be anyone's (Forensic Architecture's, Bellingcat's, a newsroom's),
# so, as for a CSV file, the file's name names the dataset unless a mapping file does, and a row's sources are
# published by its links' hosts. "timemap" is the format, never a publisher.
TIMEMAP = Mapping(
    columns={
        "id": ("civId", "id"),
        "description": ("description", "desc"),
        "date": ("date",),
        "latitude": ("latitude", "lat"),
        "longitude": ("longitude", "long"),
        "category": ("category",),
        "place": ("location",),
        "links": ("sources", "source"),
        "graphic": ("graphic",),
    },
    date_formats=("%m/%d/%Y",),
    # The timemap schema has no precision field: this default is ours, and the import summary says so.
    uncertainty_m=150.0,
    graphic_values=frozenset({"true", "yes", "graphic"}),
    other_categories=Kinds("other", "attack"),
)
# The monitor's categories ("event_group"), without their month: those about harm to people or places become
# sites; troops, equipment and battles do not (pass --only, or a mapping file, to choose otherwise).
_CIR_CATEGORIES: dict[str, Kinds | None] = {
    "mass-grave-or-burial": Kinds("mass_grave", "discovery"),
    "civilian-casualty": Kinds("other", "attack"),
    "civilian-infrastructure-damage": Kinds("other", "attack"),
    "bombing-or-explosion": Kinds("other", "attack"),
    "detentions-or-arrests": Kinds("detention_site", "other"),
    "munitions": None,
    "russian-military-movements": None,
    "russian-military-presence": None,
    "russian-military-losses": None,
    "russian-firing-positions": None,
    "russian-allies-presence-losses": None,
    "ukrainian-military-losses": None,
    "military-infrastructure-damage": None,
    "ground-battle": None,
    "other": None,
}
CIR = Mapping(
    dataset="cir-russia-ukraine-monitor",
    publisher="Centre for Information Resilience: Russia-Ukraine Monitor",
    publisher_uk="Центр інформаційної стійкості (CIR), мапа «Russia-Ukraine Monitor»",
    columns={
        "id": ("entry",),
        "title": ("title",),
        "description": ("brief description", "description"),
        "date": ("date",),
        "latitude": ("lat",),
        "longitude": ("lon",),
        "category": ("event_group",),
        "place": ("town/city", "town"),
        "region": ("province",),
        "links": ("link",),
        "geolocation": ("geolocation", "geolocation link"),
        "graphic": ("violence level",),
    },
    date_formats=("%d/%m/%Y", "%d.%m.%Y"),
    # The monitor does not state its pins' precision (the Izium fact sheet's judgement: ±100-300 m).
    uncertainty_m=300.0,
    # The violence level is 1-5 or "GRAPHIC"; rows at 4 and 5 show bodies (the Izium grave's rows do).
    graphic_values=frozenset({"graphic", "4", "5"}),
    categories=_CIR_CATEGORIES,
    other_categories=None,
)
DEFAULT_MAPPINGS = {"csv": TABLE, "geojson": TABLE, "timemap": TIMEMAP, "cir": CIR}
REQUIRED = ("date", "latitude", "longitude")
# Byte-order marks, the codec that reads what follows, and the name the summary gives.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8", "UTF-8 (with byte-order mark)"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# The code pages spreadsheets and older tools wrote Ukrainian and Russian text in, by charset-normalizer's names.
_LEGACY_ENCODINGS = {
    "cp1251": "Windows-1251",
    "koi8_u": "KOI8-U",
    "koi8_r": "KOI8-R",
    "cp866": "CP866",
    "mac_cyrillic": "Mac Cyrillic",
    "iso8859_5": "ISO 8859-5",
    # Offered too so that a Western European file (Zürich, café) is read as what it is: with Cyrillic code pages
    # alone, charset-normalizer reads it as Windows-1251 ("Zьrich") with little noise.
    "cp1252": "Windows-1252",
}
# What a spreadsheet may separate cells with; the header row tells which (see `_delimiter`).
_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
# Python's csv module refuses a cell over its field limit (131,072 characters) without naming row or column; the
# limit is lifted while reading and applied per cell, so the message can name both.
CELL_LIMIT = 131_072
# A GeoJSON feature's point, read from its geometry into hidden columns (no property can have these names).
_GEOMETRY_LAT = "\x00geometry latitude"
_GEOMETRY_LON = "\x00geometry longitude"
_GEOMETRY_SHAPE = "\x00geometry shape"
_GEOMETRY_PROBLEM = "\x00geometry problem"
# How deep each geometry type nests its positions (RFC 7946 §3.1.2-3.1.7).
_GEOMETRY_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


@dataclass(frozen=True)
class Dataset:
    """What a file held: its rows that read cleanly (the first of rows sharing an id), the problems of the others,
    notes on what was left
    out of rows that did (a word in a link cell), its columns and its categories as written."""

    rows: tuple[DatasetRow, ...]
    problems: tuple[RowProblem, ...]
    columns: tuple[str, ...]
    categories: tuple[str, ...]
    notes: tuple[RowProblem, ...] = ()
    # Rows left out by their category (not a site in the mapping, or not among --only): category -> rows.
    skipped: tuple[tuple[str, int], ...] = ()
    # How the bytes were read: "UTF-8, comma-separated", "UTF-16, tab-separated", "Windows-1251".
    read_as: str = ""
    # Notes on the whole file (a mapping key that does not apply to the format).
    file_notes: tuple[str, ...] = ()


Record = tuple[int, dict[str, Any]]


def read_dataset(
    data: bytes, name: str, format: str, mapping: Mapping, today: dt.date, only: Sequence[str] = ()
) -> Dataset:
    """Read ``data`` (the bytes of the file called ``name``) in ``format`` with ``mapping``, keeping the rows whose
    categories the mapping makes sites, or, when ``only`` names categories, the rows that have one of them. Rows
    left out are counted by category; their values are not checked.

    Raises `DatasetError` for a file that is not of the format at all (not UTF-8, broken JSON with its line and
    column, a table without the mapping's columns, no rows); bad values of single rows are `RowProblem`s."""
    if format not in FORMATS:
        raise DatasetError(f"--format {format!r}: not one of {', '.join(FORMATS)}")
    text, encoding = decode_text(data, name)
    read_as = encoding
    if format in ("csv", "cir"):
        records, columns, delimiter = _table_records(text, name, format)
        read_as = f"{encoding}, {_DELIMITERS[delimiter]}-separated"
    elif format == "geojson":
        records, columns = _geojson_records(text, name)
    else:
        records, columns = _timemap_records(text, name)
    if not records:
        raise DatasetError(f"{name}: no rows to import")
    chosen = _choose_columns(mapping, columns, name, format)
    rows: list[DatasetRow] = []
    problems: list[RowProblem] = []
    notes: list[RowProblem] = []
    file_notes: list[str] = []
    if format == "geojson" and (given := [f for f in ("latitude", "longitude") if f in mapping.given]):
        named = ", ".join(f"{f}: {mapping.column(f)}" for f in given)
        file_notes.append(
            f"the mapping's {named} is not used: a GeoJSON feature's point is its geometry (RFC 7946 §3.1)"
        )
    categories: dict[str, str] = {}
    skipped: dict[str, int] = {}
    wanted = {category_key(name) for name in only}
    for number, record in records:
        names = _category_names(record, chosen)
        for category in names:
            categories.setdefault(category_key(category), category)
        keys = {category_key(c) for c in names}
        # --only chooses by itself, even a category the mapping does not make sites of (it becomes "other").
        if not (keys & wanted if wanted else mapping.kinds(tuple(names)) is not None):
            label = names[0] if names else "(none)"
            skipped[label] = skipped.get(label, 0) + 1
            continue
        row, row_problems, row_notes = _build_row(number, record, chosen, mapping, today)
        problems += row_problems
        notes += row_notes
        if row is not None:
            rows.append(row)
    seen_ids: dict[str, int] = {}
    unique_rows: list[DatasetRow] = []
    for row in rows:
        if row.external_id in seen_ids:
            problems.append(
                RowProblem(
                    row.row,
                    chosen.get("id", ["id"])[0] if chosen.get("id") else "id",
                    f"id {row.external_id!r} is also row {seen_ids[row.external_id]}'s",
                    row.external_id,
                )
            )
        else:
            unique_rows.append(row)
        seen_ids.setdefault(row.external_id, row.row)
    return Dataset(
        tuple(unique_rows),
        tuple(problems),
        tuple(columns),
        tuple(sorted(categories.values())),
        tuple(notes),
        tuple(sorted(skipped.items())),
        read_as,
        tuple(file_notes),
    )


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """``data`` as text and the name of the encoding read: UTF-8 (a byte-order mark allowed), UTF-16 or UTF-32 by
    their byte-order mark (Excel's "Unicode text"), else the legacy code page charset-normalizer finds
    (Windows-1251, KOI8-U, ... as Excel writes "CSV" under Ukrainian or Russian settings).

    Raises `DatasetError` naming the row (line, the header being row 0) and byte of the first byte that no
    encoding reads cleanly. Unlike an article's page, a dataset is never read with bytes replaced: a coordinate or
    date must not be guessed."""
    for bom, encoding, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), label
            except UnicodeDecodeError as error:
                start = error.start + len(bom)
                raise DatasetError(
                    f"{name}: its byte-order mark says {label}, but {_row_of(data, start, encoding)}byte {start} "
                    f"is not {label}; save it again as UTF-8"
                ) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    best = charset_normalizer.from_bytes(data, cp_isolation=list(_LEGACY_ENCODINGS)).best()
    if best is not None and best.chaos <= 0.2 and b"\x00" not in data:
        return str(best), _LEGACY_ENCODINGS[best.encoding]
    start = utf8_error.start
    raise DatasetError(
        f"{name}: not UTF-8 text ({_row_of(data, start, 'utf-8')}byte {start} is {data[start]:#04x}), nor a "
        f"legacy code page ({', '.join(_LEGACY_ENCODINGS.values())}); save it again as UTF-8"
    ) from None


def _row_of(data: bytes, offset: int, encoding: str) -> str:
    """ "row N, " for the line holding byte ``offset`` (the header is row 0), counted in ``encoding``'s newlines."""
    newline = "\n".encode(encoding)
    return f"row {data[:offset].count(newline)}, "


def _delimiter(text: str) -> str:
    """The cell separator of a table, judged from its header row: of comma, semicolon and tab, the one it holds
    most of outside quotes (Excel writes ";" where the decimal separator is a comma, as in Ukraine and most of
    Europe, and tabs in "Unicode text"); a comma when it holds none. csv.Sniffer is not used: it guesses from
    the rows too and picks letters or quotes as separators in short files."""
    header = text.split("\n", 1)[0]
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {delimiter: outside.count(delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _table_records(text: str, name: str, format: str) -> tuple[list[Record], list[str], str]:
    if text.lstrip().startswith(("{", "[")):
        raise DatasetError(f"{name}: this is JSON, not a CSV table; use --format geojson or --format timemap")
    delimiter = _delimiter(text)
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), restkey="\x00extra", delimiter=delimiter)
        columns = [c.strip() for c in (reader.fieldnames or [])]
        records: list[Record] = []
        for number, raw in enumerate(reader, start=1):
            if "\x00extra" in raw:
                cells = len(columns) + len(raw["\x00extra"])
                raise DatasetError(
                    f"{name}: row {number} has {cells} cells, but the header has {_count(len(columns), 'column')} "
                    f"(read as {_DELIMITERS[delimiter]}-separated)"
                )
            records.append((number, {k.strip(): v for k, v in raw.items() if k is not None}))
    except csv.Error as error:
        raise DatasetError(f"{name}: not a readable CSV table ({error})") from None
    finally:
        csv.field_size_limit(limit)
    if len(columns) < 2:
        raise DatasetError(
            f"{name}: not a CSV table with a header row (found {_count(len(columns), 'column')}; cells may be "
            f"separated by commas, semicolons or tabs)"
        )
    if format == "cir" and "entry" not in columns:
        raise DatasetError(
            f"{name}: not a Russia-Ukraine Monitor table: it has no column 'entry' (its columns: {', '.join(columns)})"
        )
    return records, columns, delimiter


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _load_json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DatasetError(f"{name}: broken JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise DatasetError(f"{name}: JSON nested too deeply to read") from None


def _geojson_records(text: str, name: str) -> tuple[list[Record], list[str]]:
    document = _load_json(text, name)
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise DatasetError(f"{name}: not a GeoJSON FeatureCollection (RFC 7946 §3.3)")
    features = document.get("features")
    if not isinstance(features, list):
        raise DatasetError(f"{name}: its FeatureCollection has no list of features")
    records: list[Record] = []
    columns: dict[str, None] = {}
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise DatasetError(f"{name}: feature {number} is not a GeoJSON Feature")
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise DatasetError(f"{name}: feature {number}'s properties are not an object")
        record = dict(properties)
        if "id" in feature and "id" not in record:
            record["id"] = feature["id"]
            columns["id"] = None
        record.update(_geometry_point(feature.get("geometry")))
        records.append((number, record))
        columns.update(dict.fromkeys(properties))
    return records, list(columns)


def _geometry_point(geometry: Any) -> dict[str, Any]:
    """A feature's point as hidden columns: a Point's coordinates; for a MultiPoint, LineString, Polygon or their
    Multi- forms the mean of its positions, with the distance to the farthest position as the uncertainty (a
    circle that holds the whole shape, so nothing is claimed more precisely than the shape allows); else a problem
    message in place of the latitude. RFC 7946 §3.1: positions are longitude, latitude."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind is None:
        return {_GEOMETRY_PROBLEM: "the feature has no geometry (null): its point must be a Point geometry"}
    positions = _positions(geometry.get("coordinates"), _GEOMETRY_DEPTH.get(str(kind), -1))
    if positions is None:
        shown = str(kind)[:40]
        if str(kind) in _GEOMETRY_DEPTH:
            return {_GEOMETRY_PROBLEM: f"its {shown} geometry's coordinates are not [longitude, latitude] pairs"}
        return {
            _GEOMETRY_PROBLEM: f"a {shown} geometry: only Point, MultiPoint, LineString and Polygon shapes place a row"
        }
    bad = [p for p in positions if not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90)]
    if bad:
        return {
            _GEOMETRY_PROBLEM: f"its {kind} geometry has the position {bad[0][0]:g}, {bad[0][1]:g} outside "
            "longitude -180..180, latitude -90..90"
        }
    if kind == "Point":
        return {_GEOMETRY_LON: positions[0][0], _GEOMETRY_LAT: positions[0][1]}
    if kind == "Polygon" or kind == "MultiPolygon":
        # A ring repeats its first position last; count it once.
        positions = list(dict.fromkeys(positions))
    centre = geo.LatLon(sum(p[1] for p in positions) / len(positions), sum(p[0] for p in positions) / len(positions))
    radius_m = max(geo.distance_m(centre, geo.LatLon(p[1], p[0])) for p in positions)
    return {
        _GEOMETRY_LON: centre.lon,
        _GEOMETRY_LAT: centre.lat,
        _GEOMETRY_SHAPE: (str(kind), max(radius_m, 1.0)),
    }


def _positions(value: Any, depth: int) -> list[tuple[float, float]] | None:
    """The [lon, lat] positions nested ``depth`` lists deep in ``value`` (0: one position), None if malformed."""
    if depth < 0:
        return None
    if depth == 0:
        if (
            isinstance(value, list)
            and len(value) >= 2
            and all(isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n) for n in value[:2])
        ):
            return [(float(value[0]), float(value[1]))]
        return None
    if not isinstance(value, list) or not value:
        return None
    found: list[tuple[float, float]] = []
    for item in value:
        inner = _positions(item, depth - 1)
        if inner is None:
            return None
        found += inner
    return found


def _timemap_records(text: str, name: str) -> tuple[list[Record], list[str]]:
    document = _load_json(text, name)
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        raise DatasetError(f"{name}: this is GeoJSON, not timemap events; use --format geojson")
    sources: Any
    associations: Any
    if isinstance(document, dict):
        # Timemap's own endpoints serve "events", "sources", "associations"; exports built for it by others
        # capitalise them ("Events", "Sources"), so keys are read without regard to case.
        document = {str(key).casefold(): value for key, value in document.items()}
    if isinstance(document, list):
        events, sources, associations = document, {}, []
    elif isinstance(document, dict) and isinstance(document.get("events"), list):
        events = document["events"]
        sources = document.get("sources") or {}
        associations = document.get("associations") or []
    else:
        raise DatasetError(f'{name}: not timemap events: expected a list of events or an object with "events"')
    if isinstance(sources, list):
        sources = {str(s.get("id")): s for s in sources if isinstance(s, dict)}
    if not isinstance(sources, dict) or not isinstance(associations, list):
        raise DatasetError(f'{name}: "sources" must be an object by id and "associations" a list')
    by_id = {str(a.get("id")): a for a in associations if isinstance(a, dict)}
    records: list[Record] = []
    columns: dict[str, None] = {}
    for number, event in enumerate(events, start=1):
        if not isinstance(event, dict):
            raise DatasetError(f"{name}: event {number} is not a JSON object")
        record = dict(event)
        columns.update(dict.fromkeys(event))
        record["\x00categories"] = _timemap_categories(event, by_id)
        record["sources"], record["\x00source problems"] = _timemap_links(event.get("sources"), sources)
        records.append((number, record))
    return records, list(columns)


def _timemap_categories(event: dict[str, Any], associations: dict[str, Any]) -> list[str]:
    found: list[str] = []
    if isinstance(event.get("category"), str) and event["category"].strip():
        found.append(event["category"])
    for item in event.get("associations") or []:
        association = associations.get(str(item), {}) if not isinstance(item, dict) else item
        paths = association.get("filter_paths") if isinstance(association, dict) else None
        if isinstance(paths, list) and paths:
            # A filter is a path in a tree ("Type of area affected" / "Residential"): its leaf, then the whole path.
            found += [str(paths[-1]), "/".join(str(p) for p in paths)]
        elif isinstance(association, dict) and association.get("title"):
            found.append(str(association["title"]))
        elif isinstance(item, str):
            found.append(item)
    for item in event.get("filters") or []:
        if isinstance(item, dict) and item.get("value"):
            found += [str(item["value"]), f"{item.get('key') or ''}/{item['value']}".lstrip("/")]
    return [f for f in found if f.strip()]


def _timemap_links(value: Any, sources: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The URLs an event's sources lead to: each source's paths (or url), looked up by id in the file's
    sources; an id the file does not hold is a problem, unless it is itself a URL."""
    urls: list[str] = []
    problems: list[str] = []
    for item in value if isinstance(value, list) else [value] if value else []:
        source = item if isinstance(item, dict) else sources.get(str(item))
        if isinstance(source, dict):
            paths = source.get("paths") or ([source["path"]] if source.get("path") else [])
            if source.get("url"):
                paths = [*paths, source["url"]]
            urls += [str(p) for p in paths if isinstance(p, str) and p.strip()]
        elif isinstance(item, str) and item.startswith(("http://", "https://")):
            urls.append(item)
        else:
            problems.append(f"source {str(item)[:40]!r} is not among the file's sources")
    return urls, problems


def _choose_columns(mapping: Mapping, columns: Sequence[str], name: str, format: str) -> dict[str, list[str]]:
    """For each of our fields, the file's columns it reads: for a list field every named column present, for a
    single field the first present. A column the mapping file names that the file lacks is an error, and so is a
    file with none of a required field's columns."""
    present = set(columns)
    chosen: dict[str, list[str]] = {}
    for ours, theirs in mapping.columns.items():
        found = [c for c in theirs if c in present]
        missing = [c for c in theirs if c not in present]
        if format == "geojson" and ours in ("latitude", "longitude"):
            continue  # the point is the geometry's (see `_geometry_point`)
        if ours in mapping.given and missing:
            raise DatasetError(
                f"{name}: the mapping's column {missing[0]!r} (for {ours}) is not in the file "
                f"(its columns: {', '.join(columns) or 'none'})"
            )
        if found:
            chosen[ours] = found if ours in ("links", "geolocation") else found[:1]
    if format == "geojson":
        chosen["latitude"], chosen["longitude"] = [_GEOMETRY_LAT], [_GEOMETRY_LON]
    for ours in REQUIRED:
        if ours not in chosen:
            wanted = " or ".join(repr(c) for c in mapping.columns.get(ours, (ours,)))
            raise DatasetError(
                f"{name}: no {ours} column ({wanted}); its columns are {', '.join(columns) or 'none'}. "
                f"Name the column in a mapping file: columns: {{{ours}: COLUMN}}"
            )
    if "title" not in chosen and "description" not in chosen:
        raise DatasetError(f"{name}: no title or description column; name one in a mapping file")
    return chosen


def _shown(column: str) -> str:
    return column.replace("\x00", "")


def _build_row(
    number: int, record: dict[str, Any], chosen: dict[str, list[str]], mapping: Mapping, today: dt.date
) -> tuple[DatasetRow | None, list[RowProblem], list[RowProblem]]:
    def column(ours: str) -> str:
        return chosen[ours][0] if ours in chosen else ""

    def value(ours: str) -> Any:
        return record.get(column(ours)) if ours in chosen else None

    raw_id = value("id")
    reader = RowReader(number, external_id=str(raw_id).strip()[:200] if raw_id not in (None, "") else "")
    for their, cell in record.items():
        if isinstance(cell, str) and len(cell) > CELL_LIMIT:
            reader.problem(
                _shown(their), f"a cell of {len(cell):,} characters, more than the {CELL_LIMIT:,} a cell may hold"
            )
    if reader.problems:
        return None, reader.problems, reader.notes
    external_id = reader.text(_shown(column("id")), raw_id) if "id" in chosen else ""
    if len(external_id) > FIELD_LIMITS["external_id"]:
        reader.problem(
            _shown(column("id")), f"an id of {len(external_id)} characters, longer than {FIELD_LIMITS['external_id']}"
        )
    title = reader.name(_shown(column("title")), value("title")) if "title" in chosen else ""
    description = reader.text(_shown(column("description")), value("description")) if "description" in chosen else ""
    title = _LEADING_DATE.sub("", title) or title
    if not title and description:
        title = reader.name(_shown(column("description")), _title_from(description))
    title_column = _shown(column("title") or column("description"))
    if not title and not any(
        p.column in (_shown(column("title")), _shown(column("description"))) for p in reader.problems
    ):
        reader.problem(title_column, "no title or description")
    if description == title:
        description = ""
    date = reader.date(_shown(column("date")), value("date"), mapping.date_formats, today)
    date_end = None
    if "date_end" in chosen and value("date_end") not in (None, ""):
        date_end = reader.date(_shown(column("date_end")), value("date_end"), mapping.date_formats, today)
        if date and date_end and date_end < date:
            reader.problem(_shown(column("date_end")), f"{date_end.isoformat()} is before the date {date.isoformat()}")
    uncertainty_m = None
    if _GEOMETRY_PROBLEM in record:
        reader.problem("geometry", record[_GEOMETRY_PROBLEM])
        latitude = longitude = None
    else:
        latitude = reader.coordinate(_shown(column("latitude")), value("latitude"), "lat")
        longitude = reader.coordinate(_shown(column("longitude")), value("longitude"), "lon")
    if _GEOMETRY_SHAPE in record:
        shape, uncertainty_m = record[_GEOMETRY_SHAPE]
        reader.note(
            "geometry",
            f"a {shape}: its centre {latitude:.6f}, {longitude:.6f} is the site's point, ±{uncertainty_m:,.0f} m "
            "(the farthest of its positions)",
        )
    if latitude == 0 and longitude == 0:
        reader.problem(_shown(column("latitude")), "0, 0 is no place in the dataset's area (an empty cell read as 0?)")
    category_names = tuple(
        reader.text(_shown(column("category")) or "category", c, limit=FIELD_LIMITS["category"], what="a category")
        for c in _category_names(record, chosen)
    )
    links: list[Link] = []
    for their in chosen.get("links", []):
        links += links_from(reader, their, record.get(their), "post")
    for their in chosen.get("geolocation", []):
        links += links_from(reader, their, record.get(their), "geolocation")
    for message in record.get("\x00source problems") or []:
        reader.problem(column("links") or "sources", message)
    graphic, graphic_text = (
        _graphic(reader, _shown(column("graphic")), value("graphic"), mapping) if "graphic" in chosen else (False, "")
    )
    place = (
        reader.text(_shown(column("place")), value("place"), limit=FIELD_LIMITS["place"], what="a place's name")
        if "place" in chosen
        else ""
    )
    region = (
        reader.text(_shown(column("region")), value("region"), limit=FIELD_LIMITS["region"], what="a region's name")
        if "region" in chosen
        else ""
    )
    if reader.problems or date is None or latitude is None or longitude is None:
        return None, reader.problems, reader.notes
    values = {
        "title": title,
        "description": description,
        "date": date,
        "date_end": date_end,
        "latitude": latitude,
        "longitude": longitude,
        "categories": category_names,
        "place": place,
        "region": region,
        "links": [(link.url, link.role) for link in links],
        "graphic": graphic_text,
    }
    row_fingerprint = fingerprint(values)
    row = DatasetRow(
        row=number,
        external_id=external_id or f"sha256:{row_fingerprint[:32]}",
        title=title,
        description=description,
        date=date,
        date_end=date_end,
        latitude=latitude,
        longitude=longitude,
        categories=tuple(c for c in category_names if c),
        place=place,
        region=region,
        links=tuple(_unique(links, key=lambda link: link.url)),
        graphic=graphic,
        fingerprint=row_fingerprint,
        uncertainty_m=uncertainty_m,
    )
    return row, [], reader.notes


def _graphic(reader: RowReader, column: str, value: Any, mapping: Mapping) -> tuple[bool, Any]:
    """Whether a row is marked graphic, and the value as read (for the row's fingerprint): a JSON true (as JSON
    exports of a timemap write it, while its sheet writes "TRUE"), or text among the mapping's graphic values; a
    JSON false or an empty cell is not."""
    if isinstance(value, bool):
        return value, value
    text = reader.text(column, value)
    return bool(text) and mapping.is_graphic(text), text


def _category_names(record: dict[str, Any], chosen: dict[str, list[str]]) -> list[str]:
    categories = record.get("\x00categories")
    if categories is None:
        value = record.get(chosen["category"][0]) if "category" in chosen else None
        categories = [value] if value not in (None, "") else []
    return [str(c) for c in categories if isinstance(c, str | int | float) and not isinstance(c, bool)]


def _title_from(description: str) -> str:
    """A title for a row that has only a description: its first sentence, cut at a word near 120 characters."""
    first = re.split(r"(?<=[.!?])\s", description.strip(), maxsplit=1)[0]
    return cut_at_word(first, 120)


def _unique(items: Iterable[Link], key: Callable[[Link], str]) -> list[Link]:
    seen: set[str] = set()
    kept: list[Link] = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            kept.append(item)
    return kept


def unknown_categories(only: Sequence[str], dataset: Dataset) -> list[str]:
    """Those of ``only``'s names that no row of the dataset has as a category."""
    keys = {category_key(name) for name in dataset.categories}
    return [name for name in only if category_key(name) not in keys]
