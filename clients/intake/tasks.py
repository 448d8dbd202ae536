from celery import shared_task

from clients.intake import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notify_coach_of_flag(flag_id: int) -> None:
    """Tell the coach an intake needs attention. Exactly one notification per flag: the flag
    row is claimed (notified_at set) in the same transaction that records the email, which
    the outbox then delivers at-least-once; a redelivered task finds the claim taken. A
    missing flag (the respondent deleted their answers) is skipped quietly."""
    services.safety_flag_notify(flag_id=flag_id)


@shared_task
def sweep_unnotified_flags() -> None:
    """Beat sweeper: a flag whose task was lost with the broker is notified all the same."""
    for flag_id in services.safety_flags_due_notification():
        notify_coach_of_flag.delay(flag_id)
