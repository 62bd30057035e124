"""Which stored objects the register's rows stand for (each imported dataset file), for `lwf verify`."""

from __future__ import annotations

from lestweforget.atlas.evidence_records import originals_holder

from .models import DatasetImport

# Every dataset file an import read; one the ledger never recorded storing is a record without evidence.
DATASET_EVIDENCE = originals_holder(
    "datasets",
    "imported dataset",
    lambda: DatasetImport.objects.values_list("file_sha256", "file_name").distinct(),
    lambda: DatasetImport.objects.exists(),
)
