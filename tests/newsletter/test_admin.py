"""The newsletter in the admin: every row can be looked at; rows that workers claim, consent
evidence and the suppression list cannot be added, changed or deleted there."""

import pytest
from django.urls import reverse
from django.utils import timezone

from content.newsletter.models import (
    Campaign,
    ConsentRecord,
    Delivery,
    Subscriber,
    Suppression,
    Topic,
    email_hash,
)
from tests.newsletter.factories import CampaignFactory, SubscriberFactory

READ_ONLY = [Subscriber, ConsentRecord, Suppression, Campaign, Delivery]


@pytest.fixture
def rows(topics):
    subscriber = SubscriberFactory(email="ana@example.org")
    ConsentRecord.objects.create(
        subscriber=subscriber,
        form_id="footer",
        consent_text="Yes, send me letters.",
        consent_version="v1",
        request_ip="203.0.113.9",
        request_user_agent="SecretBrowser/1.0",
    )
    Suppression.objects.create(email_hash=email_hash("left@example.org"), reason="unsubscribed")
    campaign = CampaignFactory(subject="Spring letter")
    Delivery.objects.create(
        campaign=campaign, subscriber=subscriber, email=subscriber.email, batch=0,
        due_at=timezone.now(),
    )  # fmt: skip


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", [Topic, *READ_ONLY])
def test_each_newsletter_list_and_row_opens_in_the_admin(coach_client, rows, model):
    assert coach_client.get(url(model, "changelist")).status_code == 200
    row = model.objects.first()
    assert coach_client.get(url(model, "change", row.pk)).status_code == 200


@pytest.mark.parametrize("model", READ_ONLY)
def test_claimed_rows_and_evidence_are_read_only_in_the_admin(coach_client, rows, model):
    row = model.objects.first()
    before = model.objects.values().get(pk=row.pk)
    assert coach_client.get(url(model, "add")).status_code == 403
    assert coach_client.post(url(model, "add"), {}).status_code == 403
    change = url(model, "change", row.pk)
    assert 'name="_save"' not in coach_client.get(change).content.decode()
    assert coach_client.post(change, {"state": "sent", "status": "active"}).status_code == 403
    assert coach_client.post(url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    assert model.objects.values().get(pk=row.pk) == before


def test_admin_lists_leave_out_addresses_and_consent_details(coach_client, rows):
    deliveries = coach_client.get(url(Delivery, "changelist")).content.decode()
    assert "Spring letter" in deliveries and "ana@example.org" not in deliveries
    consents = coach_client.get(url(ConsentRecord, "changelist")).content.decode()
    assert "footer" in consents
    assert "203.0.113.9" not in consents and "SecretBrowser" not in consents
    assert "Yes, send me letters." not in consents


def test_topics_are_edited_in_the_admin_but_retired_rather_than_deleted(coach_client, topics):
    topic = topics["news"]
    assert coach_client.get(url(Topic, "add")).status_code == 200
    data = {"name": "News and notes", "slug": "news", "description": "", "position": 0}
    response = coach_client.post(url(Topic, "change", topic.pk), data)
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.name == "News and notes"
    assert coach_client.post(url(Topic, "delete", topic.pk), {"post": "yes"}).status_code == 403
    assert Topic.objects.filter(pk=topic.pk).exists()


def test_the_newsletter_admin_is_hidden_from_other_users(client, client_user, rows):
    client.force_login(client_user)
    response = client.get(url(Subscriber, "changelist"))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
