"""The one exception family of the export library."""

from __future__ import annotations


class ExportError(ValueError):
    """A collection that cannot be written faithfully; the message names the feature or track and why."""
