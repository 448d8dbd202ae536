"""RFC 8058 one-click unsubscribe, scanners, tampered tokens, preferences (M-02 to M-04 of
docs/reliability.md)."""

import random

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coaching.tokens import make_token
from content.newsletter import services
from content.newsletter.models import Delivery, Subscriber, Suppression
from tests.newsletter.conftest import token_from
from tests.newsletter.factories import CampaignFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def unsubscribe_url(subscriber, campaign_id=0) -> str:
    return services.unsubscribe_path(subscriber.pk, campaign_id)


@pytest.mark.parametrize("content_type", ["urlencoded", "multipart"])
def test_one_click_post_without_cookies_or_csrf_unsubscribes_with_200(topics, content_type):
    """M-02: 200, no redirect, suppressed in the same request, idempotent on 5 repeats."""
    subscriber = SubscriberFactory()
    campaign = CampaignFactory()
    url = unsubscribe_url(subscriber, campaign.pk)
    browserless = Client(enforce_csrf_checks=True)
    for _ in range(5):
        if content_type == "urlencoded":
            response = browserless.post(
                url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
            )
        else:
            response = browserless.post(url, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200 and "Location" not in response
        assert not response.cookies.get("sessionid")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert Suppression.objects.filter(email_hash=subscriber.email_hash).count() == 1


def test_get_and_head_never_unsubscribe_and_show_a_button(client, topics):
    """M-03: 100 scanner visits change nothing; the page holds a POST form."""
    subscriber = SubscriberFactory()
    url = unsubscribe_url(subscriber)
    for agent in ["Barracuda", "Microsoft Office/16.0", "Mozilla/5.0"] * 34:
        assert client.get(url, HTTP_USER_AGENT=agent).status_code == 200
        assert client.head(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE and not Suppression.objects.exists()
    assert '<form method="post">' in client.get(url).content.decode()


def test_mutated_tokens_and_tokens_for_other_purposes_are_all_refused(client, topics):
    """M-04 (short): mutations, truncations and cross-purpose tokens: 0 accepted."""
    subscriber = SubscriberFactory()
    token = token_from(unsubscribe_url(subscriber))
    rng = random.Random(8058)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:"
    bad = {token[:n] for n in range(1, len(token), 3)}
    while len(bad) < 400:
        i = rng.randrange(len(token))
        bad.add(token[:i] + rng.choice(alphabet.replace(token[i], "")) + token[i + 1 :])
    bad |= {
        make_token(purpose, [subscriber.pk, 0])
        for purpose in ("doi", "preferences", "manage-booking")
    }
    for value in bad:
        response = client.post(reverse("newsletter:unsubscribe", args=[value]))
        assert response.status_code == 400, value
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert "This link does not work" in response.content.decode()


def test_tokens_still_verify_after_a_secret_key_rotation(client, topics, settings):
    subscriber = SubscriberFactory()
    url = unsubscribe_url(subscriber)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-secret-key-0123456789abcdefghijklmnop"
    assert client.post(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_leaving_records_the_campaign_it_came_from(client, topics):

    subscriber = SubscriberFactory()
    campaign = CampaignFactory()
    Delivery.objects.create(
        campaign=campaign, subscriber=subscriber, batch=0, due_at=timezone.now(), state="sent"
    )
    client.post(unsubscribe_url(subscriber, campaign.pk))
    assert campaign.deliveries.get().unsubscribed_at is not None


def test_preferences_change_topics_and_name_without_login(client, topics):
    subscriber = SubscriberFactory(first_name="Ana")
    url = services.preferences_url(subscriber.pk).split("coach.example.com")[1]
    page = client.get(url)
    assert page.status_code == 200 and subscriber.email in page.content.decode()
    response = client.post(url, {"first_name": "Anna", "topics": [topics["love-letters"].pk]})
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.first_name == "Anna"
    assert list(subscriber.topics.values_list("slug", flat=True)) == ["love-letters"]


def test_preferences_can_pause_and_resume(client, topics):
    subscriber = SubscriberFactory()
    url = services.preferences_url(subscriber.pk).split("coach.example.com")[1]
    client.post(url, {"first_name": "", "topics": [topics["news"].pk], "paused": "on"})
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PAUSED
    client.post(url, {"first_name": "", "topics": [topics["news"].pk]})
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE


def test_preferences_refuse_no_topics_with_a_clear_message(client, topics):
    subscriber = SubscriberFactory()
    url = services.preferences_url(subscriber.pk).split("coach.example.com")[1]
    response = client.post(url, {"first_name": "Ana"})
    assert "Choose at least one topic" in response.content.decode()
    assert subscriber.topics.count() == 4


def test_preferences_with_a_tampered_token_is_a_kind_400(client, topics):
    response = client.get(reverse("newsletter:preferences", args=["nope"]))
    assert response.status_code == 400 and "Nothing has changed" in response.content.decode()


def test_ten_thousand_mutated_tokens_never_verify(topics):
    """M-04 at full size, at the token layer the views use (the HTTP sample is above)."""
    from coaching.tokens import TokenInvalid, read_token

    rng = random.Random(58)
    genuine = {
        purpose: make_token(purpose, [rng.randrange(10**6), 0])
        for purpose in ("unsubscribe", "doi")
    }
    accepted = 0
    for n in range(10_000):
        purpose = ("unsubscribe", "doi")[n % 2]
        token = genuine[purpose]
        i = rng.randrange(len(token))
        mutated = (
            token[:i] + rng.choice("AbZz09-_:") + token[i + 1 :]
            if n % 3
            else token[: rng.randrange(len(token))]
        )
        if mutated == token:
            continue
        try:
            read_token(purpose, mutated)
            accepted += 1
        except TokenInvalid:
            pass
    assert accepted == 0
