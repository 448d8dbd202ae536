"""Message text is unreadable in the database, survives a key rotation, and one partner's
private thread never reaches the other partner: not in a page, an email or her export."""

import io
import logging
import uuid

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from clients.messaging.models import Message
from clients.messaging.services import message_send, thread_for_person
from clients.rotation import count_stale, encrypted_columns
from coaching.models import OutboundEmail

pytestmark = pytest.mark.django_db
K1 = django_settings.FIELD_ENCRYPTION_KEYS[0]


def raw_bodies() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM messaging_message ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_a_raw_sql_read_of_messages_shows_no_plaintext(single):
    sentinel = f"SENTINEL-{uuid.uuid4()}"
    message_send(thread=thread_for_person(person=single), sender=single, body=f"I {sentinel}")
    for body in raw_bodies():
        assert sentinel not in body and body.startswith("gAAAAA")  # a Fernet token
    assert Message.objects.get().body == f"I {sentinel}"


def test_key_rotation_re_encrypts_messages(single, settings):
    assert ("messaging.Message", "body") in {
        (model._meta.label, field.name) for model, field in encrypted_columns()
    }
    thread = thread_for_person(person=single)
    for n in range(5):
        message_send(thread=thread, sender=None, body=f"message {n}")
    k2 = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [k2, K1]
    assert count_stale()["messaging.Message.body"] == 5
    call_command("reencrypt_fields", "--batch-size", "2", stdout=io.StringIO())
    assert count_stale()["messaging.Message.body"] == 0
    settings.FIELD_ENCRYPTION_KEYS = [k2]  # K1 is gone
    assert sorted(Message.objects.values_list("body", flat=True)) == [
        f"message {n}" for n in range(5)
    ]


def test_a_partners_private_message_never_reaches_the_other_partner(client, couple, coach, caplog):
    caplog.set_level(logging.DEBUG)
    _, alice, bea = couple
    sentinel = f"SENTINEL-{uuid.uuid4()}"
    client.force_login(alice.user)
    client.post(reverse("messaging:thread"), {"body": f"Only for Maya: {sentinel}"})
    client.post(reverse("messaging:shared_thread"), {"body": "For all of us"})
    message_send(thread=thread_for_person(person=alice), sender=None, body="Reply", actor=coach)
    assert sentinel in client.get(reverse("messaging:thread")).content.decode()

    client.force_login(bea.user)
    pages = [
        reverse("clients:index"),
        reverse("messaging:thread"),
        reverse("messaging:shared_thread"),
        reverse("clients:download"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert sentinel.encode() not in response.content, url
    assert "For all of us" in client.get(reverse("messaging:shared_thread")).content.decode()
    for email in OutboundEmail.objects.all():
        assert sentinel not in email.subject + email.body_text + email.body_html
    assert sentinel not in caplog.text
