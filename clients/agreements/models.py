"""The coaching agreement: the coach's versioned text, and each person's signature of a version.

An `AgreementVersion` is published once and never changed: editing the agreement publishes the
next version, and `sha256` is the hash of its exact text. A `Signature` is one person's signing
of one version, recorded like the newsletter's consent records: what they typed as their name,
when, from which IP and browser, and the hash of the text they were shown. On erasure the
signature stays as a contract record under its anonymous `public_id`, with the version, the
hash and the time; the name, IP and browser are blanked (docs/agreement.md).
"""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from clients.models import Person
from coaching.markup import markdown_to_html


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VersionQuerySet(models.QuerySet):
    def current(self) -> "AgreementVersion | None":
        return self.order_by("-number").first()


class AgreementVersion(models.Model):
    """One published version of the agreement (Markdown, shown sanitised). Never updated."""

    number = models.PositiveIntegerField(unique=True)
    text = models.TextField(help_text="Markdown, exactly as published.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the exact text.")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]

    def __str__(self):
        return f"Coaching agreement, version {self.number}"

    @property
    def html(self) -> str:
        return markdown_to_html(self.text)


class Signature(models.Model):
    """One person's signature of one version: the evidence, kept as it was given."""

    class Via(models.TextChoices):
        PORTAL = "portal", "Signed in to the portal"
        LINK = "link", "Signed link"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreement_signatures",
        help_text="Empty once the client was erased: the row stays under its public id.",
    )
    version_sha256 = models.CharField(max_length=64, help_text="The hash of the text signed.")
    typed_name = models.CharField(max_length=200, blank=True)
    signed_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    via = models.CharField(max_length=10, choices=Via.choices)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "person"],
                condition=models.Q(person__isnull=False),
                name="signature_one_per_person_and_version",
            )
        ]

    def __str__(self):
        return f"Signature {self.public_id}"  # never the name: reprs end up in logs
