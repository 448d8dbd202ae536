"""The coach's "needs attention" email through a real worker: sent once, content-free."""

import pytest
from django.db import transaction

from clients.intake import services
from clients.intake.tasks import notify_coach_of_flag
from coaching.models import OutboundEmail
from tests.conftest import wait_for

from .answers import PERSONA_4

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("worker")]


def test_a_red_intake_reaches_the_coach_once_even_if_the_task_is_sent_twice(
    celery_worker, smtp_sink
):
    celery_worker.start()
    response = services.response_start(country="UK")
    services.response_set_gate(response=response, gate="yes")
    response.answers = PERSONA_4
    response.save()
    with transaction.atomic():
        services.response_submit(response=response)
        notify_coach_of_flag.delay_on_commit(response.flags.get().pk)  # a duplicate message

    wait_for(lambda: OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).exists())
    wait_for(lambda: len(smtp_sink.messages) >= 1)
    assert OutboundEmail.objects.filter(template="intake_attention").count() == 1
    [message] = smtp_sink.messages
    assert message["Subject"] == "An intake needs your attention"
    text = message.get_body(("plain",)).get_content()
    for detail in ("SAF", "RED", "hurt", str(response.public_id)):
        assert detail not in text
