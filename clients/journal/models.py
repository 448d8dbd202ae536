"""A private journal: each person's own entries, encrypted, which the partner never sees and
the coach sees only while the person shares them."""

from django.db import models
from django.utils import timezone

from clients.models import Person
from coaching.crypto import EncryptedTextField


class EntryQuerySet(models.QuerySet):
    def shared(self):
        return self.exclude(shared_at=None)


class Entry(models.Model):
    """One journal entry of one person. No title: anything readable in a list stays out."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="journal_entries")
    body = EncryptedTextField()
    shared_at = models.DateTimeField(
        null=True, blank=True, help_text="Set while the person shares the entry with the coach."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "entries"

    def __str__(self):
        return f"Journal entry #{self.pk}"  # never the text: reprs end up in logs

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None
