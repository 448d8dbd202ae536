"""The email queue end to end: a real worker on Redis delivers to a real SMTP server."""

import pytest

from coaching import emails
from coaching.models import OutboundEmail
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("worker")]


def test_an_email_sent_through_the_queue_is_delivered_once_and_recorded(celery_worker, smtp_sink):
    celery_worker.start()
    email = emails.send_email(to="ana@example.org", template="coach_test", context={})

    wait_for(lambda: OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.SENT)
    email.refresh_from_db()
    assert email.attempts == 1 and email.sent_at is not None
    [message] = smtp_sink.messages
    assert message["To"] == "ana@example.org"
    assert message["Message-ID"] == email.message_id
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
