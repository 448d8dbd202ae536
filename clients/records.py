"""The sensitive part of the client record: notes, the access log, and data-rights requests.

Imported by `clients.models`; models refer to `Client` and `Person` by name to avoid a cycle.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from coaching.crypto import EncryptedTextField


class Note(models.Model):
    """A private session note: only the coach reads it, and it is stored encrypted.

    A note may belong to a booking. Bookings are another app's model, which `clients` must not
    import, so the note keeps the booking's id and a label the bookings app supplied (through
    the `note_bookings` hook) rather than a foreign key: the note survives the booking, and the
    label still says which session it was about.
    """

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="notes")
    person = models.ForeignKey(
        "clients.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notes",
        help_text="In a couple, the partner this note is about (empty: both).",
    )
    body = EncryptedTextField()
    booking_ref = models.PositiveBigIntegerField(null=True, blank=True)
    booking_label = models.CharField(max_length=120, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Note #{self.pk}"  # never the text: reprs end up in logs and the admin


class SharedNote(models.Model):
    """A note or homework the coach chose to show the client in their portal.

    A model of its own rather than a "shared" flag on `Note`, so that no private note can ever
    reach the portal through a wrong filter.
    """

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        HOMEWORK = "homework", "Homework"

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="shared_notes"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NOTE)
    title = models.CharField(max_length=120)
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Shared {self.kind} #{self.pk}"


class AccessLog(models.Model):
    """Who did what to which sensitive record, and when. Insert-only.

    On PostgreSQL a trigger refuses UPDATE and DELETE (migration 0003). It holds ids, never
    names or emails, so it survives an erasure without keeping anyone's personal data.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        EXPORT = "export", "Exported"
        DOWNLOAD = "download", "Downloaded"
        ERASE = "erase", "Erased"
        DENIED = "denied", "Refused"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_role = models.CharField(max_length=10)  # "coach", "client", "system"
    action = models.CharField(max_length=10, choices=Action.choices)
    client_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)  # counts only, never personal data

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.actor_role} {self.action} {self.object_type} {self.object_id}"


class ErasureRequest(models.Model):
    """A client asked, from their portal, for their data to be erased; the coach confirms it."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="erasure_requests"
    )
    person = models.ForeignKey("clients.Person", on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Erasure request #{self.pk}"


class DataExport(models.Model):
    """A signed, single-use download of everything about a client, valid for 24 hours."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="data_exports"
    )
    nonce = models.UUIDField(default=uuid.uuid4, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Export #{self.pk}"
