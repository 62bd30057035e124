"""Load a record file (the Izium demo ships as `data/izium.yaml`) into the atlas, idempotently.

Each row is matched on its natural key (a slug, a source key, a site and date and title), so loading the same file
again changes nothing, and loading an edited file updates the rows it names without duplicating any.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Approach, Claim, ClaimSubject, Event, Settlement, Site, SiteName, Source, StatusChange

DEMO_FILE = "izium.yaml"


class RecordFileError(ValueError):
    """A record file that cannot be loaded; the message names the file and the entry."""


@dataclass(frozen=True)
class LoadSummary:
    sources: int
    settlements: int
    sites: int
    events: int
    claims: int


def demo_path() -> Path:
    return Path(str(resources.files("lestweforget.atlas") / "data" / DEMO_FILE))


def _date(value: Any, where: str, end: bool = False) -> dt.date | None:
    """Read "YYYY-MM-DD", "YYYY-MM" or "YYYY" as its first day, or as its last day for the `end` of a range.

    "" means unknown.
    """
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value)
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            start = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not end or fmt == "%Y-%m-%d":
            return start
        if fmt == "%Y":
            return start.replace(month=12, day=31)
        next_month = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return next_month - dt.timedelta(days=1)
    raise RecordFileError(f"{where}: date {text!r} is not YYYY-MM-DD, YYYY-MM or YYYY")


def _date_precision(value: Any) -> str:
    text = str(value or "")
    return {4: "year", 7: "month"}.get(len(text), "day")


def _text(row: Mapping[str, Any], key: str) -> dict[str, str]:
    """Reader-facing text as {en: ..., uk: ...}; a plain string is taken as the English text."""
    value = row.get(key) or {}
    if isinstance(value, str):
        value = {"en": value}
    if not isinstance(value, Mapping):
        raise KeyError(f"{key}.en")
    return {f"{key}_en": str(value.get("en", "")), f"{key}_uk": str(value.get("uk", ""))}


def _validated(instance: Any, where: str, exclude: list[str] | None = None) -> Any:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise RecordFileError(f"{where}: {'; '.join(error.messages)}") from error
    instance.save()
    return instance


def _upsert(model: Any, lookup: Mapping[str, Any], values: Mapping[str, Any], where: str) -> Any:
    instance = model.objects.filter(**lookup).first() or model(**lookup)
    for field, value in values.items():
        setattr(instance, field, value)
    return _validated(instance, where)


RECORD_SECTIONS = ("sources", "claim_subjects", "settlements", "sites", "events")


def _yaml_problem(error: yaml.YAMLError) -> str:
    """PyYAML's complaint on one line: where (line and column, 1-based) and what, without its quoted excerpt."""
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        mark = error.problem_mark
        context = f"{error.context}: " if error.context else ""
        return f"line {mark.line + 1}, column {mark.column + 1}: {context}{error.problem}"
    return " ".join(str(error).split())


def load_record_file(path: Path, publish: bool = True) -> LoadSummary:
    """Load every source, claim subject, settlement, site, event and claim of a record file, in one transaction.

    A claim names its subject by key, from the file's `claim_subjects` or those already in the atlas; an unknown
    key is refused, so a typo cannot start a group of its own."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RecordFileError(f"{path}: cannot be read ({getattr(error, 'strerror', None) or error})") from error
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RecordFileError(f"{path}: not valid YAML ({_yaml_problem(error)})") from error
    if not isinstance(data, dict):
        raise RecordFileError(f"{path}: expected a mapping with sources, settlements, sites and events")
    unknown = [str(key) for key in data if key not in RECORD_SECTIONS]
    if unknown:
        # A misspelt "site:" would otherwise load nothing and say it loaded 0 sites.
        raise RecordFileError(
            f"{path}: unknown key(s) {', '.join(repr(key) for key in unknown)}; "
            f"a record file holds only {', '.join(RECORD_SECTIONS)}"
        )
    for section in RECORD_SECTIONS:
        rows = data.get(section) or []
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise RecordFileError(f"{path}: {section!r} must be a list of entries, each a mapping")
    try:
        return _load(data, path, publish)
    except KeyError as error:
        # Everything ran in one transaction, so a missing key leaves the database as it was.
        raise RecordFileError(f"{path}: an entry has no {error.args[0]!r}, which it needs") from None


def _load(data: dict[str, Any], path: Path, publish: bool) -> LoadSummary:
    with transaction.atomic():
        sources = _load_sources(data.get("sources") or [], path)
        subjects = _load_claim_subjects(data.get("claim_subjects") or [], path)
        settlements = _load_settlements(data.get("settlements") or [], sources, path)
        sites = {
            row["slug"]: _load_site(row, settlements, sources, subjects, publish, f"{path}: site {row.get('slug')!r}")
            for row in data.get("sites") or []
        }
        events = [_load_event(row, sites, settlements, sources, path) for row in data.get("events") or []]
    return LoadSummary(
        sources=len(sources),
        settlements=len(settlements),
        sites=len(sites),
        events=len(events),
        claims=Claim.objects.filter(site__in=sites.values()).count(),
    )


def load_demo() -> LoadSummary:
    return load_record_file(demo_path())


def _source(sources: Mapping[str, Source], key: str, where: str) -> Source:
    try:
        return sources[key]
    except KeyError:
        raise RecordFileError(f"{where}: source {key!r} is not in the file's sources") from None


def _load_sources(rows: list[dict[str, Any]], path: Path) -> dict[str, Source]:
    loaded: dict[str, Source] = {}
    for row in rows:
        where = f"{path}: source {row.get('key')!r}"
        loaded[row["key"]] = _upsert(
            Source,
            {"key": row["key"]},
            {
                "kind": row.get("kind", "article"),
                "title": row["title"],
                "publisher": _text(row, "publisher")["publisher_en"],
                "publisher_uk": _text(row, "publisher")["publisher_uk"],
                "author": row.get("author", ""),
                "url": row.get("url", ""),
                "published": _date(row.get("published"), where),
                "published_precision": _date_precision(row.get("published")),
                "retrieved": _date(row.get("retrieved"), where),
                "language": row.get("language", "en"),
            },
            where,
        )
    return loaded


def _load_claim_subjects(rows: list[dict[str, Any]], path: Path) -> dict[str, ClaimSubject]:
    """The file's claim subjects, and every subject already in the atlas (a file may cite those by key too)."""
    loaded = {subject.key: subject for subject in ClaimSubject.objects.all()}
    for row in rows:
        where = f"{path}: claim subject {row.get('key')!r}"
        label = _text(row, "label")
        loaded[row["key"]] = _upsert(
            ClaimSubject, {"key": row["key"]}, {"label_en": label["label_en"], "label_uk": label["label_uk"]}, where
        )
    return loaded


def _claim_subject(subjects: Mapping[str, ClaimSubject], key: str, where: str) -> ClaimSubject:
    try:
        return subjects[key]
    except KeyError:
        known = ", ".join(sorted(subjects)) or "none"
        raise RecordFileError(
            f"{where}: claim subject {key!r} is neither in the file's claim_subjects nor in the atlas (known: {known})"
        ) from None


def _load_settlements(rows: list[dict[str, Any]], sources: Mapping[str, Source], path: Path) -> dict[str, Settlement]:
    loaded: dict[str, Settlement] = {}
    for row in rows:
        where = f"{path}: settlement {row.get('slug')!r}"
        names = row.get("names") or {}
        loaded[row["slug"]] = _upsert(
            Settlement,
            {"slug": row["slug"]},
            {
                "name_en": names.get("en", row["slug"]),
                "name_uk": names.get("uk", ""),
                "name_ru": names.get("ru", ""),
                "other_names": ", ".join(row.get("other_names") or []),
                **_text(row, "region"),
                **_text(row, "description"),
                "latitude": row["latitude"],
                "longitude": row["longitude"],
                "source": _source(sources, row["source"], where) if row.get("source") else None,
            },
            where,
        )
    return loaded


def _load_site(
    row: dict[str, Any],
    settlements: Mapping[str, Settlement],
    sources: Mapping[str, Source],
    subjects: Mapping[str, ClaimSubject],
    publish: bool,
    where: str,
) -> Site:
    location = row["location"]
    confirm = bool(row.get("confirm_implausible"))
    settlement = row.get("settlement")
    if settlement and settlement not in settlements:
        raise RecordFileError(f"{where}: settlement {settlement!r} is not in the file")
    site = _upsert(
        Site,
        {"slug": row["slug"]},
        {
            "kind": row["kind"],
            "settlement": settlements[settlement] if settlement else None,
            **_text(row, "summary"),
            "is_published": publish,
            "latitude": location["latitude"],
            "longitude": location["longitude"],
            "uncertainty_m": location["uncertainty_m"],
            "location_method_en": (location.get("method") or {}).get("en", ""),
            "location_method_uk": (location.get("method") or {}).get("uk", ""),
            "location_source": _source(sources, location["source"], where) if location.get("source") else None,
            "sensitivity": row.get("sensitivity", "public"),
            "generalise_m": row.get("generalise_m", 1000),
            # Not stored: the file's way of saying an editor checked an implausible site (see plausibility.py).
            "confirm_implausible": confirm,
        },
        where,
    )
    wanted_names = {(n["language"], n["name"]) for n in row.get("names") or []}
    site.names.exclude(pk__in=[n.pk for n in site.names.all() if (n.language, n.name) in wanted_names]).delete()
    # Clear primaries first so the one-primary-per-language constraint holds while rows are rewritten.
    site.names.update(is_primary=False)
    for name in row.get("names") or []:
        _upsert(
            SiteName,
            {"site": site, "language": name["language"], "name": name["name"]},
            {"is_primary": bool(name.get("primary")), **_text(name, "note")},
            f"{where}: name {name['name']!r}",
        )
    confirmed = site.confirmed_problems
    try:
        site.check_plausible([str(name["name"]) for name in row.get("names") or []], confirm=confirm)
    except ValidationError as error:
        raise RecordFileError(f"{where}: {'; '.join(error.messages)}") from error
    if site.confirmed_problems != confirmed:
        site.save(update_fields=["confirmed_problems"])
    if approach := row.get("approach"):
        _load_approach(site, approach, sources, f"{where}: approach")
    for status in row.get("statuses") or []:
        status_where = f"{where}: status {status.get('status')!r}"
        _upsert(
            StatusChange,
            {"site": site, "status": status["status"], "date": _date(status["date"], status_where)},
            {
                "precision": status.get("precision", _date_precision(status["date"])),
                "source": _source(sources, status["source"], status_where),
            },
            status_where,
        )
    for claim in row.get("claims") or []:
        _load_claim(site, claim, sources, subjects, f"{where}: claim {claim.get('subject')!r}={claim.get('value')!r}")
    return site


def _load_approach(site: Site, row: dict[str, Any], sources: Mapping[str, Source], where: str) -> None:
    approach = _upsert(
        Approach,
        {"site": site},
        {
            "start_name_en": (row.get("start_name") or {}).get("en", ""),
            "start_name_uk": (row.get("start_name") or {}).get("uk", ""),
            "start_latitude": row["start_latitude"],
            "start_longitude": row["start_longitude"],
            "mode": row.get("mode", "drive"),
            **_text(row, "directions"),
            **_text(row, "safety"),
            "last_checked": _date(row["last_checked"], where),
        },
        where,
    )
    approach.sources.set([_source(sources, key, where) for key in row.get("sources") or []])


def _load_claim(
    site: Site,
    row: dict[str, Any],
    sources: Mapping[str, Source],
    subjects: Mapping[str, ClaimSubject],
    where: str,
) -> None:
    if not row.get("source"):
        raise RecordFileError(f"{where}: a claim must cite a source")
    number = row.get("number")
    _upsert(
        Claim,
        {
            "site": site,
            "subject": _claim_subject(subjects, row["subject"], where),
            "value": str(row["value"]),
            "source": _source(sources, row["source"], where),
        },
        {
            "number": Decimal(str(number)) if number is not None else None,
            "unit": row.get("unit", ""),
            "status": row.get("status", "reported"),
            "asserted": _date(row.get("asserted"), where),
            **_text(row, "asserted_by"),
            **_text(row, "note"),
        },
        where,
    )


def _load_event(
    row: dict[str, Any],
    sites: Mapping[str, Site],
    settlements: Mapping[str, Settlement],
    sources: Mapping[str, Source],
    path: Path,
) -> Event:
    where = f"{path}: event {row.get('date')!r} {(row.get('title') or {}).get('en', '')!r}"
    owner: dict[str, Any]
    if row.get("site"):
        if row["site"] not in sites:
            raise RecordFileError(f"{where}: site {row['site']!r} is not in the file")
        owner = {"site": sites[row["site"]], "settlement": None}
    elif row.get("settlement"):
        if row["settlement"] not in settlements:
            raise RecordFileError(f"{where}: settlement {row['settlement']!r} is not in the file")
        owner = {"site": None, "settlement": settlements[row["settlement"]]}
    else:
        raise RecordFileError(f"{where}: an event needs a site or a settlement")
    date = _date(row["date"], where)
    sources_cited = [_source(sources, key, where) for key in row.get("sources") or []]
    try:
        Event.validate_sources(sources_cited)
    except ValidationError as error:
        raise RecordFileError(f"{where}: {'; '.join(error.messages)}") from error
    event = _upsert(
        Event,
        {**owner, "kind": row["kind"], "date": date, "title_en": (row.get("title") or {}).get("en", "")},
        {
            "date_end": _date(row.get("date_end"), where, end=True),
            "precision": row.get("precision") or _date_precision(row["date"]),
            "title_uk": (row.get("title") or {}).get("uk", ""),
            **_text(row, "description"),
        },
        where,
    )
    event.sources.set(sources_cited)
    return event
