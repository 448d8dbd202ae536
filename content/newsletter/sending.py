"""Sending a campaign: snapshot the audience, start, finish, sweep (batches: `batch.py`).

At send time the audience is copied in one INSERT ... SELECT into one `Delivery` row per
recipient. A batch task opens one SMTP connection, claims each row with a conditional UPDATE
that also re-checks the subscriber and the campaign (so an unsubscribe or a pause takes effect
at the next message), sends, and commits `sent` right after the server accepts. A worker killed
mid-batch leaves at most the one in-flight row in `sending`; the sweeper puts such rows back,
so that message alone may go twice. Nothing else is ever resent.
"""

import logging
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from content.newsletter.batch import STALL_AFTER, send_rows
from content.newsletter.models import Campaign, Delivery, Subscriber, Suppression

logger = logging.getLogger(__name__)

State = Delivery.State


def _snapshot(campaign_id: int, now: datetime) -> int:
    """Copy the audience in one statement; unique(campaign, subscriber) makes it idempotent."""
    d, s = Delivery._meta.db_table, Subscriber._meta.db_table
    st, ct = Subscriber.topics.through._meta.db_table, Campaign.topics.through._meta.db_table
    sql = f"""
        INSERT INTO {d} (campaign_id, subscriber_id, email, batch, state, attempts, due_at, error)
        SELECT %s, s.id, s.email, (ROW_NUMBER() OVER (ORDER BY s.id) - 1) / %s,
               'pending', 0, %s, ''
        FROM {s} s
        WHERE s.status = 'active'
          AND EXISTS (SELECT 1 FROM {st} st JOIN {ct} ct ON ct.topic_id = st.topic_id
                      WHERE st.subscriber_id = s.id AND ct.campaign_id = %s)
          AND NOT EXISTS (SELECT 1 FROM {Suppression._meta.db_table} x
                          WHERE x.email_hash = s.email_hash)
        ON CONFLICT DO NOTHING"""  # noqa: S608 (table names from the models, values bound)
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign_id, settings.NEWSLETTER_BATCH_SIZE, now, campaign_id])
        return cursor.rowcount


def campaign_start(*, campaign: Campaign, from_states=Campaign.EDITABLE) -> int:
    """Start sending now: snapshot the recipients and queue their batches after commit.

    Claimed with a conditional UPDATE, so a campaign starts once however often this is called.
    Returns the number of recipients (0 when it was not startable).
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = Campaign.objects.filter(pk=campaign.pk, state__in=from_states).update(
            state=Campaign.State.SENDING, started_at=now, pause_reason=""
        )
        if not claimed:
            return 0
        count = _snapshot(campaign.pk, now)
        Campaign.objects.filter(pk=campaign.pk).update(recipients_count=count)
        batches = -(-count // settings.NEWSLETTER_BATCH_SIZE)
        transaction.on_commit(partial(_enqueue, [(campaign.pk, b) for b in range(batches)]))
    if not count:
        campaign_finish_if_done(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    return count


def _enqueue(pairs) -> None:
    from content.newsletter.tasks import send_batch

    for campaign_id, batch in pairs:
        send_batch.delay(campaign_id, batch)


def batch_send(*, campaign_id: int, batch: int) -> None:
    """Send one batch's pending rows over one SMTP connection, then finish if all is done."""
    campaign = Campaign.objects.filter(pk=campaign_id, state=Campaign.State.SENDING).first()
    if campaign is None:
        return
    rows = list(
        Delivery.objects.filter(campaign_id=campaign_id, batch=batch, state=State.PENDING)
        .order_by("pk")
        .values_list("pk", "subscriber_id", "email")
    )
    if rows:
        send_rows(campaign, batch, rows)
    campaign_finish_if_done(campaign_id=campaign_id)


def campaign_finish_if_done(*, campaign_id: int) -> bool:
    """Mark the campaign sent only when no row is pending or sending (never finished early)."""
    unfinished = Delivery.objects.filter(
        campaign_id=OuterRef("pk"), state__in=[State.PENDING, State.SENDING]
    )
    return bool(
        Campaign.objects.filter(pk=campaign_id, state=Campaign.State.SENDING)
        .filter(~Exists(unfinished))
        .update(state=Campaign.State.SENT, finished_at=timezone.now())
    )


def requeue_due(*, now: datetime | None = None) -> set[tuple[int, int]]:
    """Put back lost claims and due retries; returns the (campaign, batch) pairs to queue."""
    now = now or timezone.now()
    with transaction.atomic():
        due = Delivery.objects.due_again(now).select_for_update(skip_locked=True, of=("self",))
        ids = list(due.values_list("pk", flat=True)[:10000])
        # A row still `sending` after STALL_AFTER lost its worker: it may have gone (once).
        Delivery.objects.filter(pk__in=ids, state=State.SENDING).update(state=State.PENDING)
        Delivery.objects.filter(pk__in=ids).update(due_at=now + STALL_AFTER)
        return set(Delivery.objects.filter(pk__in=ids).values_list("campaign_id", "batch"))
