"""`lwf import sites`: a dataset's rows into the atlas as sites, events and sources, merged by the rule of
`lestweforget.datasets.merge`, unpublished until an editor publishes them.

- The whole file is read and checked first; any bad row refuses the file (`ImportRefused`, naming each row and
  column) before anything is stored, unless ``skip_bad_rows`` asks to import the good rows and list the bad.
- Rows are then written in batches of `BATCH_ROWS`, one transaction each. A run stopped part-way leaves whole
  batches; running it again skips the rows already stored (by their dataset and external id) and goes on.
- A row makes a new site (unpublished), or joins a site already stored or made by an earlier row. Its event is
  added at once, except on a site already published: there the event waits (`ImportedRow.event` None) until an
  editor publishes the row (`publish_rows`, the admin's bulk action, or ``--publish``).
- Every row keeps at least one source: its links (a social-media post is a source, never embedded), else the
  dataset row itself. Rows marked graphic give their sources the content note.
- The file's bytes are kept write-once in the evidence store under their SHA-256 (``original.stored``); the ledger
  gets one entry per batch (the rows, sites and sources it wrote) and one per run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from translitua import UkrainianKMU, translit

from lestweforget import geo
from lestweforget.atlas import evidence_records, plausibility
from lestweforget.atlas.models import DatePrecision, Event, Site, SiteName, Source, StatusChange
from lestweforget.atlas.record_ledger import append_on_commit, unrecorded
from lestweforget.datasets import (
    DEFAULT_MAPPINGS,
    DatasetError,
    DatasetRow,
    Kinds,
    Mapping,
    MergeRule,
    RowProblem,
    SiteCandidate,
    SiteIndex,
    find_match,
    name_key,
    read_dataset,
    read_mapping_file,
    unknown_categories,
)
from lestweforget.datasets.merge import INDEX_RESOLUTION
from lestweforget.datasets.rows import SITE_NAME_LIMIT, cut_at_word
from lestweforget.evidence import EvidenceError
from lestweforget.exports.locale_text import metres_text
from lestweforget.interrupts import StopRequest

from . import search_index
from .models import DatasetImport, ImportedRow

BATCH_ROWS = 200
MAX_FILE_BYTES = 512 * 1024 * 1024
Progress = Callable[[int, int], None]


class ImportRefused(Exception):
    """The file cannot be imported; ``problems`` name each bad row and column. Nothing was stored."""

    def __init__(self, message: str, problems: Sequence[RowProblem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


@dataclass(frozen=True)
class ImportOptions:
    path: Path
    format: str
    mapping_path: Path | None = None
    only: tuple[str, ...] = ()
    publish: bool = False
    dry_run: bool = False
    skip_bad_rows: bool = False
    rule: MergeRule = field(default_factory=MergeRule)
    actor: str = "system:unattributed"


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    file: str
    format: str
    dataset: str
    file_sha256: str
    rule: str
    dry_run: bool
    publish: bool = False
    rows_read: int = 0
    # How the file's bytes were read: "UTF-8, semicolon-separated".
    read_as: str = ""
    # The precision given to a point whose file states none (see `uncertainty_rule`).
    uncertainty_rule: str = ""
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # With --skip-bad-rows: the problems of the rows left out.
    bad_rows: list[RowProblem] = field(default_factory=list)
    unchanged: int = 0
    changed: list[str] = field(default_factory=list)
    imported: int = 0
    sites_made: list[str] = field(default_factory=list)
    joined: Counter[str] = field(default_factory=Counter)
    join_reasons: Counter[str] = field(default_factory=Counter)
    events_made: int = 0
    events_joined: int = 0
    events_waiting: int = 0
    sources_made: int = 0
    graphic_rows: int = 0
    published: int = 0
    # Of `published`, rows imported by an earlier run and published by this one (a re-run with --publish).
    published_earlier: int = 0
    refused_publication: list[str] = field(default_factory=list)
    # Rows whose point lies far from the town or oblast they name (atlas `plausibility`): imported, unpublished.
    implausible: list[RowProblem] = field(default_factory=list)
    # Rows citing a link an earlier row (or an earlier import) made a source of: that source is cited again.
    sources_reused: int = 0
    batches: int = 0
    # The signal ("SIGTERM", "SIGINT") that stopped the run between batches, and the rows it left for a re-run.
    stopped_by: str = ""
    rows_left: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "dataset": self.dataset,
            "file_sha256": self.file_sha256,
            "merge_rule": self.rule,
            "uncertainty_rule": self.uncertainty_rule,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "read_as": self.read_as,
            "skipped_by_category": self.skipped,
            "notes": self.notes,
            "bad_rows_left_out": [
                {"row": p.row, "id": p.external_id, "column": p.column, "message": p.message} for p in self.bad_rows
            ],
            "unchanged": self.unchanged,
            "changed_since_imported": self.changed,
            "imported": self.imported,
            "sites_made": self.sites_made,
            "rows_joining_sites": dict(self.joined),
            "join_reasons": dict(self.join_reasons),
            "events_made": self.events_made,
            "events_joined": self.events_joined,
            "events_waiting_for_publication": self.events_waiting,
            "sources_made": self.sources_made,
            "graphic_rows": self.graphic_rows,
            "published": self.published,
            "published_earlier_rows": self.published_earlier,
            "refused_publication": self.refused_publication,
            "implausible": [
                {"row": p.row, "id": p.external_id, "column": p.column, "message": p.message} for p in self.implausible
            ],
            "sources_reused": self.sources_reused,
            "batches": self.batches,
            "stopped_by": self.stopped_by,
            "rows_left": self.rows_left,
        }


class _Rollback(Exception):
    """Raised inside the dry run's transaction to undo it."""


def read_file(options: ImportOptions) -> tuple[bytes, Mapping]:
    """The file's bytes and the mapping (the format's default changed by ``--mapping``); `ImportRefused` for a
    missing, unreadable or oversized file or a bad mapping file."""
    path = options.path
    if options.format not in DEFAULT_MAPPINGS:
        raise ImportRefused(f"--format {options.format!r}: not one of {', '.join(DEFAULT_MAPPINGS)}")
    try:
        if path.is_dir():
            raise ImportRefused(f"{path}: is a folder; give the dataset file")
        if not path.is_file():
            raise ImportRefused(f"{path}: no such file" if not path.exists() else f"{path}: not a regular file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportRefused(f"{path}: larger than {MAX_FILE_BYTES // 1024 // 1024} MB; split it")
        data = path.read_bytes()
    except OSError as error:
        raise ImportRefused(f"{path}: cannot read ({error.strerror})") from None
    mapping = DEFAULT_MAPPINGS[options.format]
    if not mapping.dataset:
        mapping = replace(mapping, dataset=_dataset_name(path))
    if options.mapping_path is not None:
        try:
            mapping = read_mapping_file(options.mapping_path, mapping)
        except DatasetError as error:
            raise ImportRefused(str(error)) from None
    return data, mapping


def uncertainty_rule(mapping: Mapping, options: ImportOptions) -> str:
    """What uncertainty an imported point gets: a shape's reach when the row gives a shape (GeoJSON), else a default
    the file does not state, so the summary says which and where it comes from."""
    default = DEFAULT_MAPPINGS[options.format].uncertainty_m
    if options.mapping_path is not None and mapping.uncertainty_m != default:
        whose = f"uncertainty_m in {options.mapping_path.name}"
    else:
        whose = f"the default for --format {options.format}; a mapping file's uncertainty_m changes it"
    shape = "; a shape's centre: ± the distance to its farthest point" if options.format == "geojson" else ""
    return f"a point whose file states no precision: ±{mapping.uncertainty_m:,.0f} m ({whose}){shape}"


def _dataset_name(path: Path) -> str:
    return (slugify(path.stem) or "dataset")[:60]


def import_sites(options: ImportOptions, progress: Progress | None = None) -> ImportReport:
    """Read, check and store a dataset file (see the module's rules). Raises `ImportRefused` before storing
    anything when the file, the mapping or any kept row is bad. SIGTERM or SIGINT stops the run after the batch
    being written (``report.stopped_by``, ``report.rows_left``); a re-run resumes."""
    stop = StopRequest()
    with stop.listening():
        return _import_sites(options, progress, stop)


def _import_sites(options: ImportOptions, progress: Progress | None, stop: StopRequest) -> ImportReport:
    data, mapping = read_file(options)
    file_sha256 = hashlib.sha256(data).hexdigest()
    name = options.path.name
    try:
        dataset = read_dataset(data, name, options.format, mapping, timezone.localdate(), options.only)
    except DatasetError as error:
        raise ImportRefused(str(error)) from None
    if options.only and (unknown := unknown_categories(options.only, dataset)):
        raise ImportRefused(
            f"--only {unknown[0]!r}: no row of {name} has that category (its categories: "
            f"{', '.join(dataset.categories) or 'none'})"
        )
    if dataset.problems and not options.skip_bad_rows:
        raise ImportRefused(f"{name}: {len(dataset.problems)} bad value(s); nothing was imported", dataset.problems)
    report = ImportReport(
        file=name,
        format=options.format,
        dataset=mapping.dataset,
        file_sha256=file_sha256,
        rule=options.rule.describe(),
        uncertainty_rule=uncertainty_rule(mapping, options),
        dry_run=options.dry_run,
        publish=options.publish,
        rows_read=len(dataset.rows) + sum(n for _, n in dataset.skipped) + len({p.row for p in dataset.problems}),
        read_as=dataset.read_as,
        skipped=dict(dataset.skipped),
        notes=[*dataset.file_notes, *(str(note) for note in dataset.notes)],
        bad_rows=list(dataset.problems),
    )
    if stop.signal_name:
        report.stopped_by, report.rows_left = stop.signal_name, len(dataset.rows)
        return report
    writer = _Writer(options, mapping, report, stop)
    try:
        with unrecorded():
            if options.dry_run:
                # A dry run writes too (in one transaction it then rolls back), so it waits for a running import as
                # a real one does: beside it, SQLite would refuse its first write as "database is locked".
                with evidence_records.only_writer("this dry run"), transaction.atomic():
                    writer.write(dataset.rows, progress)
                    raise _Rollback
            else:
                with evidence_records.only_writer("this dataset import"):
                    _archive(data, file_sha256, name, options.format, options.actor)
                    writer.write(dataset.rows, progress)
    except _Rollback:
        pass
    except EvidenceError as error:
        raise ImportRefused(f"{name}: {error}; run `lwf verify` to check the evidence store") from error
    return report


def _archive(data: bytes, sha256: str, name: str, format: str, actor: str) -> None:
    """Keep the file's bytes write-once in the evidence store, as every original is, and say so in the ledger
    (once per file, however often it is imported)."""
    store, ledger = evidence_records.prepare_for_writing(actor)
    stored = store.put_bytes(data)
    if stored.sha256 != sha256:
        raise EvidenceError(f"stored as {stored.sha256}, but read as {sha256}")
    details = {"kind": "dataset", "format": format, "name": name, "size": len(data)}
    if not evidence_records.LedgerIndex.read(ledger).has("original.stored", f"sha256:{sha256}"):
        append_on_commit("original.stored", f"sha256:{sha256}", details, actor=actor)


class _Writer:
    def __init__(self, options: ImportOptions, mapping: Mapping, report: ImportReport, stop: StopRequest) -> None:
        self.options = options
        self.mapping = mapping
        self.report = report
        self.index = SiteIndex(options.rule, self._stored_sites)
        self.sites: dict[str, Site] = {}
        self.batch: DatasetImport | None = None
        self.ledger_rows: list[str] = []
        self.batch_sites: list[int] = []
        self.ledger_records: Counter[str] = Counter()
        self.stop = stop

    def _publish_earlier_rows(self, external_ids: list[str]) -> None:
        """--publish on a re-run: the file's rows stored by an earlier run and still unpublished are published
        now (each by the same rule as a new row's); rows already published stay as they are."""
        waiting = list(
            ImportedRow.objects.filter(
                dataset=self.mapping.dataset, external_id__in=external_ids, is_published=False
            ).select_related("site")
        )
        for start in range(0, len(waiting), BATCH_ROWS):
            published: list[str] = []
            with transaction.atomic():
                for row in waiting[start : start + BATCH_ROWS]:
                    if publish_row(row, self.report):
                        published.append(row.external_id)
                if published:
                    details = {
                        "dataset": self.mapping.dataset,
                        "file_sha256": self.report.file_sha256,
                        "rows": published,
                    }
                    append_on_commit(
                        "dataset.rows_published", f"dataset:{self.mapping.dataset}", details, actor=self.options.actor
                    )
            self.report.published_earlier += len(published)

    def write(self, rows: Sequence[DatasetRow], progress: Progress | None) -> None:
        known = dict(ImportedRow.objects.filter(dataset=self.mapping.dataset).values_list("external_id", "fingerprint"))
        todo: list[DatasetRow] = []
        for row in rows:
            if row.external_id not in known:
                todo.append(row)
            elif known[row.external_id] == row.fingerprint:
                self.report.unchanged += 1
            else:
                self.report.changed.append(f"row {row.row} ({row.external_id})")
        done = len(rows) - len(todo)
        if progress:
            progress(done, len(rows))
        if self.options.publish:
            self._publish_earlier_rows([row.external_id for row in rows if row.external_id in known])
        if not todo:
            return
        self.batch = DatasetImport.objects.create(
            dataset=self.mapping.dataset,
            format=self.options.format,
            file_name=self.options.path.name[:500],
            file_sha256=self.report.file_sha256,
            rule=self.report.rule,
            imported_by=self.options.actor,
        )
        for start in range(0, len(todo), BATCH_ROWS):
            chunk = todo[start : start + BATCH_ROWS]
            with transaction.atomic():
                for number, row in enumerate(chunk, start=1):
                    self._write_row(row)
                    if progress:
                        progress(done + number, len(rows))
                search_index.reindex(self.batch_sites)
                self.batch_sites = []
                self._ledger_batch()
            self.report.batches += 1
            done += len(chunk)
            if self.stop.signal_name and done < len(rows):
                # Whole batches are kept; the rest waits for a re-run, which skips what is stored.
                self.report.stopped_by = self.stop.signal_name
                self.report.rows_left = len(rows) - done
                break
        self.batch.counts = self.report.as_dict()
        if self.report.stopped_by:
            self.batch.save(update_fields=["counts"])
            return
        self.batch.status = DatasetImport.Status.COMPLETE
        self.batch.finished = timezone.now()
        self.batch.save()
        details = {
            "dataset": self.mapping.dataset,
            "file": self.report.file,
            "file_sha256": self.report.file_sha256,
            "imported": self.report.imported,
            "sites_made": len(self.report.sites_made),
            "published": self.report.published,
            "rule": self.report.rule,
        }
        append_on_commit("dataset.imported", f"sha256:{self.report.file_sha256}", details, actor=self.options.actor)

    # --- one row -------------------------------------------------------------------------------------------------

    def _write_row(self, row: DatasetRow) -> None:
        kinds = self.mapping.kinds(row.categories) or Kinds("other", "other")
        point = geo.LatLon(row.latitude, row.longitude)
        for problem in plausibility.named_place_problems(point, row.place, row.region):
            column = self.mapping.column("latitude") if self.options.format != "geojson" else "geometry"
            self.report.implausible.append(RowProblem(row.row, column, problem.message, row.external_id))
        # Sites are named, and matched by name, by the title cut to a heading's length (`SITE_NAME_LIMIT`).
        name = cut_at_word(row.title, SITE_NAME_LIMIT)
        match = find_match(self.options.rule, point, name, row.date, self.index.near(point))
        sources = self._make_sources(row)
        if match is None:
            site = self._make_site(row, kinds, sources[-1])
            candidate = SiteCandidate(site.slug, point, existing=False)
            self.index.add(candidate)
            reason, distance = "new site", None
            self.report.sites_made.append(site.slug)
        else:
            candidate = match.site
            site = self.sites[candidate.key]
            reason, distance = match.reason, match.distance_m
            self.report.joined[site.slug] += 1
            self.report.join_reasons[match.reason] += 1
        candidate.add(name, row.date, row.date_end)
        imported = ImportedRow.objects.create(
            dataset=self.mapping.dataset,
            external_id=row.external_id,
            fingerprint=row.fingerprint,
            dataset_import=self.batch,
            row=row.row,
            category=row.category[:200],
            site=site,
            made_site=match is None,
            match_reason=reason,
            match_distance_m=distance,
            event_kind=kinds.event,
            title=row.title,
            description=row.description,
            date=row.date,
            date_end=row.date_end,
            place=row.place,
            region=row.region,
            content_note=ImportedRow.ContentNote.GRAPHIC if row.graphic else ImportedRow.ContentNote.NONE,
        )
        imported.sources.set(sources)
        self.report.imported += 1
        self.report.graphic_rows += row.graphic
        self.ledger_rows.append(row.external_id)
        if self.options.publish and publish_row(imported, self.report):
            return
        # Not published (not asked to, or refused): the row's event waits on a published site, as an editor's
        # decision does, and is added at once to an unpublished one.
        if site.is_published:
            self.report.events_waiting += 1
        else:
            attach_event(imported, self.report)

    def _make_site(self, row: DatasetRow, kinds: Kinds, location_source: Source) -> Site:
        base = slugify(translit(f"{row.title} {row.place}", UkrainianKMU))[:90].strip("-") or "site"
        slug = f"{base}-{slugify(row.external_id)[:28]}".strip("-")
        if Site.objects.filter(slug=slug).exists():
            slug = f"{base}-{hashlib.sha256(f'{self.mapping.dataset}:{row.external_id}'.encode()).hexdigest()[:12]}"
        uncertainty_m = row.uncertainty_m or self.mapping.uncertainty_m
        language = text_language(row.title)
        site = Site(
            slug=slug,
            kind=kinds.site,
            summary_en=row.description or row.title,
            summary_uk=(row.description or row.title) if language == "uk" else "",
            latitude=row.latitude,
            longitude=row.longitude,
            uncertainty_m=uncertainty_m,
            location_source=location_source,
            is_published=False,
            **location_method(self.mapping, row, uncertainty_m),
        )
        site.full_clean(exclude=["settlement", "slug"])
        site.derive_public_location()
        # Written without save()'s signals, as a bulk loader: the name search index is rebuilt once per batch.
        Site.objects.bulk_create([site])
        name = cut_at_word(row.title, SITE_NAME_LIMIT)
        SiteName.objects.bulk_create([SiteName(site=site, language=language, name=name, is_primary=True)])
        self.batch_sites.append(site.pk)
        self.sites[site.slug] = site
        self.ledger_records["site"] += 1
        return site

    def _make_sources(self, row: DatasetRow) -> list[Source]:
        """The row's sources: one per link (a link already a source, from an earlier row or import, is that source
        again: one source per URL), else the dataset row itself."""
        made: list[Source] = []
        key_base = slugify(f"{self.mapping.dataset}-{row.external_id}")[:110] or "row"
        note = Source.ContentNote.GRAPHIC if row.graphic else Source.ContentNote.NONE
        for number, link in enumerate(row.links, start=1):
            known = Source.objects.filter(url=link.url).order_by("pk").first()
            if known is not None:
                if note and not known.content_note:
                    # A row marked graphic warns of what the link shows, whoever cited it first.
                    known.content_note = note
                    known.save(update_fields=["content_note"])
                self.report.sources_reused += 1
                made.append(known)
                continue
            host = (urlsplit(link.url).hostname or "").removeprefix("www.")
            made.append(
                self._source(
                    f"{key_base}-{number}" if number > 1 else key_base,
                    kind=Source.Kind.SOCIAL_POST if link.social else Source.Kind.ARTICLE,
                    title=row.title,
                    publisher=host[:200],
                    url=link.url,
                    content_note=note,
                )
            )
        if not made:
            publisher = self.mapping.publisher or self.mapping.dataset
            made.append(
                self._source(
                    key_base,
                    kind=Source.Kind.DATASET,
                    title=cut_at_word(f"{publisher} {row.external_id}: {row.title}", 500),
                    publisher=publisher[:200],
                    publisher_uk=self.mapping.publisher_uk[:200],
                    url="",
                    content_note=note,
                )
            )
        return made

    def _source(self, key: str, **values: Any) -> Source:
        source, created = Source.objects.get_or_create(key=key, defaults={**values, "retrieved": timezone.localdate()})
        if created:
            self.report.sources_made += 1
            self.ledger_records["source"] += 1
        return source

    # --- stored sites near a point -----------------------------------------------------------------------------

    def _stored_sites(self, cells: Iterable[str]) -> list[SiteCandidate]:
        cells = list(cells)
        centres = [geo.h3_centre(cell) for cell in cells]
        # Generalised sites are indexed by their public point, which may lie a grid cell away from the precise one.
        margin_deg = 0.2
        box = Q(
            sensitivity=Site.Sensitivity.GENERALISED,
            latitude__range=(min(c.lat for c in centres) - margin_deg, max(c.lat for c in centres) + margin_deg),
            longitude__range=(min(c.lon for c in centres) - margin_deg, max(c.lon for c in centres) + margin_deg),
        )
        wanted = set(cells)
        found: list[SiteCandidate] = []
        sites = list(Site.objects.filter(Q(h3_r7__in=cells) | box).prefetch_related("names"))
        spans: dict[int, list[tuple[dt.date, dt.date]]] = {site.pk: [] for site in sites}
        for site_id, start, end in Event.objects.filter(site__in=sites).values_list("site_id", "date", "date_end"):
            spans[site_id].append((start, end or start))
        for site_id, date in StatusChange.objects.filter(site__in=sites).values_list("site_id", "date"):
            spans[site_id].append((date, date))
        for site_id, start, end in ImportedRow.objects.filter(site__in=sites, event__isnull=True).values_list(
            "site_id", "date", "date_end"
        ):
            spans[site_id].append((start, end or start))
        for site in sites:
            if geo.h3_cell(site.point, INDEX_RESOLUTION) not in wanted and site.h3_r7 not in wanted:
                continue
            self.sites[site.slug] = site
            names = {name_key(n.name) for n in site.names.all()}
            found.append(SiteCandidate(site.slug, site.point, names, spans[site.pk]))
        return found

    def _ledger_batch(self) -> None:
        if not self.ledger_rows or self.batch is None:
            return
        details = {
            "dataset": self.mapping.dataset,
            "file_sha256": self.report.file_sha256,
            "rows": list(self.ledger_rows),
            "sites_made": self.ledger_records["site"],
            "sources_made": self.ledger_records["source"],
            "rows_sha256": hashlib.sha256("\n".join(self.ledger_rows).encode()).hexdigest(),
        }
        append_on_commit("dataset.rows_imported", f"dataset:{self.mapping.dataset}", details, actor=self.options.actor)
        self.ledger_rows = []
        self.ledger_records = Counter()


def text_language(text: str) -> str:
    """The language a dataset's text is in, as far as its letters tell: "uk" for Cyrillic with Ukrainian letters
    or none of Russian's own, "ru" with Russian's own letters (ы, э, ё, ъ), else "en"."""
    letters = {char for char in text.casefold() if char.isalpha()}
    if not letters or not any("\u0400" <= char <= "\u04ff" for char in letters):
        return "en"
    return "ru" if letters & set("ыэёъ") and not letters & set("іїєґ") else "uk"


def location_method(mapping: Mapping, row: DatasetRow, uncertainty_m: float) -> dict[str, str]:
    """How an imported site's point was found, in English and Ukrainian (``location_method_en``, ``_uk``): whose
    point it is, for which row, the place the row names as the file writes it, and the uncertainty given: the reach
    of the row's shape when the file gave a shape (its centre is the point), else the mapping's default. Numbers by
    `exports.locale_text`, as the site page writes them."""
    publisher = mapping.publisher or mapping.dataset
    publisher_uk = mapping.publisher_uk or (f"«{mapping.publisher}»" if mapping.publisher else mapping.dataset)
    where = ", ".join(part for part in (row.place, row.region) if part)
    metres_en, metres_uk = metres_text(uncertainty_m, "en"), metres_text(uncertainty_m, "uk")
    if row.uncertainty_m is not None:
        return {
            "location_method_en": (
                f"The centre of the shape that {publisher} gives for its row {row.external_id}"
                f"{f' ({where})' if where else ''}; ±{metres_en} reaches its farthest point. "
                "Not yet checked by an editor."
            ),
            "location_method_uk": (
                f"Центр фігури, яку {publisher_uk} подає для рядка {row.external_id}"
                f"{f' (місце у файлі: «{where}»)' if where else ''}; ±{metres_uk} сягають її найдальшої точки. "
                "Редактор її ще не перевіряв."
            ),
        }
    return {
        "location_method_en": (
            f"The point that {publisher} gives for its row {row.external_id}{f' ({where})' if where else ''}; its "
            f"precision is not stated, so we give ±{metres_en}. Not yet checked by an editor."
        ),
        "location_method_uk": (
            f"Точка, яку {publisher_uk} подає для рядка {row.external_id}"
            f"{f' (місце у файлі: «{where}»)' if where else ''}; її точності джерело не вказує, тож ми вважаємо її "
            f"точною до ±{metres_uk}. Редактор її ще не перевіряв."
        ),
    }


# --- events and publication ----------------------------------------------------------------------------------------


def attach_event(row: ImportedRow, report: ImportReport | None = None) -> Event:
    """Give ``row`` its event on its site: the site's event of the same day and title if there is one (the row's
    sources are added to it), else a new one."""
    wanted = name_key(row.title)
    event = next(
        (e for e in Event.objects.filter(site=row.site, date=row.date) if name_key(e.title_en) == wanted), None
    )
    if event is None:
        event = Event.objects.create(
            site=row.site,
            kind=row.event_kind,
            date=row.date,
            date_end=row.date_end,
            precision=DatePrecision.RANGE if row.date_end else DatePrecision.DAY,
            title_en=row.title,
            description_en=row.description,
            # A dataset written in Ukrainian says it in Ukrainian too; otherwise a Ukrainian page shows the
            # dataset's own words, marked as in their language.
            title_uk=row.title if text_language(row.title) == "uk" else "",
            description_uk=row.description if text_language(row.description or row.title) == "uk" else "",
        )
        if report is not None:
            report.events_made += 1
    elif report is not None:
        report.events_joined += 1
    event.sources.add(*row.sources.all())
    row.event = event
    row.save(update_fields=["event"])
    return event


def publication_refusal(row: ImportedRow) -> str:
    """Why ``row`` may not be published ("" when it may), naming the row: every fact needs a source, so a row that
    cites none stays unpublished; and a site the row made is published only if it looks plausible (atlas
    `plausibility`: not at 0°, 0°, with a name, near the town and oblast the row names), else an editor checks it
    in the site's form first."""
    if not row.sources.all():
        return f"row {row.external_id}: cites no source, and every fact on a public page needs one"
    site = row.site
    if row.made_site and not site.is_published:
        far = plausibility.named_place_problems(site.point, row.place, row.region)
        if far:
            return (
                f"row {row.external_id}: its site {site.slug}: {' '.join(p.message for p in far)} Correct the "
                "site's point, or check the site and publish it in its form; then publish the row"
            )
        site.is_published = True
        try:
            site.check_plausible([name.name for name in site.names.all()])
        except ValidationError as error:
            return f"row {row.external_id}: its site {site.slug}: {' '.join(error.messages)}"
        finally:
            site.is_published = False
    return ""


def publish_row(row: ImportedRow, report: ImportReport | None = None) -> bool:
    """Publish an imported row: its event is added if it was waiting, and a site the row made is published.
    Returns False, publishing nothing (and noting why in ``report``), for a row `publication_refusal` refuses."""
    if refusal := publication_refusal(row):
        if report is not None:
            report.refused_publication.append(refusal)
        return False
    if row.event_id is None:
        attach_event(row, report)
    if row.made_site and not row.site.is_published:
        row.site.is_published = True
        row.site.save(update_fields=["is_published"])
    if not row.is_published:
        row.is_published = True
        row.save(update_fields=["is_published"])
        if report is not None:
            report.published += 1
    return True


def publish_rows(rows: Iterable[ImportedRow], refused: list[str] | None = None) -> int:
    """Publish every row of ``rows`` (an editor's bulk decision) in one transaction; returns how many were not
    published before. Each change is in the ledger (record edits of the sites, events and rows). A row
    `publication_refusal` refuses stays unpublished, its reason added to ``refused``."""
    count = 0
    with transaction.atomic():
        for row in rows:
            if row.is_published:
                continue
            if refusal := publication_refusal(row):
                if refused is not None:
                    refused.append(refusal)
                continue
            publish_row(row)
            count += 1
    return count
