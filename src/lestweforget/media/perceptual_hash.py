"""A 64-bit difference hash (dHash) for finding near-duplicate photos, and the distance between two hashes.

Written here rather than taken from ``imagehash``, which would pull numpy and scipy in for twenty lines.
"""

from __future__ import annotations

import re

from PIL import Image

from lestweforget.media.errors import MediaError

HASH_BITS = 64
# Measured on the camera corpus: HDR and non-HDR shots of one scene differ in 4 bits, re-encoded or rotated
# copies in 0-2, while the closest two different photos (same walk, same light) differ in 19.
NEAR_DUPLICATE_MAX_DISTANCE = 10
_HEX_DIGITS = HASH_BITS // 4
_HASH = re.compile(f"[0-9a-fA-F]{{{_HEX_DIGITS}}}")


def perceptual_hash(image: Image.Image) -> str:
    """The dHash of an already decoded image as 16 hex digits: each bit says whether a cell of a 9x8 grey
    thumbnail is brighter than its right neighbour, so re-encoding and resizing barely move it."""
    grey = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = grey.tobytes()
    bits = 0
    for row in range(8):
        for column in range(8):
            left, right = pixels[row * 9 + column], pixels[row * 9 + column + 1]
            bits = (bits << 1) | (left > right)
    return f"{bits:0{_HEX_DIGITS}x}"


def hamming_distance(a: str, b: str) -> int:
    """How many of the 64 bits two perceptual hashes differ in (0: same picture); refuses malformed hashes."""
    return (_bits(a) ^ _bits(b)).bit_count()


def _bits(value: str) -> int:
    if not _HASH.fullmatch(value):
        raise MediaError(f"{value!r}: a perceptual hash must be {_HEX_DIGITS} hex digits")
    return int(value, 16)
