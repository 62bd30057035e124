"""The name search index: one `SiteSearch` row per site, kept in step with the site's names, and the search over it.

Keeping: `connect()` (called once at start-up) reindexes a site when it, one of its names or its settlement is saved,
and drops it when deleted; bulk loaders that write with `bulk_create` or `update()` call `reindex(site_ids)` after.
Searching: `search(text)` finds candidates by trigram in the database (PostgreSQL: pg_trgm `<%` on a GIN index;
SQLite: FTS5 trigram table), then ranks them the same way on both with rapidfuzz, word by word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Final

from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from rapidfuzz import fuzz

from lestweforget.atlas.models import Settlement, Site, SiteName

from .models import SiteSearch
from .names import name_keys, query_keys

FTS_TABLE: Final = "register_sitesearch_fts"
# A query word matches a key of the site when their similarity (rapidfuzz ratio, 0-100) reaches this: one wrong,
# missing or extra letter in a five-letter name still matches ("Izum" for "izium" scores 89).
MATCH_SCORE: Final = 75.0
# How many candidates the database hands over for ranking; more than any reader pages through.
MAX_CANDIDATES: Final = 2000
# PostgreSQL's pg_trgm.word_similarity_threshold for the candidate query (default 0.6 is too strict for one typo).
PG_WORD_SIMILARITY: Final = 0.45
_BATCH: Final = 2000


def site_names(site: Site) -> list[str]:
    """Every name the site goes by: its names in every language, its settlement's and its slug's words."""
    names = [site_name.name for site_name in site.names.all()]
    settlement = site.settlement
    if settlement is not None:
        names += [settlement.name_en, settlement.name_uk, settlement.name_ru, settlement.other_names]
    names.append(site.slug.replace("-", " "))
    return [name for name in names if name]


def reindex(site_ids: Iterable[int] | None = None) -> int:
    """Rebuild the search entries of the given sites (all when None) from their names; returns how many."""
    queryset = Site.objects.select_related("settlement").prefetch_related("names").order_by("pk")
    if site_ids is not None:
        wanted = list(site_ids)
        queryset = queryset.filter(pk__in=wanted)
    count = 0
    batch: list[SiteSearch] = []
    for site in queryset.iterator(chunk_size=_BATCH):
        batch.append(SiteSearch(site_id=site.pk, text=name_keys(site_names(site))))
        if len(batch) >= _BATCH:
            count += _write(batch)
            batch = []
    if batch:
        count += _write(batch)
    return count


def _write(entries: Sequence[SiteSearch]) -> int:
    with transaction.atomic():
        SiteSearch.objects.bulk_create(
            entries, update_conflicts=True, unique_fields=["site"], update_fields=["text"], batch_size=500
        )
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                ids = [entry.site_id for entry in entries]
                for start in range(0, len(ids), 500):
                    chunk = ids[start : start + 500]
                    cursor.execute(
                        f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({','.join('%s' for _ in chunk)})",
                        chunk,
                    )
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (%s, %s)",
                    [(entry.site_id, entry.text) for entry in entries],
                )
    return len(entries)


def forget(site_ids: Iterable[int]) -> None:
    """Drop the search entries of deleted sites (the table row goes by cascade; SQLite's FTS row goes here)."""
    ids = list(site_ids)
    SiteSearch.objects.filter(site_id__in=ids).delete()
    if connection.vendor == "sqlite" and ids:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({','.join('%s' for _ in ids)})", ids)


def candidates(text: str) -> list[tuple[int, str]]:
    """(site id, keys) of the sites whose keys share trigrams with every word of ``text``; at most MAX_CANDIDATES."""
    words = query_keys(text)
    if not words:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            clauses = " AND ".join("(" + " OR ".join("%s <%% text" for _ in keys) + ")" for keys in words)
            params: list[Any] = [key for keys in words for key in keys]
            with transaction.atomic():
                cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = %s", [PG_WORD_SIMILARITY])
                cursor.execute(
                    f"SELECT site_id, text FROM register_sitesearch WHERE {clauses} LIMIT %s",
                    [*params, MAX_CANDIDATES],
                )
                return list(cursor.fetchall())
        match = " AND ".join("(" + " OR ".join(_trigrams(key) for key in keys) + ")" for keys in words)
        cursor.execute(
            f"SELECT rowid, text FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT %s",
            [match, MAX_CANDIDATES],
        )
        return list(cursor.fetchall())


def _trigrams(key: str) -> str:
    """An FTS5 query matching any trigram of ``key`` (keys are plain ASCII letters, so no quoting is needed)."""
    grams = dict.fromkeys(key[i : i + 3] for i in range(len(key) - 2))
    return "(" + " OR ".join(f'"{gram}"' for gram in grams) + ")"


def score(words: list[tuple[str, ...]], text: str) -> float:
    """How well the site's keys ``text`` match the query words (0-100): the weakest word's best match."""
    site_keys = text.split()
    if not site_keys:
        return 0.0
    return min(max(fuzz.ratio(key, site_key) for key in keys for site_key in site_keys) for keys in words)


def search(text: str) -> list[int]:
    """Site ids whose names match ``text`` in any script or spelling, best first (published or not: callers filter).

    Raises nothing; a text with no word of three letters or more finds nothing.
    """
    words = query_keys(text)
    scored = [(score(words, keys), site_id) for site_id, keys in candidates(text)]
    scored = [(value, site_id) for value, site_id in scored if value >= MATCH_SCORE]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [site_id for _, site_id in scored]


def _site_saved(sender: type[Model], instance: Site, raw: bool = False, **kwargs: object) -> None:
    if not raw:
        reindex([instance.pk])


def _name_changed(sender: type[Model], instance: SiteName, raw: bool = False, **kwargs: object) -> None:
    if not raw and Site.objects.filter(pk=instance.site_id).exists():
        reindex([instance.site_id])


def _settlement_saved(sender: type[Model], instance: Settlement, raw: bool = False, **kwargs: object) -> None:
    if not raw:
        reindex(Site.objects.filter(settlement=instance).values_list("pk", flat=True))


def _site_deleted(sender: type[Model], instance: Site, **kwargs: object) -> None:
    forget([instance.pk])


def connect() -> None:
    """Keep the index in step with every save and delete of a site, a site name or a settlement."""
    post_save.connect(_site_saved, sender=Site, dispatch_uid="register_site_saved")
    post_save.connect(_name_changed, sender=SiteName, dispatch_uid="register_name_saved")
    post_delete.connect(_name_changed, sender=SiteName, dispatch_uid="register_name_deleted")
    post_save.connect(_settlement_saved, sender=Settlement, dispatch_uid="register_settlement_saved")
    post_delete.connect(_site_deleted, sender=Site, dispatch_uid="register_site_deleted")
