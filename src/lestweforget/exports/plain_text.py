"""Control characters: which ones no stored text may hold, and text and export values made free of them.

The rule (one for input and output): C0 controls except tab, line feed and carriage return; DEL and the C1
controls (U+007F-U+009F); the non-characters U+FFFE and U+FFFF; and lone surrogates, which UTF-8 cannot encode.
XML 1.0 (§2.2 Char) cannot carry the C0 ones, U+FFFE or U+FFFF at all; the rest render as nothing, or as a box,
and break spreadsheets and GPS apps. Word pastes U+000B (line tabulation) for a line break made with Shift+Enter,
and U+000C for a page break; `plain_text` keeps those, and U+0085 (next line), as the line breaks they stand for.

Also invisible format characters that have no place in this atlas's text (`INVISIBLE_FORMAT`):

- the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069). Unicode's Bidirectional
  Algorithm (UAX #9, §2) gives them the power to reorder the text that follows, so "rtl\u202egpj.exe" shows as
  "rtlexe.jpg"; Unicode Security Considerations (UTR #36, §2.1) names them as a spoofing means, and UTS #39
  (§3.1, General Security Profile) leaves them out of identifiers. The implicit marks (U+200E, U+200F, U+061C)
  cannot reorder anything beyond their neighbours and belong in right-to-left text, so they are kept (and printed
  escaped on a terminal, see `TERMINAL_UNSAFE`);
- the zero-width and invisible characters that only hide text: U+200B (zero width space), U+2060 (word joiner),
  U+2061-U+2064 (invisible mathematical operators), U+206A-U+206F (deprecated format characters), U+FEFF (byte
  order mark, zero width no-break space), U+180E (Mongolian vowel separator), U+FFF9-U+FFFB (interlinear
  annotation) and the tag characters U+E0000-U+E007F, which carry hidden ASCII. UTS #39 §3.1 restricts all of
  them; none has a use in a name, a date or an account of a site.

Kept because real text uses them: U+200C and U+200D (zero width non-joiner and joiner: Persian and other scripts'
spelling, and emoji sequences), U+2019 and the other quotation marks, U+00A0, U+2007 and U+202F (no-break spaces
Ukrainian typography puts before units and inside numbers), U+00AD (soft hyphen), variation selectors.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any, TypeVar

INVISIBLE_FORMAT = "\u180e\u200b\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
CONTROL_CHARACTER = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff{INVISIBLE_FORMAT}]")
# What a terminal must never be sent as it is: every C0 control (tab and line feed too, inside one value), and
# besides the rule's characters the implicit direction marks, which can still flip a name's neighbours.
TERMINAL_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\ufffe\uffff\ud800-\udfff{INVISIBLE_FORMAT}]")
_LINE_BREAK_CONTROLS = {"\x0b": "\n", "\x0c": "\n", "\x85": "\n"}

Value = TypeVar("Value")


@dataclasses.dataclass(frozen=True)
class ControlCharacter:
    """Where a text first holds a control character: its 0-based index, the character, and the text before it."""

    index: int
    character: str
    before: str

    @property
    def code_point(self) -> str:
        """ "U+000B"."""
        return f"U+{ord(self.character):04X}"


def find_control_character(text: str, context: int = 20) -> ControlCharacter | None:
    """The first control character in ``text`` (see the module's rule), with up to ``context`` characters of the
    text before it for a message; None for clean text."""
    found = CONTROL_CHARACTER.search(text)
    if found is None:
        return None
    start = found.start()
    before = CONTROL_CHARACTER.sub("", text[max(0, start - context) : start])
    return ControlCharacter(index=start, character=found.group(), before=before)


_INVISIBLE = re.compile(f"[{INVISIBLE_FORMAT}]")


def without_invisible_format(text: str) -> tuple[str, list[str]]:
    """``text`` without the invisible format characters of the rule (`INVISIBLE_FORMAT`: zero-width spaces, byte
    order marks, bidirectional overrides and isolates, tag characters), and the code points removed ("U+200B"), each
    once, in order. For text taken from others' files: a zero-width space pasted from a web page hides nothing worth
    refusing a whole dataset for, and the text without it says the same."""
    removed = list(dict.fromkeys(f"U+{ord(found):04X}" for found in _INVISIBLE.findall(text)))
    return (_INVISIBLE.sub("", text), removed) if removed else (text, [])


def plain_text(text: str) -> str:
    """``text`` without control characters: U+000B, U+000C and U+0085 become line feeds, the others are dropped."""
    return CONTROL_CHARACTER.sub(lambda match: _LINE_BREAK_CONTROLS.get(match.group(), ""), text)


def visible_controls(text: str, characters: re.Pattern[str] = CONTROL_CHARACTER) -> str:
    """``text`` with each control character (the module's rule, or another ``characters`` pattern) written as a
    visible escape (``\\x1b``, ``\\x85``; a lone surrogate, as Python decodes an undecodable byte of a file name,
    as that byte ``\\xNN``).

    For names that identify something, such as an original's file name: dropping the characters would record a
    different name, escaping them keeps the record telling which file it was while holding no control character."""

    def visible(match: re.Match[str]) -> str:
        code = ord(match.group())
        if 0xDC80 <= code <= 0xDCFF:
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return characters.sub(visible, text)


def plain_values(value: Value) -> Value:
    """``value`` with every string inside it made `plain_text`: strings, and the strings inside frozen dataclasses,
    tuples, lists and mappings (keys too), rebuilt as the same types; bytes, numbers and dates are left alone.

    For export values (a Collection, a FieldGuide) built from stored rows that may predate the input rule."""
    return _plain(value)  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return plain_text(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value) if field.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {_plain(key): _plain(item) for key, item in value.items()}
    return value
