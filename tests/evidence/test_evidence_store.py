"""The content-addressed store: write-once, read-only, named by the SHA-256 of exactly the bytes it holds."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import stat
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lestweforget.evidence import EvidenceError, EvidenceStore, ObjectChangedError

from .fixtures import make_writable, photo_bytes


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if not p.is_dir())


def test_putting_the_same_bytes_twice_stores_them_once(store: EvidenceStore) -> None:
    first = store.put_bytes(b"IMG_0001 raw bytes")
    second = store.put_bytes(b"IMG_0001 raw bytes")

    assert first.created is True
    assert second.created is False
    assert first.sha256 == second.sha256 == hashlib.sha256(b"IMG_0001 raw bytes").hexdigest()
    assert list(store.iter_objects()) == [first.sha256]
    assert files_under(store.objects_dir) == [first.path]


def test_stored_bytes_are_identical_and_rehash_to_their_name(store: EvidenceStore) -> None:
    data = photo_bytes(3, size=300_000)
    stored = store.put_bytes(data)

    with store.open(stored.sha256) as f:
        assert f.read() == data
    assert hashlib.sha256(stored.path.read_bytes()).hexdigest() == stored.path.name == stored.sha256
    assert stored.size == len(data) == stored.path.stat().st_size


def test_objects_are_laid_out_by_the_first_two_byte_pairs_of_their_hash(store: EvidenceStore) -> None:
    stored = store.put_bytes(b"layout")
    sha = stored.sha256

    assert stored.path == store.root / "objects" / sha[:2] / sha[2:4] / sha
    assert store.path_for(sha) == stored.path
    assert store.exists(sha)


def test_stored_object_is_read_only(store: EvidenceStore) -> None:
    stored = store.put_bytes(b"never to be altered")

    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o444


def test_put_file_hashes_exactly_what_it_stores(store: EvidenceStore, tmp_path: Path) -> None:
    source = tmp_path / "DSCN0010 copy.jpg"
    source.write_bytes(photo_bytes(10, size=3_000_000))
    before = source.stat()

    stored = store.put_file(source)

    assert stored.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert stored.path.read_bytes() == source.read_bytes()
    assert stored.size == before.st_size
    assert source.stat().st_mtime_ns == before.st_mtime_ns


def test_put_file_of_real_camera_photos_matches_hashlib(store: EvidenceStore, camera_photos: list[Path]) -> None:
    for photo in camera_photos:
        with open(photo, "rb") as f:
            expected = hashlib.file_digest(f, "sha256").hexdigest()
        stored = store.put_file(photo)
        assert stored.sha256 == expected, photo.name
        assert stored.path.read_bytes() == photo.read_bytes()
    assert len(list(store.iter_objects())) == len(camera_photos)


def test_put_file_reads_its_source_only_once(store: EvidenceStore, tmp_path: Path) -> None:
    # A pipe can be read once: a second read of the source would see nothing and store the wrong bytes.
    pipe = tmp_path / "camera.pipe"
    os.mkfifo(pipe)
    data = photo_bytes(7, size=1_500_000)

    def feed() -> None:
        with open(pipe, "wb") as f:
            f.write(data)

    feeder = threading.Thread(target=feed)
    feeder.start()
    stored = store.put_file(pipe)
    feeder.join()

    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.path.read_bytes() == data


def test_an_existing_object_whose_bytes_changed_is_never_overwritten(store: EvidenceStore) -> None:
    stored = store.put_bytes(b"original bytes")
    make_writable(stored.path)
    stored.path.write_bytes(b"tampered bytes")

    with pytest.raises(ObjectChangedError, match=stored.sha256):
        store.put_bytes(b"original bytes")

    assert stored.path.read_bytes() == b"tampered bytes"


def test_temp_leftovers_are_not_objects_and_recover_removes_them(store: EvidenceStore) -> None:
    stored = store.put_bytes(b"kept")
    leftovers = [store.tmp_dir / "put-abc123.part", store.tmp_dir / "put-def456.part"]
    leftovers[0].write_bytes(b"half a pho")
    leftovers[1].write_bytes(b"")

    assert list(store.iter_objects()) == [stored.sha256]
    assert sorted(store.recover()) == sorted(leftovers)
    assert list(store.tmp_dir.iterdir()) == []
    assert store.recover() == ()
    assert list(store.iter_objects()) == [stored.sha256]


def test_a_successful_put_leaves_no_temp_files(store: EvidenceStore, tmp_path: Path) -> None:
    source = tmp_path / "a.jpg"
    source.write_bytes(b"x" * 10)
    store.put_file(source)
    store.put_file(source)
    store.put_bytes(b"y")

    assert list(store.tmp_dir.iterdir()) == []


def test_quarantine_keeps_a_broken_file_with_its_name_and_error(store: EvidenceStore) -> None:
    data = b"\xff\xd8\xff\xe0 truncated JPEG"
    kept = store.quarantine_put(data, "Ізюм, ліс 003.jpg", "cannot read EXIF: unexpected end of file")

    assert kept.path == store.root / "quarantine" / kept.sha256
    assert kept.path.read_bytes() == data
    assert stat.S_IMODE(kept.path.stat().st_mode) == 0o444
    sidecar = json.loads((store.root / "quarantine" / f"{kept.sha256}.json").read_text(encoding="utf-8"))
    assert sidecar["name"] == "Ізюм, ліс 003.jpg"
    assert sidecar["error"] == "cannot read EXIF: unexpected end of file"
    assert sidecar["size"] == len(data)
    assert store.quarantine_record(kept.sha256)["name"] == "Ізюм, ліс 003.jpg"
    assert list(store.iter_quarantine()) == [kept.sha256]
    assert list(store.iter_objects()) == []

    again = store.quarantine_put(data, "other name.jpg", "another error")
    assert again.created is False
    assert store.quarantine_record(kept.sha256)["name"] == "Ізюм, ліс 003.jpg"


def test_a_name_that_is_not_a_sha256_is_refused(store: EvidenceStore) -> None:
    with pytest.raises(EvidenceError, match="not a SHA-256"):
        store.path_for("../../etc/passwd")
    with pytest.raises(EvidenceError, match="not a SHA-256"):
        store.path_for("A" * 64)


def test_opening_an_absent_object_names_it(store: EvidenceStore) -> None:
    absent = hashlib.sha256(b"never stored").hexdigest()

    assert not store.exists(absent)
    with pytest.raises(EvidenceError, match=f"sha256:{absent}"):
        store.open(absent)


def test_put_file_of_a_missing_source_names_the_file(store: EvidenceStore, tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match=r"DSCN0099\.jpg"):
        store.put_file(tmp_path / "DSCN0099.jpg")
    assert list(store.tmp_dir.iterdir()) == []


def test_stray_files_are_not_objects(store: EvidenceStore) -> None:
    stored = store.put_bytes(b"real")
    stray = stored.path.parent / "notes.txt"
    stray.write_text("not evidence")
    misplaced = store.objects_dir / "00" / "00" / stored.sha256
    misplaced.parent.mkdir(parents=True)
    misplaced.write_bytes(b"real")

    assert list(store.iter_objects()) == [stored.sha256]
    assert sorted(store.stray_paths()) == sorted([stray, misplaced])


def _put_all(root: str, blobs: list[bytes], start: multiprocessing.synchronize.Event) -> None:
    start.wait()
    store = EvidenceStore(Path(root))
    for data in blobs:
        store.put_bytes(data)


def test_two_processes_storing_the_same_files_store_each_once(evidence_root: Path) -> None:
    blobs = [photo_bytes(i, size=20_000) for i in range(40)]
    context = multiprocessing.get_context("fork")
    start = context.Event()
    workers = [context.Process(target=_put_all, args=(str(evidence_root), blobs, start)) for _ in range(2)]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(timeout=60)
    assert [w.exitcode for w in workers] == [0, 0]

    store = EvidenceStore(evidence_root)
    expected = sorted(hashlib.sha256(b).hexdigest() for b in blobs)
    assert list(store.iter_objects()) == expected
    assert len(files_under(store.objects_dir)) == len(blobs)
    assert list(store.tmp_dir.iterdir()) == []


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=5000))
def test_what_is_put_is_what_is_read_back(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    store = EvidenceStore(tmp_path_factory.getbasetemp() / "roundtrip-store")
    stored = store.put_bytes(data)

    with store.open(stored.sha256) as f:
        assert f.read() == data
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
