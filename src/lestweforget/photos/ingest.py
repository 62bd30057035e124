"""Photo import: from a card's files to originals kept as evidence, a ledger entry per step, and Photo rows.

Each file is read once; its bytes are hashed before any image library sees them, and those same bytes are
parsed, turned into derivatives and stored. Reading, hashing, parsing, encoding and storing run in worker
processes; the ledger and the database are written only here, in the main process, in input order.

Every step is idempotent, so an import killed at any moment and run again ends as if never interrupted:
the store is content-addressed and write-once, a ledger entry is appended only if the ledger does not already
have that action on that object, and a Photo row is written in one transaction after its evidence is stored
and recorded. A run that changes nothing appends nothing.

Capture times and tracks: a photo is placed on a track by its UTC capture time, taken from the file's UTC
offset or its GPS time stamp. A file that says neither is placed only if the importer states the camera
clock's offset from UTC (``track_offset_hours``); nothing is guessed.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
import os
import stat
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from django.db import IntegrityError, connections, transaction

from lestweforget import geo
from lestweforget.atlas import evidence_records
from lestweforget.atlas.evidence_records import LedgerIndex
from lestweforget.atlas.models import Site
from lestweforget.atlas.record_ledger import unrecorded
from lestweforget.evidence import EvidenceError, EvidenceStore, Ledger
from lestweforget.geo.track import TrackError, TrackFix, position_at, read_track_bytes
from lestweforget.media import (
    NEAR_DUPLICATE_MAX_DISTANCE,
    CaptureMetadata,
    MediaError,
    hamming_distance,
    make_derivatives,
    read_capture,
)

from .models import Contributor, Photo, QuarantinedFile

DEFAULT_MAX_DISTANCE_KM = 5.0
STATUSES = ("imported", "duplicate", "quarantined", "failed", "skipped")


class IngestError(Exception):
    """The import cannot start (unknown site, unreadable track, bad option); nothing has been written."""


@dataclass(frozen=True)
class ImportOptions:
    """What `lwf import photos` was asked to do."""

    site_slug: str
    author: str | None = None
    track: Path | None = None
    track_offset_hours: float | None = None
    max_distance_km: float = DEFAULT_MAX_DISTANCE_KM
    publish: bool = False
    workers: int | None = None  # None: one per core; 1: no worker processes


@dataclass(frozen=True)
class FileOutcome:
    """What became of one input file. ``status`` is one of STATUSES; ``message`` says why, naming the file."""

    path: str
    status: str
    message: str = ""
    sha256: str | None = None
    near_duplicate_of: str | None = None
    near_duplicate_bits: int | None = None
    held_back_reason: str = ""
    placed_from_track: bool = False
    track_gap_s: float | None = None
    published: bool = False


@dataclass(frozen=True)
class ImportReport:
    """The whole run: one outcome per file, what the ledger gained, and where the time went (seconds)."""

    site_slug: str
    files: tuple[FileOutcome, ...]
    ledger_entries_added: int
    checkpoint_made: bool
    stage_seconds: Mapping[str, float]
    wall_seconds: float
    # What the track reader could not read, or read otherwise than the file asked, naming points and elements.
    track_notes: tuple[str, ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def near_duplicates(self) -> tuple[FileOutcome, ...]:
        return tuple(f for f in self.files if f.near_duplicate_of)

    @property
    def held_back(self) -> tuple[FileOutcome, ...]:
        return tuple(f for f in self.files if f.held_back_reason)

    @property
    def placed_from_track(self) -> tuple[FileOutcome, ...]:
        return tuple(f for f in self.files if f.placed_from_track)

    @property
    def problems(self) -> tuple[FileOutcome, ...]:
        return tuple(f for f in self.files if f.status in ("quarantined", "failed"))

    @property
    def ok(self) -> bool:
        return not self.problems


# ---------------------------------------------------------------------------------------------------------
# Finding the files


@dataclass(frozen=True)
class Candidate:
    """A regular file to import: ``path`` is opened, ``shown`` names it in messages, ``name`` is its name."""

    path: str
    shown: str
    name: str


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Candidate], list[FileOutcome]]:
    """The regular files under ``paths`` (folders recursively, in name order) and what was refused on the way.

    Inside a folder, a symbolic link is followed only if it stays inside that folder; hidden files are
    skipped.
    A path named on the command line is taken as given.
    """
    candidates: list[Candidate] = []
    refused: list[FileOutcome] = []
    seen: dict[str, str] = {}

    def add(real: str, shown: str) -> None:
        if real in seen:
            refused.append(FileOutcome(shown, "skipped", f"{shown}: the same file as {seen[real]}, imported once"))
            return
        seen[real] = shown
        candidates.append(Candidate(real, shown, unicodedata.normalize("NFC", os.path.basename(shown))))

    for given in paths:
        shown = str(given)
        if not os.path.lexists(shown):
            refused.append(FileOutcome(shown, "failed", f"{shown}: no such file or folder"))
            continue
        if not os.path.exists(shown):
            refused.append(FileOutcome(shown, "failed", f"{shown}: a broken symbolic link (to {os.readlink(shown)})"))
            continue
        if os.path.isdir(shown):
            _walk(shown, add, refused)
            continue
        problem = _not_regular(os.path.realpath(shown), shown)
        if problem:
            refused.append(FileOutcome(shown, "failed", problem))
        else:
            add(os.path.realpath(shown), shown)
    return candidates, refused


def _walk(folder: str, add: Callable[[str, str], None], refused: list[FileOutcome]) -> None:
    root = os.path.realpath(folder)

    def unreadable(error: OSError) -> None:
        name = error.filename or folder
        refused.append(FileOutcome(str(name), "failed", f"{name}: cannot list the folder ({error.strerror})"))

    for directory, folders, files in os.walk(folder, onerror=unreadable):
        folders.sort()
        for name in sorted(folders):
            path = os.path.join(directory, name)
            if os.path.islink(path):
                target = os.path.realpath(path)
                if not _inside(target, root):
                    refused.append(_link_outside(path, target, folder))
                else:
                    refused.append(
                        FileOutcome(path, "skipped", f"{path}: a link to a folder inside the import; not followed")
                    )
        for name in sorted(files):
            path = os.path.join(directory, name)
            if name.startswith("."):
                refused.append(FileOutcome(path, "skipped", f"{path}: a hidden file; skipped"))
                continue
            target = os.path.realpath(path)
            if os.path.islink(path):
                if not os.path.exists(path):
                    refused.append(
                        FileOutcome(path, "failed", f"{path}: a broken symbolic link (to {os.readlink(path)})")
                    )
                    continue
                if not _inside(target, root):
                    refused.append(_link_outside(path, target, folder))
                    continue
            problem = _not_regular(target, path)
            if problem:
                refused.append(FileOutcome(path, "failed", problem))
            else:
                add(target, path)


def _link_outside(path: str, target: str, folder: str) -> FileOutcome:
    return FileOutcome(path, "failed", f"{path}: refused: a symbolic link leading outside {folder} (to {target})")


def _inside(path: str, root: str) -> bool:
    return os.path.commonpath([path, root]) == root


def _not_regular(path: str, shown: str) -> str:
    """Why ``path`` cannot be read as a file, or "" when it is a regular file."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return f"{shown}: cannot read ({error.strerror})"
    if stat.S_ISREG(mode):
        return ""
    kinds = {stat.S_ISFIFO: "a named pipe (FIFO)", stat.S_ISSOCK: "a socket", stat.S_ISCHR: "a device"}
    kind = next((label for test, label in kinds.items() if test(mode)), "not a regular file")
    return f"{shown}: unreadable: {kind}, not a photo file"


# ---------------------------------------------------------------------------------------------------------
# The work done for each file in a worker process: read, hash, parse, derive, store


@dataclass(frozen=True)
class DerivativeInfo:
    label: str
    sha256: str
    width: int
    height: int


@dataclass(frozen=True)
class Processed:
    """What a worker did with one file; ``kind``: stored, known (in the atlas), quarantined or unreadable."""

    candidate: Candidate
    kind: str
    sha256: str = ""
    size: int = 0
    error: str = ""
    capture: CaptureMetadata | None = None
    derivatives: tuple[DerivativeInfo, ...] = ()
    perceptual_hash: str = ""
    derivative_flags: tuple[str, ...] = ()
    seconds: Mapping[str, float] = field(default_factory=dict)


_worker_state: dict[str, Any] = {}


def _start_worker(store_root: str, known: frozenset[str]) -> None:
    _worker_state["store"] = EvidenceStore(Path(store_root))
    _worker_state["known"] = known


def _read_once(path: str) -> bytes:
    # O_NONBLOCK: if the file was swapped for a FIFO since it was listed, opening must not wait for a writer.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        return handle.read()


def process_file(candidate: Candidate) -> Processed:
    """Read the file once, hash those bytes, then parse, derive and store them (or quarantine them)."""
    store: EvidenceStore = _worker_state["store"]
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    try:
        data = _read_once(candidate.path)
    except OSError as error:
        reason = error.strerror or str(error)
        return Processed(candidate, "unreadable", error=f"{candidate.shown}: cannot read ({reason})")
    sha256 = hashlib.sha256(data).hexdigest()
    seconds["read+hash"] = time.perf_counter() - started
    if sha256 in _worker_state["known"]:
        return Processed(candidate, "known", sha256=sha256, size=len(data), seconds=seconds)
    try:
        mark = time.perf_counter()
        capture = read_capture(data, candidate.name)
        seconds["metadata"] = time.perf_counter() - mark
        mark = time.perf_counter()
        derivatives = make_derivatives(data, candidate.name)
        seconds["derivatives"] = time.perf_counter() - mark
    except MediaError as error:
        mark = time.perf_counter()
        kept = store.quarantine_put(data, candidate.name, str(error))
        seconds["store"] = time.perf_counter() - mark
        if kept.sha256 != sha256:
            raise EvidenceError(f"{candidate.shown}: quarantined as {kept.sha256}, but read as {sha256}") from error
        return Processed(candidate, "quarantined", sha256=sha256, size=len(data), error=str(error), seconds=seconds)
    mark = time.perf_counter()
    stored = store.put_bytes(data)
    if stored.sha256 != sha256:
        raise EvidenceError(f"{candidate.shown}: stored as {stored.sha256}, but read as {sha256}")
    infos = []
    for label, derivative in derivatives.items.items():
        kept = store.put_bytes(derivative.jpeg)
        infos.append(DerivativeInfo(label, kept.sha256, derivative.width, derivative.height))
    seconds["store"] = time.perf_counter() - mark
    return Processed(
        candidate,
        "stored",
        sha256=sha256,
        size=len(data),
        capture=capture,
        derivatives=tuple(infos),
        perceptual_hash=derivatives.perceptual_hash,
        derivative_flags=derivatives.flags,
        seconds=seconds,
    )


def _processed_in_order(
    candidates: Sequence[Candidate], store_root: Path, known: frozenset[str], workers: int
) -> Iterator[Processed]:
    """Each candidate's result, in input order, worked on by ``workers`` processes (1: in this process)."""
    if workers <= 1 or len(candidates) <= 1:
        _start_worker(str(store_root), known)
        for candidate in candidates:
            yield _guarded(candidate, functools.partial(process_file, candidate))
        return
    # Forked workers never touch the database, but should not even inherit open connections. Inside an atomic
    # block (a caller's transaction, a test) closing is not possible; the workers leave through os._exit and
    # so never close what they inherited.
    if not any(connection.in_atomic_block for connection in connections.all()):
        connections.close_all()
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(candidates)),
        mp_context=get_context("fork"),
        initializer=_start_worker,
        initargs=(str(store_root), known),
    )
    with pool:
        futures: list[Future[Processed]] = [pool.submit(process_file, c) for c in candidates]
        for candidate, future in zip(candidates, futures, strict=True):
            yield _guarded(candidate, future.result)


def _guarded(candidate: Candidate, result: Callable[[], Processed]) -> Processed:
    """A file whose processing failed unexpectedly is one failure; the rest of the batch goes on."""
    try:
        return result()
    except BrokenProcessPool as error:
        return Processed(candidate, "unreadable", error=f"{candidate.shown}: the worker process died ({error})")
    except (EvidenceError, MediaError, OSError) as error:
        return Processed(candidate, "unreadable", error=f"{candidate.shown}: {error}")


# ---------------------------------------------------------------------------------------------------------
# The main process: ledger entries and database rows


@dataclass
class _Run:
    site: Site
    options: ImportOptions
    actor: str
    contributor: Contributor | None
    store: EvidenceStore
    ledger: Ledger
    index: LedgerIndex
    track: tuple[TrackFix, ...] | None
    track_sha256: str
    track_bytes: bytes
    known_hashes: dict[str, tuple[str, str]]  # perceptual hash by sha256: (phash, name)
    batch: dict[str, str] = field(default_factory=dict)  # sha256 -> shown path, for this run
    added: int = 0

    def append(self, action: str, object: str, details: Mapping[str, Any]) -> None:
        if self.index.append_once(self.ledger, self.actor, action, object, details) is not None:
            self.added += 1


def import_photos(
    paths: Sequence[str | Path],
    options: ImportOptions,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> ImportReport:
    """Import the photo files under ``paths`` into ``options.site_slug``; see the module docstring.

    Raises IngestError before writing anything for an unknown site, a bad track or bad options, while another
    import runs, and mid-run if the store or the ledger cannot be written (what was recorded stays recorded).
    A bad file is one failed outcome and the rest of the batch goes on.
    """
    started = time.perf_counter()
    site = _site(options)
    track, track_bytes, track_notes = _track(options)
    if options.author is not None and not options.author.strip():
        raise IngestError("--author: give a pseudonym, not an empty name")
    candidates, refused = collect_files(paths)

    try:
        with evidence_records.only_writer("this import"):
            report = _import(site, options, candidates, refused, track, track_bytes, started, on_progress)
    except EvidenceError as error:
        raise IngestError(f"{error}; nothing more was imported (run `lwf verify` to check the evidence)") from error
    return dataclasses.replace(report, track_notes=track_notes)


def _import(
    site: Site,
    options: ImportOptions,
    candidates: list[Candidate],
    refused: list[FileOutcome],
    track: tuple[TrackFix, ...] | None,
    track_bytes: bytes,
    started: float,
    on_progress: Callable[[int, int, str], None] | None,
) -> ImportReport:
    contributor = None
    if options.author is not None:
        contributor, _ = Contributor.objects.get_or_create(pseudonym=options.author.strip())
    actor = contributor.actor_id if contributor is not None else evidence_records.operator_actor()
    store, ledger = evidence_records.prepare_for_writing(actor)
    run = _Run(
        site=site,
        options=options,
        actor=actor,
        contributor=contributor,
        store=store,
        ledger=ledger,
        index=LedgerIndex.read(ledger),
        track=track,
        track_sha256=hashlib.sha256(track_bytes).hexdigest() if track_bytes else "",
        track_bytes=track_bytes,
        known_hashes={
            sha: (phash, name)
            for sha, phash, name in Photo.objects.exclude(perceptual_hash="").values_list(
                "sha256", "perceptual_hash", "original_name"
            )
        },
    )
    known = frozenset(Photo.objects.values_list("sha256", flat=True)) | frozenset(
        QuarantinedFile.objects.filter(site=site).values_list("sha256", flat=True)
    )
    workers = options.workers or os.cpu_count() or 1
    outcomes: list[FileOutcome] = []
    stage_seconds: dict[str, float] = {}
    total = len(candidates)
    for done, processed in enumerate(_processed_in_order(candidates, store.root, known, workers), start=1):
        for stage, seconds in processed.seconds.items():
            stage_seconds[stage] = stage_seconds.get(stage, 0.0) + seconds
        mark = time.perf_counter()
        outcomes.append(_record(run, processed))
        stage_seconds["ledger+database"] = stage_seconds.get("ledger+database", 0.0) + time.perf_counter() - mark
        if on_progress is not None:
            on_progress(done, total, processed.candidate.shown)
    checkpoint_made = evidence_records.checkpoint_if_needed(ledger)
    return ImportReport(
        site_slug=site.slug,
        files=(*outcomes, *refused),
        ledger_entries_added=run.added,
        checkpoint_made=checkpoint_made,
        stage_seconds=stage_seconds,
        wall_seconds=time.perf_counter() - started,
    )


def _site(options: ImportOptions) -> Site:
    try:
        site: Site = Site.objects.get(slug=options.site_slug)
    except Site.DoesNotExist:
        known = ", ".join(Site.objects.values_list("slug", flat=True)) or "none yet"
        raise IngestError(f"--site {options.site_slug!r}: no site has that slug (sites: {known})") from None
    return site


def _track(options: ImportOptions) -> tuple[tuple[TrackFix, ...] | None, bytes, tuple[str, ...]]:
    if not (math.isfinite(options.max_distance_km) and options.max_distance_km > 0):
        raise IngestError(f"--max-distance-km {options.max_distance_km}: must be a number of kilometres above 0")
    if options.workers is not None and options.workers < 1:
        raise IngestError(f"--workers {options.workers}: must be 1 or more")
    if options.track_offset_hours is not None and not -12 <= options.track_offset_hours <= 14:
        raise IngestError(f"--track-offset {options.track_offset_hours}: a UTC offset is between -12 and +14 hours")
    if options.track is None:
        return None, b"", ()
    name = Path(options.track).name
    try:
        data = Path(options.track).read_bytes()
        reading = read_track_bytes(data, name)
    except OSError as error:
        raise IngestError(f"--track {name}: cannot read the track ({error.strerror or error})") from error
    except TrackError as error:
        raise IngestError(f"--track {error}") from error
    if not reading.timed:
        raise IngestError(f"--track {reading.why_no_times(name)}")
    said = tuple(f"{name}: {text}" for text in (*reading.notes, *(f"left out {p}" for p in reading.left_out)))
    return reading.fixes, data, said


def _record(run: _Run, processed: Processed) -> FileOutcome:
    candidate = processed.candidate
    if processed.kind == "unreadable":
        return FileOutcome(candidate.shown, "failed", processed.error)
    sha256 = processed.sha256
    if sha256 in run.batch:
        return FileOutcome(
            candidate.shown, "duplicate", f"{candidate.shown}: the same bytes as {run.batch[sha256]}", sha256
        )
    run.batch[sha256] = candidate.shown
    existing = Photo.objects.select_related("site").filter(sha256=sha256).first()
    if existing is not None:
        return _duplicate(run, candidate, existing)
    if processed.kind in ("quarantined", "known"):
        return _quarantined(run, processed)
    return _new_photo(run, processed)


def _duplicate(run: _Run, candidate: Candidate, photo: Photo) -> FileOutcome:
    where = "" if photo.site_id == run.site.pk else f" at site {photo.site.slug}"
    message = f"{candidate.shown}: already in the atlas as {photo.original_name}{where}"
    published = photo.is_published
    # --publish on a re-run publishes what an earlier run imported unpublished, never what an editor has unpublished.
    undecided = not run.index.publication_decided(f"sha256:{photo.sha256}")
    if (
        run.options.publish
        and undecided
        and photo.site_id == run.site.pk
        and not photo.is_published
        and not photo.held_back_reason
    ):
        _publish(run, photo.sha256)
        with unrecorded():
            Photo.objects.filter(pk=photo.pk).update(is_published=True)
        published = True
        message += "; now published"
    return FileOutcome(
        candidate.shown,
        "duplicate",
        message,
        photo.sha256,
        held_back_reason=photo.held_back_reason,
        placed_from_track=photo.position_source == Photo.PositionSource.TRACK,
        track_gap_s=photo.track_gap_s,
        published=published,
    )


def _publish(run: _Run, sha256: str) -> None:
    # Checked against the last publication entry, not any: a photo unpublished since may be published again.
    if not run.index.is_published(f"sha256:{sha256}"):
        run.index.note(run.ledger.append(run.actor, "photo.published", f"sha256:{sha256}", {"site": run.site.slug}))
        run.added += 1


def _quarantined(run: _Run, processed: Processed) -> FileOutcome:
    candidate, sha256 = processed.candidate, processed.sha256
    row = QuarantinedFile.objects.filter(site=run.site, sha256=sha256).first()
    if row is not None:
        return FileOutcome(
            candidate.shown,
            "quarantined",
            f"{_as_shown(candidate, row.error)} (kept in quarantine already)",
            sha256,
        )
    if processed.kind == "known":
        return FileOutcome(candidate.shown, "failed", f"{candidate.shown}: changed in the atlas during the import")
    run.append(
        "original.quarantined",
        f"sha256:{sha256}",
        {"name": candidate.name, "size": processed.size, "error": processed.error, "site": run.site.slug},
    )
    with transaction.atomic():
        QuarantinedFile.objects.get_or_create(
            site=run.site, sha256=sha256, defaults={"original_name": candidate.name, "error": processed.error}
        )
    return FileOutcome(
        candidate.shown,
        "quarantined",
        f"{_as_shown(candidate, processed.error)} (bytes kept in quarantine)",
        sha256,
    )


def _as_shown(candidate: Candidate, error: str) -> str:
    """The error as kept (naming the file only, never the folder it came from), naming the path as given."""
    prefix = f"{candidate.name}: "
    return candidate.shown + error[len(prefix) - 2 :] if error.startswith(prefix) else f"{candidate.shown}: {error}"


def _new_photo(run: _Run, processed: Processed) -> FileOutcome:
    candidate, sha256, capture = processed.candidate, processed.sha256, processed.capture
    assert capture is not None  # a stored file was parsed
    original = f"sha256:{sha256}"
    run.append(
        "original.stored",
        original,
        {"name": candidate.name, "size": processed.size, "format": capture.format, "site": run.site.slug},
    )
    run.append("metadata.read", original, capture_details(capture))
    derivatives = {d.label: d for d in processed.derivatives}
    for info in processed.derivatives:
        run.append(
            "derivative.made",
            f"sha256:{info.sha256}",
            {"from": original, "size": info.label, "width": info.width, "height": info.height},
        )

    position = capture.position
    latitude = position.latitude if position else None
    longitude = position.longitude if position else None
    source = Photo.PositionSource.EXIF if position else Photo.PositionSource.NONE
    utc, utc_source = capture.capture_time_utc, capture.capture_time_utc_source or ""
    notes: list[str] = []
    gap_s: float | None = None
    track_sha256 = ""
    if position is None and run.track is not None:
        if utc is None and capture.capture_time is not None and run.options.track_offset_hours is not None:
            offset = timedelta(hours=run.options.track_offset_hours)
            utc = (capture.capture_time - offset).replace(tzinfo=UTC)
            utc_source = str(Photo.UtcSource.ASSUMED)
        placed = position_at(run.track, utc) if utc is not None else None
        if utc is None:
            notes.append(
                "not placed from the track: the file gives no UTC offset or GPS time; pass "
                "--track-offset HOURS (the camera clock's offset from UTC)"
                if capture.capture_time is not None
                else "not placed from the track: the file has no capture time"
            )
        elif placed is None:
            notes.append("not placed from the track: its capture time is not within the track")
        else:
            latitude, longitude, gap_s = placed.latitude, placed.longitude, placed.gap_s
            source = Photo.PositionSource.TRACK
            track_sha256 = run.track_sha256
            _store_track(run)
            run.append(
                "position.interpolated",
                original,
                {
                    "track": f"sha256:{track_sha256}",
                    "latitude": latitude,
                    "longitude": longitude,
                    "gap_s": gap_s,
                    "capture_time_utc": utc.isoformat(),
                    "utc_from": str(utc_source),
                },
            )

    held_back = ""
    if latitude is not None and longitude is not None:
        metres = geo.distance_m(geo.LatLon(latitude, longitude), run.site.point)
        if metres > run.options.max_distance_km * 1000:
            held_back = (
                f"taken {metres / 1000:.1f} km from the site (more than {run.options.max_distance_km:g} km): "
                "its place may reveal where the photographer lives or travels"
            )
    near = _nearest(run, sha256, processed.perceptual_hash)
    publish = run.options.publish and not held_back
    if publish:
        _publish(run, sha256)

    photo = Photo(
        site=run.site,
        sha256=sha256,
        original_name=candidate.name,
        size_bytes=processed.size,
        format=capture.format,
        width=capture.display_width,
        height=capture.display_height,
        orientation=capture.orientation,
        capture_time_local=capture.capture_time.isoformat() if capture.capture_time else "",
        capture_time_source=capture.capture_time_source or "",
        utc_offset_minutes=int(capture.utc_offset.total_seconds() // 60) if capture.utc_offset is not None else None,
        capture_time_utc=utc,
        capture_time_utc_source=utc_source if utc is not None else "",
        latitude=latitude,
        longitude=longitude,
        altitude_m=position.altitude_m if position else None,
        accuracy_m=position.accuracy_m if position else None,
        heading_deg=position.heading_deg if position else None,
        heading_ref=(position.heading_ref or "") if position else "",
        position_source=source,
        track_gap_s=gap_s,
        track_sha256=track_sha256,
        device_make=(capture.device_make or "")[:120],
        device_model=(capture.device_model or "")[:120],
        flags=list(dict.fromkeys((*capture.flags, *processed.derivative_flags))),
        perceptual_hash=processed.perceptual_hash,
        thumb_sha256=derivatives["thumb"].sha256 if "thumb" in derivatives else "",
        web_sha256=derivatives["web"].sha256 if "web" in derivatives else "",
        thumb_size=_size(derivatives.get("thumb")),
        web_size=_size(derivatives.get("web")),
        credit=run.contributor.pseudonym if run.contributor else "",
        contributor=run.contributor,
        is_published=publish,
        held_back_reason=held_back,
    )
    try:
        with unrecorded(), transaction.atomic():
            photo.save()
    except IntegrityError:
        return FileOutcome(
            candidate.shown, "duplicate", f"{candidate.shown}: imported by another run meanwhile", sha256
        )
    run.known_hashes[sha256] = (processed.perceptual_hash, candidate.name)
    message = "; ".join(notes)
    return FileOutcome(
        candidate.shown,
        "imported",
        f"{candidate.shown}: {message}" if message else "",
        sha256,
        near_duplicate_of=near[0] if near else None,
        near_duplicate_bits=near[1] if near else None,
        held_back_reason=held_back,
        placed_from_track=source == Photo.PositionSource.TRACK,
        track_gap_s=gap_s,
        published=publish,
    )


def _store_track(run: _Run) -> None:
    """Keep the track that placed a photo as evidence too: the position depends on it."""
    if run.index.has("original.stored", f"sha256:{run.track_sha256}") and run.store.exists(run.track_sha256):
        return
    stored = run.store.put_bytes(run.track_bytes)
    assert run.options.track is not None
    run.append(
        "original.stored",
        f"sha256:{stored.sha256}",
        {"kind": "track", "name": Path(run.options.track).name, "size": stored.size},
    )


def _nearest(run: _Run, sha256: str, phash: str) -> tuple[str, int] | None:
    """The most similar photo in the atlas when it is a near-duplicate: (its name, bits differing)."""
    if not phash:
        return None
    best: tuple[str, int] | None = None
    for other, (other_phash, name) in run.known_hashes.items():
        if other == sha256:
            continue
        bits = hamming_distance(phash, other_phash)
        if bits <= NEAR_DUPLICATE_MAX_DISTANCE and (best is None or bits < best[1]):
            best = (f"{name} (sha256 {other[:12]})", bits)
    return best


def _size(info: DerivativeInfo | None) -> str:
    return f"{info.width}x{info.height}" if info else ""


def capture_details(capture: CaptureMetadata) -> dict[str, Any]:
    """What the file's metadata said, as the JSON the ledger's "metadata.read" entry keeps."""
    position = capture.position
    return {
        "format": capture.format,
        "width": capture.width,
        "height": capture.height,
        "orientation": capture.orientation,
        "capture_time": capture.capture_time.isoformat() if capture.capture_time else None,
        "capture_time_source": capture.capture_time_source,
        "utc_offset_minutes": int(capture.utc_offset.total_seconds() // 60) if capture.utc_offset is not None else None,
        "capture_time_utc": capture.capture_time_utc.isoformat() if capture.capture_time_utc else None,
        "capture_time_utc_source": capture.capture_time_utc_source,
        "position": None
        if position is None
        else {
            "latitude": position.latitude,
            "longitude": position.longitude,
            "altitude_m": position.altitude_m,
            "accuracy_m": position.accuracy_m,
            "heading_deg": position.heading_deg,
            "heading_ref": position.heading_ref,
        },
        "device_make": capture.device_make,
        "device_model": capture.device_model,
        "software": capture.software,
        "flags": list(capture.flags),
        "found_in": list(capture.metadata_found_in),
    }
