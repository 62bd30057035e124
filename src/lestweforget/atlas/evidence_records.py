"""The atlas's evidence: the store and ledger its settings point at, and how the database and they must agree.

Pure evidence logic lives in `lestweforget.evidence`; this module only knows where things are and which rows
stand for which stored objects: the originals and derivatives of every Photo, the tracks that placed them,
and the quarantined files.
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
    EvidenceError,
    EvidenceStore,
    ExpectedObject,
    Ledger,
    LedgerEntry,
    Problem,
    VerificationReport,
    verify_store,
)

from .models import Photo, QuarantinedFile

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


@contextlib.contextmanager
def only_writer(what: str) -> Iterator[None]:
    """Hold the evidence folder's import lock for a whole run, so that two imports never interleave; refuse
    (EvidenceError) while another holds it. The kernel releases it when a run dies, even by SIGKILL."""
    root = evidence_root()
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / _WRITER_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise EvidenceError(f"{root}: another import is running; {what} must wait for it") from None
        yield
    finally:
        os.close(fd)


def checkpoint_if_needed(ledger: Ledger) -> bool:
    """Sign a checkpoint when entries were appended since the last one; return whether one was made."""
    checkpoints = ledger.checkpoints()
    if checkpoints and checkpoints[-1].size == ledger.size():
        return False
    ledger.checkpoint()
    return True


def expected_objects() -> dict[str, ExpectedObject]:
    """Every stored object the database relies on: originals, their derivatives, and the tracks used."""
    expected: dict[str, ExpectedObject] = {}
    rows = Photo.objects.values_list("sha256", "original_name", "thumb_sha256", "web_sha256", "track_sha256")
    for sha256, name, thumb, web, track in rows:
        expected[sha256] = ExpectedObject("original", name)
        for label, derivative in (("thumb", thumb), ("web", web)):
            if derivative:
                expected.setdefault(derivative, ExpectedObject("derivative", f"{name} ({label})"))
        if track:
            expected.setdefault(track, ExpectedObject("track", f"GPS track that placed {name}"))
    return expected


def quarantine_problems(store: EvidenceStore, ledger_entries: Iterable[LedgerEntry] | None) -> list[Problem]:
    """Compare QuarantinedFile rows with the quarantine folder and (when readable) the ledger."""
    problems: list[Problem] = []
    try:
        present = set(store.iter_quarantine())
    except EvidenceError as error:
        return [Problem("error", "store:quarantine", f"cannot list the quarantine: {error}")]
    recorded = (
        {e.object.removeprefix("sha256:") for e in ledger_entries if e.action == "original.quarantined"}
        if ledger_entries is not None
        else None
    )
    rows: dict[str, str] = {}
    for sha256, name, slug in QuarantinedFile.objects.values_list("sha256", "original_name", "site__slug"):
        rows.setdefault(sha256, f"{name} (site {slug})")
    for sha256, name in sorted(rows.items()):
        if sha256 not in present:
            problems.append(
                Problem("missing", f"quarantine:{sha256}", f"the database lists quarantined {name}; no file kept")
            )
        if recorded is not None and sha256 not in recorded:
            problems.append(
                Problem(
                    "record-without-evidence",
                    f"quarantine:{sha256}",
                    f"the database lists quarantined {name}; the ledger never recorded quarantining it",
                )
            )
    for sha256 in sorted(present - set(rows)):
        problems.append(
            Problem(
                "unexpected",
                f"quarantine:{sha256}",
                "in the quarantine, but the database has no record of it",
            )
        )
    return problems


def has_records() -> bool:
    """Whether the database lists any evidence at all."""
    return bool(Photo.objects.exists() or QuarantinedFile.objects.exists())


def verify_atlas(on_progress: Callable[[int, int], None] | None = None) -> VerificationReport:
    """Re-hash the whole store, check the ledger from its first entry, and compare both with the database.

    Refuses (EvidenceError) an evidence folder without a store: a mistyped path must not verify as clean.
    """
    store = open_store(create=False)
    ledger = open_ledger(create=False)
    report = verify_store(store, ledger, expected_objects(), on_progress)
    try:
        entries: tuple[LedgerEntry, ...] | None = ledger.entries()
    except EvidenceError:
        entries = None  # verify_store has already reported why the ledger cannot be read
    extra = quarantine_problems(store, entries)
    return dataclasses.replace(report, problems=(*report.problems, *extra))
