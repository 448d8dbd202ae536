"""Homework reminders through a real worker on Redis: swept twice and every task sent twice (as
a redelivery would), each person's reminder still reaches the SMTP server exactly once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clients.homework import tasks
from clients.homework.models import Answer
from clients.homework.services import assignment_create
from coaching import emails
from tests.conftest import wait_for
from tests.factories import PersonFactory

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("worker")]


def test_duplicated_sweeps_and_tasks_send_each_reminder_once(celery_worker, smtp_sink, exercise):
    due_on = timezone.localdate() + timedelta(days=1)  # the reminder time has passed
    for _ in range(3):
        person = PersonFactory()
        assignment_create(client=person.client, exercise=exercise, due_on=due_on,
                          now=timezone.now() - timedelta(days=7))  # fmt: skip
    ids = list(Answer.objects.values_list("pk", flat=True))
    celery_worker.start()

    tasks.sweep_reminders.delay()
    tasks.sweep_reminders.delay()
    for answer_id in ids * 2:
        tasks.send_reminder.delay(answer_id)
    wait_for(lambda: len(smtp_sink.messages) >= 3)
    # One more email behind them in the queue: once it arrives, the duplicates were handled.
    emails.send_email(to="last@example.org", template="coach_test", context={})
    wait_for(lambda: any(m["To"] == "last@example.org" for m in smtp_sink.messages))

    sent = [m for m in smtp_sink.messages if m["Subject"].startswith("A reminder from")]
    assert len(sent) == 3 and len({m["To"] for m in sent}) == 3
    assert not Answer.objects.filter(reminded_at=None).exists()
