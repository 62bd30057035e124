"""The atlas's evidence: the store and ledger its settings point at, and how the database and they must agree.

Pure evidence logic lives in `lestweforget.evidence`; this module only knows where things are. Which rows stand for
which stored objects is said by the apps that hold them (photos: originals, derivatives, tracks and the quarantine),
each registering an `EvidenceHolder`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings

from lestweforget.evidence import (
    Checkpoint,
    EvidenceError,
    EvidenceStore,
    ExpectedObject,
    Ledger,
    LedgerEntry,
    Problem,
    VerificationReport,
    parse_checkpoint,
    verify_store,
)

PUBLICATION_ACTIONS = frozenset({"photo.published", "photo.unpublished"})
_OPERATOR_FILE = "operator.id"
_WRITER_LOCK = "import.lock"


def evidence_root() -> Path:
    """The folder holding the store and the ledger (settings.EVIDENCE_DIR)."""
    return Path(settings.EVIDENCE_DIR)


def open_store(create: bool = True) -> EvidenceStore:
    """The evidence store under settings.EVIDENCE_DIR; ``create=False`` refuses a folder without one."""
    return EvidenceStore(evidence_root(), create=create)


def open_ledger(create: bool = True) -> Ledger:
    """The ledger beside the store; ``create=False`` refuses a missing folder."""
    return Ledger(evidence_root(), create=create)


def operator_actor() -> str:
    """A pseudonymous, stable id for whoever runs `lwf` on this installation: never the account's name.

    Made at random once and kept beside the ledger, so the ledger can tell runs of one operator apart from
    another's without saying who they are.
    """
    root = evidence_root()
    path = root / _OPERATOR_FILE
    if not path.exists():
        root.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(6))
                handle.flush()
                os.fsync(handle.fileno())
    return f"operator:{path.read_text(encoding='ascii').strip()}"


class LedgerIndex:
    """What the ledger already records, read once per run, so that a re-run never appends an entry twice."""

    def __init__(self, entries: Iterable[LedgerEntry]) -> None:
        self._done: set[tuple[str, str]] = set()
        self._publication: dict[str, str] = {}
        for entry in entries:
            self.note(entry)

    @classmethod
    def read(cls, ledger: Ledger) -> LedgerIndex:
        """Index every entry of ``ledger``; refuses a torn ledger (repair it first)."""
        return cls(ledger.entries())

    def note(self, entry: LedgerEntry) -> None:
        self._done.add((entry.action, entry.object))
        if entry.action in PUBLICATION_ACTIONS:
            self._publication[entry.object] = entry.action

    def has(self, action: str, object: str) -> bool:
        return (action, object) in self._done

    def is_published(self, object: str) -> bool:
        """Whether the last publication entry for ``object`` published it."""
        return self._publication.get(object) == "photo.published"

    def publication_decided(self, object: str) -> bool:
        """Whether ``object`` was ever published or unpublished: after that, publication is the editors' call."""
        return object in self._publication

    def append_once(
        self, ledger: Ledger, actor: str, action: str, object: str, details: Mapping[str, Any]
    ) -> LedgerEntry | None:
        """Append the entry unless ``action`` on ``object`` is there already; return what was appended."""
        if self.has(action, object):
            return None
        entry = ledger.append(actor, action, object, details)
        self.note(entry)
        return entry


def prepare_for_writing(actor: str) -> tuple[EvidenceStore, Ledger]:
    """Open store and ledger for a writing run, after a crash too: drop half-written temporary files, and
    cut a torn last ledger line off (kept in ledger-torn/ and recorded), so that the run can append again."""
    store = open_store()
    ledger = open_ledger()
    store.recover()
    if ledger.read().torn_tail:
        ledger.repair_torn_tail(actor)
    return store, ledger


_held_locks: set[int] = set()


@contextlib.contextmanager
def only_writer(what: str) -> Iterator[None]:
    """Hold the evidence folder's import lock for a whole run, so that two imports never interleave; refuse
    (EvidenceError) while another holds it, saying which process. The kernel releases it when a run dies, even by
    SIGKILL; forked workers let go of their inherited copy (``forget_inherited_locks``), so that processes left
    behind by a killed run cannot keep it, and a lock still held after its run has ended is named as stale."""
    root = evidence_root()
    root.mkdir(parents=True, exist_ok=True)
    path = root / _WRITER_LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise EvidenceError(f"{root}: {_lock_holder(path)}; {what} must wait for it") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {_process_start(os.getpid())}\n".encode("ascii"), 0)
        _held_locks.add(fd)
        try:
            yield
        finally:
            _held_locks.discard(fd)
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)


def forget_inherited_locks() -> None:
    """In a process forked from a run: close the import lock's inherited descriptors, so that the lock goes when
    the run ends even if this process outlives it."""
    for fd in list(_held_locks):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_locks.clear()


def _process_start(pid: int) -> str:
    """When ``pid`` started (clock ticks since boot, Linux), to tell a live holder from a reused pid; "" elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _lock_holder(path: Path) -> str:
    """Who holds the import lock, as a sentence: the running import, or processes a killed one left behind."""
    try:
        pid_text, _, started = path.read_text(encoding="ascii", errors="replace").strip().partition(" ")
        pid = int(pid_text)
    except (OSError, ValueError):
        return "another import is running"
    if _process_start(pid) == started and (started or _alive(pid)):
        return f"another import is running (process {pid})"
    holders = ", ".join(str(p) for p in _processes_holding(path)) or "unknown processes"
    return (
        f"another import is running: the lock is stale, its import (process {pid}) has ended but {holders} still "
        f"hold it (workers a killed import left behind); stop them (kill {holders.split(',')[0]}) and run again"
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _processes_holding(path: Path) -> list[int]:
    """The other processes with ``path`` open (Linux /proc); empty where that cannot be known."""
    target = os.path.realpath(path)
    holders = []
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue  # this process opened it only to ask
        try:
            links = os.scandir(f"/proc/{entry.name}/fd")
            with links:
                if any(os.readlink(link.path) == target for link in links):
                    holders.append(int(entry.name))
        except OSError:
            continue
    return sorted(holders)


def sign_checkpoint(ledger: Ledger) -> Checkpoint:
    """Sign a checkpoint of the whole ledger and keep a copy of it in the database (`LedgerCheckpoint`)."""
    from .models import LedgerCheckpoint

    checkpoint = ledger.checkpoint()
    LedgerCheckpoint.objects.create(
        size=checkpoint.size, root_hash=checkpoint.root_hash, time=checkpoint.time, signature=checkpoint.signature
    )
    return checkpoint


def checkpoint_if_needed(ledger: Ledger) -> bool:
    """Sign a checkpoint (kept in the database too) when entries were appended since the last one; return whether
    one was made."""
    lines = ledger.read_checkpoint_lines().lines
    if lines and parse_checkpoint(lines[-1]).size == ledger.size():
        return False
    sign_checkpoint(ledger)
    return True


def database_checkpoint() -> Checkpoint | None:
    """The latest checkpoint the database keeps a copy of (the largest), or None."""
    from .models import LedgerCheckpoint

    row = LedgerCheckpoint.objects.order_by("-size", "-id").first()
    if row is None:
        return None
    return Checkpoint(size=row.size, root_hash=row.root_hash, time=row.time, signature=row.signature)


@dataclasses.dataclass(frozen=True)
class EvidenceHolder:
    """An app whose records stand for stored objects (photos; archived articles): what it expects in the store, the
    problems only it can see, and whether it lists anything at all. Apps register theirs when they are ready."""

    name: str
    expected_objects: Callable[[], Mapping[str, ExpectedObject]]
    problems: Callable[[EvidenceStore, Iterable[LedgerEntry] | None], list[Problem]]
    has_records: Callable[[], bool]


_holders: dict[str, EvidenceHolder] = {}


def register_holder(holder: EvidenceHolder) -> None:
    """Make ``holder``'s objects and checks part of `verify_atlas` (idempotent by name)."""
    _holders[holder.name] = holder


def expected_objects() -> dict[str, ExpectedObject]:
    """Every stored object the database relies on, from every registered holder (the first name given wins)."""
    expected: dict[str, ExpectedObject] = {}
    for holder in _holders.values():
        for sha256, expected_object in holder.expected_objects().items():
            expected.setdefault(sha256, expected_object)
    return expected


def has_records() -> bool:
    """Whether the database lists any evidence at all."""
    return any(holder.has_records() for holder in _holders.values())


def verify_atlas(on_progress: Callable[[int, int], None] | None = None) -> VerificationReport:
    """Re-hash the whole store, check the ledger from its first entry and its checkpoints against the copy the
    database keeps, and compare both with the database.

    Refuses (EvidenceError) an evidence folder without a store: a mistyped path must not verify as clean.
    """
    store = open_store(create=False)
    ledger = open_ledger(create=False)
    report = verify_store(
        store,
        ledger,
        expected_objects(),
        on_progress,
        also_allowed=frozenset({_OPERATOR_FILE, _WRITER_LOCK}),
        anchor=database_checkpoint(),
    )
    try:
        entries: tuple[LedgerEntry, ...] | None = ledger.entries()
    except EvidenceError:
        entries = None  # verify_store has already reported why the ledger cannot be read
    extra = [problem for holder in _holders.values() for problem in holder.problems(store, entries)]
    return dataclasses.replace(report, problems=(*report.problems, *extra))


def originals_holder(
    name: str, noun: str, listed: Callable[[], Iterable[tuple[str, str]]], has_records: Callable[[], bool]
) -> EvidenceHolder:
    """A holder for an app whose rows each stand for one original file: ``listed()`` gives (SHA-256, file name)
    pairs, ``noun`` says what the file is in messages ("imported article"). It expects each file in the store, and
    reports a row whose file the ledger never recorded storing as a record without evidence."""

    def expected() -> dict[str, ExpectedObject]:
        return {sha256: ExpectedObject("original", f"{noun} {file}") for sha256, file in listed()}

    def problems(store: EvidenceStore, ledger_entries: Iterable[LedgerEntry] | None) -> list[Problem]:
        if ledger_entries is None:
            return []
        stored = {entry.object for entry in ledger_entries if entry.action == "original.stored"}
        return [
            Problem(
                "record-without-evidence",
                f"sha256:{sha256}",
                f"the database lists the {noun} {file}; the ledger never recorded storing it",
            )
            for sha256, file in listed()
            if f"sha256:{sha256}" not in stored
        ]

    return EvidenceHolder(name=name, expected_objects=expected, problems=problems, has_records=has_records)
