"""The editorial app's records. Roles are Django groups (see `permissions` and the migration that makes them)."""

from __future__ import annotations

from .submissions import Submission

__all__ = ["Submission"]
