"""Writing many rows of one model at once, for bulk loaders and the register's derived tables (the search index):
model instances as `QuerySet.bulk_create` writes them, and plain rows, in fewer and cheaper statements.

Django's `bulk_create` prepares every value through its field's generic path and, on SQLite, sends at most 999
parameters a statement (about 40 sites), some 40-150 µs a row on this project's 2-core machine: minutes for a
million sites with their names, events and search words. Here a value whose type is already the one its column
takes (a str for a text field, a float for a float field, ...) goes to the driver as it is, any other through the
field's own `get_db_prep_save`; rows go by PostgreSQL's COPY (psycopg's `Cursor.copy`) or SQLite's `executemany`,
or, when the new primary keys are wanted back, by multi-row ``INSERT … RETURNING`` as `bulk_create` does.
Like `bulk_create`, nothing here sends signals. Identifiers are the models' own, quoted by the database backend;
values are always parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

from django.db import connection
from django.db.models import AutoField, Field, Model

# Field types whose value, when already of this Python type (or None), is exactly what `get_db_prep_save` returns.
_PLAIN: Final[dict[str, type]] = {
    "CharField": str,
    "SlugField": str,
    "TextField": str,
    "FloatField": float,
    "BooleanField": bool,
    "IntegerField": int,
    "SmallIntegerField": int,
    "BigIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "PositiveBigIntegerField": int,
    "AutoField": int,
    "BigAutoField": int,
}
# Parameters in one multi-row INSERT: under SQLite's default limit (32,766) and PostgreSQL's (65,535).
_PARAMETERS: Final = 30_000


def _table(model: type[Model], columns: Sequence[str]) -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(column) for column in columns)


def _preparer(field: Field[Any, Any]) -> Callable[[object], object]:
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    plain = _PLAIN.get(target.get_internal_type())

    def prepare(value: object) -> object:
        if value is None or type(value) is plain:
            return value
        return field.get_db_prep_save(value, connection)

    return prepare


def create(objects: Sequence[Model]) -> None:
    """Insert new instances of one model (no primary key set yet) as `QuerySet.bulk_create` would, and set each
    one's primary key. Fields that fill themselves on save (auto_now, auto_now_add) are filled. Raises the
    database's IntegrityError if a row breaks a constraint (the caller's transaction then rolls back)."""
    if not objects:
        return
    model = type(objects[0])
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.generated and not isinstance(field, AutoField)]
    preparers = [_preparer(field) for field in fields]
    # Only fields that compute their value on save (dates with auto_now) need their pre_save; the rest are read.
    computed = [type(field).pre_save is not Field.pre_save for field in fields]
    rows = []
    for obj in objects:
        if obj.pk is not None:
            raise ValueError(f"{obj!r} is stored already (primary key {obj.pk})")
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
        rows.append(
            [
                prepare(field.pre_save(obj, True) if own else getattr(obj, field.attname))
                for field, prepare, own in zip(fields, preparers, computed, strict=True)
            ]
        )
    if connection.vendor == "postgresql":
        _copy_with_keys(objects, fields, rows)
        return
    table, columns = _table(model, [field.column for field in fields])
    per_statement = max(1, _PARAMETERS // len(fields))
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    pk = connection.ops.quote_name(meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([marks] * len(chunk))} RETURNING {pk}",
                [value for row in chunk for value in row],
            )
            keys = [key for (key,) in cursor.fetchall()]
            _stored(objects[start : start + per_statement], keys)


def _copy_with_keys(objects: Sequence[Model], fields: list[Field[Any, Any]], rows: list[list[object]]) -> None:
    """PostgreSQL: take the next keys from the table's own sequence (as the inserts would), then COPY the rows with
    them: one round trip for the keys, one stream for the rows."""
    meta = type(objects[0])._meta
    table, columns = _table(type(objects[0]), [meta.pk.column, *(field.column for field in fields)])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objects)],
        )
        keys = sorted(key for (key,) in cursor.fetchall())
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for key, row in zip(keys, rows, strict=True):
                copy.write_row([key, *row])
    _stored(objects, keys)


def _stored(objects: Sequence[Model], keys: Sequence[object]) -> None:
    for obj, key in zip(objects, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = connection.alias


def insert(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Insert plain ``rows`` (one value per name in ``fields``, in that order, each already of the type its column
    takes) into ``model``'s table. Raises the database's IntegrityError if a row breaks a constraint."""
    table, columns = _table(model, [model._meta.get_field(name).column for name in fields])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(rows))


def upsert(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Insert plain ``rows`` into ``model``'s table, or where a row with the same first field (a unique column) is
    stored, set its other fields to the new values (``INSERT … ON CONFLICT … DO UPDATE``, on both databases)."""
    names = [model._meta.get_field(name).column for name in fields]
    table, columns = _table(model, names)
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(fields))
    updates = ", ".join(f"{quote(column)} = excluded.{quote(column)}" for column in names[1:])
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT ({quote(names[0])}) DO UPDATE SET {updates}",
            list(rows),
        )
