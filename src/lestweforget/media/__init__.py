"""Media: read what a photo's metadata says about its capture, and make clean derivatives to publish.

Pure library: bytes in (already read and hashed by the caller), plain values out, no Django.
"""

from __future__ import annotations

from lestweforget.media.capture import FLAG_MEANINGS, CameraPosition, CaptureMetadata, read_capture
from lestweforget.media.derivatives import (
    DEFAULT_QUALITY,
    DEFAULT_SIZES,
    Derivative,
    Derivatives,
    make_derivatives,
)
from lestweforget.media.errors import MediaError
from lestweforget.media.formats import MAX_IMAGE_PIXELS, SUPPORTED_FORMATS, sniff_format
from lestweforget.media.perceptual_hash import NEAR_DUPLICATE_MAX_DISTANCE, hamming_distance, perceptual_hash

__all__ = [
    "DEFAULT_QUALITY",
    "DEFAULT_SIZES",
    "FLAG_MEANINGS",
    "MAX_IMAGE_PIXELS",
    "NEAR_DUPLICATE_MAX_DISTANCE",
    "SUPPORTED_FORMATS",
    "CameraPosition",
    "CaptureMetadata",
    "Derivative",
    "Derivatives",
    "MediaError",
    "hamming_distance",
    "make_derivatives",
    "perceptual_hash",
    "read_capture",
    "sniff_format",
]
