"""The append-only, hash-chained ledger of every action on evidence.

Files under ``root``::

    ledger.jsonl       one entry per line: canonical JSON (sorted keys, no spaces, UTF-8), newline-terminated
    checkpoints.jsonl  signed (size, Merkle root) pairs, appended after each batch
    ledger.key         the HMAC-SHA256 key that signs checkpoints, created with mode 0o600
    ledger-torn/       fragments cut off by repair_torn_tail(), kept rather than destroyed

Each entry carries ``prev``, the ``entry_hash`` of the entry before it ("0" * 64 for the first), and its
own ``entry_hash``: the SHA-256 of its canonical JSON without ``entry_hash``. The entries are also the leaves
of an RFC 6962 Merkle tree; a checkpoint signs the tree's size and root so that removing the last entries,
which a chain alone cannot reveal, is detected. There is no API to update or delete an entry.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from lestweforget.evidence.durable import fsync_dir, fsync_file
from lestweforget.evidence.errors import EvidenceError, LedgerTornError

GENESIS = "0" * 64
STORING_ACTIONS = frozenset({"original.stored", "derivative.made"})
ENTRY_FIELDS = ("action", "actor", "details", "entry_hash", "object", "prev", "seq", "time")
SIGNATURE_SCHEME = "hmac-sha256"
_ACTION = re.compile(r"[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+")
_TAIL_BLOCK = 1 << 16


def canonical_json(value: Any) -> bytes:
    """Serialise ``value`` one way only: sorted keys, no spaces, UTF-8; refuse NaN, what JSON cannot hold."""
    try:
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise EvidenceError(f"cannot write {value!r} as canonical JSON: {e}") from e
    return text.encode("utf-8")


def compute_entry_hash(fields: Mapping[str, Any]) -> str:
    """Return the SHA-256 of the canonical JSON of an entry's fields, leaving out ``entry_hash`` itself."""
    return hashlib.sha256(canonical_json({k: v for k, v in fields.items() if k != "entry_hash"})).hexdigest()


def leaf_hash(line: bytes) -> bytes:
    """RFC 6962 leaf hash of one ledger line (without its newline): SHA-256(0x00 || line)."""
    return hashlib.sha256(b"\x00" + line).digest()


def _node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n >= 2): where RFC 6962 splits a tree of n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


def merkle_root(leaf_hashes: Sequence[bytes]) -> bytes:
    """RFC 6962 Merkle Tree Hash over already-hashed leaves; the empty tree hashes to SHA-256 of nothing."""
    n = len(leaf_hashes)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaf_hashes[0]
    k = _split(n)
    return _node_hash(merkle_root(leaf_hashes[:k]), merkle_root(leaf_hashes[k:]))


def prefix_roots(leaf_hashes: Sequence[bytes], sizes: Iterable[int]) -> dict[int, bytes]:
    """The RFC 6962 Merkle root of each prefix of ``leaf_hashes`` whose length is in ``sizes``, in one pass.

    A tree of n leaves is its perfect subtrees of decreasing size, joined from the right (RFC 9162 2.1.1); keeping
    those subtrees while the leaves go by gives every prefix's root in O(log n), where recomputing each checkpoint's
    root afresh would cost O(n) each. Sizes larger than the leaves are left out of the answer.
    """
    wanted = set(sizes)
    roots: dict[int, bytes] = {}
    if 0 in wanted:
        roots[0] = merkle_root([])
    stack: list[tuple[int, bytes]] = []  # (leaves in the subtree, its hash), largest first
    for count, leaf in enumerate(leaf_hashes, start=1):
        width, node = 1, leaf
        while stack and stack[-1][0] == width:
            node = _node_hash(stack.pop()[1], node)
            width *= 2
        stack.append((width, node))
        if count in wanted:
            root = stack[-1][1]
            for _, left in reversed(stack[:-1]):
                root = _node_hash(left, root)
            roots[count] = root
    return roots


def _inclusion_path(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    n = len(leaf_hashes)
    if n <= 1:
        return []
    k = _split(n)
    if index < k:
        return [*_inclusion_path(index, leaf_hashes[:k]), merkle_root(leaf_hashes[k:])]
    return [*_inclusion_path(index - k, leaf_hashes[k:]), merkle_root(leaf_hashes[:k])]


def _now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class LedgerEntry:
    """One action on evidence: who (a pseudonym) did what to which object and when, chained to the last."""

    seq: int
    time: str
    actor: str
    action: str
    object: str
    details: Mapping[str, Any]
    prev: str
    entry_hash: str

    def fields(self) -> dict[str, Any]:
        """The entry as a plain dict, including ``entry_hash``."""
        return {
            "seq": self.seq,
            "time": self.time,
            "actor": self.actor,
            "action": self.action,
            "object": self.object,
            "details": _thaw(self.details),
            "prev": self.prev,
            "entry_hash": self.entry_hash,
        }

    def to_line(self) -> bytes:
        """The entry's canonical JSON line, without the newline: what the Merkle leaf is made of."""
        return canonical_json(self.fields())


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_thaw(v) for v in value]
    return value


def parse_entry(line: bytes) -> LedgerEntry:
    """Read one ledger line into an entry; refuse a line that is not an entry's JSON with the right types.

    The hashes are not checked here: verification reports those separately.
    """
    try:
        raw = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise EvidenceError(f"ledger line {line[:60]!r}... is not JSON: {e}") from e
    if not isinstance(raw, dict) or tuple(sorted(raw)) != ENTRY_FIELDS:
        raise EvidenceError(f"ledger line {line[:60]!r}... does not have exactly the fields {ENTRY_FIELDS}")
    types = {"seq": int, "details": dict}
    for name in ENTRY_FIELDS:
        expected = types.get(name, str)
        if not isinstance(raw[name], expected) or isinstance(raw[name], bool):
            raise EvidenceError(f"ledger line {line[:60]!r}...: {name} is not a {expected.__name__}")
    return LedgerEntry(
        seq=raw["seq"],
        time=raw["time"],
        actor=raw["actor"],
        action=raw["action"],
        object=raw["object"],
        details=MappingProxyType(raw["details"]),
        prev=raw["prev"],
        entry_hash=raw["entry_hash"],
    )


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement that the ledger's first ``size`` entries have the Merkle root ``root_hash`` (hex).

    ``signature`` is "hmac-sha256:<hex>". The key sits beside the ledger, so whoever can rewrite the ledger
    can re-sign it; the next step is an asymmetric signature (Ed25519) whose private key lives off this
    machine, and publishing checkpoints somewhere the operator cannot rewrite.
    """

    size: int
    root_hash: str
    time: str
    signature: str

    def signed_payload(self) -> bytes:
        """The bytes the signature covers."""
        return canonical_json({"root_hash": self.root_hash, "size": self.size, "time": self.time})

    def to_line(self) -> bytes:
        """The checkpoint as one canonical JSON line, without the newline."""
        return canonical_json(
            {"root_hash": self.root_hash, "signature": self.signature, "size": self.size, "time": self.time}
        )


def parse_checkpoint(line: bytes) -> Checkpoint:
    """Read one line of checkpoints.jsonl; refuse anything that is not a checkpoint."""
    try:
        raw = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise EvidenceError(f"checkpoint line {line[:60]!r}... is not JSON: {e}") from e
    if not isinstance(raw, dict) or sorted(raw) != ["root_hash", "signature", "size", "time"]:
        raise EvidenceError(f"checkpoint line {line[:60]!r}... does not have the checkpoint fields")
    size, root_hash, time, signature = raw["size"], raw["root_hash"], raw["time"], raw["signature"]
    if not (isinstance(size, int) and not isinstance(size, bool) and size >= 0):
        raise EvidenceError(f"checkpoint line {line[:60]!r}...: size {size!r} is not a count")
    if not all(isinstance(v, str) for v in (root_hash, time, signature)):
        raise EvidenceError(f"checkpoint line {line[:60]!r}...: root_hash, time and signature must be text")
    return Checkpoint(size=size, root_hash=root_hash, time=time, signature=signature)


@dataclass(frozen=True)
class InclusionProof:
    """RFC 6962 audit path showing that entry ``seq`` is among the first ``size`` entries (hashes in hex)."""

    seq: int
    size: int
    leaf_hash: str
    path: tuple[str, ...]


def verify_inclusion(entry: LedgerEntry, proof: InclusionProof, root_hash: str) -> bool:
    """Say whether ``entry`` is leaf ``proof.seq`` of a tree of ``proof.size`` leaves with root ``root_hash``.

    The algorithm of RFC 9162 section 2.1.3.2; the leaf hash is recomputed from the entry, never trusted.
    """
    index, size = proof.seq - 1, proof.size
    if entry.seq != proof.seq or not 0 <= index < size:
        return False
    try:
        path = [bytes.fromhex(p) for p in proof.path]
        expected_root = bytes.fromhex(root_hash)
    except ValueError:
        return False
    fn, sn = index, size - 1
    r = leaf_hash(entry.to_line())
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = _node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and hmac.compare_digest(r, expected_root)


@dataclass(frozen=True)
class LedgerContents:
    """A JSON Lines file as found: its complete lines (without newlines) and any torn bytes after them."""

    lines: tuple[bytes, ...]
    torn_tail: bytes


class Ledger:
    """The append-only ledger under ``root``. Appends are safe across processes (an exclusive flock).

    After a crash mid-append the file may end in a torn line. ``append`` then refuses with LedgerTornError
    until ``repair_torn_tail`` is called explicitly, so a damaged ledger is never silently extended.
    """

    def __init__(self, root: Path, create: bool = True) -> None:
        """Open the ledger under ``root``, making the folder; ``create=False`` refuses a missing one."""
        self.root = Path(root)
        if not create and not self.root.is_dir():
            raise EvidenceError(f"{self.root}: no ledger here (the folder does not exist)")
        self.path = self.root / "ledger.jsonl"
        self.checkpoints_path = self.root / "checkpoints.jsonl"
        self.key_path = self.root / "ledger.key"
        self.torn_dir = self.root / "ledger-torn"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise EvidenceError(f"{self.root}: cannot create the ledger folder: {e.strerror}") from e

    def append(self, actor: str, action: str, object: str, details: Mapping[str, Any] | None = None) -> LedgerEntry:
        """Append one entry chained to the last and fsync it; refuse after a torn or altered last line."""
        _check_text("actor", actor)
        _check_text("object", object)
        if not isinstance(action, str) or not _ACTION.fullmatch(action):
            raise EvidenceError(f"ledger action {action!r} is not like 'original.stored'")
        frozen_details = json.loads(canonical_json(dict(details or {})))
        with self._locked(self.path, fcntl.LOCK_EX, append=True) as fd:
            last = self._last_entry(fd)
            fields: dict[str, Any] = {
                "seq": 1 if last is None else last.seq + 1,
                "time": _now_utc(),
                "actor": actor,
                "action": action,
                "object": object,
                "details": frozen_details,
                "prev": GENESIS if last is None else last.entry_hash,
            }
            fields["entry_hash"] = compute_entry_hash(fields)
            _write_all(fd, canonical_json(fields) + b"\n", self.path)
            os.fsync(fd)
            if last is None:
                fsync_dir(self.root)
        return parse_entry(canonical_json(fields))

    def read(self) -> LedgerContents:
        """Read the whole ledger file as it is, torn tail included; a missing file is an empty ledger."""
        if not self.path.exists():
            return LedgerContents(lines=(), torn_tail=b"")
        with self._locked(self.path, fcntl.LOCK_SH) as fd:
            data = _read_all(fd, self.path)
        return _split_lines(data)

    def entries(self) -> tuple[LedgerEntry, ...]:
        """Every entry, in order; refuse a torn or unreadable ledger (run verify to learn what is wrong)."""
        contents = self.read()
        if contents.torn_tail:
            raise LedgerTornError(f"{self.path}: ends in a torn line of {len(contents.torn_tail)} bytes")
        return tuple(parse_entry(line) for line in contents.lines)

    def size(self) -> int:
        """The number of complete entries."""
        return len(self.read().lines)

    def checkpoint(self) -> Checkpoint:
        """Sign the current size and Merkle root, append it to checkpoints.jsonl and return it.

        Refuses a torn or broken chain: a signature must never vouch for a ledger that was already altered. The
        entries under the latest valid checkpoint are vouched for by its signed root (every line is re-hashed);
        only the entries after it are parsed and their chain checked, so that signing after each change costs
        little more than reading the file.
        """
        contents = self.read()
        if contents.torn_tail:
            raise LedgerTornError(f"{self.path}: ends in a torn line; repair it before a checkpoint")
        lines = contents.lines
        leaves = [leaf_hash(line) for line in lines]
        last = self._latest_valid_checkpoint(len(lines))
        roots = prefix_roots(leaves, [len(lines)] + ([last.size] if last is not None else []))
        start = 0
        if last is not None and hmac.compare_digest(roots[last.size].hex(), last.root_hash):
            start = last.size
        self._check_chain(lines, start)
        root = roots[len(lines)].hex()
        unsigned = Checkpoint(size=len(lines), root_hash=root, time=_now_utc(), signature="")
        checkpoint = Checkpoint(
            size=unsigned.size,
            root_hash=root,
            time=unsigned.time,
            signature=self._sign(unsigned.signed_payload()),
        )
        with self._locked(self.checkpoints_path, fcntl.LOCK_EX, append=True) as fd:
            _write_all(fd, checkpoint.to_line() + b"\n", self.checkpoints_path)
            os.fsync(fd)
        return checkpoint

    def _latest_valid_checkpoint(self, entries: int) -> Checkpoint | None:
        """The last checkpoint in the file, if it is well formed, signed with this key and not beyond ``entries``."""
        contents = self.read_checkpoint_lines()
        if not contents.lines or not self.key_path.exists():
            return None
        try:
            last = parse_checkpoint(contents.lines[-1])
        except EvidenceError:
            return None
        if last.size > entries or not self.verify_checkpoint(last):
            return None
        return last

    def checkpoints(self) -> tuple[Checkpoint, ...]:
        """Every recorded checkpoint, oldest first; refuse a malformed checkpoints file."""
        contents = self.read_checkpoint_lines()
        if contents.torn_tail:
            raise LedgerTornError(f"{self.checkpoints_path}: ends in a torn line")
        return tuple(parse_checkpoint(line) for line in contents.lines)

    def read_checkpoint_lines(self) -> LedgerContents:
        """Read checkpoints.jsonl as it is; a missing file has no checkpoints."""
        if not self.checkpoints_path.exists():
            return LedgerContents(lines=(), torn_tail=b"")
        with self._locked(self.checkpoints_path, fcntl.LOCK_SH) as fd:
            data = _read_all(fd, self.checkpoints_path)
        return _split_lines(data)

    def verify_checkpoint(self, checkpoint: Checkpoint) -> bool:
        """Say whether the signature was made with this ledger's key over the size, root and time."""
        scheme, _, signature = checkpoint.signature.partition(":")
        if scheme != SIGNATURE_SCHEME or not self.key_path.exists():
            return False
        expected = self._sign(checkpoint.signed_payload()).partition(":")[2]
        return hmac.compare_digest(signature, expected)

    def inclusion_proof(self, seq: int, size: int | None = None) -> InclusionProof:
        """The audit path of entry ``seq`` in the tree of the first ``size`` entries (default: all)."""
        lines = self.read().lines
        size = len(lines) if size is None else size
        if not 1 <= seq <= size <= len(lines):
            raise EvidenceError(f"{self.path}: no entry {seq} in a tree of {size} of {len(lines)} entries")
        leaves = [leaf_hash(line) for line in lines[:size]]
        return InclusionProof(
            seq=seq,
            size=size,
            leaf_hash=leaves[seq - 1].hex(),
            path=tuple(h.hex() for h in _inclusion_path(seq - 1, leaves)),
        )

    def repair_torn_tail(self, actor: str) -> LedgerEntry | None:
        """Cut a torn last line off the ledger, keep the fragment in ledger-torn/, and record the repair.

        Returns the "ledger.tail-repaired" entry, or None when the ledger was not torn. Complete lines are
        never touched.
        """
        _check_text("actor", actor)
        with self._locked(self.path, fcntl.LOCK_EX, append=True) as fd:
            data = _read_all(fd, self.path)
            contents = _split_lines(data)
            if not contents.torn_tail:
                return None
            fragment = contents.torn_tail
            fragment_sha256 = hashlib.sha256(fragment).hexdigest()
            self.torn_dir.mkdir(exist_ok=True)
            kept = self.torn_dir / f"{_now_utc().replace(':', '')}-{fragment_sha256[:16]}.bin"
            kept.write_bytes(fragment)
            fsync_file(kept)
            fsync_dir(self.torn_dir)
            os.ftruncate(fd, len(data) - len(fragment))
            os.fsync(fd)
        return self.append(
            actor,
            "ledger.tail-repaired",
            f"ledger:{self.path.name}",
            {"bytes_removed": len(fragment), "fragment_sha256": fragment_sha256, "kept_as": kept.name},
        )

    def _check_chain(self, lines: Sequence[bytes], start: int = 0) -> None:
        """Check the entries from number ``start + 1`` on (those before are vouched for otherwise)."""
        previous = GENESIS if start == 0 else parse_entry(lines[start - 1]).entry_hash
        for number in range(start + 1, len(lines) + 1):
            line = lines[number - 1]
            entry = parse_entry(line)
            if (
                entry.seq != number
                or entry.prev != previous
                or compute_entry_hash(entry.fields()) != entry.entry_hash
                or entry.to_line() != line
            ):
                raise EvidenceError(f"{self.path}: entry {number} is altered or out of place; run verify")
            previous = entry.entry_hash

    def _last_entry(self, fd: int) -> LedgerEntry | None:
        """The last complete entry, read backwards from the end; refuse a torn or altered last line."""
        end = os.fstat(fd).st_size
        if end == 0:
            return None
        if os.pread(fd, 1, end - 1) != b"\n":
            raise LedgerTornError(
                f"{self.path}: the last line is torn (no newline at the end); call repair_torn_tail() first"
            )
        start, buffer = end - 1, b""
        while True:
            block_start = max(0, start - _TAIL_BLOCK)
            buffer = os.pread(fd, start - block_start, block_start) + buffer
            start = block_start
            newline = buffer.rfind(b"\n")
            if newline >= 0 or start == 0:
                line = buffer[newline + 1 :]
                break
        entry = parse_entry(line)
        if compute_entry_hash(entry.fields()) != entry.entry_hash:
            raise EvidenceError(
                f"{self.path}: the last entry (seq {entry.seq}) does not match its entry_hash; "
                "run verify before appending"
            )
        return entry

    def _sign(self, payload: bytes) -> str:
        return f"{SIGNATURE_SCHEME}:{hmac.new(self._key(), payload, hashlib.sha256).hexdigest()}"

    def _key(self) -> bytes:
        """The checkpoint key, created once (0o600) by whichever process gets there first."""
        if not self.key_path.exists():
            try:
                fd, temp = tempfile.mkstemp(dir=self.root, prefix="ledger.key.")
                try:
                    os.write(fd, secrets.token_hex(32).encode("ascii"))
                    os.fsync(fd)
                finally:
                    os.close(fd)
                try:
                    os.chmod(temp, 0o600)
                    with contextlib.suppress(FileExistsError):
                        # A link never replaces: if another process made the key first, its key is the key.
                        os.link(temp, self.key_path)
                    fsync_dir(self.root)
                finally:
                    os.unlink(temp)
            except OSError as e:
                raise EvidenceError(f"{self.key_path}: cannot create the checkpoint key: {e.strerror}") from e
        try:
            return bytes.fromhex(self.key_path.read_text(encoding="ascii").strip())
        except (OSError, ValueError) as e:
            raise EvidenceError(f"{self.key_path}: cannot read the checkpoint key: {e}") from e

    @staticmethod
    @contextlib.contextmanager
    def _locked(path: Path, operation: int, append: bool = False) -> Iterator[int]:
        flags = (os.O_RDWR | os.O_APPEND | os.O_CREAT) if append else os.O_RDONLY
        try:
            fd = os.open(path, flags, 0o644)
        except OSError as e:
            raise EvidenceError(f"{path}: cannot open: {e.strerror}") from e
        try:
            fcntl.flock(fd, operation)
            yield fd
        finally:
            os.close(fd)


def _check_text(name: str, value: str) -> None:
    if not isinstance(value, str) or not value.strip() or any(ord(c) < 32 for c in value):
        raise EvidenceError(f"ledger {name} {value!r} must be non-empty text on one line")


def _write_all(fd: int, data: bytes, path: Path) -> None:
    """Write ``data`` in one write; finish a short write rather than leave half a line."""
    view = memoryview(data)
    try:
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as e:
        raise EvidenceError(f"{path}: cannot append: {e.strerror}") from e


def _read_all(fd: int, path: Path) -> bytes:
    chunks = []
    offset = 0
    try:
        while chunk := os.pread(fd, 1 << 20, offset):
            chunks.append(chunk)
            offset += len(chunk)
    except OSError as e:
        raise EvidenceError(f"{path}: cannot read: {e.strerror}") from e
    return b"".join(chunks)


def _split_lines(data: bytes) -> LedgerContents:
    body, newline, tail = data.rpartition(b"\n")
    if not newline:
        return LedgerContents(lines=(), torn_tail=data)
    return LedgerContents(lines=tuple(body.split(b"\n")), torn_tail=tail)
