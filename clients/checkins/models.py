"""Balance check-ins between sessions (docs/checkins.md).

The coach turns check-ins on for a client at a rhythm (`Schedule`); each due round gives every
person of the client a `Reminder` row, claimed once by a conditional UPDATE before its email
goes. A `CheckIn` is one person's answers to the pulse (a short form of the PBI), encrypted,
with the scores the intake's rules give and, for a RED or AMBER safety tier, a content-free
flag for the coach.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from clients.models import Client, Person
from coaching.crypto import EncryptedJSONField


class Schedule(models.Model):
    """The coach's check-in rhythm for one client; `next_due_at` is the next reminder round."""

    class Rhythm(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Every two weeks"
        MONTHLY = "monthly", "Every four weeks"

    PERIODS = {"weekly": 7, "fortnightly": 14, "monthly": 28}

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="checkin_schedule")
    rhythm = models.CharField(max_length=12, choices=Rhythm.choices, default=Rhythm.FORTNIGHTLY)
    active = models.BooleanField(default=True)
    next_due_at = models.DateTimeField(default=timezone.now)
    comparison_released_at = models.DateTimeField(
        null=True, blank=True, help_text="Set while the coach shares the couple's trend with both."
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Check-ins of client {self.client_id}"

    @property
    def period(self) -> timedelta:
        return timedelta(days=self.PERIODS[self.rhythm])

    @property
    def comparison_released(self) -> bool:
        return self.comparison_released_at is not None


class Reminder(models.Model):
    """One person's reminder for one round; `sent_at` is the claim (set before the email)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="checkin_reminders")
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "due_at"], name="checkin_reminder_once")
        ]

    def __str__(self):
        return f"Check-in reminder {self.pk}"


class CheckInQuerySet(models.QuerySet):
    def flagged(self):
        return self.exclude(flag_tier="")


class CheckIn(models.Model):
    """One person's pulse. `answers` and `scores` are encrypted like the intake's; `scores` is
    `scoring.Result.to_dict()` (no safety answer). `flag_tier` is RED or AMBER for the coach
    alone, blank otherwise; its triggers are encrypted."""

    class Tier(models.TextChoices):
        RED = "RED", "Red: urgent"
        AMBER = "AMBER", "Amber: check in privately"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="checkins")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="checkins")
    pulse_version = models.CharField(max_length=20)
    scoring_version = models.CharField(max_length=20)
    answers = EncryptedJSONField(default=dict)
    scores = EncryptedJSONField(default=dict)
    submitted_at = models.DateTimeField(default=timezone.now)
    form_id = models.UUIDField(
        null=True, blank=True, editable=False, help_text="The form's id: sent twice, saved once."
    )
    flag_tier = models.CharField(max_length=10, choices=Tier.choices, blank=True)
    flag_triggers = EncryptedJSONField(default=list)
    flag_notified_at = models.DateTimeField(null=True, blank=True)
    flag_acknowledged_at = models.DateTimeField(null=True, blank=True)
    flag_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["client", "submitted_at"])]
        constraints = [
            models.UniqueConstraint(fields=["person", "form_id"], name="checkin_form_once")
        ]

    def __str__(self):
        return f"Check-in {self.pk}"  # never an answer: reprs end up in logs
