"""The outbox helper every queue shares: one claim wins, a stalled row is swept once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coaching import outbox
from coaching.models import OutboundEmail
from tests.bookings.test_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)
Status = OutboundEmail.Status


def queued_row(**fields) -> OutboundEmail:
    defaults = {"to": "ana@example.org", "template": "t", "subject": "s", "body_text": "x"}
    defaults |= {"body_html": "x", "next_attempt_at": timezone.now()}
    return OutboundEmail.objects.create(**defaults | fields)


def take(pk: int) -> bool:
    queued = OutboundEmail.objects.filter(pk=pk, status=Status.QUEUED)
    return outbox.claim(queued, now=timezone.now(), status=Status.SENDING)


def test_of_two_claimers_at_once_exactly_one_wins():
    row = queued_row()
    for _ in range(5):  # five rounds, each on its own fresh row
        results = race([lambda pk=row.pk: take(pk)] * 2)
        assert sorted(results) == [False, True]
        row.refresh_from_db()
        assert row.status == Status.SENDING and row.attempts == 1 and row.claimed_at
        row = queued_row()


def test_a_claimed_row_is_not_claimed_again():
    row = queued_row()
    assert take(row.pk) is True
    assert take(row.pk) is False
    row.refresh_from_db()
    assert row.attempts == 1


def stalled(now):
    """The caller's idea of "lost": claimed longer ago than STALL_AFTER."""
    return OutboundEmail.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - outbox.STALL_AFTER
    )


def test_a_stalled_row_is_swept_once_by_two_sweepers_at_once():
    row = queued_row()
    take(row.pk)
    later = timezone.now() + outbox.STALL_AFTER + timedelta(seconds=1)
    assert outbox.sweep(stalled(timezone.now()), limit=10, status=Status.QUEUED) == []

    def sweep():
        return outbox.sweep(stalled(later), limit=10, status=Status.QUEUED, claimed_at=later)

    results = race([sweep, sweep])
    assert sorted(results) == [[], [row.pk]]
    row.refresh_from_db()
    assert row.status == Status.QUEUED
    assert outbox.sweep(stalled(later), limit=10, status=Status.QUEUED) == []
    assert take(row.pk) is True  # the sweep makes it claimable again: one more attempt
    row.refresh_from_db()
    assert row.attempts == 2
