from celery import shared_task
from django.utils import timezone

from bookings import reminders


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_reminder(reminder_id: int) -> None:
    """Send one due reminder. The message is at-least-once (acks late, redelivered when a
    worker dies); the effect is once, by the row's claim, which commits with the email."""
    reminders.deliver(reminder_id, now=timezone.now())


@shared_task
def sweep_reminders() -> None:
    """Beat, every minute: queue one small task per due reminder (at-most-once per tick;
    a lost tick or message is made good by the next sweep)."""
    for reminder_id in reminders.sweep(now=timezone.now()):
        send_reminder.delay(reminder_id)
