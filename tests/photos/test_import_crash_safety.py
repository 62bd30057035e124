"""An import killed (SIGKILL, workers and all) at random moments, run again, ends as if never interrupted."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from photo_fixtures import CAMERA, NEAR_SITE, SITE, jpeg

LWF = Path(sys.executable).parent / "lwf"
KILLS = 10
EVIDENCE_ACTIONS = frozenset(
    {"original.stored", "metadata.read", "derivative.made", "original.quarantined", "photo.published"}
)
SAMPLES = (
    *(f"jpg/gps/DSCN00{n}.jpg" for n in ("10", "12", "21", "25", "27", "29", "38", "40", "42")),
    "jpg/hdr/iphone_hdr_NO.jpg",
    "jpg/hdr/iphone_hdr_YES.jpg",
    "jpg/orientation/landscape_6.jpg",
    "jpg/Kodak_CX7530.jpg",
    "jpg/mobile/HMD_Nokia_8.3_5G.jpg",
    "heic/IMG_5195.HEIC",
)


def _lwf(data: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(LWF), *args], env=_env(data), capture_output=True, text=True, timeout=120, check=False)
    if check:
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result


def _env(data: Path) -> dict[str, str]:
    return {
        **os.environ,
        "LWF_DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{data / 'atlas.sqlite3'}",
        "COLUMNS": "200",
    }


def _fresh_atlas(data: Path) -> None:
    data.mkdir(parents=True)
    _lwf(data, "migrate")
    _lwf(data, "demo")


def _card(folder: Path) -> list[Path]:
    """Copies of real camera files and generated 6-megapixel photos, as a card would hold them."""
    files = []
    for number, relative in enumerate(SAMPLES):
        target = folder / f"{number:02d}-{Path(relative).name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CAMERA / relative, target)
        files.append(target)
    start = datetime(2024, 5, 1, 13, 0)
    for number in range(6):
        files.append(
            jpeg(
                folder / "generated" / f"IMG_{number:04d}.JPG",
                size=(3000, 2000),
                colour=(30 * number, 80, 120),
                pattern=number,
                taken=start + timedelta(minutes=number),
                offset="+03:00",
                position=NEAR_SITE,
            )
        )
    return files


def _import(data: Path, card: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(LWF), "import", "photos", str(card), "--site", SITE, "--workers", "2", "--publish"],
        env=_env(data),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so that the kill takes the workers with it
    )


def _lines(ledger: Path) -> int:
    try:
        return ledger.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _writing(data: Path) -> bool:
    try:
        return any(os.scandir(data / "evidence" / "tmp"))
    except FileNotFoundError:
        return False


def _state(data: Path) -> dict[str, object]:
    """Everything an import leaves behind, without ids and times: rows, stored files, ledger actions."""
    with sqlite3.connect(data / "atlas.sqlite3") as db:
        photos = sorted(
            db.execute(
                "SELECT sha256, original_name, thumb_sha256, web_sha256, latitude, longitude, flags, "
                "is_published, held_back_reason, perceptual_hash FROM photos_photo"
            ).fetchall()
        )
    entries = [json.loads(line) for line in (data / "evidence" / "ledger.jsonl").read_text().splitlines()]
    return {
        "photos": photos,
        "objects": sorted(p.name for p in (data / "evidence" / "objects").rglob("*") if p.is_file()),
        "quarantine": sorted(p.name for p in (data / "evidence" / "quarantine").iterdir()),
        "actions": Counter((e["action"], e["object"]) for e in entries if e["action"] != "ledger.tail-repaired"),
    }


@pytest.mark.slow
def test_import_killed_at_random_moments_ends_as_if_never_interrupted(tmp_path: Path) -> None:
    if not CAMERA.is_dir():
        pytest.skip(f"real camera files not found at {CAMERA}")
    if not LWF.exists():
        pytest.skip(f"{LWF} is not installed (pip install -e .)")
    card = tmp_path / "card"
    files = _card(card)
    hashes = {hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    assert len(hashes) == len(files) == 21

    reference = tmp_path / "reference"
    _fresh_atlas(reference)
    assert _import(reference, card).wait(timeout=120) == 0
    expected = _state(reference)

    killed = tmp_path / "killed"
    _fresh_atlas(killed)
    chance = random.Random(1945)
    ledger = killed / "evidence" / "ledger.jsonl"
    outcomes = []
    for attempt in range(KILLS):
        before = _lines(ledger)
        process = _import(killed, card)
        # Kill either while a worker writes a file into the store (before its ledger entries), or just after a
        # random number of new ledger entries (between entries, database rows and the checkpoint).
        wanted = 0 if attempt in (0, KILLS // 2) else chance.randint(1, 8)
        while process.poll() is None:
            if (wanted == 0 and _writing(killed)) or (wanted and _lines(ledger) >= before + wanted):
                time.sleep(chance.uniform(0, 0.02))
                break
            time.sleep(0.002)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        outcomes.append((process.wait(timeout=30), _lines(ledger) - before))
    killed_runs = [added for code, added in outcomes if code == -signal.SIGKILL]
    assert len(killed_runs) >= KILLS - 1, outcomes  # the work was never finished before the kill
    assert len(set(killed_runs)) >= 3, outcomes  # cut at different points

    assert _import(killed, card).wait(timeout=120) == 0
    verify = _lwf(killed, "verify", check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    state = _state(killed)
    assert state == expected
    assert {row[0] for row in state["photos"]} == hashes  # type: ignore[attr-defined]
    actions: Counter[tuple[str, str]] = state["actions"]  # type: ignore[assignment]
    twice = [key for key, count in actions.items() if count > 1 and key[0] in EVIDENCE_ACTIONS]
    assert not twice
    stored = [obj for (action, obj) in actions if action == "original.stored"]
    assert sorted(stored) == sorted(f"sha256:{h}" for h in hashes)
    assert not list((killed / "evidence" / "tmp").iterdir())
