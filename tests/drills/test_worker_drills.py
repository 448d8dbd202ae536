"""Drills X-01, X-03 and X-05 of docs/reliability.md (short versions): a real worker, a real
SMTP sink, and something going wrong mid-work. PostgreSQL is the source of truth: whatever the
broker forgets, the database sweepers find again, and each row's claim keeps every email to one
copy."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings import reminders
from bookings import tasks as booking_tasks
from bookings.models import ReminderDelivery
from coaching import email_health, emails
from coaching.models import OutboundEmail
from coaching.tasks import deliver_email
from tests.bookings.factories import BookingFactory, SessionTypeFactory
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("drills")]


def _due_reminders(count: int) -> list[int]:
    session_type = SessionTypeFactory(reminder_minutes=[24 * 60])
    now = timezone.now()
    for n in range(count):
        booking = BookingFactory(session_type=session_type, start=now + timedelta(hours=3 + n))
        reminders.schedule(booking, now=now - timedelta(days=1))  # due while workers were down
    return list(ReminderDelivery.objects.values_list("pk", flat=True))


def _emails(count: int) -> None:
    for n in range(count):
        emails.send_email(to=f"reader{n}@example.org", template="coach_test", context={})


def _sweep(*, later: timedelta) -> None:
    """Both sweepers, as beat runs them once lost work is old enough to be called lost."""
    for reminder_id in reminders.sweep(now=timezone.now() + later):
        booking_tasks.send_reminder.delay(reminder_id)
    for email_id in emails.requeue_due(now=timezone.now() + later):
        deliver_email.delay(email_id)


def _assert_each_once(smtp_sink, expected: int) -> None:
    # One more email behind the rest in the queue: once it arrives, the queue is drained.
    emails.send_email(to="last@example.org", template="coach_test", context={})
    wait_for(lambda: "last@example.org" in smtp_sink.sent_to(), timeout=30)
    received = [to for to in smtp_sink.sent_to() if to != "last@example.org"]
    assert len(received) == expected and len(set(received)) == expected
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_x01_redis_restarted_mid_work_everything_arrives_exactly_once(
    celery_worker, smtp_sink, private_redis
):
    smtp_sink.delay = 0.2
    reminder_ids = _due_reminders(6)
    celery_worker.start()
    for reminder_id in reminder_ids:
        booking_tasks.send_reminder.delay(reminder_id)
    _emails(6)
    wait_for(lambda: len(smtp_sink.messages) >= 2, interval=0.02)

    private_redis.restart()  # no persistence: every queued and unacknowledged message is gone
    wait_for(lambda: celery_worker.log.read_text().count("Connected to redis") >= 2, timeout=40)
    lost = OutboundEmail.objects.exclude(status="sent").count()
    _sweep(later=max(reminders.REQUEUE_AFTER, emails.STALL_AFTER) + timedelta(seconds=1))
    wait_for(lambda: not ReminderDelivery.objects.exclude(state="sent").exists())
    wait_for(lambda: not OutboundEmail.objects.exclude(status="sent").exists())

    assert lost > 0, "the restart came too late to lose anything: the drill proved nothing"
    _assert_each_once(smtp_sink, expected=12)


def test_x03_sigterm_to_the_worker_mid_work_loses_nothing(celery_worker, smtp_sink):
    smtp_sink.delay = 0.2
    celery_worker.start()
    _emails(10)
    wait_for(lambda: len(smtp_sink.messages) >= 2, interval=0.02)

    celery_worker.stop()  # SIGTERM: a warm shutdown finishes the task in hand, returns the rest
    assert OutboundEmail.objects.exclude(status="sent").exists()
    celery_worker.start()

    wait_for(lambda: not OutboundEmail.objects.exclude(status="sent").exists())
    _assert_each_once(smtp_sink, expected=10)


def test_x05_smtp_down_for_a_while_the_backlog_drains_after(celery_worker, smtp_sink, settings):
    smtp_sink.down = True
    celery_worker.start()
    _emails(5)
    waiting = OutboundEmail.objects.filter(status="queued", attempts__gte=1)
    wait_for(lambda: waiting.count() == 5)
    # Still down at the sweeps of the next minutes: each retry fails again, and waits longer.
    _sweep(later=timedelta(minutes=2))
    wait_for(lambda: OutboundEmail.objects.filter(status="queued", attempts=2).count() == 5)
    assert not smtp_sink.messages
    # Beat's minute check raises the alert within 5 minutes of the first failure, once.
    assert email_health.check_delivery(timezone.now() + timedelta(minutes=4))
    assert not email_health.check_delivery(timezone.now() + timedelta(minutes=5))

    smtp_sink.down = False
    _sweep(later=timedelta(minutes=10))
    wait_for(lambda: not OutboundEmail.objects.exclude(status="sent").exists())

    attempts = set(OutboundEmail.objects.values_list("attempts", flat=True))
    assert attempts == {3} and max(attempts) < settings.EMAIL_MAX_ATTEMPTS  # budget left
    assert email_health.delivery_trouble() == email_health.DeliveryTrouble(0, 0, None)  # all clear
    _assert_each_once(smtp_sink, expected=5)
