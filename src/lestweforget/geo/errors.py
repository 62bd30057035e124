"""The one exception family of the geo library."""

from __future__ import annotations


class GeoError(ValueError):
    """A coordinate, grid reference, code or link that cannot be read or is out of range.

    The message names the input and says what is wrong with it.
    """
