"""Evidence test data, built through the public calls the photo import makes: a real store and ledger."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from lestweforget.evidence import Checkpoint, EvidenceStore, ExpectedObject, Ledger, StoredObject

ACTOR = "contributor-7f3a"
SITE = "site:izium-pishchanske-mass-burial"


def photo_bytes(index: int, size: int = 4000) -> bytes:
    """Deterministic, distinct stand-ins for photo files."""
    seed = f"photo {index} of a day at the pine forest; ".encode()
    return (seed * (size // len(seed) + 1))[:size]


def record_original(store: EvidenceStore, ledger: Ledger, data: bytes, name: str) -> StoredObject:
    """Store bytes and record it in the ledger, as the photo import does."""
    stored = store.put_bytes(data)
    ledger.append(ACTOR, "original.stored", f"sha256:{stored.sha256}", {"name": name, "size": stored.size})
    return stored


def make_writable(path: Path) -> None:
    """Tampering needs write permission on a read-only object, as anyone with the disk would have."""
    os.chmod(path, stat.S_IMODE(os.stat(path).st_mode) | stat.S_IWUSR)


@dataclass(frozen=True)
class EvidenceDay:
    """One documenter's day: originals, a derivative, ledger, checkpoint, and what the database holds."""

    store: EvidenceStore
    ledger: Ledger
    originals: tuple[StoredObject, ...]
    derivative: StoredObject
    checkpoint: Checkpoint
    expected: dict[str, ExpectedObject]


def build_evidence_day(store: EvidenceStore, ledger: Ledger, photos: int = 5) -> EvidenceDay:
    originals = tuple(record_original(store, ledger, photo_bytes(i), f"IMG_{i:04d}.JPG") for i in range(photos))
    derivative = store.put_bytes(b"a clean, metadata-free copy of IMG_0000")
    ledger.append(
        ACTOR,
        "derivative.made",
        f"sha256:{derivative.sha256}",
        {"from": f"sha256:{originals[0].sha256}", "kind": "display"},
    )
    # The last entry touches no object, so removing it shows only what truncation itself breaks.
    ledger.append(ACTOR, "photo.published", SITE, {"photo": f"sha256:{originals[0].sha256}"})
    checkpoint = ledger.checkpoint()
    expected = {o.sha256: ExpectedObject("original", f"IMG_{i:04d}.JPG") for i, o in enumerate(originals)}
    expected[derivative.sha256] = ExpectedObject("derivative", "IMG_0000 display")
    return EvidenceDay(store, ledger, originals, derivative, checkpoint, expected)
