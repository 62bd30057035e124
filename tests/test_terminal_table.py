"""The CLI's tables (lwf sites, photos, review, import summaries, article drafts) never break a value people copy
across lines, at any terminal width: a table when it fits, else one record per block."""

from __future__ import annotations

import pytest
from rich.console import Console

from lestweforget.terminal_table import Column, print_table

SLUG = "a-very-long-slug-of-an-imported-site-named-after-its-settlement-and-raion"
POINT = "49.220833, 37.244722"
NAME = "Mass burial site in the pine forest by the Pishchanske cemetery"


@pytest.mark.parametrize("columns", [40, 60, 80, 132, 200])
def test_whole_values_stay_on_one_line_and_prose_wraps_between_words(
    columns: int, capsys: pytest.CaptureFixture[str]
) -> None:
    console = Console(width=columns, soft_wrap=True, color_system=None)
    print_table(
        console,
        f"Sites in {SLUG}.csv",
        [Column("slug", whole=True), Column("name"), Column("point", whole=True)],
        [(SLUG, NAME, POINT), ("short", "Short", "0.000000, 0.000000")],
    )
    lines = capsys.readouterr().out.splitlines()
    for value in (SLUG, POINT, f"{SLUG}.csv"):
        assert any(value in line for line in lines), (value, lines)
    printed = {word.strip("│ :") for line in lines for word in line.split()}
    assert set(NAME.split()) <= printed
    table = [line for line in lines if "│" in line]
    assert all(len(line) <= columns for line in table)
    assert bool(table) == (columns >= 132)
