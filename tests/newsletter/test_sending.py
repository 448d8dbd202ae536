"""The sending pipeline with eager tasks: audience, headers, tokens, pause, late starts."""

from datetime import timedelta
from email.utils import parseaddr

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from content.newsletter import campaigns, sending, services
from content.newsletter.models import Campaign, Delivery, Subscriber, Suppression, email_hash
from tests.newsletter.conftest import unsubscribe_target
from tests.newsletter.factories import CampaignFactory, SubscriberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unlimited_rate")]


def send(campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        campaigns.campaign_start(campaign=campaign)
    campaign.refresh_from_db()


def test_nobody_unconfirmed_unsubscribed_or_off_topic_receives_it(
    topics, django_capture_on_commit_callbacks
):
    """The mixed list: only confirmed subscribers of a chosen topic, and not suppressed."""
    S = Subscriber.Status
    yes = [SubscriberFactory(topics=[topics["news"]]) for _ in range(3)]
    SubscriberFactory(topics=[topics["love-letters"]])  # another topic
    for status in (S.PENDING, S.PAUSED, S.UNSUBSCRIBED, S.BOUNCED, S.COMPLAINED):
        SubscriberFactory(status=status, topics=[topics["news"]])
    erased = SubscriberFactory(topics=[topics["news"]])
    Suppression.objects.create(email_hash=erased.email_hash, reason="erased")
    campaign = CampaignFactory(topics=[topics["news"]])

    send(campaign, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in yes)
    assert campaign.state == Campaign.State.SENT and campaign.recipients_count == 3
    assert set(campaign.deliveries.values_list("state", flat=True)) == {"sent"}


def test_campaign_headers_follow_rfc_8058_and_transactional_mail_has_none(
    topics, django_capture_on_commit_callbacks
):
    """docs/reliability.md M-01 (DKIM is the provider's: this project does not sign mail itself)."""
    SubscriberFactory.create_batch(3)
    send(CampaignFactory(), django_capture_on_commit_callbacks)
    for message in mail.outbox:
        headers = message.extra_headers
        https, mailto = [part.strip(" <>") for part in headers["List-Unsubscribe"].split(",")]
        assert https.startswith("https://") and "/newsletter/unsubscribe/" in https
        assert mailto.startswith("mailto:")
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert headers["List-Id"].endswith("<newsletter.coach.example.com>")
        assert message.from_email == settings.NEWSLETTER_FROM_EMAIL != settings.DEFAULT_FROM_EMAIL
        assert message.alternatives and https in message.alternatives[0][0]
        assert "List-Unsubscribe" in message.message()  # really in the wire format
    with django_capture_on_commit_callbacks(execute=True):
        services.subscriber_request(email="new@example.org", topics=[], form_id="t")
    confirmation = mail.outbox[-1]
    assert (
        "List-Unsubscribe" not in confirmation.message() and "List-Id" not in confirmation.message()
    )
    assert parseaddr(confirmation.from_email)[1] == parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def test_every_unsubscribe_token_decodes_to_its_own_recipient(
    topics, django_capture_on_commit_callbacks, settings
):
    """C-09, at 1,000 recipients: 0 cross-recipient tokens."""
    settings.NEWSLETTER_BATCH_SIZE = 250
    subscribers = SubscriberFactory.create_batch(1000, topics=[topics["news"]])
    campaign = CampaignFactory(topics=[topics["news"]])
    send(campaign, django_capture_on_commit_callbacks)
    by_id = {s.pk: s.email for s in subscribers}
    assert len(mail.outbox) == 1000
    for message in mail.outbox:
        subscriber_id, campaign_id = unsubscribe_target(message)
        assert by_id[subscriber_id] == message.to[0] and campaign_id == campaign.pk


def test_pause_at_37_percent_and_resume_never_resends(
    topics, start_quietly, settings, django_capture_on_commit_callbacks
):
    """C-02: total = N, 0 resends."""
    settings.NEWSLETTER_BATCH_SIZE = 37
    SubscriberFactory.create_batch(100)
    campaign = CampaignFactory()
    start_quietly(campaign)
    sending.batch_send(campaign_id=campaign.pk, batch=0)  # 37 %
    campaigns.campaign_pause(campaign=campaign)
    for batch in range(3):  # batches still queued send nothing while paused
        sending.batch_send(campaign_id=campaign.pk, batch=batch)
    assert len(mail.outbox) == 37 and campaign.state == Campaign.State.PAUSED
    with django_capture_on_commit_callbacks(execute=True):
        campaigns.campaign_resume(campaign=campaign)
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == 100 == len(set(recipients))
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT


def test_a_campaign_is_never_finished_while_a_row_is_pending(topics, start_quietly, settings):
    """C-03: finishing is conditional on no pending or sending row."""
    settings.NEWSLETTER_BATCH_SIZE = 2
    SubscriberFactory.create_batch(4)
    campaign = CampaignFactory()
    start_quietly(campaign)
    sending.batch_send(campaign_id=campaign.pk, batch=0)
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENDING
    Delivery.objects.filter(campaign=campaign, batch=1).update(state="sending")
    assert not sending.campaign_finish_if_done(campaign_id=campaign.pk)


def test_a_scheduled_campaign_more_than_6_hours_late_waits_for_confirmation(
    topics, django_capture_on_commit_callbacks
):
    """C-04: not sent automatically; moved to needs_confirmation. One 1 h late still goes."""
    SubscriberFactory()
    now = timezone.now()
    late = CampaignFactory(state="scheduled", scheduled_at=now - timedelta(hours=6, minutes=1))
    recent = CampaignFactory(state="scheduled", scheduled_at=now - timedelta(hours=1))
    future = CampaignFactory(state="scheduled", scheduled_at=now + timedelta(hours=1))
    from content.newsletter.tasks import sweep

    with django_capture_on_commit_callbacks(execute=True):
        sweep()
    for campaign in (late, recent, future):
        campaign.refresh_from_db()
    assert late.state == Campaign.State.NEEDS_CONFIRMATION and not late.deliveries.exists()
    assert recent.state == Campaign.State.SENT and future.state == Campaign.State.SCHEDULED
    assert len(mail.outbox) == 1


def test_nobody_who_unsubscribes_during_a_campaign_gets_it_afterwards(
    topics, start_quietly, settings
):
    """C-05: 50 of 200 leave while it runs; 0 emails to them after their unsubscribe."""
    settings.NEWSLETTER_BATCH_SIZE = 50
    subscribers = SubscriberFactory.create_batch(200)
    campaign = CampaignFactory()
    start_quietly(campaign)
    sending.batch_send(campaign_id=campaign.pk, batch=0)
    leaving = subscribers[75:125]
    for subscriber in leaving:
        services.subscriber_leave(subscriber=subscriber, campaign_id=campaign.pk)
    for batch in (1, 2, 3):
        sending.batch_send(campaign_id=campaign.pk, batch=batch)
    received = [m.to[0] for m in mail.outbox]
    assert not {s.email for s in leaving} & set(received)
    assert len(received) == 150
    stats = campaigns.campaign_stats(campaign)
    assert (stats.sent, stats.skipped, stats.remaining) == (150, 50, 0)


def test_erasing_keeps_only_a_hash_and_no_campaign_reaches_the_address(
    topics, django_capture_on_commit_callbacks
):
    from content.newsletter.integrations import erase
    from tests.factories import PersonFactory

    person = PersonFactory(email="gone@example.org")
    SubscriberFactory(email="gone@example.org")
    counts = erase(person.client)
    assert counts["newsletter subscribers"] == 1
    assert Suppression.objects.get().email_hash == email_hash("gone@example.org")
    assert not Subscriber.objects.exists()


def test_the_smtp_fast_path_sends_the_same_message_as_django_builds(topics):
    """`wire()` (bytes for SMTP) and `message()` (Django's object) agree, header by header."""
    from email import message_from_bytes, policy

    from content.newsletter.mail import CampaignMail

    campaign = CampaignFactory(
        subject="Café & “quotes” {{ first_name }}", body_markdown="Hé **{{ first_name }}**"
    )
    builder = CampaignMail(campaign)
    ids = {"delivery_id": 7, "subscriber_id": 3, "email": "zoë@example.org"}
    ids["values"] = {"first_name": "Zoë"}
    # One frozen instant: the unsubscribe token signs a timestamp, and a second boundary
    # between the two builds would make the links differ.
    with time_machine.travel(timezone.now(), tick=False):
        fast = message_from_bytes(builder.wire(**ids), policy=policy.default)
        slow = message_from_bytes(
            builder.message(**ids).message().as_bytes(), policy=policy.default
        )
    for name in ["From", "To", "Subject", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Id",
                 "Message-ID", "Precedence", "MIME-Version"]:  # fmt: skip
        assert str(fast[name]).split() == str(slow[name]).split(), name  # folding may differ
    for kind in ("plain", "html"):
        assert fast.get_body((kind,)).get_content() == slow.get_body((kind,)).get_content()
    assert fast["Subject"] == "Café & “quotes” Zoë" and fast["Date"]
    assert "Hé <strong>Zoë</strong>" in fast.get_body(("html",)).get_content()


def test_a_batch_commits_durably_so_a_postgresql_crash_forgets_no_sent_mark(topics, start_quietly):
    """No statement of the send path turns synchronous_commit off (or sets it at all)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    SubscriberFactory.create_batch(3)
    campaign = CampaignFactory()
    start_quietly(campaign)
    with CaptureQueriesContext(connection) as queries:
        sending.batch_send(campaign_id=campaign.pk, batch=0)
    assert len(mail.outbox) == 3
    assert not [q["sql"] for q in queries if "synchronous_commit" in q["sql"].lower()]
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
