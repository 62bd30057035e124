"""The one exception family of the evidence library."""

from __future__ import annotations


class EvidenceError(Exception):
    """Something about evidence is wrong or cannot be done; the message names the file or object."""


class ObjectChangedError(EvidenceError):
    """A stored object's bytes no longer hash to the SHA-256 it is stored under."""


class LedgerTornError(EvidenceError):
    """The ledger ends in an incomplete line; nothing may be appended until it is repaired explicitly."""
