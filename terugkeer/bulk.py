"""Bulk writes for the paths that write tens of thousands of rows (the import, the batched
trajectory refresh), without the part of Django's bulk_update/bulk_create that costs most.

QuerySet.bulk_update builds a CASE WHEN expression per row and field and resolves each in
Python; for 500 trajectories × 10 fields that was a third of the import's time. QuerySet
.bulk_create prepares every value through the compiler (about 30 µs a value). These helpers
write the same rows with plain parameterised SQL: one `UPDATE … WHERE pk = %s` executed many
times, and multi-row `INSERT … RETURNING pk`. Values go through each field's
get_db_prep_save, as the ORM does; no signals are sent (the ORM's bulk methods send none
either). PostgreSQL and SQLite ≥ 3.35 (RETURNING).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections, router
from django.db.models import Model


def bulk_update_rows(model: type[Model], objs: Sequence[Model], fields: Iterable[str]) -> int:
    """QuerySet.bulk_update(objs, fields) for plain columns; returns the number of rows."""
    if not objs:
        return 0
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608 (names from the model)
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
        + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)


def bulk_insert_rows(model: type[Model], objs: Sequence[Model], batch_size: int = 500) -> None:
    """QuerySet.bulk_create(objs) for models with an auto primary key: the rows are inserted
    and each object gets its pk (RETURNING, in the order of the VALUES, as Django relies on)."""
    if not objs:
        return
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    size = max(1, min(batch_size, connection.ops.bulk_batch_size(fields, objs)))
    head = (
        f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608 (names from the model)
        f"({', '.join(quote(field.column) for field in fields)}) VALUES "
    )
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = f" RETURNING {quote(meta.pk.column)}"
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            params = [
                field.get_db_prep_save(field.pre_save(obj, True), connection)
                for obj in batch
                for field in fields
            ]
            cursor.execute(head + ", ".join([row] * len(batch)) + returning, params)
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias
