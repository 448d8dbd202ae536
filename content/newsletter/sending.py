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
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from coaching import outbox
from coaching.outbox import STALL_AFTER
from content.newsletter import merge
from content.newsletter.batch import BatchSender
from content.newsletter.models import Campaign, Delivery, Subscriber

logger = logging.getLogger(__name__)

State = Delivery.State


def _snapshot(campaign_id: int, now: datetime) -> int:
    """Copy the audience in one statement; unique(campaign, subscriber) makes it idempotent."""
    audience = Subscriber.objects.audience(campaign_id).order_by().values("id", "email")
    audience_sql, audience_params = audience.query.sql_with_params()
    sql = f"""
        INSERT INTO {Delivery._meta.db_table}
               (campaign_id, subscriber_id, email, batch, state, attempts, due_at, error)
        SELECT %s, a.id, a.email, (ROW_NUMBER() OVER (ORDER BY a.id) - 1) / %s,
               'pending', 0, %s, ''
        FROM ({audience_sql}) a
        ON CONFLICT DO NOTHING"""  # noqa: S608 (table name from the model, values bound)
    params = [campaign_id, settings.NEWSLETTER_BATCH_SIZE, now, *audience_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def campaign_start(
    *,
    campaign: Campaign,
    from_states=Campaign.EDITABLE,
    expected_recipients: int | None = None,
) -> int:
    """Start sending now: snapshot the recipients and queue their batches after commit.

    Claimed with a conditional UPDATE, so a campaign starts once however often this is called.
    With `expected_recipients` (the number the coach confirmed) it starts only if the snapshot
    holds exactly that many; otherwise ValidationError and nothing changed. A campaign with an
    unknown merge tag never starts (a scheduled one waits for the coach). Returns the number of
    recipients (0 when it was not startable).
    """
    _refuse_unknown_merge_tags(campaign)
    now = timezone.now()
    with transaction.atomic():
        claimed = Campaign.objects.filter(pk=campaign.pk, state__in=from_states).update(
            state=Campaign.State.SENDING, started_at=now, pause_reason=""
        )
        if not claimed:
            return 0
        count = _snapshot(campaign.pk, now)
        if expected_recipients is not None and count != expected_recipients:
            raise ValidationError(  # rolls back the claim and the snapshot
                "The audience changed since you looked: it is now %(count)s. Please confirm again.",
                params={"count": count},
            )
        Campaign.objects.filter(pk=campaign.pk).update(recipients_count=count)
        batches = -(-count // settings.NEWSLETTER_BATCH_SIZE)
        transaction.on_commit(partial(_enqueue, [(campaign.pk, b) for b in range(batches)]))
    if not count:
        campaign_finish_if_done(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    return count


def _refuse_unknown_merge_tags(campaign: Campaign) -> None:
    try:
        campaign.check_merge_tags()
    except ValidationError:
        Campaign.objects.filter(pk=campaign.pk, state=Campaign.State.SCHEDULED).update(
            state=Campaign.State.NEEDS_CONFIRMATION,
            pause_reason="A merge tag needs fixing: edit the campaign, then send or schedule it.",
        )
        raise


def _enqueue(pairs) -> None:
    from content.newsletter.tasks import send_batch

    for campaign_id, batch in pairs:
        send_batch.delay(campaign_id, batch)


def batch_send(*, campaign_id: int, batch: int) -> None:
    """Send one batch's pending rows over one SMTP connection, then finish if all is done."""
    campaign = Campaign.objects.filter(pk=campaign_id, state=Campaign.State.SENDING).first()
    if campaign is None:
        return
    # The subscriber's merge-tag fields come with the rows: one query for the whole batch.
    merge_fields = [f"subscriber__{field}" for field in merge.TAGS.values()]
    rows = list(
        Delivery.objects.filter(campaign_id=campaign_id, batch=batch, state=State.PENDING)
        .order_by("pk")
        .values_list("pk", "subscriber_id", "email", *merge_fields)
    )
    if rows:
        BatchSender(campaign, batch).run(rows)
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
    # A row still `sending` after STALL_AFTER lost its worker: it may have gone (once).
    due = Delivery.objects.due_again(now)
    ids = outbox.sweep(due, limit=10000, state=State.PENDING, due_at=now + STALL_AFTER)
    return set(Delivery.objects.filter(pk__in=ids).values_list("campaign_id", "batch"))
