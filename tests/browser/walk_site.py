"""A site beside the real GPS walk with its photo diary, for browser tests (`from walk_site import load_walk_diary`)."""

from __future__ import annotations

from pathlib import Path

import pytest

WALK = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "camera" / "jpg" / "gps"


def load_walk_diary(settings: object, tmp_path: Path, record: str, slug: str, diary: str, author: str) -> None:
    """Load ``record`` (YAML) and import the real 9-photo GPS walk into ``slug`` as the published ``diary``, the way
    users do (`lwf load`, `lwf import photos --diary --publish`); skips when the walk is not there."""
    from lestweforget.atlas.demo import load_record_file
    from lestweforget.cli import main

    files = sorted(WALK.glob("DSCN00*.jpg"))
    if len(files) != 9:
        pytest.skip(f"the 9-photo GPS walk was not found at {WALK} (see shared/testdata/camera/PROVENANCE.md)")
    settings.EVIDENCE_DIR = tmp_path / "evidence"  # type: ignore[attr-defined]
    path = tmp_path / "site.yaml"
    path.write_text(record, encoding="utf-8")
    load_record_file(path)
    args = ["import", "photos", *map(str, files), "--site", slug, "--diary", diary, "--publish"]
    assert main([*args, "--author", author, "--workers", "1"]) == 0
