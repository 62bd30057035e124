"""What goes wrong reading a dataset: the whole file (`DatasetError`) or one row's column (`RowProblem`)."""

from __future__ import annotations

from dataclasses import dataclass


class DatasetError(Exception):
    """A file, format or mapping that cannot be read at all; the message names the file or key and what is wrong."""


@dataclass(frozen=True)
class RowProblem:
    """One row's value that cannot be imported: ``row`` is the 1-based data row (a CSV's header is row 0, a JSON
    list's first item row 1), ``column`` the column or property as the file names it, ``message`` what is wrong."""

    row: int
    column: str
    message: str
    external_id: str = ""

    def __str__(self) -> str:
        which = f"row {self.row}" + (f" ({self.external_id})" if self.external_id else "")
        return f"{which}, column {self.column!r}: {self.message}"
