"""`lwf verify` finds and names each kind of tampering with the store, the ledger or the database."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest
from photo_fixtures import NEAR_SITE, evidence_dir, jpeg, run_import

from lestweforget.atlas import evidence_records
from lestweforget.atlas.record_ledger import unrecorded
from lestweforget.cli import main
from lestweforget.photos.models import Photo, QuarantinedFile

__all__ = ["evidence_dir"]  # a fixture, used by name

pytestmark = pytest.mark.usefixtures("demo")


@dataclass(frozen=True)
class Imported:
    root: Path
    photos: list[Photo]
    quarantined: QuarantinedFile


@pytest.fixture
def imported(tmp_path: Path, evidence_dir: Path) -> Imported:
    card = tmp_path / "card"
    for number in range(3):
        jpeg(card / f"IMG_{number:04d}.JPG", position=NEAR_SITE, colour=(40 * number, 90, 90), pattern=number)
    (card / "notes.jpg").write_text("not a photo\n", encoding="utf-8")
    run_import([card])
    return Imported(evidence_dir, list(Photo.objects.order_by("original_name")), QuarantinedFile.objects.get())


def _verify(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["verify"])
    return code, capsys.readouterr().out


def _writable(path: Path) -> Path:
    os.chmod(path, stat.S_IMODE(os.stat(path).st_mode) | stat.S_IWUSR)
    return path


def test_untouched_evidence_verifies(imported: Imported, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _verify(capsys)
    assert code == 0, out
    assert "OK: the store, the ledger and the database agree" in out
    # Three originals, six derivatives, one quarantined file, each re-hashed in full.
    assert "Checked 10 files" in out


def test_flipped_byte_in_an_original_is_reported_as_changed(
    imported: Imported, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = imported.photos[1]
    path = _writable(evidence_records.open_store().path_for(photo.sha256))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    code, out = _verify(capsys)
    assert code == 1
    assert f"changed sha256:{photo.sha256}" in out
    assert "1 problems: 1 changed" in out


def test_deleted_original_is_reported_as_missing_with_its_name(
    imported: Imported, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = imported.photos[0]
    evidence_records.open_store().path_for(photo.sha256).unlink()
    code, out = _verify(capsys)
    assert code == 1
    assert f"missing sha256:{photo.sha256}" in out and "IMG_0000.JPG" in out


def test_stray_file_in_the_store_is_reported_as_unexpected(
    imported: Imported, capsys: pytest.CaptureFixture[str]
) -> None:
    stray = imported.root / "objects" / "ab" / "cd" / "holiday.jpg"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"added later by hand")
    code, out = _verify(capsys)
    assert code == 1
    assert "unexpected objects/ab/cd/holiday.jpg" in out


def test_edited_ledger_row_is_reported_as_altered(imported: Imported, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = evidence_records.open_ledger()
    lines = ledger.path.read_bytes().splitlines(keepends=True)
    entry = json.loads(lines[1])
    entry["details"]["device_model"] = "Someone else's camera"
    lines[1] = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"
    ledger.path.write_bytes(b"".join(lines))
    code, out = _verify(capsys)
    assert code == 1
    assert "ledger-entry-altered ledger:2" in out


def test_removed_last_ledger_row_is_reported_as_truncated(
    imported: Imported, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = evidence_records.open_ledger()
    lines = ledger.path.read_bytes().splitlines(keepends=True)
    ledger.path.write_bytes(b"".join(lines[:-1]))
    code, out = _verify(capsys)
    assert code == 1
    assert f"signed {len(lines)} entries; the ledger now has {len(lines) - 1}" in out
    assert "ledger-truncated checkpoint:1" in out


def test_quarantined_file_that_disappeared_is_reported(imported: Imported, capsys: pytest.CaptureFixture[str]) -> None:
    sha256 = imported.quarantined.sha256
    (evidence_records.open_store().quarantine_dir / sha256).unlink()
    code, out = _verify(capsys)
    assert code == 1
    assert f"missing quarantine:{sha256}" in out and "notes.jpg" in out


def test_photo_row_missing_is_named_as_an_interrupted_import_and_repair_lets_the_record_catch_up(
    imported: Imported, capsys: pytest.CaptureFixture[str]
) -> None:
    # What SIGKILL between "stored and ledgered" and "row written" leaves: no Photo row for a ledgered original.
    photo = imported.photos[2]
    with unrecorded():
        Photo.objects.filter(pk=photo.pk).delete()
    ledger = evidence_records.open_ledger()
    before = ledger.path.read_bytes()
    code, out = _verify(capsys)
    assert code == 1
    assert f"import-interrupted sha256:{photo.sha256}" in out and "IMG_0002.JPG" in out
    assert "An import was interrupted: 3 objects stored and ledgered without their record" in out  # and 2 copies
    assert "lwf verify --repair" in out

    assert main(["verify", "--repair"]) == 0, capsys.readouterr().out
    again = Photo.objects.get(sha256=photo.sha256)
    assert (again.original_name, again.thumb_sha256, again.web_sha256) == (
        photo.original_name,
        photo.thumb_sha256,
        photo.web_sha256,
    )
    assert ledger.path.read_bytes().startswith(before)  # append-only: what was there is there
    code, out = _verify(capsys)
    assert code == 0, out


def test_quarantine_row_missing_is_restored_from_its_sidecar_by_repair(
    imported: Imported, capsys: pytest.CaptureFixture[str]
) -> None:
    QuarantinedFile.objects.all().delete()
    assert _verify(capsys)[0] == 1
    assert main(["verify", "--repair"]) == 0, capsys.readouterr().out
    assert QuarantinedFile.objects.get().original_name == "notes.jpg"


def test_record_without_evidence_is_reported(imported: Imported, capsys: pytest.CaptureFixture[str]) -> None:
    photo = imported.photos[0]
    with unrecorded():
        Photo.objects.filter(pk=photo.pk).update(web_sha256="f" * 64)
    code, out = _verify(capsys)
    assert code == 1
    assert f"record-without-evidence sha256:{'f' * 64}" in out
    assert f"missing sha256:{'f' * 64}" in out


def test_a_missing_store_is_an_error_never_success(imported: Imported, capsys: pytest.CaptureFixture[str]) -> None:
    (imported.root / "objects").rename(imported.root / "objects-moved")
    assert main(["verify"]) == 2
    assert "no evidence store here" in capsys.readouterr().err


def test_a_fresh_installation_has_nothing_to_verify(evidence_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify"]) == 0
    assert "nothing to verify" in capsys.readouterr().out


def test_edited_quarantine_sidecar_is_reported_as_changed(
    imported: Imported, capsys: pytest.CaptureFixture[str]
) -> None:
    sidecar = imported.root / "quarantine" / f"{imported.quarantined.sha256}.json"
    record = json.loads(sidecar.read_text(encoding="utf-8"))
    record["name"] = "innocent.jpg"
    os.chmod(sidecar, 0o644)
    sidecar.write_text(json.dumps(record), encoding="utf-8")
    code, out = _verify(capsys)
    assert code == 1
    assert f"changed quarantine:{imported.quarantined.sha256}: the quarantine record was edited" in out


def test_deleted_quarantine_sidecar_is_reported_as_missing(
    imported: Imported, capsys: pytest.CaptureFixture[str]
) -> None:
    (imported.root / "quarantine" / f"{imported.quarantined.sha256}.json").unlink()
    code, out = _verify(capsys)
    assert code == 1
    assert f"missing quarantine:{imported.quarantined.sha256}" in out and "quarantine record is gone" in out


@pytest.mark.parametrize(
    "where", ["notes.txt", "quarantine/readme.txt", "tmp/stash.bin", "objects-old/x", "quarantine/link.json"]
)
def test_files_added_outside_objects_are_reported(
    imported: Imported, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    path = imported.root / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("added by hand\n", encoding="utf-8")
    code, out = _verify(capsys)
    assert code == 1
    assert f"unexpected {where.split('/')[0] if where.startswith('objects-old') else where}" in out


def test_original_replaced_by_a_link_to_a_copy_is_reported(
    imported: Imported, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    original = evidence_records.open_store().path_for(imported.photos[0].sha256)
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(original.read_bytes())
    os.chmod(original.parent, 0o755)
    original.unlink()
    original.symlink_to(copy)
    code, out = _verify(capsys)
    assert code == 1
    assert f"changed sha256:{imported.photos[0].sha256}" in out and "replaced by a symbolic link" in out


def test_interrupted_writes_in_tmp_are_not_problems(imported: Imported, capsys: pytest.CaptureFixture[str]) -> None:
    (imported.root / "tmp" / "put-abc123.part").write_bytes(b"half a photo")
    (imported.root / "tmp" / "put-def456.part").write_bytes(b"half another")
    code, out = _verify(capsys)
    assert code == 0, out
    # Stale temporary files are cleaned by verify (no import holds the lock), and it says so.
    assert not list((imported.root / "tmp").iterdir())
    assert "removed 2 temporary files an interrupted write left" in out


def test_verify_leaves_tmp_alone_while_an_import_runs(imported: Imported, capsys: pytest.CaptureFixture[str]) -> None:
    part = imported.root / "tmp" / "put-abc123.part"
    part.write_bytes(b"being written")
    with evidence_records.only_writer("a test import"):
        code, out = _verify(capsys)
        assert main(["verify", "--repair"]) == 2
    assert code == 0, out
    assert part.exists() and "were left alone" in out


def test_missing_key_is_said_the_same_way_by_ledger_and_verify(
    imported: Imported, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = evidence_records.open_ledger()
    ledger.key_path.unlink()
    code, verify_out = _verify(capsys)
    assert code == 1 and "ledger.key is missing: the signatures cannot be checked" in verify_out
    assert main(["ledger"]) == 0
    ledger_out = capsys.readouterr().out
    assert "BAD SIGNATURE" not in ledger_out
    assert "cannot check the signature" in ledger_out and "ledger.key is missing" in ledger_out
    assert main(["ledger", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["checkpoint_verifies"] is None and "is missing" in document["checkpoint_problem"]
    # No new key is made behind the investigator's back: earlier signatures would all look forged.
    ledger.append("operator:test", "note.added", "ledger", {"text": "after the key went"})
    assert main(["ledger", "--checkpoint"]) == 2
    assert not ledger.key_path.exists()


def test_forged_checkpoint_is_a_bad_signature_for_ledger_and_verify(
    imported: Imported, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = evidence_records.open_ledger()
    line = json.loads(ledger.checkpoints_path.read_text().splitlines()[-1])
    line["signature"] = "hmac-sha256:" + "0" * 64
    _writable(ledger.checkpoints_path).write_text(json.dumps(line, sort_keys=True, separators=(",", ":")) + "\n")
    assert main(["ledger"]) == 0
    assert "BAD SIGNATURE: the signature does not verify" in capsys.readouterr().out
    code, out = _verify(capsys)
    assert code == 1 and "the signature does not verify" in out
