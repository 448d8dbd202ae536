"""The beat sweeper: each person gets one reminder per round, whatever the number of sweeps or
of workers; through a real worker too."""

import pytest
from django.db import transaction

from clients.checkins import tasks
from clients.checkins.services import schedule_set
from coaching.models import OutboundEmail
from tests.conftest import wait_for


@pytest.mark.django_db
def test_sweeping_twice_sends_each_person_one_reminder(on):
    _, alice, bea = on
    tasks.sweep_checkins()
    tasks.sweep_checkins()
    emails = OutboundEmail.objects.filter(template="checkin_reminder")
    assert sorted(emails.values_list("to", flat=True)) == [alice.email, bea.email]


@pytest.mark.worker
@pytest.mark.xdist_group("worker")
def test_a_round_reaches_each_person_once_through_a_real_worker(celery_worker, smtp_sink, couple):
    client, alice, bea = couple
    celery_worker.start()
    schedule_set(client=client, rhythm="weekly", active=True)
    with transaction.atomic():
        tasks.sweep_checkins.delay_on_commit()
        tasks.sweep_checkins.delay_on_commit()  # a second sweeper at the same moment
    wait_for(lambda: len(smtp_sink.messages) >= 2)
    wait_for(lambda: OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() == 2)
    assert sorted(m["To"] for m in smtp_sink.messages) == [alice.email, bea.email]
    assert OutboundEmail.objects.count() == 2  # no third email recorded, only two rows
