"""One batch of a campaign over one SMTP connection: claim, send, record, row by row.

Per message: one transaction records the previous message `sent` and claims this one (the
claim re-checks the subscriber and the campaign, so an unsubscribe or a pause committed before
this instant stops this message). Its COMMIT is a durable one, and the disk flush it waits for
costs about as much as sending a message, so on PostgreSQL the COMMIT is sent at once and the
message goes to the server meanwhile; only the message's final dot, the instant the server
takes it, waits for the COMMIT to be confirmed. So at any instant at most one message is taken
by the server and not yet recorded `sent`, and only that one may go twice: after a worker
killed outright, or a crash of PostgreSQL itself. A SIGTERM (Celery cancelling the task when
the broker goes) waits until the last message's `sent` is written.
"""

import contextlib
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from psycopg.pq import ExecStatus

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


def _execute(sql: str, params: list, *, begin: bool = False) -> int:
    tables = {"d": Delivery._meta.db_table, "s": Subscriber._meta.db_table}
    with connection.cursor() as cursor:
        # One round trip for both (Django's psycopg cursors bind on the client side).
        cursor.execute(
            ("BEGIN; " if begin else "") + sql.format(**tables, c=Campaign._meta.db_table), params
        )
        if begin:
            cursor.nextset()
        return cursor.rowcount


class CommitAhead:
    """A transaction whose COMMIT is sent at once and confirmed later (PostgreSQL only).

    Between `execute` and `confirm` nothing else may use the connection: `confirm` is
    idempotent, and every other use of the database in a batch comes after one."""

    def __init__(self):
        self.sent = False

    def execute(self, sql: str, params: list) -> int:
        try:
            count = _execute(sql, params, begin=True)
        except DatabaseError:
            _execute("ROLLBACK", [])
            raise
        connection.connection.pgconn.send_query(b"COMMIT")
        self.sent = True
        return count

    def confirm(self) -> None:
        """Wait for the COMMIT's answer; raises if it failed (nothing of it was written)."""
        if not self.sent:
            return
        self.sent = False
        pgconn, failure = connection.connection.pgconn, None
        while (result := pgconn.get_result()) is not None:
            if result.status != ExecStatus.COMMAND_OK:
                failure = (result.error_message or b"COMMIT failed").decode(errors="replace")
        if failure:
            raise DatabaseError(failure)


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
        # Inside an atomic block (the tests' transactions) a COMMIT would end the outer one.
        self.commit = CommitAhead() if self.combine and not connection.in_atomic_block else None

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

    def confirm(self) -> None:
        if self.commit:
            self.commit.confirm()

    def record(self) -> None:
        self.confirm()
        if self.unrecorded:
            _execute(SENT_SQL, [timezone.now(), self.unrecorded])
            self.unrecorded = None
        self.hold.release()

    def claim(self, pk: int) -> bool:
        now = timezone.now()
        claim = [now, now + STALL_AFTER, pk]
        # Not combined when a SIGTERM waits: the process ends before claiming another row.
        if self.unrecorded and self.combine and not self.hold.received:
            params = [now, self.unrecorded, *claim]
            if self.commit:  # confirmed before this message's end (or before any other query)
                claimed = self.commit.execute(SENT_THEN_CLAIM_SQL, params)
            else:
                claimed = _execute(SENT_THEN_CLAIM_SQL, params)
                self.hold.release()
            self.unrecorded = None
            if not claimed:
                self.confirm()
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
            try:
                self.transport.send(
                    delivery_id=pk,
                    subscriber_id=subscriber_id,
                    email=email,
                    values=values,
                    before_end=self.confirm,
                )
            finally:
                self.confirm()  # when the send failed early: the claim is written first
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
