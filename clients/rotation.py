"""Key rotation: re-encrypt every encrypted column under the newest key.

Resumable without any saved state: a value that the newest key already decrypts is skipped, so
a run killed half-way simply starts again and finishes the rest. Each batch is written in its
own transaction with a conditional UPDATE (`WHERE col = <old token>`), so a value edited while
the job runs is never overwritten with a stale one.
"""

import time
from collections.abc import Iterator

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

from coaching.crypto import EncryptedJSONField, EncryptedTextField, rotate

ENCRYPTED_FIELDS = (EncryptedTextField, EncryptedJSONField)


def encrypted_columns() -> Iterator[tuple[type[models.Model], models.Field]]:
    """Every (model, field) stored encrypted, across all installed apps."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, ENCRYPTED_FIELDS):
                yield model, field


def _newest() -> Fernet:
    return Fernet(settings.FIELD_ENCRYPTION_KEYS[0])


def _is_current(token: str, newest: Fernet) -> bool:
    try:
        newest.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def _batches(model, field, batch_size: int) -> Iterator[list[tuple]]:
    table, pk = model._meta.db_table, model._meta.pk.column
    qn = connection.ops.quote_name
    sql = (
        f"SELECT {qn(pk)}, {qn(field.column)} FROM {qn(table)} "  # noqa: S608 (names from models)
        f"WHERE {qn(pk)} > %s AND {qn(field.column)} IS NOT NULL ORDER BY {qn(pk)} LIMIT %s"
    )
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [last, batch_size])
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def reencrypt_column(model, field, *, batch_size: int = 500, pause: float = 0.0) -> int:
    """Re-encrypt one column's stale values; returns how many were rewritten."""
    newest, rewritten = _newest(), 0
    qn = connection.ops.quote_name
    table, pk, column = (qn(model._meta.db_table), qn(model._meta.pk.column), qn(field.column))
    update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608
    for rows in _batches(model, field, batch_size):
        stale = [
            (rotate(value), key, value) for key, value in rows if not _is_current(value, newest)
        ]
        if stale:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(update, stale)
            rewritten += len(stale)
        if pause:
            time.sleep(pause)  # lets a production database breathe between batches
    return rewritten


def count_stale() -> dict[str, int]:
    """Values the newest key cannot read, per column: all must be 0 before an old key goes."""
    newest, stale = _newest(), {}
    for model, field in encrypted_columns():
        label = f"{model._meta.label}.{field.name}"
        stale[label] = sum(
            not _is_current(value, newest)
            for rows in _batches(model, field, 2000)
            for _, value in rows
        )
    return stale
