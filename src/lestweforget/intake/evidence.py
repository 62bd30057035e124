"""Which stored objects the intake app's rows stand for (each imported article's archived copy), for `lwf verify`."""

from __future__ import annotations

from collections.abc import Iterable

from lestweforget.atlas.evidence_records import EvidenceHolder
from lestweforget.evidence import EvidenceStore, ExpectedObject, LedgerEntry, Problem

from .models import ArticleImport


def expected_objects() -> dict[str, ExpectedObject]:
    """Every archived article, read or refused."""
    return {
        sha256: ExpectedObject("original", f"article {name}")
        for sha256, name in ArticleImport.objects.values_list("sha256", "original_name")
    }


def ledger_problems(store: EvidenceStore, ledger_entries: Iterable[LedgerEntry] | None) -> list[Problem]:
    """An imported article the ledger never recorded storing is a record without evidence."""
    if ledger_entries is None:
        return []
    stored = {entry.object for entry in ledger_entries if entry.action == "original.stored"}
    return [
        Problem(
            "record-without-evidence",
            f"sha256:{sha256}",
            f"the database lists the imported article {name}; the ledger never recorded storing it",
        )
        for sha256, name in ArticleImport.objects.values_list("sha256", "original_name")
        if f"sha256:{sha256}" not in stored
    ]


def has_records() -> bool:
    return ArticleImport.objects.exists()


ARTICLE_EVIDENCE = EvidenceHolder(
    name="articles",
    expected_objects=expected_objects,
    problems=ledger_problems,
    has_records=has_records,
)
