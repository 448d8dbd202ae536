"""Homework: the coach's library of exercises, an exercise assigned to a client with a due date,
and each person's answer to it.

An `Exercise` is the coach's own writing (no client data). An `Assignment` gives one exercise to
one person of a client, or to everyone in it (`person` empty: both partners of a couple). Each
person it is for has one `Answer` row, created with the assignment: it holds the encrypted text,
whether it was submitted and shared with the partner, and the claim of its reminder email.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from clients.models import Client, Person
from coaching.crypto import EncryptedTextField
from coaching.markup import markdown_to_html


class Practice(models.TextChoices):
    """The five ways to balance power of the coach's articles (docs/homework.md)."""

    COMMUNICATION = "communication", "Open communication"
    DECISIONS = "decisions", "Shared decision-making"
    AUTONOMY = "autonomy", "Mutual respect for autonomy"
    LABOUR = "labour", "Equitable division of labour"
    GROWTH = "growth", "Supporting growth"


class ExerciseQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived=False)


class Exercise(models.Model):
    """One exercise of the coach's library: instructions in Markdown and a few questions."""

    title = models.CharField(max_length=120)
    practice = models.CharField(max_length=20, choices=Practice.choices, blank=True)
    instructions = models.TextField(help_text="Markdown: what to do, in your own voice.")
    questions = models.TextField(
        blank=True, help_text="One question per line; each person answers them in the portal."
    )
    archived = models.BooleanField(
        default=False, help_text="Archived exercises cannot be assigned; past assignments stay."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["archived", "title"]

    def __str__(self):
        return self.title

    @property
    def instructions_html(self) -> str:
        return markdown_to_html(self.instructions)

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class Assignment(models.Model):
    """An exercise given to a client: to one person, or to everyone in it (`person` empty)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty: for everyone in the client (both partners of a couple).",
    )
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="assignments")
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-due_on", "-pk"]

    def __str__(self):
        return f"Assignment #{self.pk}"


class AnswerQuerySet(models.QuerySet):
    def submitted(self):
        return self.exclude(submitted_at=None)

    def shared(self):
        """Answers the partner may read: submitted and shared."""
        return self.submitted().exclude(shared_at=None)


class Answer(models.Model):
    """One person's answer to an assignment, private to them unless they share it with their
    partner; the coach reads it once it is submitted (each read logged).

    Created empty with the assignment, so that the reminder has a row to sweep
    (`reminder_queued_at`) and claim (`reminded_at`, by a conditional UPDATE) before anything is
    written.
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="homework_answers")
    body = EncryptedTextField(blank=True, default="")
    submitted_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(
        null=True, blank=True, help_text="Set while the person shares the answer with the partner."
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    remind_at = models.DateTimeField(null=True, blank=True)
    reminder_queued_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["assignment", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "person"], name="answer_one_per_person")
        ]
        indexes = [
            models.Index(
                fields=["remind_at"],
                name="answer_reminder_due",
                condition=models.Q(reminded_at=None, submitted_at=None),
            )
        ]

    def __str__(self):
        return f"Answer #{self.pk}"  # never the text: reprs end up in logs and the admin

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None
