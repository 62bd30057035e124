"""Every LWF_* variable goes through one reader: a bad value is one line naming it and what it needs, `lwf`
exits 2 with no traceback, and read-only commands on a missing data directory create nothing (findings 22, 29)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lestweforget.config import SETTINGS, SettingError, read

SRC = Path(__file__).resolve().parents[2] / "src" / "lestweforget"
BAD = {
    "whole": ["abc", "-1", "nan", "1.5", "inf", "1e3", "ten"],
    "number": ["abc", "-1", "nan", "inf", "-inf", "lots"],
    "flag": ["ture", "2", "maybe", "enabled"],
    "link": ["javascript:alert(1)", "data:text/html,x", "example.org", "http://", "https://a b.org", "ftp://x.org"],
}
GOOD = {"whole": ["7", " 12 ", "+3"], "number": ["0.5", "256"], "flag": ["1", "true", "off", ""]}


def test_every_lwf_variable_the_code_reads_is_in_the_one_reader() -> None:
    named = set()
    for path in SRC.rglob("*.py"):
        named |= set(re.findall(r"environ(?:\.get)?[(\[]\s*[\"'](LWF_[A-Z_]+)", path.read_text(encoding="utf-8")))
        if path.name != "config.py":
            assert not re.search(r"environ(?:\.get)?[(\[]\s*[\"']LWF_", path.read_text(encoding="utf-8")), path
    assert named <= set(SETTINGS)


@pytest.mark.parametrize(
    ("name", "value"),
    [(name, value) for name, setting in SETTINGS.items() for value in BAD.get(setting.kind, [])],
)
def test_every_bad_value_of_every_setting_is_one_line_naming_it(name: str, value: str) -> None:
    with pytest.raises(SettingError) as refused:
        read(name, {name: value})
    message = str(refused.value)
    assert message.startswith(f"{name}={value!r}: needs ") and "\n" not in message


@pytest.mark.parametrize(
    ("name", "value"),
    [(name, value) for name, setting in SETTINGS.items() for value in GOOD.get(setting.kind, [])],
)
def test_good_values_read(name: str, value: str) -> None:
    assert read(name, {name: value}) is not None
    minimum = SETTINGS[name].minimum
    if minimum is not None:
        assert read(name, {name: f"{minimum:g}"}) == minimum


def test_defaults_and_shapes() -> None:
    assert read("LWF_PAGE_CACHE_SECONDS", {}) == 10
    assert read("LWF_PAGE_CACHE_SECONDS", {"LWF_PAGE_CACHE_SECONDS": "0"}) == 0
    with pytest.raises(SettingError, match="a whole number of 1 or more"):
        read("LWF_LOGIN_FAILURE_LIMIT", {"LWF_LOGIN_FAILURE_LIMIT": "0"})
    assert read("LWF_HTTPS", {"LWF_HTTPS": "Yes"}) is True
    assert read("LWF_MAX_PHOTO_MB", {}) == 256.0


def _lwf(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "LWF_DATA_DIR": str(tmp_path / "data"), **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    code = "import sys; from lestweforget.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LWF_PAGE_CACHE_SECONDS", "abc"),
        ("LWF_SUPPORT_URL", "javascript:alert(1)"),
        ("LWF_LOGIN_FAILURE_LIMIT", "-1"),
        ("LWF_HSTS_SECONDS", "nan"),
        ("LWF_MAX_PHOTO_MB", "abc"),
        ("LWF_HTTPS", "ture"),
    ],
)
def test_lwf_prints_one_line_and_exits_2_for_a_bad_setting(tmp_path: Path, variable: str, value: str) -> None:
    # Every value is read before any folder is made, LWF_HSTS_SECONDS even without LWF_HTTPS.
    result = _lwf(tmp_path, "sites", **{variable: value})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert variable in result.stderr and len(result.stderr.strip().splitlines()) <= 2
    assert not (tmp_path / "data").exists()


@pytest.mark.slow
@pytest.mark.parametrize("command", [["sites"], ["verify"], ["ledger"], ["photos", "--site", "x"]])
def test_a_read_only_command_on_a_missing_data_dir_creates_nothing(tmp_path: Path, command: list[str]) -> None:
    result = _lwf(tmp_path, *command)
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "lwf migrate" in result.stderr
    assert not (tmp_path / "data").exists()


@pytest.mark.slow
def test_a_read_only_command_on_an_empty_data_dir_leaves_no_database_behind(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    result = _lwf(tmp_path, "sites")
    assert result.returncode == 2 and "run `lwf migrate` first" in result.stderr
    assert list((tmp_path / "data").iterdir()) == []
