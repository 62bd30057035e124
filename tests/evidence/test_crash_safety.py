"""A writer killed with SIGKILL at any moment leaves nothing that recover() and a re-run cannot make whole."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import lestweforget
from lestweforget.evidence import EvidenceStore, ExpectedObject, Ledger, verify_store

from .fixtures import ACTOR

PHOTOS = 50
KILLS = 12
SRC = str(Path(lestweforget.__file__).resolve().parents[1])

# The import loop the child runs: store each file, then record it unless the ledger already has it.
IMPORT_LOOP = """
import sys
from pathlib import Path
from lestweforget.evidence import EvidenceStore, Ledger

root, photos = Path(sys.argv[1]), Path(sys.argv[2])
store, ledger = EvidenceStore(root), Ledger(root)
recorded = {e.object for e in ledger.entries() if e.action == "original.stored"}
print("ready", flush=True)
for path in sorted(photos.iterdir()):
    stored = store.put_file(path)
    if f"sha256:{stored.sha256}" not in recorded:
        ledger.append(sys.argv[3], "original.stored", f"sha256:{stored.sha256}", {"name": path.name})
print("done", flush=True)
"""


def import_photos(root: Path, photos: Path) -> None:
    """The same loop, in this process: what an operator runs again after a crash; like every writer, it signs a
    checkpoint when it finishes (a ledger with entries and no checkpoint does not verify)."""
    store, ledger = EvidenceStore(root), Ledger(root)
    recorded = {e.object for e in ledger.entries() if e.action == "original.stored"}
    for path in sorted(photos.iterdir()):
        stored = store.put_file(path)
        if f"sha256:{stored.sha256}" not in recorded:
            ledger.append(ACTOR, "original.stored", f"sha256:{stored.sha256}", {"name": path.name})
    ledger.checkpoint()


def start_child(root: Path, photos: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [SRC, os.environ.get("PYTHONPATH")]))}
    child = subprocess.Popen(
        [sys.executable, "-c", IMPORT_LOOP, str(root), str(photos), ACTOR],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    return child


def test_sigkill_at_random_moments_then_recover_and_rerun_leaves_each_photo_once(tmp_path: Path) -> None:
    rng = random.Random(20220916)
    photos = tmp_path / "card"
    photos.mkdir()
    originals: dict[str, bytes] = {}
    for i in range(PHOTOS):
        data = rng.randbytes(rng.randint(1, 120_000))
        (photos / f"DSC_{i:04d}.JPG").write_bytes(data)
        originals[hashlib.sha256(data).hexdigest()] = data

    # How long one uninterrupted import loop takes here, so the kills land inside it.
    calibration = start_child(tmp_path / "calibration", photos)
    started = time.monotonic()
    assert calibration.wait(timeout=60) == 0
    loop_s = time.monotonic() - started

    kills = 0
    for attempt in range(40):
        root = tmp_path / f"run-{attempt}"
        child = start_child(root, photos)
        try:
            child.wait(timeout=rng.uniform(0, loop_s))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
        if child.wait(timeout=60) == -signal.SIGKILL:
            kills += 1

        store, ledger = EvidenceStore(root), Ledger(root)
        store.recover()
        ledger.repair_torn_tail(ACTOR)
        import_photos(root, photos)

        expected = {sha: ExpectedObject("original", "photo") for sha in originals}
        report = verify_store(store, ledger, expected)
        assert report.ok, (attempt, report.problems)
        objects = [p for p in (root / "objects").rglob("*") if p.is_file()]
        assert sorted(p.name for p in objects) == sorted(originals)
        for path in objects:
            assert path.read_bytes() == originals[path.name]
        assert list(store.tmp_dir.iterdir()) == []
        stored_entries = [e.object for e in ledger.entries() if e.action == "original.stored"]
        assert sorted(stored_entries) == sorted(f"sha256:{sha}" for sha in originals)
        if kills >= KILLS:
            break

    assert kills >= KILLS
