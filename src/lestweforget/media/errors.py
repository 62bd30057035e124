"""The one exception family of the media library."""

from __future__ import annotations

# Why a file is not an image the atlas can use, as a word from a fixed list: unlike the message, it holds nothing
# read from the file, so it may go where the file's content must not (the append-only ledger).
REASONS = ("empty", "not-an-image", "truncated", "decompression-bomb", "unreadable", "too-large")


class MediaError(ValueError):
    """An image cannot be read or turned into a derivative; the message starts with the file name.

    ``reason`` is one of REASONS.
    """

    def __init__(self, message: str, reason: str = "unreadable") -> None:
        super().__init__(message)
        self.reason = reason if reason in REASONS else "unreadable"
