"""The project's own scripts never hand data to an HTML parser: no innerHTML and friends, and what goes to Leaflet's
tooltips, popups and icons (which it sets as HTML when given a string) is always a DOM node."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "lestweforget"
SCRIPTS = sorted(path for path in SRC.rglob("*.js") if "leaflet" not in path.parts)


def test_the_scripts_are_found() -> None:
    names = {path.name for path in SCRIPTS}
    assert {"atlas.js", "guide.js", "explore.js"} <= names


def test_no_script_parses_html() -> None:
    for path in SCRIPTS:
        text = path.read_text(encoding="utf-8")
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.DOTALL)
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "DOMParser", "eval("):
            assert sink not in code, f"{path.name} uses {sink}"


@pytest.mark.parametrize(
    ("script", "node_makers"),
    [
        (SRC / "atlas" / "static" / "atlas" / "atlas.js", ("textNode(",)),
        # The atlas page: its popups and cluster icons are built by popup() and el(), which set text only.
        (SRC / "register" / "static" / "register" / "explore.js", ("popup(", "el(")),
    ],
)
def test_leaflet_gets_nodes_never_strings(script: Path, node_makers: tuple[str, ...]) -> None:
    code = script.read_text(encoding="utf-8")
    calls = re.findall(r"\.(bindTooltip|bindPopup|setContent)\(([^)]*)\)?", code)
    assert calls, f"{script.name} binds no tooltip or popup at all: the pattern needs updating"
    for method, argument in calls:
        assert argument.startswith(node_makers), f"{method}({argument}...) may pass a string"
    for html in re.findall(r"\bhtml:\s*([^,}]+)", code):
        assert html.startswith(node_makers), f"divIcon html {html!r} may be a string"
