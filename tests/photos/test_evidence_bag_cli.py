"""`lwf export evidence --as USERNAME --site SLUG OUT`: a BagIt bag that bagit-python accepts and that proves its
ledger, made only for an investigator or admin and ledgered under their account."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import unicodedata
import zipfile
from pathlib import Path

import bagit
import pytest
from django.test import Client
from photo_fixtures import NEAR_SITE, SITE, evidence_dir, jpeg, run_import

from accounts import account, sign_in
from lestweforget.atlas import evidence_records
from lestweforget.cli import main
from lestweforget.evidence import InclusionProof, Ledger, verify_inclusion
from lestweforget.evidence.ledger import parse_entry
from lestweforget.photos.models import Photo

__all__ = ["evidence_dir"]  # a fixture, used by name

pytestmark = pytest.mark.usefixtures("demo", "evidence_dir")

CYRILLIC = "Піщанське кладовище.jpg"
INVESTIGATOR = "ines"


@pytest.fixture(autouse=True)
def investigator(db: None) -> object:
    return account("investigator", INVESTIGATOR)


@pytest.fixture
def bag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    card = tmp_path / "card"
    # The name as macOS writes it (NFD: "й" as "и" + combining breve) must come out in NFC.
    jpeg(card / unicodedata.normalize("NFD", CYRILLIC), position=NEAR_SITE, pattern=1)
    jpeg(card / "a" / "IMG_0001.JPG", position=NEAR_SITE, pattern=2)
    jpeg(card / "b" / "IMG_0001.JPG", position=NEAR_SITE, pattern=3, colour=(0, 0, 90))
    (card / "notes.jpg").write_text("a text file\n", encoding="utf-8")
    run_import([card])
    out = tmp_path / "bag"
    assert main(["export", "evidence", "--as", INVESTIGATOR, "--site", SITE, str(out)]) == 0
    assert "Wrote the evidence bag" in capsys.readouterr().out
    return out


def test_bag_validates_with_bagit_python_and_holds_exact_copies(bag: Path) -> None:
    exported = bagit.Bag(str(bag))
    exported.validate()
    assert set(exported.algorithms) == {"sha256", "sha512"}
    assert (bag / "bagit.txt").read_text().startswith("BagIt-Version: 1.0")
    store = evidence_records.open_store()
    names = sorted(p.name for p in (bag / "data" / "originals").iterdir())
    assert CYRILLIC in names and unicodedata.is_normalized("NFC", CYRILLIC)
    assert len(names) == 3 and all(n.startswith(("IMG_0001-", CYRILLIC)) for n in names)
    for photo in Photo.objects.all():
        copy = next(
            p for p in (bag / "data" / "originals").iterdir() if p.stem.startswith(Path(photo.original_name).stem)
        )
        if photo.original_name == "IMG_0001.JPG":
            copy = bag / "data" / "originals" / f"IMG_0001-{photo.sha256[:12]}.JPG"
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == photo.sha256
        assert store.path_for(photo.sha256).read_bytes() == copy.read_bytes()


def test_bag_info_names_the_site_and_the_checkpoint_it_was_made_under(bag: Path) -> None:
    info = bagit.Bag(str(bag)).info
    assert info["Lwf-Site"] == SITE and info["External-Identifier"] == f"site:{SITE}"
    assert info["Lwf-Exported-At"].endswith("Z")
    checkpoint = json.loads((bag / "data" / "ledger" / "checkpoint.json").read_text())
    assert info["Ledger-Checkpoint-Root"] == checkpoint["root_hash"]
    assert int(info["Ledger-Checkpoint-Size"]) == checkpoint["size"]
    ledger: Ledger = evidence_records.open_ledger()
    assert any(c.root_hash == checkpoint["root_hash"] for c in ledger.checkpoints())


def test_bag_ledger_entries_are_proven_to_be_in_the_signed_tree(bag: Path) -> None:
    checkpoint = json.loads((bag / "data" / "ledger" / "checkpoint.json").read_text())
    lines = (bag / "data" / "ledger" / "entries.jsonl").read_bytes().splitlines()
    proofs = json.loads((bag / "data" / "ledger" / "inclusion-proofs.json").read_text())
    assert len(lines) == len(proofs) == 3 * 4 + 1  # three photos (stored, read, two derivatives), one quarantine
    for line, proof in zip(lines, proofs, strict=True):
        entry = parse_entry(line)
        assert verify_inclusion(
            entry,
            InclusionProof(proof["seq"], proof["size"], proof["leaf_hash"], tuple(proof["path"])),
            checkpoint["root_hash"],
        )
    exported = [e.fields() for e in evidence_records.open_ledger().entries() if e.action == "bag.exported"]
    assert len(exported) == 1 and exported[0]["object"] == f"site:{SITE}"
    assert exported[0]["details"]["checkpoint_root"] == checkpoint["root_hash"]


def test_bag_metadata_is_for_investigators_and_keeps_the_device(bag: Path) -> None:
    photos = json.loads((bag / "data" / "metadata" / "photos.json").read_text(encoding="utf-8"))
    assert {p["device"]["model"] for p in photos} == {"Field-7"}
    for record in photos:
        assert (bag / record["bag_file"]).is_file()
    quarantined = json.loads((bag / "data" / "metadata" / "quarantined.json").read_text(encoding="utf-8"))
    assert [q["original_name"] for q in quarantined] == ["notes.jpg"]


def test_one_changed_byte_makes_the_bag_fail_validation(bag: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(bag, copy)
    target = copy / "data" / "originals" / CYRILLIC
    data = bytearray(target.read_bytes())
    data[100] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(copy)).validate()
    bagit.Bag(str(bag)).validate()  # the original export is untouched


def test_exporting_into_a_folder_that_is_not_empty_is_refused(bag: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "evidence", "--as", INVESTIGATOR, "--site", SITE, str(bag)]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert main(["export", "evidence", "--as", INVESTIGATOR, "--site", "nowhere", str(bag.parent / "other")]) == 2
    assert "no site has that slug" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "evidence", "--as", INVESTIGATOR, str(bag.parent / "other")])
    assert exit_info.value.code == 2 and "--site" in capsys.readouterr().err


def test_other_formats_still_take_o_and_refuse_a_bare_folder_argument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "geojson", "--site", SITE, "-o", str(tmp_path / "site.geojson")]) == 0
    assert json.loads((tmp_path / "site.geojson").read_text())["type"] == "FeatureCollection"
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "geojson", str(tmp_path / "folder")])
    assert exit_info.value.code == 2 and "unrecognized arguments" in capsys.readouterr().err


@pytest.mark.parametrize(
    "name",
    ["IMG_0001.JPG ", " leading.jpg", "line\nbreak.jpg", "100%.jpg", "CON.jpg", "dots.jpg...", "a:b?.jpg"],
)
def test_one_original_with_a_name_a_bag_cannot_carry_still_gives_a_valid_bag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    # Issue 8, B01: an original whose name ends in a space made the whole site's bag fail, the cause hidden.
    card = tmp_path / "card"
    jpeg(card / name, position=NEAR_SITE, pattern=1)
    jpeg(card / "plain.jpg", position=NEAR_SITE, pattern=2, colour=(0, 0, 90))
    assert run_import([card]).count("imported") == 2
    out = tmp_path / "bag"
    assert main(["export", "evidence", "--as", INVESTIGATOR, "--site", SITE, str(out)]) == 0, capsys.readouterr().err
    bagit.Bag(str(out)).validate()
    records = json.loads((out / "data" / "metadata" / "photos.json").read_text(encoding="utf-8"))
    odd = next(r for r in records if r["original_name"] == name)
    copy = out / odd["bag_file"]
    assert copy.is_file() and hashlib.sha256(copy.read_bytes()).hexdigest() == odd["sha256"]
    assert len(list((out / "data" / "originals").iterdir())) == 2


def test_the_export_is_ledgered_under_the_investigator_and_the_operator(bag: Path, investigator: object) -> None:
    entry = next(e for e in reversed(evidence_records.open_ledger().entries()) if e.action == "bag.exported")
    assert entry.actor == f"user:{investigator.pk}"  # type: ignore[attr-defined]
    assert entry.details["made_by"] == evidence_records.operator_actor() and entry.details["site"] == SITE


@pytest.mark.parametrize(
    ("role", "reason"),
    [
        ("editor", "evidence exports are for investigators and admins; this account has editor"),
        ("contributor", "this account has contributor"),
        (None, "this account has no role"),
    ],
)
def test_an_export_for_anyone_but_an_investigator_or_admin_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], role: str | None, reason: str
) -> None:
    run_import([jpeg(tmp_path / "card" / "one.jpg", position=NEAR_SITE, pattern=1)])
    account(role, "someone")
    before = len(evidence_records.open_ledger().entries())
    assert main(["export", "evidence", "--as", "someone", "--site", SITE, str(tmp_path / "bag")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("lwf export: --as someone: ") and reason in error
    assert not (tmp_path / "bag").exists() and len(evidence_records.open_ledger().entries()) == before
    assert main(["export", "evidence", "--as", "nobody", "--site", SITE, str(tmp_path / "bag")]) == 2
    assert "--as 'nobody': there is no account with that username" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "evidence", "--site", SITE, str(tmp_path / "bag")])
    assert exit_info.value.code == 2 and "--as" in capsys.readouterr().err


def test_the_bag_downloads_on_the_web_for_an_investigator_only(tmp_path: Path, investigator: object) -> None:
    run_import([jpeg(tmp_path / "card" / "one.jpg", position=NEAR_SITE, pattern=1)])
    url = f"/evidence/sites/{SITE}/bag.zip"
    assert Client().get(url).status_code == 404
    assert sign_in(Client(), account("editor")).get(url).status_code == 404
    response = sign_in(Client(), investigator).get(url)  # type: ignore[arg-type]
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    (tmp_path / "unzipped").mkdir()
    zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).extractall(tmp_path / "unzipped")
    bagit.Bag(str(tmp_path / "unzipped" / f"lestweforget-{SITE}-evidence")).validate()
    exported = [e for e in evidence_records.open_ledger().entries() if e.action == "bag.exported"]
    assert len(exported) == 1 and exported[0].actor == f"user:{investigator.pk}"  # type: ignore[attr-defined]
    assert "made_by" not in exported[0].details


def _export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    out = tmp_path / "bag"
    assert main(["export", "evidence", "--as", INVESTIGATOR, "--site", SITE, str(out)]) == 0, capsys.readouterr().err
    bagit.Bag(str(out)).validate()
    records: list[dict[str, object]] = json.loads((out / "data" / "metadata" / "photos.json").read_text("utf-8"))
    return records


@pytest.mark.parametrize("name", ["esc\x1b[31mRED.jpg", "back\\slash.jpg", "rtl\u202egpj.exe.jpg", "tab\there.jpg"])
def test_photos_json_keeps_the_exact_original_name_not_its_escaped_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    # Issue 8 (finding 15): the escape was recorded as the text "\x1b", indistinguishable from real backslashes.
    card = tmp_path / "card"
    jpeg(card / name, position=NEAR_SITE, pattern=1)
    run_import([card])
    (record,) = _export(tmp_path, capsys)
    assert record["original_name"] == name
    assert record["received_as"] == [
        {
            "name": name,
            "path": name,
            "ledger_seq": record["received_as"][0]["ledger_seq"],  # type: ignore[index]
            "time": record["received_as"][0]["time"],
        }  # type: ignore[index]
    ]


def test_a_name_that_is_not_utf8_keeps_its_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = tmp_path / "card"
    card.mkdir()
    raw = "Фото".encode("cp1251") + b".jpg"
    jpeg(Path(os.fsdecode(bytes(card) + b"/" + raw)), position=NEAR_SITE, pattern=1)
    run_import([card])
    (record,) = _export(tmp_path, capsys)
    assert record["original_name_bytes_hex"] == raw.hex()
    assert bytes.fromhex(str(record["original_name_bytes_hex"])).decode("cp1251") == "Фото.jpg"


def test_every_name_and_path_an_original_arrived_under_is_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 8 (finding 16): byte-identical files under other names left no trace but the first name.
    card = tmp_path / "card"
    first = jpeg(card / "DCIM" / "100CANON" / "IMG_0001.JPG", position=NEAR_SITE, pattern=1)
    (card / "backup").mkdir()
    shutil.copyfile(first, card / "backup" / "copy of IMG_0001.JPG")
    shutil.copyfile(first, card / "IMG_0001.JPG")
    report = run_import([card])
    assert report.count("imported") == 1 and report.count("duplicate") == 2
    ledger = evidence_records.open_ledger()
    size = ledger.size()
    run_import([card])  # again: nothing new arrived, nothing is appended
    assert ledger.size() == size
    (record,) = _export(tmp_path, capsys)
    received = record["received_as"]
    assert isinstance(received, list)
    assert sorted(r["path"] for r in received) == [
        "DCIM/100CANON/IMG_0001.JPG",
        "IMG_0001.JPG",
        "backup/copy of IMG_0001.JPG",
    ]
    actions = [e.action for e in ledger.entries() if e.object == f"sha256:{record['sha256']}"]
    assert actions.count("original.received") == 2 and actions.count("original.stored") == 1
