"""Each kind of bad input to `lwf` gets one clear line naming it, exit 2, and the database as it was."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lestweforget.atlas.models import Claim, Event, Site, Source
from lestweforget.cli import main


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Site, Source, Event, Claim))


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            """
            sources: []
            sites:
              - slug: no-location
                kind: memorial
                names: [{language: en, name: "X", primary: true}]
                summary: {en: "x", uk: "x"}
            """,
            "an entry has no 'location'",
        ),
        ("sites: {slug: not-a-list}", "'sites' must be a list of entries"),
        ("- just\n- a list", "expected a mapping"),
        ("sites: [\n", "not valid YAML"),
    ],
)
def test_a_bad_record_file_is_refused_and_nothing_changes(
    demo: object, tmp_path: Path, capsys: pytest.CaptureFixture[str], record: str, message: str
) -> None:
    before = _counts()
    path = tmp_path / "record.yaml"
    path.write_text(textwrap.dedent(record), encoding="utf-8")
    assert main(["load", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and message in err
    assert _counts() == before


def test_a_missing_record_file_says_it_cannot_be_read(db: None, tmp_path: Path, capsys) -> None:
    assert main(["load", str(tmp_path / "nowhere.yaml")]) == 2
    assert "nowhere.yaml: cannot be read (No such file or directory)" in capsys.readouterr().err


def test_a_negative_uncertainty_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["where", "49.2, 37.2", "--uncertainty", "-5"]) == 2
    assert "uncertainty -5.0" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv", [["import", "photos", ".", "--site", "x", "--workers", "0"], ["ledger", "--tail", "-1"]]
)
def test_a_count_below_its_limit_is_refused_by_the_parser(db: None, argv: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "is less than" in capsys.readouterr().err


@pytest.mark.parametrize("distance", ["nan", "0", "-1"])
def test_a_distance_limit_that_is_not_a_positive_number_is_refused(
    demo: object, tmp_path: Path, capsys: pytest.CaptureFixture[str], distance: str
) -> None:
    code = main(["import", "photos", str(tmp_path), "--site", "izium-mass-burial-site", "--max-distance-km", distance])
    assert code == 2
    assert f"--max-distance-km {float(distance)}" in capsys.readouterr().err


def test_commands_on_a_database_without_tables_say_to_migrate(tmp_path: Path) -> None:
    env = {**os.environ, "LWF_DATA_DIR": str(tmp_path / "fresh"), "DATABASE_URL": ""}
    for command in (["sites"], ["verify"], ["export", "geojson"]):
        result = subprocess.run(
            [sys.executable, "-m", "lestweforget.cli", *command], env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 2, result.stderr
        assert "does not exist; run `lwf migrate`" in result.stderr
        assert "Traceback" not in result.stderr
        # A read-only command leaves nothing behind: no folder, database, key or static files.
        assert not (tmp_path / "fresh").exists()
