"""The outbox in the admin: shown, never added, changed or deleted there (the delivery worker
claims each row)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_outbound_emails_are_read_only_in_the_admin(coach_client):
    email = OutboundEmail.objects.create(
        to="a@example.org", template="t", subject="Hello", body_text="Hi", body_html="<p>Hi</p>",
        next_attempt_at=timezone.now(),
    )  # fmt: skip
    change = reverse("admin:coaching_outboundemail_change", args=[email.pk])
    assert coach_client.get(reverse("admin:coaching_outboundemail_changelist")).status_code == 200
    assert coach_client.get(change).status_code == 200
    assert coach_client.get(reverse("admin:coaching_outboundemail_add")).status_code == 403
    assert coach_client.post(change, {"status": "sent"}).status_code == 403
    delete = reverse("admin:coaching_outboundemail_delete", args=[email.pk])
    assert coach_client.post(delete, {"post": "yes"}).status_code == 403
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.QUEUED
