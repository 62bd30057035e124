"""Verification: do the store's bytes, the ledger's chain and checkpoints, and the database still agree?

Every object is re-hashed in full, the ledger is checked from its first entry, and each problem is reported
under its own kind. A check that could not run is a problem of kind "error": never "ok" by omission.

What the checkpoints defend against (the threat model, honestly):

- An entry edited or removed in the middle breaks the hash chain; an entry removed from the end does not, but a
  signed checkpoint that covers it then names more entries than the ledger has ("ledger-truncated").
- Whoever removes the end of the ledger can also remove the checkpoints that cover it, or the whole checkpoints
  file. A ledger with entries and no checkpoint is therefore reported ("checkpoint-missing"), and the caller may
  pass an ``anchor``: the latest checkpoint as recorded somewhere else (the atlas keeps it in its database). The
  ledger must still hold the anchor's entries with the anchor's Merkle root, and checkpoints.jsonl must still hold
  the anchor, so cutting ledger and checkpoints back together disagrees with the copy kept elsewhere.
- Not defended: someone who can write both the evidence folder and the database (or restores both from the same
  old backup), and who has the HMAC key beside the ledger, can rewrite all of it consistently. Against that
  operator-level attacker only a signature whose key lives off the machine (Ed25519), or checkpoints published
  where the operator cannot rewrite them, would help; neither is built yet. Entries appended after the last
  checkpoint (a run still going, or one that crashed before signing) are covered by nothing until the next one;
  every writer signs a checkpoint when it finishes, and the report counts such unsigned entries.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lestweforget.evidence.errors import EvidenceError
from lestweforget.evidence.ledger import (
    GENESIS,
    STORING_ACTIONS,
    Checkpoint,
    Ledger,
    LedgerEntry,
    compute_entry_hash,
    leaf_hash,
    parse_checkpoint,
    parse_entry,
    prefix_roots,
)
from lestweforget.evidence.store import EvidenceStore, check_sha256, hash_file

PROBLEM_KINDS = (
    "changed",
    "missing",
    "unexpected",
    "import-interrupted",
    "ledger-broken-link",
    "ledger-entry-altered",
    "ledger-truncated",
    "ledger-torn-line",
    "checkpoint-invalid",
    "checkpoint-missing",
    "record-without-evidence",
    "error",
)
ALL_CHECKS = ("objects", "quarantine", "ledger", "checkpoints", "agreement")


@dataclass(frozen=True)
class ExpectedObject:
    """What the database says about one stored object: its kind ("original", "derivative") and a name."""

    kind: str
    name: str


@dataclass(frozen=True)
class Problem:
    """One thing found wrong. ``kind`` is one of PROBLEM_KINDS; ``object`` names what it is about."""

    kind: str
    object: str
    message: str


@dataclass(frozen=True)
class VerificationReport:
    """What verify_store found and how much it checked. ``ok`` only if every check ran and found nothing."""

    problems: tuple[Problem, ...]
    objects_checked: int
    bytes_hashed: int
    entries_checked: int
    checkpoints_checked: int
    checks_run: tuple[str, ...]
    unsigned_entries: int = 0
    # What was done before checking (temporary files of interrupted writes removed, records that caught up).
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and set(self.checks_run) == set(ALL_CHECKS)

    def kinds(self) -> set[str]:
        """The distinct kinds of problem found."""
        return {p.kind for p in self.problems}

    def of_kind(self, kind: str) -> tuple[Problem, ...]:
        """The problems of one kind, in the order found."""
        return tuple(p for p in self.problems if p.kind == kind)


@dataclass
class _LedgerFindings:
    """What the ledger says, gathered while checking it."""

    leaves: list[bytes] = field(default_factory=list)
    stored: dict[str, LedgerEntry] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    quarantined: dict[str, LedgerEntry] = field(default_factory=dict)  # the last entry for each hash


def verify_store(
    store: EvidenceStore,
    ledger: Ledger,
    expected: Mapping[str, ExpectedObject] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    also_allowed: frozenset[str] = frozenset(),
    anchor: Checkpoint | None = None,
) -> VerificationReport:
    """Re-hash every object and quarantined file, check the ledger and its checkpoints, and compare all three
    with ``expected`` (sha256 -> what the database holds) when given.

    Also reported: an object or quarantined file that is a symbolic link (to a copy, maybe, that can change),
    anything in the store's folder that is not the store's or the ledger's (names in ``also_allowed`` are the
    caller's own), and a quarantine record (sidecar) that is missing, unreadable, or not what the ledger recorded.
    ``anchor`` is the latest checkpoint as kept outside the evidence folder (see the module's threat model).
    ``on_progress(done, total)`` is called after each file, whether or not it could be read. Nothing in the
    store or ledger is changed.
    """
    problems: list[Problem] = []
    checks_run: list[str] = []
    checkpoints_checked: int | None = None
    signed_size = 0
    counts = {"objects": 0, "bytes": 0}

    present = _list_objects(store, problems)
    _list_strays(store, ledger, also_allowed, problems)
    quarantined = _list_quarantine(store, problems)
    sidecars = {sha256: _read_sidecar(store, sha256, problems) for sha256 in quarantined or ()}
    files = [(store.path_for(sha256), sha256, f"sha256:{sha256}") for sha256 in present or ()]
    files += [
        (store.quarantine_dir / sha256, _kept_sha256(sha256, sidecars[sha256]), f"quarantine:{sha256}")
        for sha256 in quarantined or ()
    ]
    for done, (path, sha256, name) in enumerate(files, start=1):
        size = _rehash(path, sha256, name, problems)
        if size is not None:
            counts["objects"] += 1
            counts["bytes"] += size
        if on_progress is not None:
            on_progress(done, len(files))
    if present is not None:
        checks_run.append("objects")
    if quarantined is not None:
        checks_run.append("quarantine")

    findings = _check_ledger(ledger, problems)
    if findings is not None:
        checks_run.append("ledger")
        if quarantined is not None:
            _check_sidecars(store, sidecars, findings, problems)
        checked = _check_checkpoints(ledger, findings.leaves, anchor, problems)
        if checked is not None:
            checkpoints_checked, signed_size = checked
            checks_run.append("checkpoints")
        if present is not None:
            _check_agreement(set(present), findings, expected, problems)
            checks_run.append("agreement")
    if "agreement" not in checks_run:
        problems.append(
            Problem("error", "store", "store, ledger and database could not be compared: see the errors above")
        )

    return VerificationReport(
        problems=tuple(problems),
        objects_checked=counts["objects"],
        bytes_hashed=counts["bytes"],
        entries_checked=len(findings.leaves) if findings is not None else 0,
        checkpoints_checked=checkpoints_checked or 0,
        checks_run=tuple(checks_run),
        unsigned_entries=max(0, len(findings.leaves) - signed_size) if findings is not None else 0,
    )


def _list_objects(store: EvidenceStore, problems: list[Problem]) -> list[str] | None:
    try:
        objects = list(store.iter_objects())
        strays = list(store.stray_paths())
    except EvidenceError as e:
        problems.append(Problem("error", "store:objects", f"cannot list the stored objects: {e}"))
        return None
    for path in strays:
        problems.append(Problem("unexpected", _relative(path, store.root), "not a stored object: wrong name or place"))
    return objects


def _list_strays(store: EvidenceStore, ledger: Ledger, also_allowed: frozenset[str], problems: list[Problem]) -> None:
    ledger_names = {p.name for p in (ledger.path, ledger.checkpoints_path, ledger.key_path, ledger.torn_dir)}
    try:
        strays = list(store.stray_paths_outside_objects(also_allowed | ledger_names))
    except EvidenceError as e:
        problems.append(Problem("error", "store", f"cannot list the evidence folder: {e}"))
        return
    for path, why in strays:
        problems.append(Problem("unexpected", _relative(path, store.root), why))


def _read_sidecar(store: EvidenceStore, sha256: str, problems: list[Problem]) -> dict[str, object] | None:
    """The quarantine record of ``sha256``, or None (and a problem) when it is missing or not a record of it."""
    name = f"quarantine:{sha256}"
    sidecar = store.quarantine_dir / f"{sha256}.json"
    if not os.path.lexists(sidecar):
        problems.append(Problem("missing", name, f"{_relative(sidecar, store.root)}: the quarantine record is gone"))
        return None
    try:
        record = store.quarantine_record(sha256)
    except EvidenceError as e:
        problems.append(Problem("changed", name, f"the quarantine record cannot be read: {e}"))
        return None
    if not isinstance(record, dict) or record.get("sha256") != sha256:
        problems.append(Problem("changed", name, "the quarantine record names another file"))
        return None
    return record


def _kept_sha256(sha256: str, record: Mapping[str, object] | None) -> str:
    """What the quarantined file must hash to: the whole file's hash, or that of the part kept."""
    if (
        record is not None
        and isinstance(record.get("kept_sha256"), str)
        and record.get("kept_bytes") != record.get("size")
    ):
        return str(record["kept_sha256"])
    return sha256


def _check_sidecars(
    store: EvidenceStore,
    sidecars: Mapping[str, Mapping[str, object] | None],
    findings: _LedgerFindings,
    problems: list[Problem],
) -> None:
    """Each quarantine record must be the one the ledger recorded (by its hash, where the entry has one)."""
    for sha256, record in sorted(sidecars.items()):
        entry = findings.quarantined.get(sha256)
        if record is None or entry is None:
            continue
        recorded = entry.details.get("sidecar_sha256")
        if not isinstance(recorded, str):
            continue  # recorded before sidecars were hashed
        sidecar = store.quarantine_dir / f"{sha256}.json"
        try:
            actual, _ = hash_file(sidecar)
        except OSError as e:
            problems.append(Problem("error", f"quarantine:{sha256}", f"{sidecar}: cannot re-hash: {e.strerror}"))
            continue
        if actual != recorded:
            problems.append(
                Problem(
                    "changed",
                    f"quarantine:{sha256}",
                    f"the quarantine record was edited: it hashes to {actual}, the ledger (entry {entry.seq}) "
                    f"recorded {recorded}",
                )
            )


def _list_quarantine(store: EvidenceStore, problems: list[Problem]) -> list[str] | None:
    try:
        return list(store.iter_quarantine())
    except EvidenceError as e:
        problems.append(Problem("error", "store:quarantine", f"cannot list the quarantine: {e}"))
        return None


def _rehash(path: Path, sha256: str, name: str, problems: list[Problem]) -> int | None:
    """Re-hash one file in full; return the bytes hashed, or None when it could not be read."""
    if path.is_symlink():
        # The bytes may match today, but a link's target can change without the store knowing.
        problems.append(Problem("changed", name, f"{path}: replaced by a symbolic link (to {os.readlink(path)})"))
        return None
    try:
        actual, size = hash_file(path)
    except OSError as e:
        problems.append(Problem("error", name, f"{path}: cannot re-hash: {e.strerror or e}"))
        return None
    if actual != sha256:
        problems.append(Problem("changed", name, f"{path}: the bytes now hash to {actual}"))
    return size


def _check_ledger(ledger: Ledger, problems: list[Problem]) -> _LedgerFindings | None:
    """Check every entry's hash, link and seq; return what the ledger records, or None if it is unreadable."""
    try:
        contents = ledger.read()
    except EvidenceError as e:
        problems.append(Problem("error", "ledger", f"cannot read the ledger: {e}"))
        return None
    findings = _LedgerFindings()
    previous_hash: str | None = GENESIS
    expected_seq = 1
    for number, line in enumerate(contents.lines, start=1):
        name = f"ledger:{number}"
        findings.leaves.append(leaf_hash(line))
        try:
            entry = parse_entry(line)
        except EvidenceError as e:
            problems.append(Problem("ledger-entry-altered", name, f"{ledger.path} line {number}: {e}"))
            previous_hash = None
            expected_seq += 1
            continue
        if compute_entry_hash(entry.fields()) != entry.entry_hash:
            problems.append(Problem("ledger-entry-altered", name, f"entry {number} no longer matches its entry_hash"))
        elif entry.to_line() != line:
            problems.append(Problem("ledger-entry-altered", name, f"entry {number} is not in canonical form"))
        broken = []
        # A gap or a repeat is reported once, where it is; the chain is then checked on from the entry found, so
        # that one removed entry is one problem, not one for every entry after it.
        if entry.seq > expected_seq:
            missing = (
                f"entry {expected_seq}" if entry.seq == expected_seq + 1 else f"entries {expected_seq}..{entry.seq - 1}"
            )
            broken.append(f"{missing} missing: line {number} holds entry {entry.seq} where {expected_seq} was expected")
        elif entry.seq < expected_seq:
            broken.append(f"seq is {entry.seq} where {expected_seq} was expected (repeated or out of order)")
        if previous_hash is not None and entry.prev != previous_hash:
            broken.append("prev does not match the entry_hash of the entry before it")
        if broken:
            problems.append(Problem("ledger-broken-link", name, f"line {number}: " + "; ".join(broken)))
        expected_seq = entry.seq + 1
        previous_hash = entry.entry_hash
        if entry.object.startswith("sha256:"):
            sha256 = entry.object.removeprefix("sha256:")
            if entry.action in STORING_ACTIONS:
                findings.stored.setdefault(sha256, entry)
            elif entry.action == "record.deleted":
                findings.deleted.add(sha256)
            elif entry.action == "original.quarantined":
                findings.quarantined[sha256] = entry
    if contents.torn_tail:
        problems.append(
            Problem(
                "ledger-torn-line",
                "ledger:tail",
                f"{ledger.path} ends in {len(contents.torn_tail)} bytes without a newline",
            )
        )
    return findings


def _check_checkpoints(
    ledger: Ledger, leaves: list[bytes], anchor: Checkpoint | None, problems: list[Problem]
) -> tuple[int, int] | None:
    """Check each signed checkpoint, and the anchor kept elsewhere, against the ledger; return how many checkpoints
    there are and the largest size a valid one signed, or None if that could not run."""
    try:
        contents = ledger.read_checkpoint_lines()
    except EvidenceError as e:
        problems.append(Problem("error", "checkpoints", f"cannot read the checkpoints: {e}"))
        return None
    missing_key = ledger.key_problem()
    if (contents.lines or anchor is not None) and missing_key is not None:
        problems.append(Problem("error", "checkpoints", missing_key))
        return None
    if contents.torn_tail:
        problems.append(Problem("checkpoint-invalid", "checkpoints:tail", "the last checkpoint line is torn"))
    parsed: list[tuple[int, Checkpoint]] = []
    for number, line in enumerate(contents.lines, start=1):
        try:
            parsed.append((number, parse_checkpoint(line)))
        except EvidenceError as e:
            problems.append(Problem("checkpoint-invalid", f"checkpoint:{number}", str(e)))
    sizes = [checkpoint.size for _, checkpoint in parsed] + ([anchor.size] if anchor is not None else [])
    roots = {size: root.hex() for size, root in prefix_roots(leaves, sizes).items()}
    signed_size = 0
    for number, checkpoint in parsed:
        label, name = f"checkpoint {number}", f"checkpoint:{number}"
        if _check_one_checkpoint(ledger, len(leaves), roots, checkpoint, label, name, problems):
            signed_size = max(signed_size, checkpoint.size)
    if leaves and not contents.lines:
        problems.append(
            Problem(
                "checkpoint-missing",
                "checkpoints",
                f"{ledger.checkpoints_path.name} is missing or empty, yet the ledger has {len(leaves)} entries: "
                "nothing vouches for its length (was the checkpoints file deleted?)",
            )
        )
    if anchor is not None:
        label = "the checkpoint kept in the database"
        _check_one_checkpoint(ledger, len(leaves), roots, anchor, label, "checkpoint:database", problems)
        if anchor.to_line() not in contents.lines:
            problems.append(
                Problem(
                    "checkpoint-missing",
                    "checkpoint:database",
                    f"the checkpoint of {anchor.size} entries signed at {anchor.time}, kept in the database, is not "
                    f"in {ledger.checkpoints_path.name}: checkpoints were removed",
                )
            )
    return len(contents.lines), signed_size


def _check_one_checkpoint(
    ledger: Ledger,
    entries: int,
    roots: Mapping[int, str],
    checkpoint: Checkpoint,
    label: str,
    name: str,
    problems: list[Problem],
) -> bool:
    """Check one checkpoint's signature, size and Merkle root (``roots``: size -> root of the ledger's prefix)."""
    wrong = ledger.signature_problem(checkpoint)
    if wrong is not None:
        problems.append(Problem("checkpoint-invalid", name, f"{label}: {wrong}"))
        return False
    if checkpoint.size > entries:
        problems.append(
            Problem("ledger-truncated", name, f"{label} signed {checkpoint.size} entries; the ledger now has {entries}")
        )
        return False
    if not hmac.compare_digest(roots[checkpoint.size], checkpoint.root_hash):
        problems.append(
            Problem(
                "ledger-entry-altered",
                name,
                f"the first {checkpoint.size} entries no longer give the Merkle root signed in {label}",
            )
        )
        return False
    return True


def _check_agreement(
    present: set[str],
    findings: _LedgerFindings,
    expected: Mapping[str, ExpectedObject] | None,
    problems: list[Problem],
) -> None:
    """Compare what the store holds, what the ledger recorded storing, and what the database expects."""
    wanted = dict(expected or {})
    for sha256 in sorted(wanted):
        try:
            check_sha256(sha256)
        except EvidenceError as e:
            problems.append(Problem("record-without-evidence", f"sha256:{sha256}", f"database record: {e}"))
            del wanted[sha256]
    for sha256 in sorted(present | set(findings.stored) | set(wanted)):
        name = f"sha256:{sha256}"
        in_store, entry, record = sha256 in present, findings.stored.get(sha256), wanted.get(sha256)
        if not in_store and (entry is not None or record is not None):
            claims = []
            if entry is not None:
                claims.append(f"the ledger recorded {entry.action} at entry {entry.seq}")
            if record is not None:
                claims.append(f"the database lists {record.kind} {record.name!r}")
            problems.append(Problem("missing", name, "not in the store, yet " + " and ".join(claims)))
        if record is not None and entry is None:
            problems.append(
                Problem(
                    "record-without-evidence",
                    name,
                    f"the database lists {record.kind} {record.name!r}; the ledger never recorded storing it",
                )
            )
        if in_store and entry is None and record is None:
            problems.append(Problem("unexpected", name, "in the store, but the ledger never recorded storing it"))
        if (
            in_store
            and entry is not None
            and expected is not None
            and record is None
            and sha256 not in findings.deleted
        ):
            # The import stores, then ledgers, then writes its database row: killed in between, the row is missing.
            # The ledger is append-only, so the fix is the record catching up, never the object going away.
            what = entry.details.get("name") or entry.details.get("from") or ""
            problems.append(
                Problem(
                    "import-interrupted",
                    name,
                    f"stored and ledgered ({entry.action} at entry {entry.seq}"
                    + (f", {what}" if isinstance(what, str) and what else "")
                    + ") without its database record: an import was interrupted before recording it (or the record "
                    "was removed without a ledger entry); run the import again or `lwf verify --repair` to let "
                    "the record catch up",
                )
            )


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
