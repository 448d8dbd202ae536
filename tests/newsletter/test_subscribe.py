"""Double opt-in: one answer for all, one email per 10 min, confirm by POST (M-05 to M-08 of
docs/reliability.md)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from content.newsletter import services
from content.newsletter.models import ConsentRecord, Subscriber, Suppression
from tests.newsletter.conftest import link_in, token_from
from tests.newsletter.factories import SubscriberFactory

pytestmark = pytest.mark.django_db
SUBSCRIBE = reverse("newsletter:subscribe")


def post_subscribe(client, email="ana@example.org", **extra):
    data = {"email": email, "first_name": "Ana", "form_id": "footer", "website": "", **extra}
    return client.post(SUBSCRIBE, data, HTTP_USER_AGENT="Firefox/1", REMOTE_ADDR="10.0.0.1")


def confirm_link() -> str:
    return link_in(mail.outbox[-1].body, "/newsletter/confirm/")


def test_sign_up_mails_a_confirmation_and_subscribes_nobody_yet(
    client, topics, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_subscribe(client, topics=[topics["news"].pk])

    assert response.status_code == 302 and response["Location"] == reverse("newsletter:check_inbox")
    subscriber = Subscriber.objects.get(email="ana@example.org")
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.topics.count() == 0  # topics take effect on confirmation
    [email] = mail.outbox
    assert email.to == ["ana@example.org"] and "List-Unsubscribe" not in email.extra_headers
    assert "Ana" not in email.body  # nothing a stranger typed reaches a stranger's inbox


def test_the_answer_is_the_same_for_known_and_unknown_addresses(client, topics):
    SubscriberFactory(email="known@example.org")
    known = post_subscribe(client, "known@example.org")
    unknown = post_subscribe(client, "new@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    page = client.get(known["Location"])
    assert "Check your inbox" in page.content.decode()


def test_invalid_email_comes_back_filled_in_with_a_clear_message(client, topics):
    response = post_subscribe(client, "not-an-email", first_name="Béa")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Please enter an email address" in body and 'value="Béa"' in body
    assert not Subscriber.objects.exists()


def test_honeypot_filled_in_subscribes_nobody(client, topics):
    response = post_subscribe(client, website="http://spam.example")
    assert response.status_code == 400 and not Subscriber.objects.exists()


def test_newline_in_the_name_is_refused(client, topics):
    response = post_subscribe(client, first_name="Ana\r\nBcc: x@example.org")
    assert response.status_code == 400 and not Subscriber.objects.exists()


def test_one_confirmation_per_address_per_ten_minutes(
    client, topics, django_capture_on_commit_callbacks, settings
):
    """M-08: 100 sign-ups for one target send one email; the next after 10 minutes."""
    settings.NEWSLETTER_SUBSCRIBE_RATE = "1000/m"
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(100):
            post_subscribe(client, "target@example.org")
    assert len(mail.outbox) == 1
    later = time_machine.travel(timezone.now() + timedelta(minutes=11))
    with later, django_capture_on_commit_callbacks(execute=True):
        post_subscribe(client, "target@example.org")
    assert len(mail.outbox) == 2


def test_the_ip_rate_limit_answers_429(client, topics, settings):
    """M-08: many sign-ups from one IP are refused after the limit (10 an hour)."""
    codes = [post_subscribe(client, f"r{i}@example.org").status_code for i in range(12)]
    assert codes[:10] == [302] * 10 and codes[10:] == [429, 429]


def test_confirm_link_shows_a_button_and_a_get_changes_nothing(
    client, topics, django_capture_on_commit_callbacks
):
    """M-03: scanners following the link (GET or HEAD, any number of times) confirm nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        post_subscribe(client)
    url = confirm_link()
    for _ in range(50):
        assert client.get(url, HTTP_USER_AGENT="Mimecast Safe Links").status_code == 200
        assert client.head(url).status_code == 200
    page = client.get(url).content.decode()
    assert '<form method="post">' in page and "Yes, subscribe me" in page
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_confirming_records_evidence_subscribes_and_welcomes(
    client, topics, django_capture_on_commit_callbacks
):
    """M-06: request and confirm times, IPs, user agents, form, wording version, lists."""
    with django_capture_on_commit_callbacks(execute=True):
        post_subscribe(client, topics=[topics["news"].pk, topics["love-letters"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_link(), HTTP_USER_AGENT="Safari/2", REMOTE_ADDR="10.0.0.2")

    assert "You are in" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert set(subscriber.topics.values_list("slug", flat=True)) == {"news", "love-letters"}
    consent = ConsentRecord.objects.get()
    assert consent.request_ip == "10.0.0.1" and consent.confirm_ip == "10.0.0.2"
    assert consent.request_user_agent == "Firefox/1" and consent.confirm_user_agent == "Safari/2"
    assert consent.requested_at <= consent.confirmed_at and consent.form_id == "footer"
    assert consent.consent_version == services.CONSENT_VERSION and consent.consent_text
    assert consent.topics == ["news", "love-letters"]
    welcome = mail.outbox[-1]
    assert "Welcome" in welcome.subject and "/newsletter/preferences/" in welcome.body


def test_confirm_replay_is_idempotent_and_shows_success(
    client, topics, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_subscribe(client)
    url = confirm_link()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        again = client.post(url)
    assert again.status_code == 200 and "You are in" in again.content.decode()
    assert ConsentRecord.objects.get().confirmed_at is not None
    assert [m.subject for m in mail.outbox].count(mail.outbox[-1].subject) == 1  # one welcome


def test_confirm_link_expires_after_seven_days(client, topics, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_subscribe(client)
    url = confirm_link()
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client.post(url)
    assert response.status_code == 410 and "Nothing has changed" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_tampered_confirm_token_changes_nothing(client, topics, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_subscribe(client)
    token = token_from(confirm_link())
    response = client.post(reverse("newsletter:confirm", args=[token[:-2] + "xx"]))
    assert response.status_code == 400 and "This link does not work" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_unconfirmed_sign_ups_are_pruned_after_30_days(topics):
    old = SubscriberFactory(status=Subscriber.Status.PENDING, confirmed_at=None)
    Subscriber.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    fresh = SubscriberFactory(status=Subscriber.Status.PENDING, confirmed_at=None)
    confirmed = SubscriberFactory()
    Subscriber.objects.filter(pk=confirmed.pk).update(
        created_at=timezone.now() - timedelta(days=90)
    )

    assert services.subscriber_prune_unconfirmed() == 1
    assert set(Subscriber.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}
    assert services.subscriber_prune_unconfirmed() == 0


def test_coming_back_after_leaving_needs_a_new_opt_in_and_keeps_the_old_consent(
    client, topics, django_capture_on_commit_callbacks
):
    """M-07."""
    with django_capture_on_commit_callbacks(execute=True):
        post_subscribe(client)
    client.post(confirm_link())
    subscriber = Subscriber.objects.get()
    services.subscriber_leave(subscriber=subscriber)
    assert Suppression.objects.filter(email_hash=subscriber.email_hash).exists()
    old_link = confirm_link()
    client.post(old_link)  # the old link cannot bring her back
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        with django_capture_on_commit_callbacks(execute=True):
            post_subscribe(client)
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.UNSUBSCRIBED  # not back until she confirms
        assert confirm_link() != old_link
        with django_capture_on_commit_callbacks(execute=True):
            client.post(confirm_link())
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    old, new = ConsentRecord.objects.order_by("requested_at")
    assert (
        old.withdrawn_at is not None and new.confirmed_at is not None and new.withdrawn_at is None
    )
    assert not Suppression.objects.exists()


def test_the_footer_form_is_on_every_page_with_unique_ids(client, topics):
    body = client.get(reverse("privacy")).content.decode()  # home has its own form instead
    assert 'id="nl-footer-email"' in body and 'id="nl-home-email"' not in body
    assert 'class="honeypot" aria-hidden="true"' in body
