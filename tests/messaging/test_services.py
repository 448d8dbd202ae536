"""Secure messages: threads per person and per couple, unread counts per reader, the discreet
email notice at most once per thread and reader in NOTIFY_EVERY, export and erasure."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients.data_rights import client_erase, client_export_data, person_export_data
from clients.messaging.integrations import dashboard_panel
from clients.messaging.models import Message, Thread
from clients.messaging.services import (
    NOTIFY_EVERY,
    message_send,
    thread_for_person,
    thread_open,
    threads_ensure,
)
from coaching.models import OutboundEmail, SiteSettings
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def unread(thread, reader) -> int:
    return Thread.objects.with_unread(reader).get(pk=thread.pk).unread


def test_a_couple_has_a_private_thread_each_and_one_shared(couple):
    client, alice, bea = couple
    threads_ensure(client=client)
    threads = list(client.threads.all())
    assert sorted((t.person_id or 0) for t in threads) == sorted([0, alice.pk, bea.pk])
    threads_ensure(client=client)
    assert list(client.threads.all()) == threads  # created once
    assert set(Thread.objects.visible_to(alice)) == {
        thread_for_person(person=alice),
        thread_for_person(person=alice, shared=True),
    }


def test_a_single_person_has_no_shared_thread(single):
    with pytest.raises(ValidationError):
        thread_for_person(person=single, shared=True)
    threads_ensure(client=single.client)
    assert list(Thread.objects.visible_to(single)) == [thread_for_person(person=single)]


def test_a_partner_cannot_write_in_the_other_partners_private_thread(couple):
    _, alice, bea = couple
    with pytest.raises(ValidationError):
        message_send(thread=thread_for_person(person=bea), sender=alice, body="hello")
    assert not Message.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_an_empty_or_overlong_message_is_refused(single, body):
    with pytest.raises(ValidationError):
        message_send(thread=thread_for_person(person=single), sender=single, body=body)


def test_unread_counts_are_per_reader(couple, coach):
    _, alice, bea = couple
    shared = thread_for_person(person=alice, shared=True)
    message_send(thread=shared, sender=alice, body="one")
    message_send(thread=shared, sender=alice, body="two")
    assert (unread(shared, None), unread(shared, bea), unread(shared, alice)) == (2, 2, 0)
    thread_open(thread=shared, reader=bea)
    assert (unread(shared, None), unread(shared, bea)) == (2, 0)
    message_send(thread=shared, sender=None, body="reply", actor=coach)
    assert (unread(shared, None), unread(shared, bea), unread(shared, alice)) == (0, 1, 1)


def test_the_dashboard_counts_what_waits_for_the_coach(rf, coach, couple, single):
    _, alice, bea = couple
    message_send(thread=thread_for_person(person=alice), sender=alice, body="a")
    message_send(thread=thread_for_person(person=bea), sender=bea, body="b")
    message_send(thread=thread_for_person(person=bea), sender=bea, body="c")
    request = rf.get("/coach/")
    request.user = coach
    assert dashboard_panel(request).context == {"threads": 2, "messages": 3}
    thread_open(thread=thread_for_person(person=bea), reader=None)
    assert dashboard_panel(request).context == {"threads": 1, "messages": 1}


def notices(to=None):
    emails = OutboundEmail.objects.filter(template__startswith="messaging_").order_by("pk")
    return list(emails.filter(to=to) if to else emails)


def test_several_messages_in_a_short_time_send_one_notice_per_reader(couple, coach):
    _, alice, bea = couple
    coach_email = SiteSettings.load().coach_email
    shared = thread_for_person(person=alice, shared=True)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(3):
            message_send(thread=shared, sender=alice, body=f"message {n}")
    assert [e.to for e in notices()] == [coach_email, "bea@example.org"]
    with time_machine.travel(start + NOTIFY_EVERY - timedelta(seconds=1), tick=False):
        message_send(thread=shared, sender=alice, body="still quiet")
    assert len(notices()) == 2
    with time_machine.travel(start + NOTIFY_EVERY + timedelta(seconds=1), tick=False):
        message_send(thread=shared, sender=alice, body="later")
    assert len(notices(coach_email)) == 2 and len(notices("bea@example.org")) == 2
    assert notices("alice@example.org") == []  # never told of her own message


def test_a_private_message_tells_only_the_coach_and_a_reply_only_that_partner(couple, coach):
    _, alice, bea = couple
    private = thread_for_person(person=alice)
    message_send(thread=private, sender=alice, body="just me")
    message_send(thread=private, sender=None, body="just you", actor=coach)
    assert [e.template for e in notices()] == ["messaging_coach_notice", "messaging_notice"]
    assert notices("bea@example.org") == []


def test_the_export_holds_the_messages_and_a_partner_gets_only_her_own_private_ones(couple, coach):
    client, alice, bea = couple
    message_send(thread=thread_for_person(person=alice), sender=alice, body="ALICE-PRIVATE")
    message_send(thread=thread_for_person(person=bea), sender=bea, body="BEA-PRIVATE")
    message_send(thread=thread_for_person(person=bea, shared=True), sender=bea, body="SHARED")
    texts = lambda data: sorted(row["text"] for row in data["messages"])  # noqa: E731
    assert texts(client_export_data(client)) == ["ALICE-PRIVATE", "BEA-PRIVATE", "SHARED"]
    assert texts(person_export_data(alice)) == ["ALICE-PRIVATE", "SHARED"]
    assert texts(person_export_data(bea)) == ["BEA-PRIVATE", "SHARED"]


def test_erasure_removes_every_thread_and_message(couple, coach):
    client, alice, _ = couple
    message_send(thread=thread_for_person(person=alice), sender=alice, body="gone soon")
    message_send(thread=thread_for_person(person=alice, shared=True), sender=None, body="x")
    other = thread_for_person(person=PersonFactory())
    message_send(thread=other, sender=None, body="stays")
    counts = client_erase(client=client, actor=coach)
    assert counts["messages"] == 2
    assert list(Message.objects.values_list("body", flat=True)) == ["stays"]
    assert list(Thread.objects.all()) == [other]
