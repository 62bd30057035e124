"""Evidence fixtures: a real store and ledger under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from lestweforget.evidence import EvidenceStore, Ledger

from .fixtures import EvidenceDay, build_evidence_day

SHARED_TESTDATA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata"


@pytest.fixture
def evidence_root(tmp_path: Path) -> Path:
    return tmp_path / "evidence"


@pytest.fixture
def store(evidence_root: Path) -> EvidenceStore:
    return EvidenceStore(evidence_root)


@pytest.fixture
def ledger(evidence_root: Path) -> Ledger:
    return Ledger(evidence_root)


@pytest.fixture
def evidence_day(store: EvidenceStore, ledger: Ledger) -> EvidenceDay:
    return build_evidence_day(store, ledger)


@pytest.fixture
def camera_photos() -> list[Path]:
    """The nine JPEGs of one real camera walk (see shared/testdata/camera/PROVENANCE.md)."""
    folder = SHARED_TESTDATA / "camera" / "jpg" / "gps"
    photos = sorted(folder.glob("DSCN00*.jpg"))
    if not photos:
        pytest.skip(f"real camera files not found in {folder}")
    return photos
