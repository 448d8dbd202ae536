"""One batch of a campaign over one SMTP connection: claim, send, record, row by row.

Per message: one statement records the previous message `sent` and claims this one (the
claim re-checks the subscriber and the campaign, so an unsubscribe or a pause committed before
this instant stops this message), then the server gets the message. The `sent` of a message
is thus committed right after the server accepts it, before anything else happens. A SIGTERM
(Celery cancelling the task when the broker goes) waits for that write; a worker killed outright
mid-batch leaves at most the one message in flight unrecorded: it may go twice. The commits are
ordinary (durable) ones, so a crash of PostgreSQL itself forgets nothing more.
"""

import contextlib
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from coaching.emails import retry_backoff
from coaching.outbox import STALL_AFTER
from coaching.termination import TerminationHold
from content.newsletter import merge
from content.newsletter.mail import CampaignMail
from content.newsletter.models import Campaign, Delivery, Subscriber, Suppression
from content.newsletter.throttle import Pacer, quota_wait
from content.newsletter.transport import Transport

logger = logging.getLogger(__name__)

HARD_BOUNCE_CODES = {550, 551, 553}
State = Delivery.State

# Raw SQL: these run for every message, and the ORM's overhead was most of their cost.
CLAIM_SQL = """
    UPDATE {d} SET state = 'sending', claimed_at = %s, due_at = %s, attempts = attempts + 1
    WHERE id = %s AND state = 'pending'
      AND EXISTS (SELECT 1 FROM {s} s WHERE s.id = {d}.subscriber_id AND s.status = 'active')
      AND EXISTS (SELECT 1 FROM {c} c WHERE c.id = {d}.campaign_id AND c.state = 'sending')"""
SENT_SQL = (
    "UPDATE {d} SET state = 'sent', sent_at = %s, error = '' WHERE id = %s AND state = 'sending'"
)
# PostgreSQL runs a data-modifying WITH exactly once, whatever the main statement finds.
SENT_THEN_CLAIM_SQL = f"WITH sent AS ({SENT_SQL} RETURNING 1) {CLAIM_SQL}"


def _execute(sql: str, params: list) -> int:
    tables = {"d": Delivery._meta.db_table, "s": Subscriber._meta.db_table}
    with connection.cursor() as cursor:
        cursor.execute(sql.format(c=Campaign._meta.db_table, **tables), params)
        return cursor.rowcount


_builders: dict = {}


def _builder(campaign: Campaign) -> CampaignMail:
    """One rendering per campaign per worker process (its batches share it)."""
    key = (campaign.pk, campaign.updated_at)
    if key not in _builders:
        _builders.clear()  # one campaign at a time in practice; never grows
        _builders[key] = CampaignMail(campaign)
    return _builders[key]


class BatchSender:
    def __init__(self, campaign: Campaign, batch: int):
        self.campaign, self.batch = campaign, batch
        self.transport = Transport(_builder(campaign))
        self.pacer = Pacer(settings.NEWSLETTER_RATE_PER_SECOND)
        self.unrecorded = None  # accepted by the server, `sent` not yet written
        self.hold = TerminationHold()  # a SIGTERM waits until `unrecorded` is written
        self.combine = connection.vendor == "postgresql"

    def run(self, rows: list) -> None:
        try:
            self.transport.open()
            for pk, subscriber_id, email, *fields in rows:
                if not self.send_one(pk, subscriber_id, email, merge.values_from(fields)):
                    break
        except (OSError, smtplib.SMTPException) as exc:  # could not even connect
            _defer_batch(self.campaign.pk, self.batch, repr(exc), retry_backoff(1))
        finally:
            self.record()
            with contextlib.suppress(OSError, smtplib.SMTPException):  # a dead one is closed
                self.transport.close()

    def record(self) -> None:
        if self.unrecorded:
            _execute(SENT_SQL, [timezone.now(), self.unrecorded])
            self.unrecorded = None
        self.hold.release()

    def claim(self, pk: int) -> bool:
        now = timezone.now()
        claim = [now, now + STALL_AFTER, pk]
        # Not combined when a SIGTERM waits: the process ends before claiming another row.
        if self.unrecorded and self.combine and not self.hold.received:
            claimed = _execute(SENT_THEN_CLAIM_SQL, [now, self.unrecorded, *claim])
            self.unrecorded = None
            self.hold.release()
            return bool(claimed)
        self.record()
        return bool(_execute(CLAIM_SQL, claim))

    def send_one(self, pk: int, subscriber_id: int, email: str, values: dict) -> bool:
        """Claim, send and record one row; False when the batch should stop."""
        wait = quota_wait()
        if wait > timedelta(0):  # the day's quota is used up: the rest waits for room
            _defer_batch(self.campaign.pk, self.batch, "daily sending quota reached", wait)
            return False
        if not self.claim(pk):
            return _not_claimed(pk)
        self.pacer.wait()
        self.hold.hold()  # released once the outcome is written (next claim or record)
        try:
            self.transport.send(
                delivery_id=pk, subscriber_id=subscriber_id, email=email, values=values
            )
        except smtplib.SMTPRecipientsRefused as exc:
            code, answer = next(iter(exc.recipients.values()))
            return _failed(pk, code, answer)
        except smtplib.SMTPResponseException as exc:
            return _failed(pk, exc.smtp_code, exc.smtp_error)
        except (OSError, smtplib.SMTPException) as exc:
            return _retry_later(pk, repr(exc))
        self.unrecorded = pk  # written by the very next statement (claim or record)
        return True


def _not_claimed(pk: int) -> bool:
    row = Delivery.objects.filter(pk=pk).values("state", "campaign__state").first()
    if row is None or row["campaign__state"] != Campaign.State.SENDING:
        return False  # paused or cancelled: stop this batch
    if row["state"] == State.PENDING:  # the subscriber left or paused since the snapshot
        Delivery.objects.filter(pk=pk, state=State.PENDING).update(
            state=State.SKIPPED, error="not subscribed at send time"
        )
    return True


def _failed(pk: int, code: int, answer) -> bool:
    error = f"{code} {answer!r}"[:300]
    if code < 500:
        return _retry_later(pk, error)
    Delivery.objects.filter(pk=pk).update(state=State.FAILED, error=error)
    if code in HARD_BOUNCE_CODES:
        from content.newsletter.services import subscriber_leave

        delivery = Delivery.objects.select_related("subscriber").get(pk=pk)
        if delivery.subscriber:
            subscriber_leave(subscriber=delivery.subscriber, reason=Suppression.Reason.BOUNCED)
    return True


def _retry_later(pk: int, error: str) -> bool:
    """A transient error: back off; the rest of the batch waits as long (the server struggles)."""
    delivery = Delivery.objects.get(pk=pk)
    if delivery.attempts >= settings.NEWSLETTER_MAX_ATTEMPTS:
        delivery.state, delivery.error = State.FAILED, f"gave up: {error}"[:300]
        delivery.save(update_fields=["state", "error"])
        return True
    backoff = retry_backoff(delivery.attempts)
    Delivery.objects.filter(pk=pk, state=State.SENDING).update(
        state=State.PENDING, error=error[:300]
    )
    _defer_batch(delivery.campaign_id, delivery.batch, error, backoff)
    return False


def _defer_batch(campaign_id: int, batch: int, error: str, backoff: timedelta) -> None:
    logger.warning("newsletter batch %s/%s deferred: %s", campaign_id, batch, error)
    Delivery.objects.filter(campaign_id=campaign_id, batch=batch, state=State.PENDING).update(
        due_at=timezone.now() + backoff
    )
