"""Pages of public lists, by keyset: each page ends with a cursor naming its last row, and the next page starts after
it, so a deep page costs what the first does (no OFFSET). A page holds at most MAX_LIMIT rows.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Final, TypeVar

from django.db.models import Model, Q, QuerySet

from .filters import FilterError

MAX_LIMIT: Final = 100
DEFAULT_LIMIT: Final = 50

M = TypeVar("M", bound=Model)


def read_limit(value: str | int | None) -> int:
    """A page size from a query parameter: 1..MAX_LIMIT, DEFAULT_LIMIT when absent; raises FilterError("limit")."""
    if value in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(value)
    except (TypeError, ValueError):
        raise FilterError("limit", f"“{value}” is not a whole number") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise FilterError("limit", f"give 1 to {MAX_LIMIT} (the most one page holds)")
    return limit


def encode(values: Sequence[object]) -> str:
    text = "|".join(value.isoformat() if isinstance(value, dt.date) else str(value) for value in values)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor: str, kinds: Sequence[type]) -> list[object]:
    """The key values a cursor holds, typed as ``kinds`` (int, str or date); raises FilterError("cursor")."""
    try:
        text = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True).decode()
        if not text:
            raise ValueError(cursor)
        parts = text.split("|")
        if len(parts) != len(kinds):
            raise ValueError(text)
        return [
            part if kind is str else dt.date.fromisoformat(part) if kind is dt.date else int(part)
            for part, kind in zip(parts, kinds, strict=True)
        ]
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise FilterError("cursor", "not a cursor this API gave; start again without it") from None


def keyset_query(
    queryset: QuerySet[M], keys: Sequence[str], kinds: Sequence[type], limit: int, cursor: str = ""
) -> QuerySet[M]:
    """The query for one page of ``queryset`` ordered by ``keys`` (ascending, the last one unique) after ``cursor``,
    with one row more than ``limit`` (it tells whether a next page exists); raises FilterError("cursor")."""
    if cursor:
        values = decode(cursor, kinds)
        after = Q()
        for index in range(len(keys) - 1, -1, -1):
            step = Q(**{f"{keys[index]}__gt": values[index]})
            equal = Q(**{keys[i]: values[i] for i in range(index)})
            after = (step & equal) | after if index < len(keys) - 1 else step & equal
        # The first key's bound again on its own: the same rows, but an index on the keys can start its range there
        # (neither SQLite nor PostgreSQL reads an index range out of the OR above).
        queryset = queryset.filter(after, **{f"{keys[0]}__gte": values[0]})
    return queryset.order_by(*keys)[: limit + 1]


def keyset_page(
    queryset: QuerySet[M], keys: Sequence[str], kinds: Sequence[type], limit: int, cursor: str = ""
) -> tuple[list[M], str | None]:
    """One page of ``queryset`` ordered by ``keys`` (ascending, the last one unique), after ``cursor``.

    Returns the rows and the cursor of the next page (None on the last page).
    """
    rows = list(keyset_query(queryset, keys, kinds, limit, cursor))
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode([getattr(last, key) for key in keys])


def ranked_page(
    queryset: QuerySet[M], ranks: Mapping[int, int], limit: int, cursor: str = ""
) -> tuple[list[M], str | None]:
    """One page of ``queryset`` (rows whose pk ``ranks`` holds: a search's matches, at most a few thousand) in
    rank order, best first (rank descending, then pk), after ``cursor``. The cursor holds the last row's rank and pk,
    so the next page starts after that place in the order, whatever was added or removed meanwhile.

    Returns the rows and the cursor of the next page (None on the last page); raises FilterError("cursor").
    """

    def place(pk: int) -> tuple[int, int]:
        return -ranks[pk], pk

    order = sorted((pk for pk in queryset.values_list("pk", flat=True) if pk in ranks), key=place)
    if cursor:
        rank, pk = (int(str(value)) for value in decode(cursor, [int, int]))
        after = (-rank, pk)
        order = [row for row in order if place(row) > after]
    chosen = order[:limit]
    found = queryset.in_bulk(chosen)
    rows = [found[pk] for pk in chosen if pk in found]
    if len(order) <= limit:
        return rows, None
    return rows, encode([ranks[chosen[-1]], chosen[-1]])
