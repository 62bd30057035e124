"""verify_store finds each kind of tampering and names it; a check that cannot run is an error, never ok."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from lestweforget.evidence import (
    ALL_CHECKS,
    Checkpoint,
    EvidenceError,
    EvidenceStore,
    ExpectedObject,
    Ledger,
    compute_entry_hash,
    leaf_hash,
    merkle_root,
    prefix_roots,
    verify_store,
)

from .fixtures import ACTOR, EvidenceDay, make_writable, photo_bytes, record_original


def ledger_lines(ledger: Ledger) -> list[bytes]:
    return ledger.path.read_bytes().splitlines()


def write_lines(ledger: Ledger, lines: list[bytes]) -> None:
    ledger.path.write_bytes(b"".join(line + b"\n" for line in lines))


def test_an_untouched_day_verifies_ok_with_full_counts(evidence_day: EvidenceDay) -> None:
    progress: list[tuple[int, int]] = []

    report = verify_store(
        evidence_day.store,
        evidence_day.ledger,
        evidence_day.expected,
        on_progress=lambda done, total: progress.append((done, total)),
    )

    assert report.ok, report.problems
    assert report.problems == ()
    assert set(report.checks_run) == set(ALL_CHECKS)
    assert report.objects_checked == 6
    assert report.bytes_hashed == sum(o.size for o in evidence_day.originals) + evidence_day.derivative.size
    assert report.entries_checked == 7
    assert report.checkpoints_checked == 1
    assert progress == [(i, 6) for i in range(1, 7)]


def test_flipped_byte_is_reported_as_changed(evidence_day: EvidenceDay) -> None:
    victim = evidence_day.originals[2]
    make_writable(victim.path)
    data = bytearray(victim.path.read_bytes())
    data[1000] ^= 0x01
    victim.path.write_bytes(bytes(data))

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    assert not report.ok
    assert report.kinds() == {"changed"}
    (problem,) = report.problems
    assert problem.object == f"sha256:{victim.sha256}"
    assert str(victim.path) in problem.message


def test_same_size_rewrite_is_caught_because_every_byte_is_rehashed(evidence_day: EvidenceDay) -> None:
    victim = evidence_day.originals[0]
    make_writable(victim.path)
    mtime = victim.path.stat().st_mtime_ns
    victim.path.write_bytes(b"\x00" * victim.size)
    os.utime(victim.path, ns=(mtime, mtime))

    report = verify_store(evidence_day.store, evidence_day.ledger)

    assert [(p.kind, p.object) for p in report.problems] == [("changed", f"sha256:{victim.sha256}")]


def test_deleted_original_is_reported_as_missing(evidence_day: EvidenceDay) -> None:
    victim = evidence_day.originals[1]
    victim.path.unlink()

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    assert report.kinds() == {"missing"}
    (problem,) = report.problems
    assert problem.object == f"sha256:{victim.sha256}"
    assert "original.stored at entry 2" in problem.message
    assert "IMG_0001.JPG" in problem.message


def test_object_stored_without_a_ledger_entry_is_unexpected(evidence_day: EvidenceDay) -> None:
    stray = evidence_day.store.put_bytes(b"slipped in without a record")

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    assert [(p.kind, p.object) for p in report.problems] == [("unexpected", f"sha256:{stray.sha256}")]


def test_stray_file_in_the_objects_folder_is_unexpected(evidence_day: EvidenceDay) -> None:
    stray = evidence_day.originals[0].path.parent / "IMG_0000.JPG"
    stray.write_bytes(b"a copy dropped in by hand")

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    assert report.kinds() == {"unexpected"}
    assert [p.object for p in report.problems] == [str(stray.relative_to(evidence_day.store.root))]


def test_edited_ledger_detail_is_reported_as_altered(evidence_day: EvidenceDay) -> None:
    lines = ledger_lines(evidence_day.ledger)
    assert b'"name":"IMG_0003.JPG"' in lines[3]
    lines[3] = lines[3].replace(b'"name":"IMG_0003.JPG"', b'"name":"IMG_9999.JPG"')
    write_lines(evidence_day.ledger, lines)

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    assert report.kinds() == {"ledger-entry-altered"}
    assert "ledger:4" in [p.object for p in report.problems]
    assert "checkpoint:1" in [p.object for p in report.problems]


@pytest.mark.parametrize(
    ("removed", "expected"),
    [
        ([2, 3, 4], "entries 3..5 missing: line 3 holds entry 6 where 3 was expected"),
        ([0], "entry 1 missing: line 1 holds entry 2 where 1 was expected"),
    ],
)
def test_removed_run_of_ledger_rows_is_one_gap_naming_the_entries(
    evidence_day: EvidenceDay, removed: list[int], expected: str
) -> None:
    lines = ledger_lines(evidence_day.ledger)
    write_lines(evidence_day.ledger, [line for index, line in enumerate(lines) if index not in removed])

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    (link,) = report.of_kind("ledger-broken-link")
    assert expected in link.message


def test_two_gaps_are_two_problems_and_a_repeated_entry_is_named(evidence_day: EvidenceDay) -> None:
    lines = ledger_lines(evidence_day.ledger)
    write_lines(evidence_day.ledger, [lines[0], lines[2], lines[4], lines[4], *lines[5:]])

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    messages = [p.message for p in report.of_kind("ledger-broken-link")]
    assert len(messages) == 3, messages
    assert "entry 2 missing" in messages[0] and "entry 4 missing" in messages[1]
    assert "seq is 5 where 6 was expected (repeated or out of order)" in messages[2]


def test_edit_with_a_recomputed_hash_breaks_the_next_link(evidence_day: EvidenceDay) -> None:
    lines = ledger_lines(evidence_day.ledger)
    entry = json.loads(lines[2])
    entry["details"]["name"] = "IMG_9999.JPG"
    entry["entry_hash"] = compute_entry_hash(entry)
    lines[2] = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    write_lines(evidence_day.ledger, lines)

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    links = report.of_kind("ledger-broken-link")
    assert [p.object for p in links] == ["ledger:4"]
    # The chain alone would now only show a broken link; the signed checkpoint shows the rewrite too.
    assert [p.object for p in report.of_kind("ledger-entry-altered")] == ["checkpoint:1"]


def test_removed_last_ledger_row_after_a_checkpoint_is_reported_as_truncated(
    evidence_day: EvidenceDay,
) -> None:
    write_lines(evidence_day.ledger, ledger_lines(evidence_day.ledger)[:-1])

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    assert report.kinds() == {"ledger-truncated"}
    (problem,) = report.problems
    assert "signed 7 entries; the ledger now has 6" in problem.message


def test_removed_middle_ledger_row_is_a_broken_link(evidence_day: EvidenceDay) -> None:
    lines = ledger_lines(evidence_day.ledger)
    write_lines(evidence_day.ledger, lines[:2] + lines[3:])

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    # The gap is named once, where it is; the entries after it are not each reported again.
    (link,) = report.of_kind("ledger-broken-link")
    assert link.object == "ledger:3"
    assert "entry 3 missing: line 3 holds entry 4 where 3 was expected" in link.message
    # The removed row recorded storing IMG_0002, which the database still lists.
    assert [p.object for p in report.of_kind("record-without-evidence")] == [
        f"sha256:{evidence_day.originals[2].sha256}"
    ]


def test_torn_last_line_is_reported(evidence_day: EvidenceDay) -> None:
    with open(evidence_day.ledger.path, "ab") as f:
        f.write(b'{"action":"original.stored","actor":"' + ACTOR.encode())

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    assert report.kinds() == {"ledger-torn-line"}
    assert report.problems[0].object == "ledger:tail"


def test_forged_checkpoint_is_reported_as_invalid(evidence_day: EvidenceDay) -> None:
    checkpoint = json.loads(evidence_day.ledger.checkpoints_path.read_bytes())
    checkpoint["size"] = 3
    evidence_day.ledger.checkpoints_path.write_text(json.dumps(checkpoint) + "\n")

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    assert report.kinds() == {"checkpoint-invalid"}


def test_object_that_cannot_be_read_is_an_error_never_ok(evidence_day: EvidenceDay) -> None:
    # Root reads a file whatever its mode, so "cannot read" is made with a folder in the object's place.
    victim = evidence_day.originals[3]
    victim.path.unlink()
    victim.path.mkdir()

    progress: list[tuple[int, int]] = []

    report = verify_store(
        evidence_day.store,
        evidence_day.ledger,
        evidence_day.expected,
        on_progress=lambda done, total: progress.append((done, total)),
    )

    assert not report.ok
    assert report.kinds() == {"error"}
    assert report.problems[0].object == f"sha256:{victim.sha256}"
    assert "cannot re-hash" in report.problems[0].message
    assert report.objects_checked == 5
    assert progress[-1] == (6, 6)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file with mode 000")
def test_object_without_read_permission_is_an_error_never_ok(evidence_day: EvidenceDay) -> None:
    victim = evidence_day.originals[3]
    os.chmod(victim.path, 0o000)

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    assert not report.ok
    assert [(p.kind, p.object) for p in report.problems] == [("error", f"sha256:{victim.sha256}")]


def test_unreadable_ledger_is_an_error_and_nothing_is_called_ok(evidence_day: EvidenceDay) -> None:
    ledger_path = evidence_day.ledger.path
    ledger_path.unlink()
    ledger_path.mkdir()

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    assert not report.ok
    assert report.kinds() == {"error"}
    assert "ledger" not in report.checks_run
    assert "agreement" not in report.checks_run


def test_missing_checkpoint_key_is_an_error(evidence_day: EvidenceDay) -> None:
    evidence_day.ledger.key_path.unlink()

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    assert [(p.kind, p.object) for p in report.problems] == [("error", "checkpoints")]
    assert not report.ok


def test_unlistable_objects_folder_is_an_error(evidence_day: EvidenceDay) -> None:
    objects = evidence_day.store.objects_dir
    shutil.rmtree(objects)
    objects.write_bytes(b"not a folder")

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    assert not report.ok
    assert "error" in report.kinds()
    assert "objects" not in report.checks_run
    assert report.objects_checked == 0


def test_database_record_the_ledger_never_stored_is_reported(evidence_day: EvidenceDay) -> None:
    unrecorded = evidence_day.store.put_bytes(b"stored, but the ledger append never happened")
    expected = dict(evidence_day.expected)
    expected[unrecorded.sha256] = ExpectedObject("original", "IMG_0100.JPG")

    report = verify_store(evidence_day.store, evidence_day.ledger, expected)

    assert [(p.kind, p.object) for p in report.problems] == [("record-without-evidence", f"sha256:{unrecorded.sha256}")]
    assert "IMG_0100.JPG" in report.problems[0].message


def test_database_record_with_nothing_behind_it_is_missing_and_without_evidence(
    evidence_day: EvidenceDay,
) -> None:
    ghost = "c" * 64
    expected = dict(evidence_day.expected)
    expected[ghost] = ExpectedObject("original", "IMG_0200.JPG")

    report = verify_store(evidence_day.store, evidence_day.ledger, expected)

    assert sorted((p.kind, p.object) for p in report.problems) == [
        ("missing", f"sha256:{ghost}"),
        ("record-without-evidence", f"sha256:{ghost}"),
    ]


def test_evidence_the_database_forgot_is_unexpected_unless_recorded_as_deleted(
    store: EvidenceStore, ledger: Ledger
) -> None:
    kept = record_original(store, ledger, photo_bytes(1), "kept.jpg")
    forgotten = record_original(store, ledger, photo_bytes(2), "forgotten.jpg")
    deleted = record_original(store, ledger, photo_bytes(3), "deleted.jpg")
    ledger.append(ACTOR, "record.deleted", f"sha256:{deleted.sha256}", {"reason": "duplicate upload"})
    ledger.checkpoint()
    expected = {kept.sha256: ExpectedObject("original", "kept.jpg")}

    report = verify_store(store, ledger, expected)

    assert [(p.kind, p.object) for p in report.problems] == [("import-interrupted", f"sha256:{forgotten.sha256}")]
    assert "forgotten.jpg" in report.problems[0].message and "without its database record" in report.problems[0].message


def test_changed_quarantined_file_is_reported(store: EvidenceStore, ledger: Ledger) -> None:
    kept = store.quarantine_put(b"broken upload", "x.jpg", "not a JPEG")
    make_writable(kept.path)
    kept.path.write_bytes(b"broken upload, edited")

    report = verify_store(store, ledger)

    assert [(p.kind, p.object) for p in report.problems] == [("changed", f"quarantine:{kept.sha256}")]


def test_verification_changes_nothing(evidence_day: EvidenceDay) -> None:
    root = evidence_day.store.root
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}

    verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}
    assert after == before


def test_empty_store_and_ledger_verify_ok(tmp_path: Path) -> None:
    report = verify_store(EvidenceStore(tmp_path / "new"), Ledger(tmp_path / "new"), {})

    assert report.ok
    assert (report.objects_checked, report.entries_checked) == (0, 0)


def test_a_path_without_a_store_is_refused_rather_than_verified_empty(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="no evidence store here"):
        EvidenceStore(tmp_path / "typo", create=False)
    with pytest.raises(EvidenceError, match="no ledger here"):
        Ledger(tmp_path / "typo", create=False)
    assert not (tmp_path / "typo").exists()


def test_every_prefix_root_in_one_pass_equals_the_root_computed_afresh(evidence_day: EvidenceDay) -> None:
    leaves = [leaf_hash(line) for line in ledger_lines(evidence_day.ledger)] * 5  # 35 leaves: every tree shape
    sizes = range(len(leaves) + 3)

    roots = prefix_roots(leaves, sizes)

    assert sorted(roots) == list(range(len(leaves) + 1))
    assert all(roots[size] == merkle_root(leaves[:size]) for size in roots)


def test_deleted_checkpoints_file_is_reported_as_missing(evidence_day: EvidenceDay) -> None:
    evidence_day.ledger.checkpoints_path.unlink()

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    assert report.kinds() == {"checkpoint-missing"}
    assert "the ledger has 7 entries" in report.problems[0].message
    assert not report.ok


def test_tail_cut_together_with_its_checkpoint_is_caught_by_the_copy_kept_elsewhere(
    evidence_day: EvidenceDay,
) -> None:
    ledger = evidence_day.ledger
    early = ledger.path.read_bytes()
    early_checkpoints = ledger.checkpoints_path.read_bytes()
    ledger.append(ACTOR, "review.accepted", "site:izium", {"reason": "checked against the source"})
    ledger.append(ACTOR, "record.edited", "site:izium", {"changed": ["summary_en"]})
    anchor = ledger.checkpoint()  # what the database keeps a copy of
    assert verify_store(evidence_day.store, ledger, evidence_day.expected, anchor=anchor).ok

    # The two new entries and the checkpoint that covers them are cut off: ledger and file agree again...
    ledger.path.write_bytes(early)
    ledger.checkpoints_path.write_bytes(early_checkpoints)
    assert verify_store(evidence_day.store, ledger, evidence_day.expected).ok
    # ...but not with the copy kept elsewhere.
    report = verify_store(evidence_day.store, ledger, evidence_day.expected, anchor=anchor)

    assert report.kinds() == {"ledger-truncated", "checkpoint-missing"}
    assert "the checkpoint kept in the database signed 9 entries; the ledger now has 7" in str(report.problems)


def test_deleted_checkpoints_file_disagrees_with_the_copy_kept_elsewhere(evidence_day: EvidenceDay) -> None:
    anchor = evidence_day.ledger.checkpoints()[-1]
    evidence_day.ledger.checkpoints_path.unlink()

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected, anchor=anchor)

    assert [p.object for p in report.of_kind("checkpoint-missing")] == ["checkpoints", "checkpoint:database"]


def test_a_forged_copy_kept_elsewhere_is_invalid(evidence_day: EvidenceDay) -> None:
    real = evidence_day.ledger.checkpoints()[-1]
    forged = Checkpoint(size=real.size + 5, root_hash=real.root_hash, time=real.time, signature=real.signature)

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected, anchor=forged)

    assert ("checkpoint-invalid", "checkpoint:database") in [(p.kind, p.object) for p in report.problems]


def test_entries_after_the_last_checkpoint_are_counted_as_unsigned(evidence_day: EvidenceDay) -> None:
    evidence_day.ledger.append(ACTOR, "record.edited", "site:izium", {})

    report = verify_store(evidence_day.store, evidence_day.ledger, evidence_day.expected)

    assert report.ok
    assert report.unsigned_entries == 1
