"""Reminders through a real worker on Redis: swept twice and every task sent twice (as a
redelivery would), each reminder still reaches the SMTP server exactly once (R-01, R-06 of
docs/reliability.md)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings import reminders, tasks
from bookings.models import ReminderDelivery
from coaching import emails
from tests.bookings.factories import BookingFactory, SessionTypeFactory
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("worker")]


def test_duplicated_sweeps_and_tasks_send_each_reminder_once(celery_worker, smtp_sink):
    session_type = SessionTypeFactory(reminder_minutes=[24 * 60])
    now = timezone.now()
    for n in range(5):
        booking = BookingFactory(session_type=session_type, start=now + timedelta(hours=3 + n))
        reminders.schedule(booking, now=now - timedelta(days=1))  # due while workers were down
    ids = list(ReminderDelivery.objects.values_list("pk", flat=True))
    celery_worker.start()

    tasks.sweep_reminders.delay()
    tasks.sweep_reminders.delay()
    for reminder_id in ids * 2:
        tasks.send_reminder.delay(reminder_id)
    wait_for(lambda: len(smtp_sink.messages) >= 5)
    # One more email behind them in the queue: once it arrives, the duplicates were handled.
    emails.send_email(to="last@example.org", template="coach_test", context={})
    wait_for(lambda: any(m["To"] == "last@example.org" for m in smtp_sink.messages))

    reminder_mail = [m for m in smtp_sink.messages if m["Subject"].startswith("Reminder:")]
    assert len(reminder_mail) == 5
    assert len({m["To"] for m in reminder_mail}) == 5
    assert set(ReminderDelivery.objects.values_list("state", flat=True)) == {"sent"}


def test_worker_killed_mid_batch_loses_and_duplicates_nothing(celery_worker, smtp_sink):
    """R-05 (short, chaos): kill -9 the worker while it works through 20 reminders, start a
    new one, let the sweepers find what was lost: every reminder arrives exactly once."""
    from coaching.tasks import deliver_email

    session_type = SessionTypeFactory(reminder_minutes=[24 * 60])
    now = timezone.now()
    for n in range(20):
        booking = BookingFactory(session_type=session_type, start=now + timedelta(hours=3 + n))
        reminders.schedule(booking, now=now - timedelta(days=1))
    celery_worker.start()
    for reminder_id in ReminderDelivery.objects.values_list("pk", flat=True):
        tasks.send_reminder.delay(reminder_id)
    sent = ReminderDelivery.objects.filter(state="sent")
    wait_for(lambda: sent.exists(), timeout=30, interval=0.02)
    celery_worker.kill()  # measured here: it lands after the first of the 20
    celery_worker.start()

    # The sweepers, as beat would run them once the lost work is old enough to be called lost,
    # at each look: the dead worker's session may still lock its row at the first. A swept row
    # is due again only after `later`, so none is queued twice.
    later = timezone.now() + reminders.REQUEUE_AFTER + timedelta(seconds=1)

    def swept_and_all_sent() -> bool:
        for reminder_id in reminders.sweep(now=later):
            tasks.send_reminder.delay(reminder_id)
        return not ReminderDelivery.objects.exclude(state="sent").exists()

    wait_for(swept_and_all_sent, interval=0.5)
    for email_id in emails.requeue_due(now=timezone.now() + emails.STALL_AFTER * 2):
        deliver_email.delay(email_id)
    wait_for(lambda: len([m for m in smtp_sink.messages if "Reminder" in m["Subject"]]) >= 20)
    emails.send_email(to="last@example.org", template="coach_test", context={})
    wait_for(lambda: any(m["To"] == "last@example.org" for m in smtp_sink.messages))

    reminder_mail = [m for m in smtp_sink.messages if m["Subject"].startswith("Reminder:")]
    assert len(reminder_mail) == 20
    assert len({m["To"] for m in reminder_mail}) == 20
