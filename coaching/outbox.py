"""Outbox rows: work recorded in the database, claimed once, swept again when it was lost.

Reminders (`bookings.reminders`), campaign deliveries (`content.newsletter`) and transactional
emails (`coaching.emails`) are each a row per message. A worker takes a row with a conditional
UPDATE (of two workers, or a message the broker delivered twice, exactly one wins), and a beat
sweeper queues again the rows whose message or worker was lost. Whether a row can then go twice
(at-least-once) or never (at-most-once) is each caller's choice, said in its docstring.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F, QuerySet

# Longer than CELERY_TASK_TIME_LIMIT, so a slow send is never mistaken for a lost one.
STALL_AFTER = timedelta(minutes=10)


def claim(row: QuerySet, *, now, **changes) -> bool:
    """Take one row (`row` filters it by pk and by what makes it due); True if this caller won.

    The row gets `changes`, `claimed_at=now` and one more attempt in the same statement, so the
    database decides the race: the loser's UPDATE matches nothing.
    """
    return row.update(claimed_at=now, attempts=F("attempts") + 1, **changes) == 1


def sweep(due: QuerySet, *, limit: int, **changes) -> list[int]:
    """Ids of up to `limit` due rows, given `changes` (e.g. queued again, pushed forward).

    Locked with SKIP LOCKED: two sweepers never return the same row, and a worker finishing one
    of these rows right now keeps it (the sweep passes it by).
    """
    with transaction.atomic():
        locked = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(locked.values_list("pk", flat=True)[:limit])
        due.model.objects.filter(pk__in=ids).update(**changes)
    return ids
