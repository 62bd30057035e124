"""Bad input to `lwf import article`: a clear message, a non-zero exit, nothing half-created, and the bytes kept as
evidence whenever they were read."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from lestweforget.atlas import evidence_records
from lestweforget.atlas.models import Source
from lestweforget.cli import main
from lestweforget.intake.models import ArticleImport, ProposedClaim, ProposedEvent, ProposedSite

pytestmark = pytest.mark.usefixtures("demo")

GERMAN = (
    "Am Freitag wurde die Exhumierung in Isjum abgeschlossen. Insgesamt wurden 447 Leichen geborgen, darunter "
    "fünf Kinder. Die Ermittler arbeiten weiter an der Identifizierung der Toten."
)


def _nothing_drafted(sources_before: int) -> None:
    assert Source.objects.count() == sources_before
    assert not ProposedSite.objects.exists() and not ProposedEvent.objects.exists()
    assert not ProposedClaim.objects.exists()


def _stored_objects() -> list[str]:
    return list(evidence_records.open_store().iter_objects())


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "report.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
            "this is a PDF document",
        ),
        ("photo.html", b"\xff\xd8\xff\xe1\x00\x18Exif\x00\x00MM\x00*" + b"\x00" * 64, "this is a JPEG image"),
        ("map.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "this is a PNG image"),
        ("de.txt", GERMAN.encode(), "the article is in German"),
        (
            "broken.html",
            b"<html><head><meta charset='utf-8'></head><body><p>"
            + "Ізюм, 447 тіл. ".encode() * 10
            + b"\xff\xfe\xfd" * 20
            + b"</p></body></html>",
            "broken encoding",
        ),
        (
            "mojibake.txt",
            "В Ізюмі знайшли 447 тіл, серед них п'ятеро дітей.".encode().decode("latin-1").encode(),
            "mojibake",
        ),
        ("nav.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text found"),
    ],
)
def test_a_file_that_is_not_an_article_is_kept_and_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    sources = Source.objects.count()
    assert main(["import", "article", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and name in err and "kept as evidence" in err
    assert "Traceback" not in err
    _nothing_drafted(sources)
    row = ArticleImport.objects.get()
    sha256 = hashlib.sha256(data).hexdigest()
    assert (row.sha256, row.status, row.source) == (sha256, "refused", None)
    assert message in row.error
    assert evidence_records.open_store().path_for(sha256).read_bytes() == data
    actions = [e.action for e in evidence_records.open_ledger().entries() if e.object == f"sha256:{sha256}"]
    assert actions == ["original.stored", "article.refused"]
    # Again: the same refusal, nothing new.
    assert main(["import", "article", str(path)]) == 1
    assert "imported before; nothing changed" in capsys.readouterr().err
    assert ArticleImport.objects.count() == 1


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (
            lambda p: p.write_bytes(b""),
            [],
            "the file is empty (0 bytes): there is no article in it and nothing to keep as evidence "
            "(nothing was stored)",
        ),
        (
            lambda p: p.write_bytes(b"<html><body><p>" + b"x" * (20 * 1024 * 1024) + b"</p></body></html>"),
            [],
            "20.0 MB is more than any article page (limit 8 MB); nothing was stored",
        ),
        (lambda p: p.mkdir(), [], "not a regular file"),
        (lambda p: None, [], "cannot read (No such file or directory)"),
        (lambda p: p.write_text("Izium: 447 bodies were found."), ["--site", "nowhere"], "--site 'nowhere': no site"),
        (
            lambda p: p.write_text("Izium: 447 bodies were found."),
            ["--url", "not a url"],
            "--url 'not a url': not a web",
        ),
    ],
)
def test_refused_before_anything_is_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setup: object, args: list[str], message: str
) -> None:
    path = tmp_path / "article.html"
    setup(path)  # type: ignore[operator]
    sources = Source.objects.count()
    assert main(["import", "article", str(path), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    _nothing_drafted(sources)
    assert not ArticleImport.objects.exists()
    assert _stored_objects() == []
