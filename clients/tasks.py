from celery import shared_task
from django.conf import settings
from django.utils import timezone

from clients.services import clients_flag_for_review


@shared_task
def flag_alumni_for_review() -> int:
    """Daily: flag alumni past the retention period. Idempotent (flags only unflagged rows),
    so at-least-once delivery is fine."""
    return clients_flag_for_review(now=timezone.now(), years=settings.CLIENT_RETENTION_YEARS)
