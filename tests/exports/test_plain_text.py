"""The control-character rule: found where it is, made plain without losing the line breaks Word meant."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from hypothesis import given
from hypothesis import strategies as st

from lestweforget.exports import Collection, PlaceFeature, find_control_character, plain_text, plain_values
from lestweforget.exports.plain_text import CONTROL_CHARACTER

FORBIDDEN = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + [chr(c) for c in range(0x7F, 0xA0)]
FORBIDDEN += ["\ufffe", "\uffff", "\ud800"]


def test_every_forbidden_character_is_found_and_tab_and_line_breaks_are_not() -> None:
    for character in FORBIDDEN:
        found = find_control_character(f"ab{character}cd")
        assert found is not None and found.index == 2 and found.character == character
        assert found.code_point == f"U+{ord(character):04X}" and found.before == "ab"
    assert find_control_character("tab\tline\nreturn\r\nлінія €") is None


def test_word_line_breaks_become_line_feeds_and_other_controls_go() -> None:
    assert plain_text("first\x0bsecond\x0cthird\x85fourth") == "first\nsecond\nthird\nfourth"
    assert plain_text("bell\x07 nul\x00 del\x7f c1\x9b nonchar\uffff") == "bell nul del c1 nonchar"


@given(st.text())
def test_plain_text_holds_no_control_character_and_is_idempotent(text: str) -> None:
    made = plain_text(text)
    assert CONTROL_CHARACTER.search(made) is None
    assert plain_text(made) == made


@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff").filter(
            lambda character: CONTROL_CHARACTER.search(character) is None
        )
    )
)
def test_text_without_controls_is_left_as_it_is(text: str) -> None:
    assert plain_text(text) == text


@dataclass(frozen=True)
class _Nested:
    label: str
    data: bytes
    labels: MappingProxyType[str, str]


def test_plain_values_rebuilds_nested_values_and_leaves_bytes_alone() -> None:
    feature = PlaceFeature(
        id="a\x01", name="n\x0bm", latitude=1.0, longitude=2.0, properties={"k\x02": "v\x03", "n": 3}
    )
    made = plain_values(Collection(title="t\x1f", features=(feature,)))
    assert made.title == "t" and made.features[0].name == "n\nm" and made.features[0].id == "a"
    assert made.features[0].properties == {"k": "v", "n": 3}
    nested = plain_values(_Nested(label="x\x00", data=b"\x00\x0b", labels=MappingProxyType({"a": "b\x0b"})))
    assert nested.label == "x" and nested.data == b"\x00\x0b" and dict(nested.labels) == {"a": "b\n"}
