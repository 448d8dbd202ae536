"""Coming back after leaving: a reopened unsubscribe link offers the way back in, and asking
again within 10 minutes either sends (she left since the last link) or says why not."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from content.newsletter import services
from content.newsletter.models import ConsentRecord, Subscriber
from tests.newsletter.conftest import link_in
from tests.newsletter.test_subscribe import post_subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def joined_then_left(client, topics, django_capture_on_commit_callbacks):
    """Ana signed up, confirmed and left, all within a minute."""
    with django_capture_on_commit_callbacks(execute=True):
        post_subscribe(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(mail.outbox[-1].body, "/newsletter/confirm/"))
    subscriber = Subscriber.objects.get()
    url = services.unsubscribe_path(subscriber.pk)
    client.post(url)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    mail.outbox.clear()
    return url


def test_a_reopened_unsubscribe_link_says_she_left_and_offers_the_way_back(
    client, joined_then_left
):
    page = client.get(joined_then_left).content.decode()
    assert "<h1>You have left the newsletter</h1>" in page
    assert "Leave the newsletter?" not in page and ">Unsubscribe</button>" not in page
    assert f'action="{reverse("newsletter:subscribe")}"' in page
    assert '<input type="hidden" name="email" value="ana@example.org">' in page
    assert services.CONSENT_TEXT in page  # the same consent wording as every sign-up form


def test_signing_up_again_right_after_leaving_sends_a_confirmation(
    client, joined_then_left, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_subscribe(client, form_id="unsubscribe-page")
    assert response["Location"] == reverse("newsletter:check_inbox")
    [email] = mail.outbox
    assert email.to == ["ana@example.org"] and "/newsletter/confirm/" in email.body
    assert ConsentRecord.objects.latest("requested_at").form_id == "unsubscribe-page"


def test_asking_again_within_ten_minutes_sends_nothing_and_answers_as_always(
    client, topics, django_capture_on_commit_callbacks
):
    """One link every ten minutes, and the page explains the rule without saying whether it
    applied: it would tell anyone who types an address that someone just asked for it."""
    with django_capture_on_commit_callbacks(execute=True):
        first = post_subscribe(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=3, seconds=30)):
        with django_capture_on_commit_callbacks(execute=True):
            again = post_subscribe(client)
        page = client.get(again["Location"]).content.decode()
    assert len(mail.outbox) == 1
    assert first["Location"] == again["Location"] == reverse("newsletter:check_inbox")
    assert "<h1>Check your inbox</h1>" in page
    assert "one link every ten minutes at most" in page


def test_a_bounce_does_not_lift_the_ten_minute_guard(topics, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.subscriber_request(email="ana@example.org", topics=[], form_id="t")
    subscriber = Subscriber.objects.get()
    services.subscriber_leave(subscriber=subscriber, reason="bounced")
    with django_capture_on_commit_callbacks(execute=True):
        services.subscriber_request(email="ana@example.org", topics=[], form_id="t")
    assert len(mail.outbox) == 1
