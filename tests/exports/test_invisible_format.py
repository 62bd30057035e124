"""Invisible format characters (UAX #9 bidi controls, UTS #39's restricted zero-width characters) are under the
control-character rule; the characters real text needs are not (black-box finding 14)."""

from __future__ import annotations

import pytest

from lestweforget.cli import safe_text
from lestweforget.evidence import portable_name
from lestweforget.exports import find_control_character, plain_text, visible_controls

REFUSED = [
    *(chr(code) for code in range(0x202A, 0x202F)),  # LRE, RLE, PDF, LRO, RLO
    *(chr(code) for code in range(0x2066, 0x206A)),  # LRI, RLI, FSI, PDI
    "\u200b",  # zero width space
    "\u2060",  # word joiner
    "\u2061",  # function application
    "\u2064",  # invisible plus
    "\u206a",  # inhibit symmetric swapping (deprecated)
    "\u206f",  # nominal digit shapes (deprecated)
    "\ufeff",  # byte order mark / zero width no-break space
    "\u180e",  # Mongolian vowel separator
    "\ufff9",  # interlinear annotation anchor
    "\U000e0001",  # language tag
    "\U000e0041",  # tag latin capital letter A: hidden ASCII
]
KEPT = [
    "\u2019",  # right single quotation mark, the Ukrainian apostrophe as typed
    "\u02bc",  # modifier letter apostrophe
    "\u00a0",  # no-break space
    "\u202f",  # narrow no-break space
    "\u2007",  # figure space
    "\u200c",  # zero width non-joiner
    "\u200d",  # zero width joiner (emoji sequences)
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
    "\u00ad",  # soft hyphen
    "\ufe0f",  # variation selector 16
    "«»—–…€",
]


@pytest.mark.parametrize("character", REFUSED)
def test_an_invisible_format_character_is_found_and_dropped(character: str) -> None:
    found = find_control_character(f"Izium{character} site")
    assert found is not None and found.index == 5 and found.character == character
    assert plain_text(f"Izium{character} site") == "Izium site"


@pytest.mark.parametrize("character", KEPT)
def test_characters_real_text_uses_are_kept(character: str) -> None:
    text = f"Ізюм{character}кладовище"
    assert find_control_character(text) is None
    assert plain_text(text) == text


def test_the_bidi_file_name_spoof_is_escaped_visibly_everywhere() -> None:
    name = "rtl\u202egpj.exe.jpg"
    assert visible_controls(name) == "rtl\\u202egpj.exe.jpg"
    assert safe_text(name) == "rtl\\u202egpj.exe.jpg"
    assert portable_name(name, "0" * 64) == "rtl_gpj.exe.jpg"
    assert portable_name("zero\u200bwidth\ufeff.jpg", "0" * 64) == "zero_width_.jpg"
    assert portable_name("isolate\u2067.jpg", "0" * 64) == "isolate_.jpg"


def test_a_terminal_gets_the_direction_marks_escaped_too() -> None:
    # Kept in stored right-to-left text, but a name printed on a terminal shows them as escapes.
    assert safe_text("a\u200fb\u061cc") == "a\\u200fb\\u061cc"
