"""The name search index, kept in step with the sites' names, and the search over it.

Each site's names become loose Latin keys (`names`): `SiteSearch` keeps them per site (readable), `SearchWord` is the
vocabulary of every key and `SiteWord` the inverted index from a key to its sites. A search finds, for each word of the
query, the vocabulary words close to it by trigram in the database (PostgreSQL: pg_trgm `%` on a GIN index; SQLite:
FTS5 trigram table), scores them the same way on both with rapidfuzz, then takes the sites that have a close word for
every query word, best first. The vocabulary stays small (the names of places and a few common words) however many
sites there are, so the fuzzy part costs the same at ten sites or a million.

Keeping: `connect()` (called once at start-up) reindexes a site when it, one of its names or its settlement is saved;
rows go with the site by cascade. Bulk loaders that write with `bulk_create` or `update()` call `reindex(site_ids)`
after, which also recounts the viewport's cells (`view_cells`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from rapidfuzz import fuzz

from lestweforget.atlas.models import Settlement, Site, SiteName

from . import bulk_rows, view_cells
from .models import SearchWord, SiteSearch, SiteWord
from .names import MIN_KEY_CHARS, fts_text, name_keys, name_words, query_keys, spelling_keys, word_keys

FTS_TABLE: Final = "register_searchword_fts"
# A query word matches a vocabulary word when their similarity (rapidfuzz ratio, 0-100) reaches this: one wrong,
# missing or extra letter in a five-letter name still matches ("Izum" for "izium" scores 89).
MATCH_SCORE: Final = 75.0
# Vocabulary words the database hands over per query key for scoring.
WORD_CANDIDATES: Final = 200
# At most this many sites come back from one search; more than any reader pages through.
MAX_RESULTS: Final = 2000
_BATCH: Final = 2000
# The settlement's names a site is found by too (`Settlement` fields).
_SETTLEMENT_NAMES: Final = ("name_en", "name_uk", "name_ru", "other_names")


def _names_by_site(site_ids: list[int]) -> dict[int, list[str]]:
    """Every name each of the given sites (those that exist) goes by, in a fixed order: its own names (by language,
    primary first, then as entered), its settlement's, then its slug's words. Two queries, no model instances."""
    found: dict[int, tuple[list[str], list[str]]] = {}
    places = Site.objects.filter(pk__in=site_ids).values_list(
        "pk", "slug", *(f"settlement__{field}" for field in _SETTLEMENT_NAMES)
    )
    for site_id, slug, *settlement in places:
        found[site_id] = ([], [*settlement, slug.replace("-", " ")])
    names = SiteName.objects.filter(site_id__in=site_ids).order_by("site_id", *SiteName._meta.ordering)
    for site_id, name in names.values_list("site_id", "name"):
        if site_id in found:
            found[site_id][0].append(name)
    return {site_id: [name for name in (*own, *other) if name] for site_id, (own, other) in found.items()}


def reindex(site_ids: Iterable[int] | None = None) -> int:
    """Rebuild the search entries of the given sites (all when None) from their names, and recount the viewport's
    cells they are in (`view_cells`): what a bulk loader calls after writing sites. Returns how many sites."""
    wanted = None if site_ids is None else list(site_ids)
    count = index_names(wanted)
    if wanted is None:
        view_cells.rebuild()
    else:
        view_cells.refresh_sites(wanted)
    return count


def index_names(site_ids: Iterable[int] | None) -> int:
    """Rebuild the search entries of the given sites (all when None) from their names; returns how many.

    Set-based, `_BATCH` sites at a time (a few queries and two bulk inserts each), so one site saved in the admin and
    a million written by a loader go through the same code."""
    count = 0
    if site_ids is not None:
        ids = sorted(set(site_ids))
        for start in range(0, len(ids), _BATCH):
            count += _index_batch(ids[start : start + _BATCH])
        return count
    last = 0
    while chunk := list(Site.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:_BATCH]):
        count += _index_batch(chunk)
        last = chunk[-1]
    return count


def _index_batch(site_ids: list[int]) -> int:
    entries = [(site_id, name_keys(names)) for site_id, names in _names_by_site(site_ids).items()]
    with transaction.atomic():
        bulk_rows.upsert(SiteSearch, ["site", "text"], entries)
        words = sorted({key for _, text in entries for key in text.split()})
        ids = _word_ids(words)
        SiteWord.objects.filter(site_id__in=[site_id for site_id, _ in entries]).delete()
        bulk_rows.insert(
            SiteWord,
            ["site", "word"],
            [(site_id, ids[key]) for site_id, text in entries for key in dict.fromkeys(text.split())],
        )
    return len(entries)


def _word_ids(words: list[str]) -> dict[str, int]:
    """The vocabulary ids of ``words``, adding (and indexing) the new ones."""
    ids = _stored_word_ids(words)
    new = [word for word in words if word not in ids]
    if new:
        SearchWord.objects.bulk_create([SearchWord(word=word) for word in new], batch_size=500, ignore_conflicts=True)
        added = _stored_word_ids(new)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE}(rowid, word) VALUES (%s, %s)",
                    [(word_id, fts_text(word)) for word, word_id in added.items()],
                )
        ids.update(added)
    return ids


def _stored_word_ids(words: list[str]) -> dict[str, int]:
    """{word: id} of those of ``words`` in the vocabulary."""
    if connection.vendor == "postgresql":
        # Not `word IN (…)`: PostgreSQL plans that on the trigram GIN index (pg_trgm answers equality too), which
        # took 3 s for 500 words of a vocabulary of 8,000; a join on the array goes by the unique index or a hash.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word.word, word.id FROM {SearchWord._meta.db_table} AS word"
                " JOIN unnest(%s::text[]) AS wanted(word) ON word.word = wanted.word",
                [words],
            )
            return dict(cursor.fetchall())
    ids: dict[str, int] = {}
    for start in range(0, len(words), 500):
        ids.update(SearchWord.objects.filter(word__in=words[start : start + 500]).values_list("word", "id"))
    return ids


def close_words(key: str) -> dict[int, float]:
    """Vocabulary words close to one query key: {word id: similarity 0-100}, those reaching MATCH_SCORE."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id, word FROM register_searchword WHERE word %% %s ORDER BY similarity(word, %s) DESC LIMIT %s",
                [key, key, WORD_CANDIDATES],
            )
        else:
            cursor.execute(
                f"SELECT word.id, word.word FROM register_searchword AS word JOIN (SELECT rowid FROM {FTS_TABLE}"
                f" WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT %s) AS hit ON hit.rowid = word.id",
                [_trigrams(key), WORD_CANDIDATES],
            )
        rows = cursor.fetchall()
    scored = {word_id: fuzz.ratio(key, word) for word_id, word in rows}
    return {word_id: value for word_id, value in scored.items() if value >= MATCH_SCORE}


def _trigrams(key: str) -> str:
    """An FTS5 query matching any trigram of ``key`` padded as `fts_text` pads (plain ASCII letters: no quoting)."""
    padded = f"_{key}_"
    grams = dict.fromkeys(padded[i : i + 3] for i in range(len(padded) - 2))
    return " OR ".join(f'"{gram}"' for gram in grams)


def search(text: str) -> list[int]:
    """Site ids whose names match ``text`` in any script or spelling, best first (see `ranked_search`)."""
    return [site_id for site_id, _ in ranked_search(text)]


def ranked_search(text: str) -> list[tuple[int, int]]:
    """(site id, rank) of the sites whose names match ``text`` in any script or spelling, best first: rank
    descending, then id (published or not: callers filter). The rank is a whole number (`match_rank`), so a page of
    results can be resumed after its last row.

    Every word of three letters or more must match some name word of the site (its own names, its settlement's or
    its slug's); the site's score is its weakest word's best match. At most MAX_RESULTS, the best by that score.
    Raises nothing; a text with no such word finds nothing.
    """
    per_word: list[dict[int, float]] = []
    wanted = query_keys(text)
    for keys in wanted:
        close: dict[int, float] = {}
        for key in keys:
            for word_id, value in close_words(key).items():
                close[word_id] = max(value, close.get(word_id, 0.0))
        if not close:
            return []
        per_word.append(close)
    if not per_word:
        return []
    # The query word with the fewest close words narrows first; the others only look among its sites.
    per_word.sort(key=len)
    scores: dict[int, float] | None = None
    for close in per_word:
        rows = SiteWord.objects.filter(word_id__in=list(close))
        if scores is not None:
            rows = rows.filter(site_id__in=list(scores))
        best: dict[int, float] = {}
        for site_id, word_id in rows.values_list("site_id", "word_id")[: MAX_RESULTS * 20]:
            best[site_id] = max(close[word_id], best.get(site_id, 0.0))
        scores = best if scores is None else {site: min(scores[site], value) for site, value in best.items()}
        if not scores:
            return []
    kept = sorted((scores or {}).items(), key=lambda pair: (-pair[1], pair[0]))[:MAX_RESULTS]
    own_names: dict[int, list[str]] = {site_id: [] for site_id, _ in kept}
    for site_id, name in SiteName.objects.filter(site_id__in=list(own_names)).values_list("site_id", "name"):
        own_names[site_id].append(name)
    ranked = [(site_id, match_rank(text, wanted, own_names[site_id], score)) for site_id, score in kept]
    return sorted(ranked, key=lambda pair: (-pair[1], pair[0]))


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


# Words whose spelling is this close to a query key may be an inflected form of it ("iziumi" for "izium" scores 91,
# "kharkovi" for "kharkiv" 80): only those are reduced to their dictionary forms, the costly step.
_MAYBE_INFLECTED: Final = 60.0


def _word_match(query_word: tuple[str, ...], word: str) -> float:
    """How close one word of a name comes to one query word (its keys), 0-100: by spelling, and when that is near
    but not exact, by the word's dictionary forms too (so "Ізюмі" meets "Ізюм" exactly)."""
    spelled = spelling_keys(word)
    if set(query_word) & set(spelled):
        return 100.0
    value = max((fuzz.ratio(q, key) for q in query_word for key in spelled), default=0.0)
    if value >= _MAYBE_INFLECTED:
        lemmas = word_keys(word)  # kept per word by `names`
        if set(query_word) & set(lemmas):
            return 100.0
        value = max([value, *(fuzz.ratio(q, key) for q in query_word for key in lemmas)])
    return value


def _name_match(wanted: list[tuple[str, ...]], name: str) -> tuple[float, float]:
    """How well one name matches the query words: (its weakest query word's best similarity to a word of the name,
    0-100, 0 when a word finds nothing close; the share 0-1 of the name's words that some query word is close to)."""
    words = [word for word in name_words(name) if len(word) >= MIN_KEY_CHARS]
    if not words:
        return 0.0, 0.0
    matched = [False] * len(words)
    weakest = 100.0
    for query_word in wanted:
        best = 0.0
        for index, word in enumerate(words):
            value = _word_match(query_word, word)
            if value >= MATCH_SCORE:
                matched[index] = True
                best = max(best, value)
        weakest = min(weakest, best)
    return weakest, sum(matched) / len(words)


def match_rank(text: str, wanted: list[tuple[str, ...]], own_names: list[str], score: float) -> int:
    """A site's place among the matches of ``text`` (``wanted`` its `query_keys`), higher first, from its own names
    (not its settlement's) and its index ``score`` (0-100). In order of weight:

    1. tier: 3 when one of its own names holds the text as written (case aside: "Ізюм" in "Масове поховання в
       Ізюмі"), 2 when its own names hold every query word's key exactly, 1 when its names or its settlement's do
       (``score`` 100), 0 for a fuzzy match only;
    2. how closely its own names match (0 when only its settlement's do), then ``score``;
    3. how much of its best-matching name the query covers ("Izium" before "Izium forest burial site").

    As one whole number: tier·10⁸ + own·10⁵ + score·10² + cover·99.
    """
    plain = _plain(text)
    literal = bool(plain) and any(plain in _plain(name) for name in own_names)
    own, cover = max((_name_match(wanted, name) for name in own_names), default=(0.0, 0.0))
    tier = 3 if literal else 2 if own >= 100 else 1 if score >= 100 else 0
    return tier * 10**8 + round(own) * 10**5 + round(score) * 10**2 + round(cover * 99)


# One site saved through the ORM: its names only; its cells are recounted by `view_cells`' own signals.
def _site_saved(sender: type[Model], instance: Site, raw: bool = False, **kwargs: object) -> None:
    if not raw:
        index_names([instance.pk])


def _name_changed(sender: type[Model], instance: SiteName, raw: bool = False, **kwargs: object) -> None:
    if not raw and Site.objects.filter(pk=instance.site_id).exists():
        index_names([instance.site_id])


def _settlement_saved(sender: type[Model], instance: Settlement, raw: bool = False, **kwargs: object) -> None:
    if not raw:
        index_names(list(Site.objects.filter(settlement=instance).values_list("pk", flat=True)))


def _site_deleted(sender: type[Model], instance: Site, **kwargs: object) -> None:
    # The cascade deletes the site's names first, and each deletion reindexed the site: its rows go last.
    SiteWord.objects.filter(site_id=instance.pk).delete()
    SiteSearch.objects.filter(site_id=instance.pk).delete()


def connect() -> None:
    """Keep the index in step with every save and delete of a site or a site name, and every save of a settlement."""
    post_save.connect(_site_saved, sender=Site, dispatch_uid="register_site_saved")
    post_save.connect(_name_changed, sender=SiteName, dispatch_uid="register_name_saved")
    post_delete.connect(_name_changed, sender=SiteName, dispatch_uid="register_name_deleted")
    post_save.connect(_settlement_saved, sender=Settlement, dispatch_uid="register_settlement_saved")
    post_delete.connect(_site_deleted, sender=Site, dispatch_uid="register_site_deleted")
