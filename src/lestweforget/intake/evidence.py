"""Which stored objects the intake app's rows stand for (each imported article's archived copy), for `lwf verify`."""

from __future__ import annotations

from lestweforget.atlas.evidence_records import originals_holder

from .models import ArticleImport

# Every archived article, read or refused; one the ledger never recorded storing is a record without evidence.
ARTICLE_EVIDENCE = originals_holder(
    "articles",
    "imported article",
    lambda: ArticleImport.objects.values_list("sha256", "original_name"),
    lambda: ArticleImport.objects.exists(),
)
