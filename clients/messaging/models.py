"""Secure messages between the coach and a client: threads, their messages and who read what.

Each person of a client has a private thread with the coach; a couple also has one shared
thread that both partners and the coach see. A partner's private thread is never shown to the
other partner: every query a client's page makes goes through `ThreadQuerySet.visible_to`.
"""

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from clients.models import Client, Person
from coaching.crypto import EncryptedTextField


def read_up_to(reader: Person | None, thread: str):
    """The id up to which the reader (None: the coach) has read the outer query's `thread`."""
    mark = ThreadRead.objects.filter(thread=OuterRef(thread), person=reader)
    return Coalesce(Subquery(mark.values("last_read_id")[:1]), 0)


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, person: Person):
        """The person's private thread and, in a couple, the shared one: never the partner's."""
        shared = Q(person=None, client__kind=Client.Kind.COUPLE)
        return self.filter(Q(person=person) | shared, client_id=person.client_id)

    def with_unread(self, reader: Person | None):
        """Each thread with `unread`: messages after the reader's mark (None: the coach)."""
        return self.alias(read_up_to=read_up_to(reader, "pk")).annotate(
            unread=Count("messages", filter=Q(messages__pk__gt=models.F("read_up_to")))
        )


class Thread(models.Model):
    """One conversation with the coach: a person's private one (`person` set) or a couple's
    shared one (`person` empty)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="threads")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="threads"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["person_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "person"], nulls_distinct=False, name="thread_one_per_person"
            )
        ]

    def __str__(self):
        return f"Thread #{self.pk}"

    @property
    def is_shared(self) -> bool:
        return self.person_id is None


class MessageQuerySet(models.QuerySet):
    def unread_by(self, reader: Person | None):
        """Messages after the reader's mark in each thread (None: the coach)."""
        marked = self.alias(read_up_to=read_up_to(reader, "thread"))
        return marked.filter(pk__gt=models.F("read_up_to"))


class Message(models.Model):
    """One message, its text encrypted at rest; `sender` empty means the coach wrote it."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Message #{self.pk}"  # never the text: reprs end up in logs and the admin

    @property
    def from_coach(self) -> bool:
        return self.sender_id is None


class ThreadRead(models.Model):
    """What one reader (a person, or the coach when `person` is empty) has read of a thread,
    and when they were last told by email that something new was waiting."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    last_read_id = models.BigIntegerField(default=0)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "person"], nulls_distinct=False, name="thread_read_one_per_reader"
            )
        ]

    def __str__(self):
        return f"Read mark #{self.pk}"
