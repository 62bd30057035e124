"""Read an admin change form the way a browser submits it, so tests post back exactly what an editor would.

Imported by tests (`from admin_form import form_values`); tests/ is on sys.path (rootdir conftest).
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
            return
        if not self.inside or not (name := attributes.get("name")):
            if tag == "option" and self._select is not None and "selected" in attributes:
                self._add(self._select, attributes.get("value", ""))
            return
        if tag == "input":
            kind = attributes.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self._add(name, attributes.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one line break that follows <textarea>.
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None


def form_values(html: str, form_id: str) -> dict[str, list[str]]:
    """The name -> values a browser would submit from the form with this id (checked boxes, selected options)."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.values
