"""The CLI's tables on a terminal of any width: what people copy (a slug, a point, an id, a key) is never broken across
lines. When those columns fit whole beside the others, a table whose prose columns wrap between words; when they do
not, one record per block, one field a line, so a value is one unbroken line the terminal may wrap but never splits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

# A column's padding (one space each side) and the rule after it: a table with edges is this much wider per column,
# plus its closing rule.
PER_COLUMN = 3


@dataclass(frozen=True)
class Column:
    """A column's header; ``whole`` for values people copy (identifiers, coordinates, keys), never broken."""

    header: str
    whole: bool = False
    justify: Literal["left", "right"] = "left"


def _longest_word(text: Text) -> int:
    return max((cell_len(word) for word in text.plain.split()), default=1)


def print_table(console: Console, title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
    """Print ``rows`` (rich markup, already escaped) under ``title``: a table when every whole column fits at its
    widest beside the prose columns at their longest word, else one record per block. The title is a line of its own,
    so a file name or slug in it is not folded to the table's width either."""
    cells = [[Text.from_markup(value) for value in row] for row in rows]
    console.print(Text.from_markup(title, style="italic"), soft_wrap=True)
    widest = [_widest_line([Text(column.header)] + [row[i] for row in cells]) for i, column in enumerate(columns)]
    narrowest = [
        widest[i] if column.whole else max(_longest_word(v) for v in [Text(column.header)] + [row[i] for row in cells])
        for i, column in enumerate(columns)
    ]
    room = console.width - PER_COLUMN * len(columns) - 1
    if sum(narrowest) <= room:
        table = Table()
        for column, width in zip(columns, _widths(widest, narrowest, room), strict=True):
            table.add_column(column.header, justify=column.justify, width=width, no_wrap=column.whole)
        for row in cells:
            table.add_row(*row)
        console.print(table)
        return
    # Too narrow: each record a block; whole values on lines of their own that nothing folds.
    for row in cells:
        console.print()
        for column, value in zip(columns, row, strict=True):
            line = Text(f"{column.header}: ", style="bold") + value
            console.print(line, soft_wrap=column.whole)


def _widest_line(texts: list[Text]) -> int:
    return max((cell_len(line) for text in texts for line in text.plain.splitlines()), default=1)


def _widths(widest: list[int], narrowest: list[int], room: int) -> list[int]:
    """Each column at its widest if all fit in ``room``, else each at its narrowest plus a share of what is left in
    proportion to how much wider it would like to be (whole columns' narrowest is their widest)."""
    if sum(widest) <= room:
        return widest
    spare = room - sum(narrowest)
    wants = [w - n for w, n in zip(widest, narrowest, strict=True)]
    total = sum(wants)
    return [n + spare * want // total for n, want in zip(narrowest, wants, strict=True)]
