"""The one exception family of the media library."""

from __future__ import annotations


class MediaError(ValueError):
    """An image cannot be read or turned into a derivative; the message starts with the file name."""
