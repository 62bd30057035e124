"""docs/benchmarks.md is written by several benchmarks: each replaces its own "## " section and keeps the others."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
_HEADER = (
    "# Benchmarks\n\n`make bench` writes this page. Each figure stands beside its reference, measured in the same run"
    " on the same machine.\n\n"
)


def write_section(heading: str, body: str, path: Path = DOCS) -> None:
    """Put ``body`` under "## heading" in the page, replacing that section if it is there, else adding it at the end."""
    text = path.read_text(encoding="utf-8") if path.exists() else _HEADER
    section = f"## {heading}\n\n{body.strip()}\n\n"
    pattern = re.compile(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
