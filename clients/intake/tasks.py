from celery import shared_task

from clients.intake import services


@shared_task
def notify_coach_of_flag(flag_id: int) -> None:
    """Tell the coach an intake needs attention. At-most-once per flag: the flag row is
    claimed (notified_at set) in the same transaction that records the email, and the email
    itself is then delivered at-least-once by the outbox. A missing flag (the respondent
    deleted her answers) is skipped quietly."""
    services.safety_flag_notify(flag_id=flag_id)
