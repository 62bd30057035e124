"""Which stored objects the photos app's rows stand for, and the quarantine's own checks, for `lwf verify`."""

from __future__ import annotations

from collections.abc import Iterable

from lestweforget.atlas.evidence_records import EvidenceHolder
from lestweforget.evidence import EvidenceError, EvidenceStore, ExpectedObject, Ledger, LedgerEntry, Problem

from .models import Photo, QuarantinedFile


def expected_objects() -> dict[str, ExpectedObject]:
    """Every stored object the database relies on: originals, their derivatives, and the tracks used."""
    expected: dict[str, ExpectedObject] = {}
    rows = Photo.objects.values_list("sha256", "original_name", "thumb_sha256", "web_sha256", "track_sha256")
    for sha256, name, thumb, web, track in rows:
        expected[sha256] = ExpectedObject("original", name)
        for label, derivative in (("thumb", thumb), ("web", web)):
            if derivative:
                expected.setdefault(derivative, ExpectedObject("derivative", f"{name} ({label})"))
        if track:
            expected.setdefault(track, ExpectedObject("track", f"GPS track that placed {name}"))
    return expected


def quarantine_problems(store: EvidenceStore, ledger_entries: Iterable[LedgerEntry] | None) -> list[Problem]:
    """Compare QuarantinedFile rows with the quarantine folder and (when readable) the ledger."""
    problems: list[Problem] = []
    try:
        present = set(store.iter_quarantine())
    except EvidenceError as error:
        return [Problem("error", "store:quarantine", f"cannot list the quarantine: {error}")]
    recorded = (
        {e.object.removeprefix("sha256:") for e in ledger_entries if e.action == "original.quarantined"}
        if ledger_entries is not None
        else None
    )
    rows: dict[str, str] = {}
    for sha256, name, slug in QuarantinedFile.objects.values_list("sha256", "original_name", "site__slug"):
        rows.setdefault(sha256, f"{name} (site {slug})")
    for sha256, name in sorted(rows.items()):
        if sha256 not in present:
            problems.append(
                Problem("missing", f"quarantine:{sha256}", f"the database lists quarantined {name}; no file kept")
            )
        if recorded is not None and sha256 not in recorded:
            problems.append(
                Problem(
                    "record-without-evidence",
                    f"quarantine:{sha256}",
                    f"the database lists quarantined {name}; the ledger never recorded quarantining it",
                )
            )
    # A file refused once and imported since (a later import read it) stays in the quarantine as it was kept.
    released = set(Photo.objects.filter(sha256__in=present - set(rows)).values_list("sha256", flat=True))
    for sha256 in sorted(present - set(rows) - released):
        problems.append(
            Problem(
                "unexpected",
                f"quarantine:{sha256}",
                "in the quarantine, but the database has no record of it",
            )
        )
    return problems


def has_records() -> bool:
    """Whether the database lists any photo or quarantined file."""
    return bool(Photo.objects.exists() or QuarantinedFile.objects.exists())


def repair(store: EvidenceStore, ledger: Ledger) -> list[str]:
    """Records catching up after an interrupted import: see `ingest.repair_interrupted_imports`."""
    from .ingest import repair_interrupted_imports

    return repair_interrupted_imports(store, ledger)


PHOTO_EVIDENCE = EvidenceHolder(
    name="photos",
    expected_objects=expected_objects,
    problems=quarantine_problems,
    has_records=has_records,
    repair=repair,
)
