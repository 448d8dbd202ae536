from celery import shared_task

from coaching import email_health, emails


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_email(email_id: int) -> None:
    """Deliver one recorded email: at-least-once, made once in practice by the row's claim."""
    emails.deliver(email_id)


@shared_task
def requeue_stalled_emails() -> None:
    """Beat sweeper: queue again the retries that are due and the deliveries that were lost."""
    for email_id in emails.requeue_due():
        deliver_email.delay(email_id)


@shared_task
def check_email_delivery() -> None:
    """Beat: report an email outage once it has lasted a few minutes (idempotent)."""
    email_health.check_delivery()
