"""The one exception family of the geo library."""

from __future__ import annotations


class GeoError(ValueError):
    """A coordinate, grid reference, code or link that cannot be read or is out of range.

    The message names the input and says what is wrong with it.
    """


class NotAMapLink(GeoError):
    """A link to something other than a map app this atlas reads: in a sentence it is passed over."""


class UnreadablePoint(GeoError):
    """Text that holds figures meant as a point (a link's `q=49 13 …`) but does not read as one.

    Beside another point in a sentence it is a second point nobody can check, so the sentence is refused."""
