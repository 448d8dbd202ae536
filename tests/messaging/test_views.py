"""Messages through their pages: the portal's threads, the coach's inbox and thread, the access
log, the notes permission, the rate limit and the notice email's wording."""

import time

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from clients.messaging.models import Message
from clients.messaging.services import message_send, thread_for_person
from clients.models import AccessLog
from coaching.models import OutboundEmail
from tests.clients.conftest import give_totp, mark_second_factor
from tests.factories import CoachFactory

pytestmark = pytest.mark.django_db


def test_a_client_writes_in_her_private_thread_and_the_portal_shows_it(client, single):
    client.force_login(single.user)
    url = reverse("messaging:thread")
    response = client.post(url, {"body": "Can we talk about Sunday?"})
    assert response.status_code == 302 and response["Location"] == url
    message = Message.objects.get()
    assert message.sender == single and message.thread.person == single
    assert "Can we talk about Sunday?" in client.get(url).content.decode()
    index = client.get(reverse("clients:index")).content.decode()
    assert "Messages with" in index and "Can we talk" not in index


def test_an_empty_message_says_what_to_correct(client, single):
    client.force_login(single.user)
    response = client.post(reverse("messaging:thread"), {"body": ""})
    assert response.status_code == 200
    assert "Write a message first." in response.content.decode()
    assert not Message.objects.exists()


def test_a_single_person_has_no_couple_thread(client, single):
    client.force_login(single.user)
    assert client.get(reverse("messaging:shared_thread")).status_code == 404


def test_the_coach_reads_and_replies_and_each_read_is_logged(notes_client, couple):
    _, alice, _ = couple
    thread = thread_for_person(person=alice)
    message_send(thread=thread, sender=alice, body="Hello from Alice")
    inbox = notes_client.get(reverse("messaging_coach:inbox")).content.decode()
    assert "New message" in inbox and "Hello from Alice" not in inbox
    url = reverse("messaging_coach:thread", args=[thread.pk])
    assert "Hello from Alice" in notes_client.get(url).content.decode()
    views = AccessLog.objects.filter(action="view", object_type="messaging.thread")
    assert list(views.values_list("object_id", "client_id")) == [(str(thread.pk), thread.client_id)]
    response = notes_client.post(url, {"body": "Hello Alice, yes."})
    assert response.status_code == 302
    assert Message.objects.filter(sender=None, thread=thread).count() == 1
    assert AccessLog.objects.filter(action="create", object_type="messaging.message").exists()
    assert "New message" not in notes_client.get(reverse("messaging_coach:inbox")).content.decode()


def test_the_client_page_and_dashboard_show_unread_counts_without_text(notes_client, couple):
    client, alice, _ = couple
    message_send(thread=thread_for_person(person=alice), sender=alice, body="SECRET-TEXT")
    page = notes_client.get(reverse("clients_coach:detail", args=[client.pk])).content.decode()
    assert "Private thread with Alice Able" in page and "Couple thread" in page
    assert "New message" in page and "SECRET-TEXT" not in page
    dashboard = notes_client.get(reverse("coaching:dashboard")).content.decode()
    assert "1 unread" in dashboard and "SECRET-TEXT" not in dashboard


def test_staff_without_the_notes_permission_cannot_read_messages(client, couple):
    _, alice, _ = couple
    thread = thread_for_person(person=alice)
    message_send(thread=thread, sender=alice, body="SECRET-TEXT")
    assistant = CoachFactory(is_superuser=False)
    assistant.user_permissions.add(*Permission.objects.exclude(codename="view_note"))
    give_totp(assistant)
    client.force_login(assistant)
    mark_second_factor(client, assistant)
    for url in (
        reverse("messaging_coach:inbox"),
        reverse("messaging_coach:thread", args=[thread.pk]),
        reverse("clients_coach:detail", args=[thread.client_id]),
        reverse("coaching:dashboard"),
    ):
        response = client.get(url)
        assert b"SECRET-TEXT" not in response.content
        if "messages" in url:
            assert response.status_code == 404
    assert (
        client.post(reverse("messaging_coach:thread", args=[thread.pk]), {"body": "x"}).status_code
        == 404
    )
    assert Message.objects.count() == 1


def test_reading_a_thread_needs_a_recent_second_factor(coach_client, couple):
    _, alice, _ = couple
    thread = thread_for_person(person=alice)
    response = coach_client.get(reverse("messaging_coach:thread", args=[thread.pk]))
    assert response.status_code == 302
    assert not AccessLog.objects.filter(action="view").exists()


def test_writing_messages_is_rate_limited_per_person(client, single, couple):
    _, alice, _ = couple
    url = reverse("messaging:thread")
    client.force_login(single.user)
    with time_machine.travel(time.time(), tick=False):
        statuses = [client.post(url, {"body": f"n{n}"}).status_code for n in range(31)]
        assert 429 not in statuses[:30] and statuses[30] == 429
        client.force_login(alice.user)  # another person is not blocked by the first one
        assert client.post(url, {"body": "hello"}).status_code == 302
    assert Message.objects.count() == 31


@pytest.mark.parametrize("discreet", [False, True])
def test_the_notice_carries_no_text_and_discreet_wording(client, single, discreet):
    single.client.discreet = discreet
    single.client.save(update_fields=["discreet"])
    message_send(thread=thread_for_person(person=single), sender=None, body="SECRET-TEXT")
    email = OutboundEmail.objects.get(to=single.email)
    whole = email.subject + email.body_text + email.body_html
    assert "SECRET-TEXT" not in whole
    assert email.subject.startswith("A new message from Maya")
    assert reverse("clients:sign_in") in email.body_text
    words = ("coaching", "relationship", "intimacy", "balanced hearts")
    for part in (email.subject, email.body_text, email.body_html):
        assert any(w in part.lower() for w in words) is not discreet, part
    coach_notice = OutboundEmail.objects.filter(template="messaging_coach_notice")
    assert not coach_notice.exists()  # the coach wrote it


def test_the_coachs_notice_names_nobody(client, single):
    message_send(thread=thread_for_person(person=single), sender=single, body="SECRET-TEXT")
    email = OutboundEmail.objects.get(template="messaging_coach_notice")
    whole = email.subject + email.body_text + email.body_html
    assert "SECRET-TEXT" not in whole and single.name not in whole and single.email not in whole
