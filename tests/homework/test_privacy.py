"""Answers are unreadable in the database, survive a key rotation, reach the partner only when
shared, are in the export per person and erased with the client."""

import io
import logging
import uuid
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from clients.data_rights import client_erase, client_export_data, person_export_data
from clients.homework.models import Answer, Assignment
from clients.homework.services import answer_save, assignment_create, reminder_send
from clients.rotation import count_stale
from coaching.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(couple, exercise):
    """Alice's private answer (a sentinel) and Bea's shared one, both sent."""
    client, alice, bea = couple
    due = timezone.localdate() + timedelta(days=7)
    assignment = assignment_create(client=client, exercise=exercise, due_on=due)
    sentinel = f"SENTINEL-{uuid.uuid4()}"
    answer_save(answer=assignment.answers.get(person=alice), body=f"I think {sentinel}",
                share=False, submit=True)  # fmt: skip
    answer_save(answer=assignment.answers.get(person=bea), body="BEA-SHARED", share=True,
                submit=True)  # fmt: skip
    return assignment, sentinel


def test_a_raw_sql_read_of_answers_shows_no_plaintext(answered):
    _, sentinel = answered
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM homework_answer ORDER BY id")
        raws = [row[0] for row in cursor.fetchall()]
    assert len(raws) == 2
    for raw in raws:
        assert sentinel not in raw and "BEA-SHARED" not in raw and raw.startswith("gAAAAA")


def test_key_rotation_re_encrypts_answers(answered, settings):
    k1 = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), k1]
    assert count_stale()["homework.Answer.body"] == 2
    call_command("reencrypt_fields", stdout=io.StringIO())
    assert count_stale()["homework.Answer.body"] == 0
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # K1 is gone
    assert sorted(Answer.objects.values_list("body", flat=True))[0] == "BEA-SHARED"


def test_a_private_answer_never_reaches_the_partner(client, couple, answered, caplog):
    caplog.set_level(logging.DEBUG)
    assignment, sentinel = answered
    _, alice, bea = couple
    for answer in Answer.objects.all():  # the reminders, had they not been sent
        Answer.objects.filter(pk=answer.pk).update(submitted_at=None, remind_at=timezone.now())
        reminder_send(answer_id=answer.pk, now=timezone.now())
    client.force_login(bea.user)
    pages = [
        reverse("clients:index"),
        reverse("homework:index"),
        reverse("homework:assignment", args=[assignment.pk]),
        reverse("clients:download"),
        reverse("messaging:thread"),
        reverse("journal:index"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert sentinel.encode() not in response.content, url
    assert "BEA-SHARED" in client.get(pages[2]).content.decode()
    assert sentinel not in str(person_export_data(bea))
    assert OutboundEmail.objects.count() == 2
    for email in OutboundEmail.objects.all():
        assert sentinel not in email.subject + email.body_text + email.body_html
    assert sentinel not in caplog.text


def test_each_person_exports_their_own_answers_and_erasure_removes_them(couple, answered, coach):
    client, alice, bea = couple
    _, sentinel = answered
    texts = lambda data: sorted(row["text"] for row in data["homework"])  # noqa: E731
    assert texts(client_export_data(client)) == sorted(["BEA-SHARED", f"I think {sentinel}"])
    assert texts(person_export_data(alice)) == [f"I think {sentinel}"]
    assert texts(person_export_data(bea)) == ["BEA-SHARED"]
    assert client_erase(client=client, actor=coach)["homework_answers"] == 2
    assert not Assignment.objects.exists() and not Answer.objects.exists()
