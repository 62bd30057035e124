"""At 80 columns, what people copy from `lwf sites` and `lwf ledger` is printed whole (finding 24)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from photo_fixtures import SITE, evidence_dir, jpeg, run_import  # noqa: F401 (evidence_dir is a fixture)

from lestweforget import cli
from lestweforget.cli import main

pytestmark = pytest.mark.usefixtures("demo", "evidence_dir")


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli.console, "width", 80)


def test_sites_at_80_columns_prints_every_slug_and_point_whole(
    narrow: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sites"]) == 0
    out = capsys.readouterr().out
    assert SITE in out
    assert "…" not in "".join(line.split("│")[1] for line in out.splitlines() if line.count("│") > 2)


def test_ledger_at_80_columns_prints_every_entrys_details_whole(
    narrow: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import([jpeg(tmp_path / "a.jpg")])
    capsys.readouterr()
    assert main(["ledger", "--json", "--all"]) == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert main(["ledger", "--all"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for entry in entries:
        details = json.dumps(entry["details"], ensure_ascii=False, sort_keys=True)
        assert f"        {details}" in lines
        assert any(line.endswith(entry["object"]) for line in lines)
