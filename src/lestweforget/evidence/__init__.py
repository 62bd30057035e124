"""Evidence: the content-addressed store of originals, the hash-chained ledger, verification, BagIt export.

Pure library: plain values in, plain values out, no Django.
"""

from __future__ import annotations

from lestweforget.evidence.bagit_export import BagItem, checkpoint_bag_info, export_bag, portable_name, portable_names
from lestweforget.evidence.errors import EvidenceError, LedgerTornError, ObjectChangedError
from lestweforget.evidence.ledger import (
    GENESIS,
    STORING_ACTIONS,
    Checkpoint,
    InclusionProof,
    Ledger,
    LedgerContents,
    LedgerEntry,
    canonical_json,
    compute_entry_hash,
    leaf_hash,
    merkle_root,
    parse_checkpoint,
    prefix_roots,
    verify_inclusion,
)
from lestweforget.evidence.store import EvidenceStore, StagedObject, StoredObject, check_sha256, hash_file
from lestweforget.evidence.verify import (
    ALL_CHECKS,
    PROBLEM_KINDS,
    ExpectedObject,
    Problem,
    VerificationReport,
    verify_store,
)

__all__ = [
    "ALL_CHECKS",
    "GENESIS",
    "PROBLEM_KINDS",
    "STORING_ACTIONS",
    "BagItem",
    "Checkpoint",
    "EvidenceError",
    "EvidenceStore",
    "ExpectedObject",
    "InclusionProof",
    "Ledger",
    "LedgerContents",
    "LedgerEntry",
    "LedgerTornError",
    "ObjectChangedError",
    "Problem",
    "StagedObject",
    "StoredObject",
    "VerificationReport",
    "canonical_json",
    "check_sha256",
    "checkpoint_bag_info",
    "compute_entry_hash",
    "export_bag",
    "hash_file",
    "leaf_hash",
    "merkle_root",
    "parse_checkpoint",
    "portable_name",
    "portable_names",
    "prefix_roots",
    "verify_inclusion",
    "verify_store",
]
