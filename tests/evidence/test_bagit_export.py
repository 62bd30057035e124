"""BagIt export: a bag of copies that bagit-python validates, names in NFC, the store untouched."""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from pathlib import Path

import bagit
import pytest

from lestweforget.evidence import (
    BagItem,
    EvidenceError,
    EvidenceStore,
    Ledger,
    ObjectChangedError,
    checkpoint_bag_info,
    export_bag,
)

from .fixtures import SITE, make_writable, photo_bytes, record_original

NFD_NAME = unicodedata.normalize("NFD", "Братська могила й ліс ї.jpg")
SPACED_NAME = "IMG 0002 pine forest.JPG"


def snapshot(root: Path) -> dict[Path, tuple[str, int, int]]:
    """Every file under ``root`` with its hash, mtime and mode."""
    return {
        p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns, p.stat().st_mode)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def bag_items(store: EvidenceStore, ledger: Ledger) -> list[BagItem]:
    names = [NFD_NAME, SPACED_NAME, "DSCN0010.jpg"]
    return [BagItem(record_original(store, ledger, photo_bytes(i), name).sha256, name) for i, name in enumerate(names)]


def export(store: EvidenceStore, ledger: Ledger, items: list[BagItem], out_dir: Path) -> Path:
    checkpoint = ledger.checkpoint()
    bag_info = {
        "Source-Organization": "Lest We Forget",
        "External-Identifier": SITE,
        "Bagging-Date": "2024-05-01",
        **checkpoint_bag_info(checkpoint),
    }
    extra_files = {
        "ledger.jsonl": ledger.path.read_bytes(),
        "metadata/photos.json": json.dumps([{"name": i.name, "sha256": i.sha256} for i in items]).encode(),
    }
    return export_bag(store, items, out_dir, bag_info, extra_files)


def test_bag_validates_with_bagit_python(
    store: EvidenceStore, ledger: Ledger, bag_items: list[BagItem], tmp_path: Path
) -> None:
    path = export(store, ledger, bag_items, tmp_path / "bag")
    bag = bagit.Bag(str(path))

    bag.validate()
    assert bag.version_info == (1, 0)
    assert set(bag.algorithms) == {"sha256", "sha512"}
    assert bag.info["External-Identifier"] == SITE
    assert bag.info["Source-Organization"] == "Lest We Forget"
    assert bag.info["Ledger-Checkpoint-Size"] == "3"
    assert bag.info["Ledger-Checkpoint-Root"] == ledger.checkpoints()[-1].root_hash
    assert sorted(bag.payload_files()) == sorted(
        [f"data/originals/{unicodedata.normalize('NFC', i.name)}" for i in bag_items]
        + ["data/ledger.jsonl", "data/metadata/photos.json"]
    )
    for item in bag_items:
        entry = bag.entries[f"data/originals/{unicodedata.normalize('NFC', item.name)}"]
        assert entry["sha256"] == item.sha256
    assert (path / "data" / "ledger.jsonl").read_bytes() == ledger.path.read_bytes()


def test_changing_one_payload_byte_fails_validation(
    store: EvidenceStore, ledger: Ledger, bag_items: list[BagItem], tmp_path: Path
) -> None:
    path = export(store, ledger, bag_items, tmp_path / "bag")
    victim = path / "data" / "originals" / SPACED_NAME
    data = bytearray(victim.read_bytes())
    data[10] ^= 0x20
    victim.write_bytes(bytes(data))

    with pytest.raises(bagit.BagValidationError, match=re.escape(SPACED_NAME)):
        bagit.Bag(str(path)).validate()


def test_cyrillic_nfd_name_is_written_in_nfc(
    store: EvidenceStore, ledger: Ledger, bag_items: list[BagItem], tmp_path: Path
) -> None:
    assert unicodedata.normalize("NFC", NFD_NAME) != NFD_NAME

    path = export(store, ledger, bag_items, tmp_path / "bag")

    names = os.listdir(path / "data" / "originals")
    nfc = unicodedata.normalize("NFC", NFD_NAME)
    assert nfc in names
    assert NFD_NAME not in names
    assert "й" in nfc and "ї" in nfc
    assert (path / "data" / "originals" / nfc).read_bytes() == store.path_for(bag_items[0].sha256).read_bytes()
    manifest = (path / "manifest-sha256.txt").read_text(encoding="utf-8")
    assert f"{bag_items[0].sha256}  data/originals/{nfc}\n" in manifest


def test_export_leaves_the_store_untouched(
    store: EvidenceStore, ledger: Ledger, bag_items: list[BagItem], tmp_path: Path
) -> None:
    ledger.checkpoint()
    before = snapshot(store.root)

    export_bag(store, bag_items, tmp_path / "bag", {"External-Identifier": SITE}, {})

    assert snapshot(store.root) == before


def test_non_empty_out_dir_is_refused(store: EvidenceStore, bag_items: list[BagItem], tmp_path: Path) -> None:
    out_dir = tmp_path / "bag"
    out_dir.mkdir()
    (out_dir / "notes.txt").write_text("someone's notes")

    with pytest.raises(EvidenceError, match="bag: is not empty"):
        export_bag(store, bag_items, out_dir, {}, {})

    assert os.listdir(out_dir) == ["notes.txt"]
    assert (out_dir / "notes.txt").read_text() == "someone's notes"


def test_an_empty_existing_out_dir_is_used(store: EvidenceStore, bag_items: list[BagItem], tmp_path: Path) -> None:
    out_dir = tmp_path / "bag"
    out_dir.mkdir()

    path = export_bag(store, bag_items, out_dir, {}, {})

    assert path == out_dir
    bagit.Bag(str(path)).validate()


def test_a_changed_original_is_not_exported_and_nothing_is_left_behind(
    store: EvidenceStore, bag_items: list[BagItem], tmp_path: Path
) -> None:
    victim = store.path_for(bag_items[1].sha256)
    make_writable(victim)
    victim.write_bytes(b"altered")

    with pytest.raises(ObjectChangedError, match=bag_items[1].sha256):
        export_bag(store, bag_items, tmp_path / "bag", {}, {})

    assert os.listdir(tmp_path) == ["evidence"]


def test_names_that_collide_once_normalised_are_refused(store: EvidenceStore, tmp_path: Path) -> None:
    first = store.put_bytes(b"one")
    second = store.put_bytes(b"two")
    items = [
        BagItem(first.sha256, unicodedata.normalize("NFC", "й.jpg")),
        BagItem(second.sha256, unicodedata.normalize("NFD", "Й.JPG")),
    ]

    with pytest.raises(EvidenceError, match="would share one name"):
        export_bag(store, items, tmp_path / "bag", {}, {})


@pytest.mark.parametrize("name", ["../escape.jpg", "a/b.jpg", "", "100%.jpg", "line\nbreak.jpg"])
def test_unsafe_names_are_refused(store: EvidenceStore, tmp_path: Path, name: str) -> None:
    stored = store.put_bytes(b"photo")

    with pytest.raises(EvidenceError, match="file name"):
        export_bag(store, [BagItem(stored.sha256, name)], tmp_path / "bag", {}, {})


def test_real_camera_photos_survive_the_bag(store: EvidenceStore, camera_photos: list[Path], tmp_path: Path) -> None:
    items = [BagItem(store.put_file(p).sha256, p.name) for p in camera_photos]

    path = export_bag(store, items, tmp_path / "bag", {"External-Identifier": SITE}, {})

    bagit.Bag(str(path)).validate()
    for photo in camera_photos:
        assert (path / "data" / "originals" / photo.name).read_bytes() == photo.read_bytes()
