"""`lwf where`: every form that can be computed, the one that cannot marked with its reason, the input's own
uncertainty kept, and one clear line for input it cannot read."""

from __future__ import annotations

import pytest

from lestweforget import cli
from lestweforget.cli import WHERE_LABELS, main


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    # Wide enough that no value is folded across lines in the captured table.
    monkeypatch.setattr(cli.console, "width", 300)


def _rows(out: str) -> dict[str, str]:
    rows = {}
    for line in out.splitlines():
        label, _, value = line.partition(": ")
        if label in WHERE_LABELS.values():
            rows[label] = value.strip()
    return rows


def test_new_york_prints_every_form_and_marks_sk42_with_the_reason(wide: None, capsys) -> None:
    assert main(["where", "40.7128, -74.0060"]) == 0
    rows = _rows(capsys.readouterr().out)
    assert set(rows) == set(WHERE_LABELS.values())
    assert rows["decimal"] == "40.712800, -74.006000"
    assert rows["DMS"] == "40°42′46.1″N 74°00′21.6″W"
    assert rows["MGRS"] == "18T WL 83959 07350"
    assert rows["UTM"] == "18T 583959 4507351"
    assert rows["Plus Code"] == "87G7PX7V+4JC"
    assert rows["geo URI"] == "geo:40.7128,-74.006"
    assert rows["SK-42"].startswith("not available: ")
    assert "longitude -74.006 is outside SK-42 Gauss-Krüger zones 2..32" in rows["SK-42"]
    assert rows["Google directions"] == "https://www.google.com/maps/dir/?api=1&destination=40.712800,-74.006000"


def test_a_geo_uri_keeps_its_uncertainty(wide: None, capsys) -> None:
    assert main(["where", "geo:49.2209,37.2445;u=300"]) == 0
    out = capsys.readouterr().out
    assert _rows(out)["geo URI"] == "geo:49.2209,37.2445;u=300"
    assert "Uncertainty: ± 300 m (from the input)." in out
    assert _rows(out)["SK-42"] == "X 5 455 779, Y 7 372 232"


def test_the_uncertainty_option_overrides_and_is_never_invented(wide: None, capsys) -> None:
    assert main(["where", "geo:49.2209,37.2445;u=300", "--uncertainty", "25"]) == 0
    assert _rows(capsys.readouterr().out)["geo URI"] == "geo:49.2209,37.2445;u=25"
    assert main(["where", "49.2209", "37.2445"]) == 0
    out = capsys.readouterr().out
    assert _rows(out)["geo URI"] == "geo:49.2209,37.2445"
    assert "Uncertainty: not given" in out


def test_a_share_sheet_sentence_is_read_and_what_was_set_aside_is_said(wide: None, capsys) -> None:
    text = (
        "Follow this link https://comaps.at/ABCDEFGHIJ/Site or paste these coordinates geo:49.2209,37.2445 "
        "into your maps app to see this location."
    )
    assert main(["where", text]) == 0
    out = capsys.readouterr().out
    assert "Read as geo: URI in a sentence." in out
    assert "Note: set aside https://comaps.at/ABCDEFGHIJ/Site: its code points to -86.835140, -134.084869" in out
    assert _rows(out)["decimal"] == "49.220900, 37.244500"


def test_what_lwf_where_prints_for_sk42_reads_back(wide: None, capsys) -> None:
    assert main(["where", "49.220922, 37.244553"]) == 0
    sk42 = _rows(capsys.readouterr().out)["SK-42"]
    assert sk42 == "X 5 455 781, Y 7 372 236"
    assert main(["where", sk42]) == 0
    # Whole metres: back within a metre of the point typed.
    assert _rows(capsys.readouterr().out)["decimal"] == "49.220919, 37.244550"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["where", "the forest by the cemetery"], "'the forest by the cemetery': unexpected word 'the'"),
        (["where", "geo:49.2,37.2 and geo:50,36"], "holds 2 different points, cannot tell which: 49.200000, 37.200000"),
        (["where", "https://maps.app.goo.gl/AbCdEf123"], "short link hides its coordinates behind a redirect"),
        (["where", "X", "55781", "Y", "72238"], "SK-42 X 55781 is an abbreviated coordinate"),
    ],
)
def test_unreadable_input_gets_one_line_and_exit_2(argv: list[str], message: str, capsys) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    assert captured.out == ""


def test_at_80_columns_every_link_is_on_one_line_whole(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(cli.console, "width", 80)
    assert main(["where", "49.220922, 37.244553"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "Google directions:        https://www.google.com/maps/dir/?api=1&destination=49.220922,37.244553" in lines
    assert any(
        line.endswith("https://www.openstreetmap.org/?mlat=49.220922&mlon=37.244553#map=16/49.220922/37.244553")
        for line in lines
    )
    assert not any("│" in line for line in lines)
