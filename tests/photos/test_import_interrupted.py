"""An import stopped by SIGTERM or SIGINT ends cleanly; a refusal that depended on settings is tried again."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from photo_fixtures import CAMERA, SITE, camera, evidence_dir, run_import
from test_import_crash_safety import LWF, _card, _env, _fresh_atlas, _lines, _lwf

from lestweforget.photos.models import Photo, QuarantinedFile

__all__ = ["camera", "evidence_dir"]  # fixtures, used by name


@pytest.mark.slow
@pytest.mark.usefixtures("camera")  # real camera files, skipped where shared/testdata is absent
@pytest.mark.parametrize(("number", "whole_group"), [(signal.SIGTERM, False), (signal.SIGINT, True)])
def test_stop_signal_ends_the_import_cleanly_and_verify_agrees(
    tmp_path: Path, number: signal.Signals, whole_group: bool
) -> None:
    data = tmp_path / "atlas"
    _fresh_atlas(data)
    card = tmp_path / "card"
    _card(card)
    ledger = data / "evidence" / "ledger.jsonl"
    before = _lines(ledger)
    process = subprocess.Popen(
        [str(LWF), "import", "photos", str(card), "--site", SITE, "--workers", "2"],
        env=_env(data),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while _lines(ledger) < before + 4 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    # Ctrl-C reaches the whole process group (workers too); `kill` only the import.
    (os.killpg if whole_group else os.kill)(process.pid, number)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 128 + number, (out, err)
    assert f"stopped by {number.name}" in err and "files not started" in err
    assert not list((data / "evidence" / "tmp").iterdir())  # nothing half-done left behind
    verify = _lwf(data, "verify", check=False)
    assert verify.returncode == 0, verify.stdout
    # The rest is done by running the same import again.
    assert _lwf(data, "import", "photos", str(card), "--site", SITE, check=False).returncode == 0


@pytest.mark.usefixtures("demo", "camera")
def test_file_refused_for_a_size_limit_is_imported_once_the_limit_no_longer_applies(
    tmp_path: Path, evidence_dir: Path
) -> None:
    # The tester's case: a valid camera JPEG refused under LWF_MAX_PHOTO_MB=1 with LWF_QUARANTINE_KEEP_MB=0.
    card = tmp_path / "card"
    card.mkdir()
    photo = card / "HMD_Nokia_8.3_5G.jpg"
    shutil.copyfile(CAMERA / "jpg/mobile/HMD_Nokia_8.3_5G.jpg", photo)
    limit = photo.stat().st_size / 2_000_000
    (first,) = run_import([card], max_photo_mb=limit, quarantine_keep_mb=0).files
    assert first.status == "quarantined"
    (second,) = run_import([card]).files
    assert second.status == "imported", second.message
    assert "was in quarantine" in second.message
    assert Photo.objects.filter(sha256=first.sha256).exists()
    assert not QuarantinedFile.objects.filter(sha256=first.sha256).exists()


@pytest.mark.usefixtures("demo")
def test_file_still_unreadable_is_tried_again_and_stays_quarantined(tmp_path: Path, evidence_dir: Path) -> None:
    card = tmp_path / "card"
    card.mkdir()
    (card / "notes.jpg").write_text("not a photo\n", encoding="utf-8")
    run_import([card])
    (again,) = run_import([card]).files
    assert again.status == "quarantined" and "tried again, still refused" in again.message
    assert QuarantinedFile.objects.count() == 1
