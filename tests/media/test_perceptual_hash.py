"""perceptual_hash and hamming_distance: a metric on 64-bit hashes, computed from pixels already decoded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from lestweforget.media import MediaError, hamming_distance, perceptual_hash

hashes = st.integers(min_value=0, max_value=2**64 - 1).map(lambda bits: f"{bits:016x}")


@given(hashes, hashes, hashes)
def test_hamming_distance_is_a_metric(a: str, b: str, c: str) -> None:
    assert hamming_distance(a, a) == 0
    assert hamming_distance(a, b) == hamming_distance(b, a)
    assert hamming_distance(a, c) <= hamming_distance(a, b) + hamming_distance(b, c)
    assert 0 <= hamming_distance(a, b) <= 64


@given(hashes)
def test_hash_and_its_complement_differ_in_every_bit(a: str) -> None:
    complement = f"{int(a, 16) ^ (2**64 - 1):016x}"
    assert hamming_distance(a, complement) == 64
    assert hamming_distance(a.upper(), a) == 0


@pytest.mark.parametrize("bad", ["", "abc", "0x0123456789abcd", "+123456789abcdef", "g123456789abcdef", "0" * 17])
def test_malformed_hash_is_refused(bad: str) -> None:
    with pytest.raises(MediaError, match="perceptual hash must be 16 hex digits"):
        hamming_distance(bad, "0" * 16)


def test_hash_bits_follow_brightness_from_left_to_right() -> None:
    # Each bit is set where a cell is brighter than its right neighbour: darkening to the right sets all 64.
    rising = Image.linear_gradient("L").rotate(90).resize((90, 80))  # black on the left, white on the right
    falling = rising.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    assert perceptual_hash(falling) == "f" * 16
    assert perceptual_hash(rising) == "0" * 16


def test_hash_ignores_colour_mode_and_size_of_the_same_picture() -> None:
    picture = Image.effect_noise((64, 64), 80).resize((640, 480), Image.Resampling.BICUBIC).convert("RGB")
    smaller = picture.resize((320, 240), Image.Resampling.LANCZOS)
    assert hamming_distance(perceptual_hash(picture), perceptual_hash(smaller)) <= 4
    assert perceptual_hash(picture) == perceptual_hash(picture.convert("L"))
