"""Sending a campaign once started: batches, finish, sweep (the start: `campaigns.py`).

At start the audience is copied in one INSERT ... SELECT into one `Delivery` row per
recipient. A batch task opens one SMTP connection, claims each row with a conditional UPDATE
that also re-checks the subscriber and the campaign (so an unsubscribe or a pause takes effect
at the next message), sends, and commits `sent` right after the server accepts. A worker killed
mid-batch leaves at most the one in-flight row in `sending`; the sweeper puts such rows back,
so that message alone may go twice. Nothing else is ever resent.
"""

import logging
from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from coaching import outbox
from coaching.outbox import STALL_AFTER
from content.newsletter import merge
from content.newsletter.batch import BatchSender
from content.newsletter.models import Campaign, Delivery

logger = logging.getLogger(__name__)

State = Delivery.State


def batch_send(*, campaign_id: int, batch: int) -> None:
    """Send one batch's pending rows over one SMTP connection, then finish if all is done."""
    campaign = Campaign.objects.filter(pk=campaign_id, state=Campaign.State.SENDING).first()
    if campaign is None:
        return
    # The subscriber's merge-tag fields come with the rows: one query for the whole batch.
    merge_fields = merge.columns("subscriber__")
    rows = list(
        Delivery.objects.filter(campaign_id=campaign_id, batch=batch, state=State.PENDING)
        .order_by("pk")
        .values_list("pk", "subscriber_id", "email", *merge_fields)
    )
    if rows:
        BatchSender(campaign, batch).run(rows)
    campaign_finish_if_done(campaign_id=campaign_id)


def campaign_finish_if_done(*, campaign_id: int) -> bool:
    """Mark the campaign sent only when no row is pending or sending (never finished early).
    A sequence's letter is never finished: it keeps sending as people join."""
    unfinished = Delivery.objects.filter(
        campaign_id=OuterRef("pk"), state__in=[State.PENDING, State.SENDING]
    )
    return bool(
        Campaign.objects.filter(pk=campaign_id, state=Campaign.State.SENDING, step=None)
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
