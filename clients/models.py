"""Client records: a person or a couple the coach works with, at some stage of the pipeline.

A `Client` is the record the coach works with; each `Person` in it has their own contact details
(a couple has two). Other apps find or create the record by email through `clients.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Client(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        COUPLE = "couple", "Couple"

    class Stage(models.TextChoices):
        LEAD = "lead", "Lead"
        FREE_CALL_BOOKED = "free_call_booked", "Free call booked"
        FREE_CALL_DONE = "free_call_done", "Free call done"
        CLIENT = "client", "Client"
        PAUSED = "paused", "Paused"
        ALUMNI = "alumni", "Alumni"
        NOT_A_FIT = "not_a_fit", "Not a fit"

    class Source(models.TextChoices):
        BOOKING = "booking", "Booking"
        INTAKE = "intake", "Intake assessment"
        NEWSLETTER = "newsletter", "Newsletter"
        REFERRAL = "referral", "Referral"
        MANUAL = "manual", "Added by hand"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.LEAD)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    time_zone = models.CharField(max_length=64, blank=True)
    discreet = models.BooleanField(
        default=False,
        help_text="Invites, subjects and reminders say only 'Appointment with <coach>'.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return " & ".join(person.name for person in self.people.all()) or f"Client #{self.pk}"


class Person(models.Model):
    """One human in a client record, with their own contact details and optional sign-in."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=120)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(Lower("email"), name="person_email_unique_ci")]

    def __str__(self):
        return self.name
