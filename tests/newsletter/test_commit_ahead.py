"""Durable `sent` marks without paying a disk flush per message in series (batch.py).

The COMMIT that records message N goes out while message N+1 is on its way to the server, but
the server takes N+1 (its final dot) only once that COMMIT is confirmed: so at any instant at
most one message is taken and not recorded, after a worker kill or a PostgreSQL crash alike.
"""

import smtplib

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from content.newsletter import campaigns
from content.newsletter.models import Campaign
from content.newsletter.transport import send_with_end_held
from tests.conftest import SinkHandler, database_url_for_tests, free_port
from tests.newsletter.conftest import ensure_topics
from tests.newsletter.factories import CampaignFactory, bulk_subscribers


class RecordedSentSink(SinkHandler):
    """Counts, from a connection of its own, the rows recorded `sent` when a message arrives."""

    def __init__(self, database_url: str):
        super().__init__()
        self.database = psycopg.connect(database_url, autocommit=True)
        self.sent_on_arrival = []

    async def handle_DATA(self, server, session, envelope):
        sent = self.database.execute(
            "SELECT count(*) FROM newsletter_delivery WHERE state = 'sent'"
        ).fetchone()[0]
        self.sent_on_arrival.append(sent)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def recorded_sent_sink(transactional_db, settings):
    handler = RecordedSentSink(database_url_for_tests())
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.NEWSLETTER_RATE_PER_SECOND = 0
    yield handler
    controller.stop()
    handler.database.close()


def test_the_server_takes_each_message_only_once_the_one_before_is_recorded_sent(
    recorded_sent_sink,
):
    topic = ensure_topics()["news"]
    bulk_subscribers(40, topic, prefix="ahead")
    campaign = CampaignFactory(topics=[topic])
    assert not connection.in_atomic_block  # the send path that commits ahead

    campaigns.campaign_start(campaign=campaign)  # its batches run on commit (eager in tests)

    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT
    assert len(recorded_sent_sink.messages) == 40
    # Message i arrives with exactly the i before it recorded, durably (committed, and
    # synchronous_commit is on): never more than the one in flight unrecorded.
    assert recorded_sent_sink.sent_on_arrival == list(range(40))
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


@pytest.fixture
def sink_connection(smtp_sink):
    with smtplib.SMTP("127.0.0.1", smtp_sink.port) as smtp:
        yield smtp


MESSAGE = b"From: a@example.org\r\nTo: b@example.org\r\nSubject: Hi\r\n\r\n.a dot first\r\n"


def test_the_final_dot_waits_for_before_end(smtp_sink, sink_connection):
    seen_by_the_server_before_the_end = []

    def before_end():
        seen_by_the_server_before_the_end.append(len(smtp_sink.messages))

    send_with_end_held(sink_connection, "a@example.org", "b@example.org", MESSAGE, before_end)

    assert seen_by_the_server_before_the_end == [0]
    assert len(smtp_sink.messages) == 1
    assert smtp_sink.messages[0].get_content().splitlines() == [".a dot first"]  # stuffed, undone


def test_a_failed_commit_keeps_the_message_from_the_server(smtp_sink, sink_connection):
    def commit_failed():
        raise RuntimeError("COMMIT failed")

    with pytest.raises(RuntimeError):
        send_with_end_held(
            sink_connection, "a@example.org", "b@example.org", MESSAGE, commit_failed
        )

    with smtplib.SMTP("127.0.0.1", smtp_sink.port) as again:  # the server is still fine
        again.noop()
    assert smtp_sink.messages == []
