"""What a hostile or broken card does to `lwf import photos` (issue 8, kinds 4 and 6): never a traceback, the
batch goes on, the store and the database still agree, nothing of an unknown file reaches the ledger, and
nothing a file name holds reaches the terminal raw."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from photo_fixtures import NEAR_SITE, SITE, evidence_dir, jpeg, run_import
from rich.console import Console

from lestweforget import cli
from lestweforget.atlas import evidence_records
from lestweforget.cli import main, safe_text
from lestweforget.photos import ingest
from lestweforget.photos.models import Photo, QuarantinedFile

__all__ = ["evidence_dir"]  # a fixture, used by name

pytestmark = pytest.mark.usefixtures("demo", "evidence_dir")

SECRET = "django-insecure-Zq8#k2!vT0pLmN4s9xYw"
LWF = Path(sys.executable).parent / "lwf"


def _ledger_text(evidence: Path) -> str:
    return (evidence / "ledger.jsonl").read_text(encoding="utf-8")


def _verify_ok(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code = main(["verify"])
    out = capsys.readouterr().out
    assert code == 0, out


def _escaped(name: str) -> str:
    """A name's cp1251 bytes as the import records them: ASCII kept, every other byte as "\\xNN"."""
    return "".join(chr(b) if b < 0x80 else f"\\x{b:02x}" for b in name.encode("cp1251"))


# -- kind 4: file names that are not UTF-8, folders that cannot be listed, files that vanish ----------------


def test_cp1251_file_names_as_unzip_leaves_them_import_and_verify_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = tmp_path / "card"
    photo = jpeg(card / "plain.jpg", position=NEAR_SITE)
    odd = os.path.join(os.fsencode(card), "Фото з лісу.jpg".encode("cp1251"))
    with open(odd, "wb") as handle:
        handle.write(jpeg(tmp_path / "other.jpg", position=NEAR_SITE, pattern=3, colour=(0, 90, 0)).read_bytes())
    with open(os.path.join(os.fsencode(card), "нотатки.jpg".encode("cp1251")), "wb") as handle:
        handle.write(b"notes, not a photo\n")
    assert photo.exists()

    code = main(["import", "photos", str(card), "--site", SITE, "--workers", "2"])
    captured = capsys.readouterr()
    assert code == 1, captured.err  # the notes file is a failure of its own; the rest went in
    assert "Traceback" not in captured.err + captured.out
    names = set(Photo.objects.values_list("original_name", flat=True))
    assert "plain.jpg" in names
    assert _escaped("Фото з лісу.jpg") in names
    assert "not UTF-8" in captured.err
    assert QuarantinedFile.objects.get().original_name == _escaped("нотатки.jpg")
    _verify_ok(capsys)
    assert main(["photos", "--site", SITE]) == 0
    assert "\\xd4" in capsys.readouterr().out


def test_a_folder_that_cannot_be_listed_is_one_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    card = tmp_path / "card"
    jpeg(card / "a.jpg", position=NEAR_SITE)
    locked = card / "locked"
    locked.mkdir()
    jpeg(locked / "b.jpg", position=NEAR_SITE, pattern=3)
    if os.geteuid() != 0:
        locked.chmod(0)
    else:
        # Root lists any folder: the walk is told what the kernel tells anyone else.
        real_walk = os.walk

        def walk(top: str, onerror: object = None, **kwargs: object) -> object:
            for directory, folders, files in real_walk(top, onerror=onerror, **kwargs):  # type: ignore[call-overload]
                if Path(directory) == locked:
                    onerror(PermissionError(13, "Permission denied", str(locked)))  # type: ignore[operator]
                    folders.clear()
                    continue
                yield directory, folders, files

        monkeypatch.setattr(ingest.os, "walk", walk)
    try:
        code = main(["import", "photos", str(card), "--site", SITE])
    finally:
        locked.chmod(0o755)
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert f"{locked}: cannot list the folder (Permission denied)" in err
    assert list(Photo.objects.values_list("original_name", flat=True)) == ["a.jpg"]


def test_a_file_that_vanishes_mid_import_is_one_failure_and_the_store_agrees(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    card = tmp_path / "card"
    first = jpeg(card / "a.jpg", position=NEAR_SITE)
    gone = jpeg(card / "b.jpg", position=NEAR_SITE, pattern=2, colour=(0, 0, 90))
    jpeg(card / "c.jpg", position=NEAR_SITE, pattern=4, colour=(0, 90, 0))
    real_open = ingest._open_regular

    def vanishing(path: str) -> tuple[int, int]:
        if path.endswith("a.jpg"):
            gone.unlink(missing_ok=True)  # while a.jpg is read, b.jpg is taken off the card
        return real_open(path)

    monkeypatch.setattr(ingest, "_open_regular", vanishing)
    report = run_import([card])
    assert report.count("imported") == 2 and first.exists()
    assert [f.message for f in report.problems] == [f"{gone}: cannot read (No such file or directory)"]
    _verify_ok(capsys)


def test_an_unexpected_failure_in_one_file_leaves_nothing_unrecorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    card = tmp_path / "card"
    for number in range(3):
        jpeg(card / f"{number}.jpg", position=NEAR_SITE, pattern=number, colour=(50 * number, 60, 60))
    real_make = ingest.make_derivatives

    def failing(data: bytes, name: str) -> object:
        if name == "1.jpg":
            raise RuntimeError("a bug in an image library")
        return real_make(data, name)

    monkeypatch.setattr(ingest, "make_derivatives", failing)
    report = run_import([card])
    assert report.count("imported") == 2
    (problem,) = report.problems
    assert "1.jpg" in problem.message and "RuntimeError: a bug in an image library" in problem.message
    _verify_ok(capsys)


# -- kind 6: what reaches the ledger -------------------------------------------------------------------------


@pytest.fixture
def card_with_a_link_to_a_secret(tmp_path: Path) -> Path:
    """A card whose key.jpg is a symbolic link to a secret key beside the data, as the probe made it."""
    secret = tmp_path / "var" / "secret_key"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="ascii")
    card = tmp_path / "card"
    card.mkdir()
    (card / "key.jpg").symlink_to(secret)
    (tmp_path / "named.jpg").symlink_to(secret)
    return card


def test_a_link_to_a_secret_outside_the_card_is_refused_and_nothing_of_it_is_kept(
    tmp_path: Path, evidence_dir: Path, capsys: pytest.CaptureFixture[str], card_with_a_link_to_a_secret: Path
) -> None:
    card = card_with_a_link_to_a_secret
    jpeg(card / "a.jpg", position=NEAR_SITE)

    code = main(["import", "photos", str(card), str(tmp_path / "named.jpg"), "--site", SITE])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("a symbolic link leading outside the folders given") == 2
    assert "--follow-links-outside" in err
    assert SECRET[:8] not in _ledger_text(evidence_dir)
    assert not QuarantinedFile.objects.exists()


def test_followed_on_request_a_secret_is_quarantined_with_only_hash_size_and_name_in_the_ledger(
    evidence_dir: Path, capsys: pytest.CaptureFixture[str], card_with_a_link_to_a_secret: Path
) -> None:
    card = card_with_a_link_to_a_secret
    main(["import", "photos", str(card), "--site", SITE, "--follow-links-outside"])
    capsys.readouterr()

    entry = next(
        json.loads(line) for line in _ledger_text(evidence_dir).splitlines() if '"original.quarantined"' in line
    )
    assert entry["object"] == f"sha256:{hashlib.sha256(SECRET.encode()).hexdigest()}"
    # "path" is where in the folder given it was: known to the import, never read from the file.
    assert set(entry["details"]) == {"name", "path", "size", "reason", "kept_bytes", "sidecar_sha256", "site"}
    assert entry["details"]["reason"] == "not-an-image" and entry["details"]["size"] == len(SECRET)
    for text in (_ledger_text(evidence_dir), QuarantinedFile.objects.get().error):
        assert not any(SECRET[i : i + 6] in text for i in range(len(SECRET) - 6))


def test_a_sparse_two_gigabyte_file_is_hashed_by_streaming_and_capped_in_quarantine(
    tmp_path: Path, evidence_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = tmp_path / "card"
    card.mkdir()
    sparse = card / "DCIM_0001.JPG"
    with open(sparse, "wb") as handle:
        handle.write(b"\xff\xd8\xff\xe0")
        handle.truncate(2 * 1024**3)
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = run_import([card], quarantine_keep_mb=1)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before_kb) / 1024
    assert grown_mb < 256, f"the import held {grown_mb:.0f} MB more: the file was read whole"

    (outcome,) = report.files
    assert outcome.status == "quarantined"
    assert "more than the 256 MB a photo may have" in outcome.message
    assert "its first 1000000 of 2147483648 bytes kept" in outcome.message
    digest = hashlib.sha256(b"\xff\xd8\xff\xe0" + bytes(1024**2 - 4))
    zeros = bytes(1024**2)
    for _ in range(2047):
        digest.update(zeros)
    assert outcome.sha256 == digest.hexdigest()
    kept = evidence_dir / "quarantine" / digest.hexdigest()
    assert kept.stat().st_size == 1_000_000
    sidecar = json.loads((evidence_dir / "quarantine" / f"{digest.hexdigest()}.json").read_text())
    assert sidecar["size"] == 2 * 1024**3 and sidecar["kept_bytes"] == 1_000_000
    _verify_ok(capsys)


def test_quarantine_can_keep_nothing_but_hash_size_and_name(
    tmp_path: Path, evidence_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = tmp_path / "card"
    card.mkdir()
    (card / "notes.jpg").write_text("walked north from the gate\n", encoding="utf-8")
    (outcome,) = run_import([card], quarantine_keep_mb=0).files
    assert "only its hash, size and name kept" in outcome.message
    assert (evidence_dir / "quarantine" / str(outcome.sha256)).stat().st_size == 0
    _verify_ok(capsys)


@pytest.mark.parametrize(("variable", "value"), [("QUARANTINE_KEEP_MB", "lots"), ("MAX_PHOTO_MB", "-1")])
def test_a_bad_size_setting_is_refused_naming_it(
    tmp_path: Path, settings: object, variable: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    setattr(settings, variable, value)
    jpeg(tmp_path / "a.jpg", position=NEAR_SITE)
    assert main(["import", "photos", str(tmp_path / "a.jpg"), "--site", SITE]) == 2
    assert f"LWF_{variable}" in capsys.readouterr().err


# -- kind 6: what reaches the terminal -----------------------------------------------------------------------

HOSTILE_NAMES = [
    "title\x1b]0;pwned\x07.jpg",
    "red\x1b[31m\x1b[2J.jpg",
    "[bold red]markup[blink].jpg",
    "photo\u202egpj.exe.jpg",
]


def test_names_with_terminal_sequences_are_printed_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Wide enough that no table folds a name, so each escaped name can be found whole.
    monkeypatch.setattr(cli, "console", Console(soft_wrap=True, width=400))
    card = tmp_path / "card"
    for number, name in enumerate(HOSTILE_NAMES):
        jpeg(card / name, position=NEAR_SITE, pattern=number, colour=(40 * number, 50, 50))
    (card / "bad\x1b[5m.jpg").write_text("not a photo", encoding="utf-8")
    main(["import", "photos", str(card), "--site", SITE])
    main(["photos", "--site", SITE])
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert "\x1b" not in printed and "\u202e" not in printed and "\x07" not in printed
    assert "\\x1b]0;pwned\\x07" in printed and "\\u202e" in printed
    assert "[bold red]markup[blink].jpg" in printed


def test_safe_text_leaves_ordinary_text_alone() -> None:
    assert safe_text("Піщанське кладовище, 49°13′ N") == "Піщанське кладовище, 49°13′ N"
    assert safe_text("\udccf.jpg") == "\\xcf.jpg"


# -- kind 6: workers die with the import; a stale lock is named ----------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    try:
        stat_text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat_text.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc to find the workers")
def test_killing_only_the_parent_import_takes_its_workers_and_its_lock(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    env = {**os.environ, "LWF_DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{data / 'atlas.sqlite3'}"}
    for command in (["migrate"], ["demo"]):
        subprocess.run(
            [str(LWF), *command], env=env, check=True, capture_output=True, timeout=400
        )  # a fresh database: every migration, on a busy machine
    card = tmp_path / "card"
    for number in range(24):
        jpeg(card / f"{number:02d}.jpg", size=(2400, 1600), position=NEAR_SITE, pattern=number % 7)
    process = subprocess.Popen(
        [str(LWF), "import", "photos", str(card), "--site", SITE, "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    for _ in range(600):
        workers = _children(process.pid)
        if len(workers) >= 2 or process.poll() is not None:
            break
        time.sleep(0.05)
    assert process.poll() is None and workers, "the import ended before its workers could be seen"
    os.kill(process.pid, signal.SIGKILL)  # the parent only, not its process group
    process.wait(timeout=30)
    for _ in range(200):
        if not any(_alive(pid) for pid in workers):
            break
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers), "workers outlived their import"

    again = subprocess.run(
        [str(LWF), "import", "photos", str(card), "--site", SITE, "--workers", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    verify = subprocess.run([str(LWF), "verify"], env=env, capture_output=True, text=True, timeout=300)
    assert verify.returncode == 0, verify.stdout


def test_a_lock_held_after_its_import_ended_is_named_stale(tmp_path: Path, evidence_dir: Path) -> None:
    evidence_dir.mkdir(parents=True, exist_ok=True)
    lock = evidence_dir / "import.lock"
    # A child that holds the lock as a left-over worker would, while the lock names a process that has ended.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
            str(lock),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
        lock.write_text(f"{ended.stdout.strip()} 1\n", encoding="ascii")
        with pytest.raises(ingest.IngestError, match=rf"the lock is stale.*{holder.pid} still hold it"):
            run_import([jpeg(tmp_path / "a.jpg", position=NEAR_SITE)])
    finally:
        holder.kill()
        holder.wait()
    assert run_import([tmp_path / "a.jpg"]).count("imported") == 1
    assert evidence_records.open_store().exists(Photo.objects.get().sha256)
