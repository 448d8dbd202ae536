"""Telling the coach and the operator when email is not getting through (docs/reliability.md
R-09, X-05).

Two kinds of trouble. An email that failed for good (a permanent 5xx, or the retry budget
spent) is logged at ERROR when it fails (`coaching.emails`), and counted on the coach's
dashboard for a week. An email server that refuses or does not answer leaves emails waiting for
their retries: once the oldest has waited OUTAGE_AFTER, beat's minute check logs one ERROR for
the outage, and the dashboard says so until the backlog has gone out. Logs carry ids and codes,
never addresses or contents.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.utils import timezone

from coaching.hooks import Panel
from coaching.models import OutboundEmail

logger = logging.getLogger(__name__)

# With beat's check every minute, an outage is reported within OUTAGE_AFTER + 1 minute.
OUTAGE_AFTER = timedelta(minutes=3)
FAILED_SHOWN_FOR = timedelta(days=7)
OUTAGE_KEY = "coaching:email-outage-reported"
Status = OutboundEmail.Status


@dataclass(frozen=True)
class DeliveryTrouble:
    failed: int  # failed for good within FAILED_SHOWN_FOR
    waiting: int  # queued again after a failed attempt
    waiting_since: datetime | None  # when the oldest of those was created

    def outage(self, now: datetime) -> bool:
        return bool(self.waiting_since and now - self.waiting_since >= OUTAGE_AFTER)


def delivery_trouble(now: datetime | None = None) -> DeliveryTrouble:
    """One query over the rows still in play (the status index keeps it small)."""
    now = now or timezone.now()
    retrying = Q(status=Status.QUEUED, attempts__gte=1)
    failed = Q(status=Status.FAILED, created_at__gte=now - FAILED_SHOWN_FOR)
    counts = OutboundEmail.objects.filter(retrying | failed).aggregate(
        failed=Count("pk", filter=failed),
        waiting=Count("pk", filter=retrying),
        waiting_since=Min("created_at", filter=retrying),
    )
    return DeliveryTrouble(**counts)


def check_delivery(now: datetime | None = None) -> bool:
    """Beat: report an outage once, when it has lasted OUTAGE_AFTER; True when reported now."""
    now = now or timezone.now()
    trouble = delivery_trouble(now)
    if not trouble.outage(now):
        cache.delete(OUTAGE_KEY)  # over (or never began): the next one is reported again
        return False
    if not cache.add(OUTAGE_KEY, now.isoformat(), timeout=None):
        return False
    logger.error(
        "email outage: %s emails are waiting for a retry, the oldest since %s",
        trouble.waiting,
        trouble.waiting_since.isoformat(),
    )
    return True


def dashboard_panel(request) -> Panel | None:
    now = timezone.now()
    trouble = delivery_trouble(now)
    if not (trouble.failed or trouble.outage(now)):
        return None
    return Panel("coaching/_delivery_panel.html", {"trouble": trouble}, order=0)
