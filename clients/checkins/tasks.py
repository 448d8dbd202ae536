from celery import shared_task

from clients.checkins import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_checkin_reminder(reminder_id: int) -> None:
    """One reminder, at most once: the row is claimed in the transaction that records the
    email (which the outbox then delivers at-least-once); a redelivered task finds it taken."""
    services.reminder_send(reminder_id=reminder_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notify_coach_of_checkin(checkin_id: int) -> None:
    """A flagged check-in's content-free notice to the coach, once per check-in (claimed)."""
    services.checkin_flag_notify(checkin_id=checkin_id)


@shared_task
def sweep_checkins() -> None:
    """Beat sweeper: open due rounds, send their reminders, notify any flag a task lost."""
    for reminder_id in services.rounds_open():
        send_checkin_reminder.delay(reminder_id)
    for checkin_id in services.flags_due_notification():
        notify_coach_of_checkin.delay(checkin_id)
