"""Photo import: from a card's files to originals kept as evidence, a ledger entry per step, and Photo rows.

Each file is read once; its bytes are hashed before any image library sees them, and those same bytes are
parsed, turned into derivatives and stored. Reading, hashing, parsing, encoding and storing run in worker
processes; the ledger and the database are written only here, in the main process, in input order.

Every step is idempotent, so an import killed at any moment and run again ends as if never interrupted:
the store is content-addressed and write-once, a ledger entry is appended only if the ledger does not already
have that action on that object, and a Photo row is written in one transaction after its evidence is stored
and recorded. A run that changes nothing appends nothing.

SIGTERM or SIGINT (Ctrl-C) stops an import cleanly: the file being recorded is finished, the workers are
stopped, what they staged in the store's tmp/ is removed, a checkpoint is signed, and the report says what was
done and how many files were not started (``ImportReport.stopped_by``). SIGKILL cannot be caught: an original
committed and ledgered just before it has no Photo row yet; `lwf verify` names that state ("import-interrupted")
and running the import again, or `lwf verify --repair`, lets the records catch up (nothing ledgered is deleted).

Capture times and tracks: a photo is placed on a track by its UTC capture time, taken from the file's UTC
offset or its GPS time stamp. A file that says neither is placed only if the importer states the camera
clock's offset from UTC (``track_offset_hours``); nothing is guessed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import dataclasses
import functools
import hashlib
import math
import os
import signal
import stat
import threading
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

from django.conf import settings
from django.db import IntegrityError, connections, transaction

from lestweforget import geo
from lestweforget.atlas import evidence_records
from lestweforget.atlas.evidence_records import LedgerIndex
from lestweforget.atlas.models import Site
from lestweforget.atlas.record_ledger import unrecorded
from lestweforget.evidence import EvidenceError, EvidenceStore, Ledger, StagedObject
from lestweforget.evidence.store import CHUNK_SIZE
from lestweforget.exports import find_control_character, plain_text, visible_controls
from lestweforget.geo.track import TrackError, TrackFix, position_at, read_track_bytes
from lestweforget.interrupts import STOP_SIGNALS, StopRequest
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
# A day's walk logged every second is about 10 MB of GPX; a track file larger than this is not read.
MAX_TRACK_BYTES = 256 * 1024 * 1024
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
    follow_links_outside: bool = False  # follow symbolic links that lead outside the folders given
    quarantine_keep_mb: float | None = None  # None: settings.QUARANTINE_KEEP_MB (LWF_QUARANTINE_KEEP_MB)
    max_photo_mb: float | None = None  # None: settings.MAX_PHOTO_MB (LWF_MAX_PHOTO_MB)


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
    # The signal ("SIGTERM", "SIGINT") that stopped the run after the file it was recording, or "" if none did.
    stopped_by: str = ""
    files_not_started: int = 0

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
    """A regular file to import: ``path`` is opened, ``shown`` names it in messages, ``name`` is its name.

    ``shown`` and ``name`` are always valid Unicode: bytes of a file name that are not UTF-8 (a cp1251 name as
    unzip leaves it) appear as "\\xCF" escapes there, and ``name_not_utf8`` says so; ``path`` keeps them as
    Python's surrogate escapes, so the file can still be opened.
    """

    path: str
    shown: str
    name: str
    name_not_utf8: bool = False
    # Where in the folder given the file was ("DCIM/100CANON/IMG_0001.JPG"), as readable text; its name for a
    # file named on the command line. ``name_bytes_hex``: the name's exact bytes, when they are not UTF-8.
    relative_path: str = ""
    name_bytes_hex: str = ""

    def arrival(self) -> dict[str, str]:
        """How the file arrived, for the ledger: its exact name, its path in the folder given, its raw bytes."""
        return {
            "name": self.name,
            **({"path": self.relative_path} if self.relative_path else {}),
            **({"name_bytes_hex": self.name_bytes_hex} if self.name_bytes_hex else {}),
        }


def readable_name(raw: str) -> tuple[str, bool]:
    """A path or name as valid Unicode (NFC), with bytes that are not UTF-8 as "\\xNN"; and whether there were any.

    ``raw`` is what os.fsdecode gives: undecodable bytes are surrogate escapes, which no database, JSON writer
    or terminal can take.
    """
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        return unicodedata.normalize("NFC", os.fsencode(raw).decode("utf-8", "backslashreplace")), True
    return unicodedata.normalize("NFC", raw), False


def collect_files(
    paths: Iterable[str | Path], follow_links_outside: bool = False
) -> tuple[list[Candidate], list[FileOutcome]]:
    """The regular files under ``paths`` (folders recursively, in name order) and what was refused on the way.

    A symbolic link, named on the command line or met inside a folder, is followed only if it leads inside one
    of the folders given, unless ``follow_links_outside``; links to folders
    inside are not followed, hidden files are skipped, and a folder that cannot be listed is one failure.
    """
    candidates: list[Candidate] = []
    refused: list[FileOutcome] = []
    seen: dict[str, str] = {}
    given = [str(p) for p in paths]
    # Only folders given count: a link named on the command line must lead into one of them, not merely near it
    # (a link beside the data folder would otherwise reach its secret key).
    roots = [os.path.realpath(p) for p in given if os.path.isdir(p)]

    def allowed(target: str) -> bool:
        return follow_links_outside or any(_inside(target, root) for root in roots)

    def add(real: str, raw_shown: str, folder: str | None = None) -> None:
        shown, _ = readable_name(raw_shown)
        if real in seen:
            refused.append(FileOutcome(shown, "skipped", f"{shown}: the same file as {seen[real]}, imported once"))
            return
        seen[real] = shown
        base = os.path.basename(raw_shown)
        name, not_utf8 = readable_name(base)
        relative = readable_name(os.path.relpath(raw_shown, folder))[0] if folder is not None else ""
        raw_hex = os.fsencode(base).hex() if not_utf8 else ""
        candidates.append(Candidate(real, shown, name, not_utf8, relative, raw_hex))

    for raw in given:
        shown, _ = readable_name(raw)
        if not os.path.lexists(raw):
            refused.append(FileOutcome(shown, "failed", f"{shown}: no such file or folder"))
            continue
        if not os.path.exists(raw):
            target, _ = readable_name(os.readlink(raw))
            refused.append(FileOutcome(shown, "failed", f"{shown}: a broken symbolic link (to {target})"))
            continue
        if os.path.isdir(raw):
            _walk(raw, add, refused, allowed)
            continue
        real = os.path.realpath(raw)
        if os.path.islink(raw) and not allowed(real):
            refused.append(_link_outside(raw, real))
            continue
        problem = _not_regular(real, shown)
        if problem:
            refused.append(FileOutcome(shown, "failed", problem))
        else:
            add(real, raw, os.path.dirname(raw) or ".")  # a file given by itself: its path is its name
    return candidates, refused


def _walk(
    folder: str,
    add: Callable[[str, str, str], None],
    refused: list[FileOutcome],
    allowed: Callable[[str], bool],
) -> None:
    root = os.path.realpath(folder)

    def unreadable(error: OSError) -> None:
        name, _ = readable_name(str(error.filename or folder))
        refused.append(FileOutcome(name, "failed", f"{name}: cannot list the folder ({error.strerror})"))

    for directory, folders, files in os.walk(folder, onerror=unreadable):
        folders.sort()
        for name in sorted(folders):
            path = os.path.join(directory, name)
            if os.path.islink(path):
                target = os.path.realpath(path)
                shown, _ = readable_name(path)
                if not _inside(target, root) and not allowed(target):
                    refused.append(_link_outside(path, target))
                else:
                    refused.append(FileOutcome(shown, "skipped", f"{shown}: a link to a folder; not followed"))
        for name in sorted(files):
            path = os.path.join(directory, name)
            shown, _ = readable_name(path)
            if name.startswith("."):
                refused.append(FileOutcome(shown, "skipped", f"{shown}: a hidden file; skipped"))
                continue
            target = os.path.realpath(path)
            if os.path.islink(path):
                if not os.path.exists(path):
                    to, _ = readable_name(os.readlink(path))
                    refused.append(FileOutcome(shown, "failed", f"{shown}: a broken symbolic link (to {to})"))
                    continue
                if not allowed(target):
                    refused.append(_link_outside(path, target))
                    continue
            problem = _not_regular(target, shown)
            if problem:
                refused.append(FileOutcome(shown, "failed", problem))
            else:
                add(target, path, folder)


def _link_outside(path: str, target: str) -> FileOutcome:
    shown, _ = readable_name(path)
    to, _ = readable_name(target)
    return FileOutcome(
        shown,
        "failed",
        f"{shown}: refused: a symbolic link leading outside the folders given (to {to}); "
        "pass --follow-links-outside to import what it leads to",
    )


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
# The work done for each file in a worker process: read, hash, parse, derive, stage


@dataclass(frozen=True)
class DerivativeInfo:
    label: str
    sha256: str
    width: int
    height: int


@dataclass(frozen=True)
class Processed:
    """What a worker did with one file; ``kind``: stored, known (in the atlas), quarantined or unreadable.

    Nothing a worker writes is in the store yet: ``staged`` holds the original (or, quarantined, what of it is
    kept) and ``staged_derivatives`` the clean copies, all in the store's tmp/, for the main process to commit
    right before it records them, or to discard.
    """

    candidate: Candidate
    kind: str
    sha256: str = ""
    size: int = 0
    error: str = ""
    reason: str = ""
    capture: CaptureMetadata | None = None
    derivatives: tuple[DerivativeInfo, ...] = ()
    perceptual_hash: str = ""
    derivative_flags: tuple[str, ...] = ()
    staged: StagedObject | None = None
    staged_derivatives: tuple[StagedObject, ...] = ()
    seconds: Mapping[str, float] = field(default_factory=dict)

    def staged_objects(self) -> tuple[StagedObject, ...]:
        return ((self.staged,) if self.staged else ()) + self.staged_derivatives


@dataclass(frozen=True)
class _Limits:
    keep_bytes: int  # of a file that cannot be imported, how much the quarantine keeps
    max_photo_bytes: int  # larger files are hashed by streaming and never parsed


_worker_state: dict[str, Any] = {}
_PARENT_WATCH_S = 0.5
# The ledger actions that record a file arriving under a name: the first time, and every other name after.
_ARRIVAL_ACTIONS = frozenset({"original.stored", "original.quarantined", "original.received"})


def _start_worker(store_root: str, known: frozenset[str], limits: _Limits, parent: int | None = None) -> None:
    """Set up a worker; in a forked worker, make sure it dies with the import that started it."""
    if parent is not None:
        _die_with_parent(parent)
        # Stopping is the main process's decision: it lets the file being recorded finish, then stops the workers
        # (Ctrl-C reaches the whole process group; a worker must not die half-way through staging a file).
        for number in STOP_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
    _worker_state["store"] = EvidenceStore(Path(store_root))
    _worker_state["known"] = known
    _worker_state["limits"] = limits


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive its import: the kernel kills it when the parent dies (Linux PR_SET_PDEATHSIG),
    a thread watching the parent's pid does so elsewhere, and the import lock inherited by fork is let go."""
    evidence_records.forget_inherited_locks()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the watch thread below does it
    if os.getppid() != parent:
        os._exit(1)  # the parent died before the signal was asked for

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_WATCH_S)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _open_regular(path: str) -> tuple[int, int]:
    """An fd of the file at ``path`` and its size; refuses what is not (or is no longer) a regular file."""
    # O_NONBLOCK: if the file was swapped for a FIFO since it was listed, opening must not wait for a writer.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise OSError(0, "not a regular file")
    return fd, info.st_size


def _read_limited(fd: int, expected: int, limit: int) -> tuple[bytes, bool]:
    """The file's bytes, up to ``limit``; and whether it goes on beyond them (it grew since fstat said
    ``expected``). Read into one buffer, so a file is held once, not twice."""
    buffer = bytearray(min(expected, limit) + 1)
    view = memoryview(buffer)
    size = 0
    while True:
        if size == len(buffer):
            if size > limit:
                return bytes(view[:limit]), True
            buffer.extend(bytes(min(CHUNK_SIZE, limit + 1 - size)))
            view.release()
            view = memoryview(buffer)
        read = os.readv(fd, [view[size:]])
        if not read:
            data = bytes(view[:size])
            view.release()
            return data, False
        size += read


def process_file(candidate: Candidate) -> Processed:
    """Read the file once, hash those bytes, then parse, derive and stage them (or stage what quarantine keeps).

    A file larger than the limit for photos is hashed by streaming and never held whole in memory.
    """
    store: EvidenceStore = _worker_state["store"]
    limits: _Limits = _worker_state["limits"]
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    try:
        fd, size = _open_regular(candidate.path)
    except OSError as error:
        return Processed(candidate, "unreadable", error=f"{candidate.shown}: cannot read ({error.strerror or error})")
    try:
        if size > limits.max_photo_bytes:
            return _quarantine_streamed(candidate, store, limits, fd, b"", started)
        data, more = _read_limited(fd, size, limits.max_photo_bytes)
        if more:
            return _quarantine_streamed(candidate, store, limits, fd, data, started)
    except OSError as error:
        return Processed(candidate, "unreadable", error=f"{candidate.shown}: cannot read ({error.strerror or error})")
    finally:
        os.close(fd)
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
        kept = store.stage([data[: limits.keep_bytes]], candidate.name)
        seconds["store"] = time.perf_counter() - mark
        return Processed(
            candidate,
            "quarantined",
            sha256=sha256,
            size=len(data),
            error=str(error),
            reason=error.reason,
            staged=kept,
            seconds=seconds,
        )
    mark = time.perf_counter()
    staged = store.stage([data], candidate.name)
    if staged.sha256 != sha256:
        store.discard(staged)
        raise EvidenceError(f"{candidate.shown}: staged as {staged.sha256}, but read as {sha256}")
    infos, copies = [], []
    for label, derivative in derivatives.items.items():
        copy = store.stage([derivative.jpeg], f"{candidate.name} ({label})")
        copies.append(copy)
        infos.append(DerivativeInfo(label, copy.sha256, derivative.width, derivative.height))
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
        staged=staged,
        staged_derivatives=tuple(copies),
        seconds=seconds,
    )


def _quarantine_streamed(
    candidate: Candidate, store: EvidenceStore, limits: _Limits, fd: int, head: bytes, started: float
) -> Processed:
    """A file too large to be a photo: hash all of it in chunks, stage only what the quarantine keeps."""
    digest = hashlib.sha256()
    size = 0

    def chunks() -> Iterator[bytes]:
        nonlocal size
        chunk = head or os.read(fd, CHUNK_SIZE)
        while chunk:
            digest.update(chunk)
            kept_before = size
            size += len(chunk)
            if kept_before < limits.keep_bytes:
                yield chunk[: limits.keep_bytes - kept_before]
            chunk = os.read(fd, CHUNK_SIZE)

    kept = store.stage(chunks(), candidate.name)
    megabytes = limits.max_photo_bytes / 1_000_000
    return Processed(
        candidate,
        "quarantined",
        sha256=digest.hexdigest(),
        size=size,
        error=f"{candidate.name}: {size} bytes, more than the {megabytes:g} MB a photo may have here "
        "(LWF_MAX_PHOTO_MB); hashed, not read as an image",
        reason="too-large",
        staged=kept,
        seconds={"read+hash": time.perf_counter() - started},
    )


def _processed_in_order(
    candidates: Sequence[Candidate], store_root: Path, known: frozenset[str], limits: _Limits, workers: int
) -> Iterator[Processed]:
    """Each candidate's result, in input order, worked on by ``workers`` processes (1: in this process)."""
    if workers <= 1 or len(candidates) <= 1:
        _start_worker(str(store_root), known, limits)
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
        initargs=(str(store_root), known, limits, os.getpid()),
    )
    futures: list[Future[Processed]] = []
    handed = 0
    try:
        futures = [pool.submit(process_file, c) for c in candidates]
        for candidate, future in zip(candidates, futures, strict=True):
            handed += 1
            yield _guarded(candidate, future.result)
    finally:
        # Stopped early (the run failed): pending files are not started; what finished is dropped from tmp/.
        pool.shutdown(wait=True, cancel_futures=True)
        store = EvidenceStore(store_root)
        for future in futures[handed:]:
            if future.done() and not future.cancelled() and future.exception() is None:
                for staged in future.result().staged_objects():
                    store.discard(staged)


def _guarded(candidate: Candidate, result: Callable[[], Processed]) -> Processed:
    """A file whose processing failed unexpectedly is one failure; the rest of the batch goes on."""
    try:
        return result()
    except BrokenProcessPool as error:
        return Processed(candidate, "unreadable", error=f"{candidate.shown}: the worker process died ({error})")
    except (EvidenceError, MediaError, OSError) as error:
        return Processed(candidate, "unreadable", error=f"{candidate.shown}: {error}")
    except Exception as error:
        # A bug in a parser or encoder, met on one hostile file, must cost that file, not the batch; it is named
        # with its type so that it can be reported, and nothing of the file was stored.
        return Processed(
            candidate,
            "unreadable",
            error=f"{candidate.shown}: failed unexpectedly ({type(error).__name__}: {error}); nothing of it stored",
        )


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
    # (object, name, path) of every arrival the ledger has recorded, so that a run again records none twice.
    arrivals: set[tuple[str, str, str]] = field(default_factory=set)

    def record_arrival(self, sha256: str, candidate: Candidate) -> None:
        """Record in the ledger that ``sha256`` arrived (again) under this name and path, unless it already has."""
        arrival = candidate.arrival()
        key = (f"sha256:{sha256}", arrival["name"], arrival.get("path", ""))
        if key in self.arrivals:
            return
        self.arrivals.add(key)
        self.index.note(
            self.ledger.append(self.actor, "original.received", key[0], {**arrival, "site": self.site.slug})
        )
        self.added += 1

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
    limits = _limits(options)
    track, track_bytes, track_notes = _track(options)
    if options.author is not None and not options.author.strip():
        raise IngestError("--author: give a pseudonym, not an empty name")
    if options.author is not None and (found := find_control_character(options.author)) is not None:
        raise IngestError(
            f"--author {options.author!r}: contains the control character {found.code_point} at character "
            f"{found.index + 1}; give the pseudonym as plain text"
        )
    candidates, refused = collect_files(paths, options.follow_links_outside)

    try:
        with evidence_records.only_writer("this import"):
            report = _import(site, options, limits, candidates, refused, track, track_bytes, started, on_progress)
    except EvidenceError as error:
        raise IngestError(f"{error}; nothing more was imported (run `lwf verify` to check the evidence)") from error
    return dataclasses.replace(report, track_notes=track_notes)


def _limits(options: ImportOptions) -> _Limits:
    """The quarantine cap and the largest photo, from the options or the settings; refused when not sizes."""
    values = []
    for given, setting, flag, variable in (
        (options.quarantine_keep_mb, settings.QUARANTINE_KEEP_MB, "--quarantine-keep-mb", "LWF_QUARANTINE_KEEP_MB"),
        (options.max_photo_mb, settings.MAX_PHOTO_MB, "--max-photo-mb", "LWF_MAX_PHOTO_MB"),
    ):
        where = flag if given is not None else variable
        try:
            megabytes = float(given if given is not None else setting)
        except (TypeError, ValueError):
            raise IngestError(f"{where}={setting!r}: not a number of megabytes") from None
        if not math.isfinite(megabytes) or megabytes < 0:
            raise IngestError(f"{where}={megabytes:g}: a number of megabytes, 0 or more")
        values.append(int(megabytes * 1_000_000))
    if values[1] < 1:
        raise IngestError("LWF_MAX_PHOTO_MB / --max-photo-mb: must be above 0")
    return _Limits(keep_bytes=values[0], max_photo_bytes=values[1])


def _import(
    site: Site,
    options: ImportOptions,
    limits: _Limits,
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
    entries = ledger.entries()
    run = _Run(
        site=site,
        options=options,
        actor=actor,
        contributor=contributor,
        store=store,
        ledger=ledger,
        index=LedgerIndex(entries),
        arrivals={
            (e.object, str(e.details.get("name", "")), str(e.details.get("path", "")))
            for e in entries
            if e.action in _ARRIVAL_ACTIONS
        },
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
    # Quarantined files are read again on every import: a refusal may have depended on settings (the size limit)
    # or on a reader fixed since; one that now reads is imported and leaves the quarantine.
    known = frozenset(Photo.objects.values_list("sha256", flat=True))
    workers = options.workers or os.cpu_count() or 1
    outcomes: list[FileOutcome] = []
    stage_seconds: dict[str, float] = {}
    total = len(candidates)
    results = _processed_in_order(candidates, store.root, known, limits, workers)
    stop = StopRequest()
    with stop.listening(), contextlib.closing(results):
        for done, processed in enumerate(results, start=1):
            for stage, seconds in processed.seconds.items():
                stage_seconds[stage] = stage_seconds.get(stage, 0.0) + seconds
            mark = time.perf_counter()
            try:
                outcomes.append(_record(run, processed))
            finally:
                # Whatever was staged and not committed for this file is dropped, whatever happened.
                for staged in processed.staged_objects():
                    store.discard(staged)
            stage_seconds["ledger+database"] = stage_seconds.get("ledger+database", 0.0) + time.perf_counter() - mark
            if on_progress is not None:
                on_progress(done, total, processed.candidate.shown)
            if stop.signal_name:
                break  # closing the results stops the workers and drops what they staged
    checkpoint_made = evidence_records.checkpoint_if_needed(ledger)
    return ImportReport(
        site_slug=site.slug,
        files=(*outcomes, *refused),
        ledger_entries_added=run.added,
        checkpoint_made=checkpoint_made,
        stage_seconds=stage_seconds,
        wall_seconds=time.perf_counter() - started,
        stopped_by=stop.signal_name,
        files_not_started=total - len(outcomes),
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
    name, _ = readable_name(Path(options.track).name)
    try:
        info = os.stat(options.track)
        if not stat.S_ISREG(info.st_mode):
            raise IngestError(f"--track {name}: not a regular file (a folder, pipe or device)")
        size = info.st_size
        if size > MAX_TRACK_BYTES:
            raise IngestError(f"--track {name}: {size} bytes is more than a track holds ({MAX_TRACK_BYTES} at most)")
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
        # Chain of custody: every name and path under which an original arrived is recorded, not only the first.
        run.record_arrival(sha256, candidate)
        return FileOutcome(
            candidate.shown,
            "duplicate",
            f"{candidate.shown}: the same bytes as {run.batch[sha256]}; this name is recorded too",
            sha256,
        )
    run.batch[sha256] = candidate.shown
    existing = Photo.objects.select_related("site").filter(sha256=sha256).first()
    if existing is not None:
        run.record_arrival(sha256, candidate)
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
            f"{_as_shown(candidate, processed.error or row.error)} (tried again, still refused; kept in quarantine "
            "already)",
            sha256,
        )
    if processed.kind == "known" or processed.staged is None:
        return FileOutcome(candidate.shown, "failed", f"{candidate.shown}: changed in the atlas during the import")
    kept, sidecar_sha256 = run.store.commit_quarantine(
        processed.staged, sha256, processed.size, candidate.name, processed.error
    )
    # Only what the import itself knows goes into the append-only ledger: hash, size, name, a reason from a fixed
    # list and what was kept; never the error text, which may quote what a parser read from the file.
    run.append(
        "original.quarantined",
        f"sha256:{sha256}",
        {
            **candidate.arrival(),
            "size": processed.size,
            "reason": processed.reason or "unreadable",
            "kept_bytes": kept.size,
            "sidecar_sha256": sidecar_sha256,
            "site": run.site.slug,
        },
    )
    with transaction.atomic():
        QuarantinedFile.objects.get_or_create(
            site=run.site,
            sha256=sha256,
            defaults={"original_name": visible_controls(candidate.name), "error": plain_text(processed.error)},
        )
    if kept.size == processed.size:
        what = "bytes kept in quarantine"
    elif kept.size == 0:
        what = "only its hash, size and name kept: LWF_QUARANTINE_KEEP_MB is 0"
    else:
        what = f"its first {kept.size} of {processed.size} bytes kept in quarantine (LWF_QUARANTINE_KEEP_MB)"
    return FileOutcome(candidate.shown, "quarantined", f"{_as_shown(candidate, processed.error)} ({what})", sha256)


def _as_shown(candidate: Candidate, error: str) -> str:
    """The error as kept (naming the file only, never the folder it came from), naming the path as given."""
    prefix = f"{candidate.name}: "
    return candidate.shown + error[len(prefix) - 2 :] if error.startswith(prefix) else f"{candidate.shown}: {error}"


def _new_photo(run: _Run, processed: Processed) -> FileOutcome:
    candidate, sha256, capture = processed.candidate, processed.sha256, processed.capture
    assert capture is not None and processed.staged is not None  # a stored file was parsed and staged
    original = f"sha256:{sha256}"
    # Into the store only now, right before the ledger records it: a failure earlier leaves nothing unrecorded.
    for staged in processed.staged_objects():
        run.store.commit(staged)
    was_quarantined = QuarantinedFile.objects.filter(sha256=sha256).exists()
    run.append(
        "original.stored",
        original,
        {
            **candidate.arrival(),
            "size": processed.size,
            "format": capture.format,
            "site": run.site.slug,
            # Refused by an earlier import (a lower size limit, a reader since fixed) and read now: the quarantined
            # copy stays where it is, the ledger says how the file came out.
            **({"after_quarantine": True} if was_quarantined else {}),
        },
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
    if candidate.name_not_utf8:
        notes.append(f"its file name is not UTF-8; recorded as {candidate.name!r}, undecodable bytes as \\x escapes")
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
        # What the file system and the camera wrote is kept as text without control characters (the ledger and
        # the stored original keep the bytes as they were).
        original_name=visible_controls(candidate.name),
        size_bytes=processed.size,
        format=capture.format,
        width=capture.display_width,
        height=capture.display_height,
        orientation=capture.orientation,
        capture_time_local=capture.capture_time.isoformat() if capture.capture_time else "",
        capture_time_source=plain_text(capture.capture_time_source or ""),
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
        device_make=plain_text(capture.device_make or "")[:120],
        device_model=plain_text(capture.device_model or "")[:120],
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
            QuarantinedFile.objects.filter(sha256=sha256).delete()
    except IntegrityError:
        return FileOutcome(
            candidate.shown, "duplicate", f"{candidate.shown}: imported by another run meanwhile", sha256
        )
    run.known_hashes[sha256] = (processed.perceptual_hash, candidate.name)
    if was_quarantined:
        notes.insert(0, "was in quarantine; read now (a setting or the reader changed), imported and released")
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


def repair_interrupted_imports(store: EvidenceStore, ledger: Ledger) -> list[str]:
    """Let the records of originals an interrupted import stored and ledgered catch up; one line per file.

    An original whose "original.stored" entry names a site, that is in the store, has no Photo row and no
    "record.deleted" entry, is imported again from the stored copy under the name, site, contributor and
    publication its entries recorded (placed from its track again when "position.interpolated" recorded one),
    by the same code as any import: its entries are appended only where missing. A quarantine entry without its
    QuarantinedFile row gets the row back from the quarantine's sidecar. Called with the import lock held
    (`evidence_records.verify_atlas(repair=True)`); nothing stored or ledgered is deleted or rewritten.
    """
    entries = ledger.entries()
    deleted = {e.object for e in entries if e.action == "record.deleted"}
    published = {e.object for e in entries if e.action == "photo.published"}
    tracks = {e.object: str(e.details.get("track", "")) for e in entries if e.action == "position.interpolated"}
    have = set(Photo.objects.values_list("sha256", flat=True))
    groups: dict[tuple[str, str, bool, str], list[Candidate]] = {}
    lines: list[str] = []
    for entry in entries:
        sha256 = entry.object.removeprefix("sha256:")
        site = entry.details.get("site")
        if entry.object in deleted or not isinstance(site, str):
            continue
        if entry.action == "original.quarantined":
            if (store.quarantine_dir / sha256).exists() and not QuarantinedFile.objects.filter(
                site__slug=site, sha256=sha256
            ).exists():
                lines.extend(_repair_quarantined(store, site, sha256))
            continue
        if entry.action != "original.stored" or "kind" in entry.details or sha256 in have or not store.exists(sha256):
            continue
        name = str(entry.details.get("name") or sha256)
        track = tracks.get(entry.object, "").removeprefix("sha256:")
        key = (site, entry.actor, entry.object in published, track)
        groups.setdefault(key, []).append(Candidate(str(store.path_for(sha256)), name, name))
        have.add(sha256)
    for (site_slug, actor, publish, track), candidates in groups.items():
        contributor = (
            Contributor.objects.filter(pk=actor.removeprefix("contributor:")).first()
            if (actor.startswith("contributor:") and actor.removeprefix("contributor:").isdigit())
            else None
        )
        options = ImportOptions(
            site_slug=site_slug,
            author=contributor.pseudonym if contributor else None,
            track=store.path_for(track) if track and store.exists(track) else None,
            publish=publish,
            workers=1,
            max_photo_mb=1_000_000.0,  # it was read as a photo once; the limit of today does not apply
        )
        try:
            site = _site(options)
            fixes, track_bytes, _ = _track(options)
        except IngestError as error:
            lines.append(f"{len(candidates)} originals of site {site_slug} left as they are: {error}")
            continue
        report = _import(site, options, _limits(options), candidates, [], fixes, track_bytes, time.perf_counter(), None)
        for outcome in report.files:
            said = f": {outcome.message}" if outcome.message else ""
            lines.append(f"{outcome.path} (sha256 {outcome.sha256}, site {site_slug}): record {outcome.status}{said}")
    return lines


def _repair_quarantined(store: EvidenceStore, site_slug: str, sha256: str) -> list[str]:
    try:
        sidecar = store.quarantine_record(sha256)
        site = Site.objects.get(slug=site_slug)
    except (EvidenceError, Site.DoesNotExist) as problem:
        return [f"quarantine:{sha256}: left as it is ({problem})"]
    name, why = str(sidecar.get("name", sha256)), str(sidecar.get("error", "could not be imported"))
    QuarantinedFile.objects.get_or_create(
        site=site, sha256=sha256, defaults={"original_name": visible_controls(name), "error": plain_text(why)}
    )
    return [f"quarantine:{sha256} ({name}, site {site_slug}): record quarantined again from its sidecar"]
