"""Workflows of secure messages: open a thread, send, read, and the discreet email notice.

The text of a message is shown on its thread's page only: never in emails, logs, lists or the
access log. Every read of a thread by the coach is logged (docs/reliability.md A-04).
"""

from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from clients.audit import audit_record
from clients.messaging.models import Message, Thread, ThreadRead
from clients.models import AccessLog, Client, Person
from coaching.emails import absolute_url, send_email
from coaching.models import SiteSettings

MAX_LENGTH = 5000
# The dashboard's count of what waits for the coach, kept in the cache so that the dashboard
# stays within its query budget (bench/clients_dashboard.py); each change clears it, and a
# count computed during a change is at most COACH_UNREAD_TTL seconds late.
COACH_UNREAD_KEY = "messaging:coach-unread"
COACH_UNREAD_TTL = 60
# At most one email per thread and reader in this time, however many messages arrive.
NOTIFY_EVERY = timedelta(minutes=15)


def threads_ensure(*, client: Client) -> None:
    """Create the client's missing threads: one per person, and a couple's shared one."""
    wanted = [person.pk for person in client.people.all()]
    if client.kind == Client.Kind.COUPLE:
        wanted.append(None)
    have = set(client.threads.values_list("person_id", flat=True))
    missing = [Thread(client=client, person_id=pk) for pk in wanted if pk not in have]
    if missing:  # two first visits at once: the unique constraint keeps one of each
        Thread.objects.bulk_create(missing, ignore_conflicts=True)


def thread_for_person(*, person: Person, shared: bool = False) -> Thread:
    """The person's private thread, or their couple's shared one; a single person has none."""
    client = person.client
    if shared and client.kind != Client.Kind.COUPLE:
        raise ValidationError("Only a couple has a shared thread.")
    thread, _ = Thread.objects.get_or_create(client=client, person=None if shared else person)
    return thread


def coach_unread() -> dict[str, int]:
    """{"threads": n, "messages": m} waiting for the coach (cached; see COACH_UNREAD_KEY)."""

    def count() -> dict[str, int]:
        waiting = Message.objects.unread_by(None)
        return waiting.aggregate(threads=Count("thread", distinct=True), messages=Count("pk"))

    return cache.get_or_set(COACH_UNREAD_KEY, count, COACH_UNREAD_TTL)


def _coach_unread_changed() -> None:
    # Now, for this request; and again once the change is visible to others.
    cache.delete(COACH_UNREAD_KEY)
    transaction.on_commit(lambda: cache.delete(COACH_UNREAD_KEY))


def readers(thread: Thread) -> list[Person | None]:
    """Who reads the thread: the coach (None) and its person, or both partners when shared."""
    people = list(thread.client.people.all()) if thread.is_shared else [thread.person]
    return [None, *people]


def thread_mark_read(*, thread: Thread, reader: Person | None, up_to: int) -> None:
    """The reader has seen every message up to id `up_to` (a mark never moves back)."""
    mark, _ = ThreadRead.objects.get_or_create(thread=thread, person=reader)
    moved = ThreadRead.objects.filter(pk=mark.pk, last_read_id__lt=up_to).update(last_read_id=up_to)
    if moved and reader is None:
        _coach_unread_changed()


def thread_open(*, thread: Thread, reader: Person | None, request=None) -> list[Message]:
    """The thread's messages for a reader, marked read; a coach's read goes to the access log."""
    found = list(thread.messages.select_related("sender"))
    if found:
        thread_mark_read(thread=thread, reader=reader, up_to=found[-1].pk)
    if reader is None:
        audit_record(
            actor=request.user if request else None,
            action=AccessLog.Action.VIEW,
            subject=thread.client,
            obj=thread,
            request=request,
            details={"messages": len(found)},
        )
    return found


@transaction.atomic
def message_send(
    *, thread: Thread, sender: Person | None, body: str, actor=None, request=None
) -> Message:
    """Write a message (encrypted at rest) and tell the thread's other readers, discreetly.

    `sender` None is the coach, whose message goes to the access log.
    """
    body = body.strip()
    if not body:
        raise ValidationError("The message is empty.")
    if len(body) > MAX_LENGTH:
        raise ValidationError(f"A message holds at most {MAX_LENGTH} characters.")
    if sender is not None and sender not in readers(thread):
        raise ValidationError("That person cannot write in this thread.")
    now = timezone.now()
    message = Message.objects.create(thread=thread, sender=sender, body=body, created_at=now)
    Thread.objects.filter(pk=thread.pk).update(last_message_at=now)
    thread_mark_read(thread=thread, reader=sender, up_to=message.pk)
    if sender is not None:
        _coach_unread_changed()
    if sender is None:
        audit_record(
            actor=actor, action=AccessLog.Action.CREATE, subject=thread.client, obj=message,
            request=request,
        )  # fmt: skip
    for reader in readers(thread):
        if reader != sender and notice_claim(thread=thread, reader=reader, now=now):
            _send_notice(thread, reader)
    return message


def notice_claim(*, thread: Thread, reader: Person | None, now: datetime) -> bool:
    """Claim the reader's email notice for this thread: at most one per NOTIFY_EVERY.

    A conditional UPDATE, so two messages sent at the same moment claim it once.
    """
    mark, _ = ThreadRead.objects.get_or_create(thread=thread, person=reader)
    due = ThreadRead.objects.filter(pk=mark.pk).exclude(notified_at__gt=now - NOTIFY_EVERY)
    return due.update(notified_at=now) == 1


def _send_notice(thread: Thread, reader: Person | None) -> None:
    """An email that says only that a message is waiting: no text, no names of others."""
    if reader is None:
        url = absolute_url(reverse("messaging_coach:thread", args=[thread.pk]))
        send_email(
            to=SiteSettings.load().coach_email, template="messaging_coach_notice",
            context={"url": url},
        )  # fmt: skip
        return
    send_email(
        to=reader.email,
        template="messaging_notice",
        context={
            "person": reader,
            "discreet": thread.client.discreet,
            "url": absolute_url(reverse("clients:sign_in")),
        },
        related=reader,
    )
