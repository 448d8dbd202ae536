from celery import shared_task
from django.utils import timezone

from clients.homework import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_reminder(answer_id: int) -> None:
    """Send one homework reminder. The message is at-least-once (acks late); the effect is
    once, by the answer row's claim, which commits with the recorded email."""
    services.reminder_send(answer_id=answer_id, now=timezone.now())


@shared_task
def sweep_reminders() -> None:
    """Beat, every minute: one small task per due reminder (at-most-once per tick; a row whose
    message was lost is queued again after services.REQUEUE_AFTER, and the claim makes a second
    message a no-op)."""
    for answer_id in services.reminders_due(now=timezone.now()):
        send_reminder.delay(answer_id)
