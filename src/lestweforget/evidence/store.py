"""The content-addressed, write-once evidence store.

Layout under ``root``::

    objects/ab/cd/abcdef...   every stored object, named by the SHA-256 of its bytes, mode 0o444
    tmp/                      files being written; anything left here after a crash is removed by recover()
    quarantine/<sha256>       files that could not be imported, kept as received (or only their first bytes,
                              up to a cap the caller sets; the sidecar then says how many and their hash)
    quarantine/<sha256>.json  sidecar: the original file name, the error, the size, what was kept, and when
    store.lock                writers hold it shared, recover() holds it exclusive

A write can be staged (``stage``: a fsynced, read-only file in ``tmp/`` with its hash) and committed later
(``commit``, ``commit_quarantine``) or dropped (``discard``): a batch that hashes and encodes in worker processes
commits only what it is about to record, so a failure in between leaves nothing unrecorded in ``objects/``.

Derivatives (clean copies, thumbnails) live in ``objects/`` as well, under their own hash, written with the
same ``put_bytes``: one area means one verification path, and the ledger's "derivative.made" entry says which
original a derivative was made from. Objects are never modified, renamed or deleted through this API.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from lestweforget.evidence.durable import fsync_dir
from lestweforget.evidence.errors import EvidenceError, ObjectChangedError

CHUNK_SIZE = 1 << 20
READ_ONLY = 0o444
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_PREFIX_HEX = re.compile(r"[0-9a-f]{2}")


@dataclass(frozen=True)
class StoredObject:
    """An object in the store: its hash, its size in bytes, where it is, and whether this call created it."""

    sha256: str
    size: int
    path: Path
    created: bool


@dataclass(frozen=True)
class StagedObject:
    """Bytes written, fsynced and hashed in ``tmp/``, not yet stored: commit or discard them."""

    sha256: str
    size: int
    path: Path


def check_sha256(sha256: str) -> str:
    """Return ``sha256`` if it is 64 lowercase hex digits; refuse anything else."""
    if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256):
        raise EvidenceError(f"{sha256!r} is not a SHA-256 (64 lowercase hex digits)")
    return sha256


def hash_file(path: Path) -> tuple[str, int]:
    """Return the SHA-256 hex digest and size of every byte of ``path``; OSError passes through."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _open_source(path: Path) -> BinaryIO:
    try:
        return open(path, "rb")
    except OSError as e:
        raise EvidenceError(f"{path}: cannot read: {e.strerror}") from e


def _now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class EvidenceStore:
    """A folder of originals and derivatives, each stored once under the SHA-256 of its bytes."""

    def __init__(self, root: Path, create: bool = True) -> None:
        """Open the store at ``root``, creating its folders; with ``create=False``, refuse a missing store."""
        self.root = Path(root)
        self.objects_dir = self.root / "objects"
        self.tmp_dir = self.root / "tmp"
        self.quarantine_dir = self.root / "quarantine"
        self._lock_path = self.root / "store.lock"
        if not create and not self.objects_dir.is_dir():
            # A mistyped path must not verify as an empty, healthy store.
            raise EvidenceError(f"{self.root}: no evidence store here (no objects/ folder)")
        try:
            for folder in (self.objects_dir, self.tmp_dir, self.quarantine_dir):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise EvidenceError(f"{self.root}: cannot create the evidence store: {e.strerror}") from e

    def path_for(self, sha256: str) -> Path:
        """Return where the object named ``sha256`` lives (whether or not it is there)."""
        check_sha256(sha256)
        return self.objects_dir / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        """Say whether something is stored under ``sha256``; its bytes are not checked here."""
        return os.path.lexists(self.path_for(sha256))

    def open(self, sha256: str) -> BinaryIO:
        """Open the stored object for reading; refuse an object that is not in the store."""
        path = self.path_for(sha256)
        try:
            return open(path, "rb")
        except OSError as e:
            raise EvidenceError(f"sha256:{sha256}: cannot open {path}: {e.strerror}") from e

    def put_bytes(self, data: bytes) -> StoredObject:
        """Store ``data`` under its SHA-256, or re-hash and return the existing copy (``created=False``)."""
        data = bytes(data)
        sha256 = hashlib.sha256(data).hexdigest()
        final = self.path_for(sha256)
        with self._writer_lock():
            if os.path.lexists(final):
                self._check_existing(final, sha256)
                return StoredObject(sha256=sha256, size=len(data), path=final, created=False)
            temp, written, size = self._write_temp([data], self.tmp_dir, source=f"sha256:{sha256}")
            if written != sha256:
                temp.unlink()
                raise EvidenceError(f"sha256:{sha256}: the bytes changed while being written ({written})")
            return self._commit(temp, final, sha256, size)

    def put_file(self, path: Path) -> StoredObject:
        """Store the file at ``path``, hashing the very bytes it copies, reading the source once."""
        path = Path(path)
        with self._writer_lock():
            with _open_source(path) as source:
                temp, sha256, size = self._write_temp(
                    iter(lambda: source.read(CHUNK_SIZE), b""), self.tmp_dir, source=str(path)
                )
            return self._commit(temp, self.path_for(sha256), sha256, size)

    def stage(self, chunks: Iterable[bytes], source: str) -> StagedObject:
        """Write ``chunks`` to a fsynced, read-only file in ``tmp/`` and hash them; nothing is stored yet."""
        with self._writer_lock():
            temp, sha256, size = self._write_temp(chunks, self.tmp_dir, source=source)
        return StagedObject(sha256=sha256, size=size, path=temp)

    def commit(self, staged: StagedObject) -> StoredObject:
        """Store staged bytes under their hash (or keep the existing copy, re-hashed); the stage is used up."""
        with self._writer_lock():
            if not staged.path.exists():
                raise EvidenceError(f"sha256:{staged.sha256}: the staged copy {staged.path} is gone (recovered?)")
            return self._commit(staged.path, self.path_for(staged.sha256), staged.sha256, staged.size)

    def discard(self, staged: StagedObject) -> None:
        """Drop a staged write that will not be stored."""
        staged.path.unlink(missing_ok=True)

    def quarantine_put(self, data: bytes, name: str, error: str) -> StoredObject:
        """Keep a file that could not be imported, as received, with a sidecar naming the file and the error.

        The first sidecar for a given hash wins: a later quarantine of the same bytes leaves it unchanged.
        """
        staged = self.stage([bytes(data)], name)
        stored, _ = self.commit_quarantine(staged, staged.sha256, staged.size, name, error)
        return stored

    def commit_quarantine(
        self, staged: StagedObject, sha256: str, size: int, name: str, error: str
    ) -> tuple[StoredObject, str]:
        """Keep staged bytes in quarantine under ``sha256``, the hash of the whole file of ``size`` bytes.

        ``staged`` may hold all of the file, only its first bytes, or none (a cap the caller chose); the sidecar
        records ``kept_bytes`` and ``kept_sha256`` so that verification can check what was kept. The first
        sidecar for a hash wins. Returns the stored object and the SHA-256 of the sidecar as it now is.
        """
        check_sha256(sha256)
        if staged.size > size or (staged.size == size and staged.sha256 != sha256):
            self.discard(staged)
            raise EvidenceError(f"{name}: the bytes kept do not belong to sha256:{sha256} ({size} bytes)")
        with self._writer_lock():
            if not staged.path.exists():
                raise EvidenceError(f"{name}: the staged copy {staged.path} is gone (recovered?)")
            final = self.quarantine_dir / sha256
            created = self._link_new(staged.path, final)
            if created:
                try:
                    actual, _ = hash_file(final)
                except OSError as e:
                    raise EvidenceError(f"{name}: cannot read back {final}: {e.strerror}") from e
                if actual != staged.sha256:
                    os.replace(final, self.tmp_dir / f"bad-{sha256}.part")
                    raise ObjectChangedError(f"{name}: {final} read back as {actual}; moved to tmp/, nothing kept")
            sidecar = self.quarantine_dir / f"{sha256}.json"
            if not os.path.lexists(sidecar):
                record = {
                    "sha256": sha256,
                    "size": size,
                    "name": name,
                    "error": error,
                    "time": _now_utc(),
                    "kept_bytes": staged.size,
                    "kept_sha256": staged.sha256,
                }
                text = json.dumps(record, ensure_ascii=False, sort_keys=True, indent=2)
                sidecar_temp, _, _ = self._write_temp([text.encode("utf-8")], self.tmp_dir, source=name)
                self._link_new(sidecar_temp, sidecar)
            try:
                sidecar_sha256, _ = hash_file(sidecar)
                kept_size = os.lstat(final).st_size
            except OSError as e:
                raise EvidenceError(f"{name}: cannot read back the quarantine record: {e.strerror}") from e
        return StoredObject(sha256=sha256, size=kept_size, path=final, created=created), sidecar_sha256

    def quarantine_record(self, sha256: str) -> dict[str, object]:
        """Return the sidecar kept with a quarantined file (name, error, size, time)."""
        sidecar = self.quarantine_dir / f"{check_sha256(sha256)}.json"
        try:
            record: dict[str, object] = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise EvidenceError(f"{sidecar}: cannot read the quarantine record: {e}") from e
        return record

    def iter_objects(self) -> Iterator[str]:
        """Yield the SHA-256 of everything in ``objects/`` under a well-formed name, in sorted order."""
        for sha256, _path in self._walk_objects():
            if sha256 is not None:
                yield sha256

    def stray_paths(self) -> Iterator[Path]:
        """Yield every path in ``objects/`` that is not an object under a well-formed name."""
        for sha256, path in self._walk_objects():
            if sha256 is None:
                yield path

    def iter_quarantine(self) -> Iterator[str]:
        """Yield the SHA-256 of every quarantined file, in sorted order."""
        try:
            names = sorted(os.listdir(self.quarantine_dir))
        except OSError as e:
            raise EvidenceError(f"{self.quarantine_dir}: cannot list: {e.strerror}") from e
        for name in names:
            if _SHA256_HEX.fullmatch(name):
                yield name

    def recover(self, only_interrupted_writes: bool = False) -> tuple[Path, ...]:
        """Remove the temporary files an interrupted write left in ``tmp/`` and return their paths.

        Waits for writers in other processes to finish, so it never removes a write in progress. With
        ``only_interrupted_writes``, only the store's own "put-*.part" files go; anything else stays (for
        verification to report).
        """
        removed: list[Path] = []
        with self._lock(fcntl.LOCK_EX):
            try:
                entries = sorted(os.scandir(self.tmp_dir), key=lambda e: e.name)
            except OSError as e:
                raise EvidenceError(f"{self.tmp_dir}: cannot list: {e.strerror}") from e
            for entry in entries:
                if only_interrupted_writes and not (
                    re.fullmatch(r"put-.*\.part", entry.name) and entry.is_file(follow_symlinks=False)
                ):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    raise EvidenceError(f"{entry.path}: a directory in tmp/ was not made by the store")
                try:
                    os.unlink(entry.path)
                except OSError as e:
                    raise EvidenceError(f"{entry.path}: cannot remove: {e.strerror}") from e
                removed.append(Path(entry.path))
            if removed:
                fsync_dir(self.tmp_dir)
        return tuple(removed)

    def _walk_objects(self) -> Iterator[tuple[str | None, Path]]:
        """Yield (sha256, path) for objects and (None, path) for anything else found in ``objects/``."""
        for first in self._scan(self.objects_dir):
            if not (first.is_dir(follow_symlinks=False) and _PREFIX_HEX.fullmatch(first.name)):
                yield None, Path(first.path)
                continue
            for second in self._scan(Path(first.path)):
                if not (second.is_dir(follow_symlinks=False) and _PREFIX_HEX.fullmatch(second.name)):
                    yield None, Path(second.path)
                    continue
                for leaf in self._scan(Path(second.path)):
                    name = leaf.name
                    well_placed = (
                        _SHA256_HEX.fullmatch(name) is not None and name[:2] == first.name and name[2:4] == second.name
                    )
                    yield (name if well_placed else None), Path(leaf.path)

    def own_names(self) -> frozenset[str]:
        """The names the store itself keeps directly under ``root``."""
        return frozenset({self.objects_dir.name, self.tmp_dir.name, self.quarantine_dir.name, self._lock_path.name})

    def stray_paths_outside_objects(self, also_allowed: Iterable[str] = ()) -> Iterator[tuple[Path, str]]:
        """(path, why) for what is in the store's folder but none of its own: under ``root`` (beyond its own
        names and ``also_allowed``), in ``quarantine/`` (not a hash or a hash's sidecar), and in ``tmp/`` (not an
        interrupted write, which the next writing run removes)."""
        allowed = self.own_names() | frozenset(also_allowed)
        for entry in self._scan(self.root):
            if entry.name not in allowed:
                yield Path(entry.path), "not part of the evidence store or ledger"
            elif entry.name in self.own_names() - {self._lock_path.name} and (
                entry.is_symlink() or not entry.is_dir(follow_symlinks=False)
            ):
                yield Path(entry.path), "should be the store's own folder, but is a link or a file"
        for entry in self._scan(self.quarantine_dir):
            stem = entry.name.removesuffix(".json")
            if not _SHA256_HEX.fullmatch(stem):
                yield Path(entry.path), "not a quarantined file or its record"
            elif not entry.is_file(follow_symlinks=False):
                yield Path(entry.path), "a quarantined file or record must be a regular file, not a link or folder"
        for entry in self._scan(self.tmp_dir):
            interrupted = re.fullmatch(r"(put-.*|bad-[0-9a-f]{64})\.part", entry.name)
            if not interrupted or not entry.is_file(follow_symlinks=False):
                yield Path(entry.path), "not a write of the store's own in tmp/"

    @staticmethod
    def _scan(folder: Path) -> list[os.DirEntry[str]]:
        try:
            with os.scandir(folder) as entries:
                return sorted(entries, key=lambda e: e.name)
        except OSError as e:
            raise EvidenceError(f"{folder}: cannot list: {e.strerror}") from e

    @contextlib.contextmanager
    def _lock(self, operation: int) -> Iterator[None]:
        try:
            fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise EvidenceError(f"{self._lock_path}: cannot open the store lock: {e.strerror}") from e
        try:
            fcntl.flock(fd, operation)
            yield
        finally:
            os.close(fd)

    def _writer_lock(self) -> contextlib.AbstractContextManager[None]:
        return self._lock(fcntl.LOCK_SH)

    @staticmethod
    def _write_temp(chunks: Iterable[bytes], tmp_dir: Path, source: str) -> tuple[Path, str, int]:
        """Write chunks to a read-only, fsynced file in ``tmp_dir``; return it, the hash and the size."""
        try:
            fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="put-", suffix=".part")
        except OSError as e:
            raise EvidenceError(f"{source}: cannot create a temporary file in {tmp_dir}: {e.strerror}") from e
        temp = Path(name)
        digest = hashlib.sha256()
        size = 0
        written = False
        try:
            with os.fdopen(fd, "wb") as f:
                for chunk in chunks:
                    digest.update(chunk)
                    f.write(chunk)
                    size += len(chunk)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(temp, READ_ONLY)
            written = True
        except OSError as e:
            raise EvidenceError(f"{source}: cannot copy into {temp}: {e.strerror}") from e
        finally:
            if not written:
                temp.unlink(missing_ok=True)
        return temp, digest.hexdigest(), size

    def _commit(self, temp: Path, final: Path, sha256: str, size: int) -> StoredObject:
        """Move a fsynced temp file to ``final`` without ever replacing what is there, then read it back."""
        if not self._link_new(temp, final):
            self._check_existing(final, sha256)
            return StoredObject(sha256=sha256, size=size, path=final, created=False)
        try:
            actual, _ = hash_file(final)
        except OSError as e:
            raise EvidenceError(f"sha256:{sha256}: cannot read back {final}: {e.strerror}") from e
        if actual != sha256:
            # The write did not land as written: take the bad copy out of the name so a retry can store it.
            os.replace(final, self.tmp_dir / f"bad-{sha256}.part")
            raise ObjectChangedError(
                f"sha256:{sha256}: read back as {actual} after writing {final}; moved to tmp/, nothing stored"
            )
        return StoredObject(sha256=sha256, size=size, path=final, created=True)

    def _link_new(self, temp: Path, final: Path) -> bool:
        """Give ``temp`` the name ``final`` unless that name exists; return whether it did.

        A hard link rather than os.replace: the kernel refuses to link over an existing name, so two writers
        racing for the same hash can never overwrite a stored object, not even with equal bytes.
        """
        try:
            self._make_parents(final.parent)
            try:
                os.link(temp, final)
            except FileExistsError:
                return False
            finally:
                temp.unlink(missing_ok=True)
            fsync_dir(final.parent)
        except OSError as e:
            raise EvidenceError(f"{final}: cannot store: {e.strerror}") from e
        return True

    def _make_parents(self, folder: Path) -> None:
        """Create ``folder`` and its missing parents, fsyncing each parent that gained an entry."""
        missing: list[Path] = []
        current = folder
        while not current.is_dir():
            missing.append(current)
            current = current.parent
        for path in reversed(missing):
            try:
                path.mkdir()
            except FileExistsError:
                continue
            fsync_dir(path.parent)

    @staticmethod
    def _check_existing(final: Path, sha256: str) -> None:
        try:
            actual, _ = hash_file(final)
        except OSError as e:
            raise EvidenceError(f"sha256:{sha256}: cannot re-hash the stored copy {final}: {e.strerror}") from e
        if actual != sha256:
            raise ObjectChangedError(
                f"sha256:{sha256}: the stored copy {final} hashes to {actual}; refusing to overwrite evidence"
            )
