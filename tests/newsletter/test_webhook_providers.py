"""Item 6 of issue 16: every supported provider's webhook checks its secret (and Mailgun's its
HMAC signature) before anything reaches the suppression list; without a secret it stays closed.

The providers are the outside world: the tests post their documented payloads.
"""

import base64
import hashlib
import hmac
import json
import time

import pytest
from django.urls import reverse

from content.newsletter.models import Subscriber
from content.newsletter.webhooks import VIEWS
from tests.newsletter.factories import SubscriberFactory

pytestmark = pytest.mark.django_db
SECRET = "hook:s3cret"
SIGNING_KEY = "key-mailgun-signing"


def post(client, esp, payload, secret=None):
    headers = {}
    if secret:
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(secret.encode()).decode()
    url = reverse("newsletter:webhook", args=[esp])
    return client.post(url, json.dumps(payload), content_type="application/json", **headers)


@pytest.mark.parametrize("esp", sorted(VIEWS))
def test_without_a_secret_every_provider_endpoint_is_closed(client, topics, settings, esp):
    settings.NEWSLETTER_ESP = esp
    settings.ANYMAIL = {}
    assert post(client, esp, {}).status_code == 404


@pytest.mark.parametrize("esp", sorted(VIEWS))
def test_a_wrong_or_missing_secret_is_refused_for_every_provider(client, topics, settings, esp):
    settings.NEWSLETTER_ESP = esp
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    subscriber = SubscriberFactory()
    payload = {"RecordType": "Bounce", "Type": "HardBounce", "Email": subscriber.email}
    for secret in (None, "hook:wrong"):
        assert post(client, esp, payload, secret).status_code in (400, 403)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE


def mailgun_bounce(email, key=SIGNING_KEY):
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": {"event": "failed", "severity": "permanent", "recipient": email,
                       "timestamp": float(timestamp), "id": "x1", "user-variables": {},
                       "message": {"headers": {"message-id": "m1@example.com"}}},
    }  # fmt: skip


def test_mailgun_needs_its_signing_key_and_a_valid_signature(client, topics, settings):
    settings.NEWSLETTER_ESP = "mailgun"
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    subscriber = SubscriberFactory()
    assert post(client, "mailgun", mailgun_bounce(subscriber.email), SECRET).status_code == 404
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    forged = mailgun_bounce(subscriber.email, key="key-guessed")
    assert post(client, "mailgun", forged, SECRET).status_code in (400, 403)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert post(client, "mailgun", mailgun_bounce(subscriber.email), SECRET).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.BOUNCED
