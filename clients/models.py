"""Client records: a person or a couple the coach works with, at some stage of the pipeline.

A `Client` is the record the coach works with; each `Person` in it has their own contact details,
consents and sign-in (a couple has two). Other apps find or create the record by email through
`clients.services`. The sensitive parts follow: private notes, notes shared with the client, the
access log, and the data-rights requests and exports.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from coaching.crypto import EncryptedTextField


class Tag(models.Model):
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_unique_ci")]

    def __str__(self):
        return self.name


class ClientQuerySet(models.QuerySet):
    def search(self, text: str):
        """Clients whose person's name or email, or whose tag, contains the text."""
        text = text.strip()
        if not text:
            return self
        matches = (
            models.Q(people__name__icontains=text)
            | models.Q(people__email__icontains=text)
            | models.Q(tags__name__iexact=text)
        )
        return self.filter(pk__in=Client.objects.filter(matches).values("pk"))

    def due_for_review(self, now, *, years: int):
        """Alumni who became alumni more than `years` years ago (the retention policy)."""
        cutoff = now.replace(year=now.year - years) if years else now
        return self.filter(stage=Client.Stage.ALUMNI, stage_changed_at__lte=cutoff)


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
    tags = models.ManyToManyField(Tag, blank=True, related_name="clients")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    review_flagged_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the retention policy asks for a review."
    )

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["stage", "-created_at"])]

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

    def has_consent(self, kind: str) -> bool:
        """Whether the person's latest decision about this kind is a yes (withdrawal wins)."""
        latest = self.consents.filter(kind=kind).order_by("-at", "-pk").first()
        return bool(latest and latest.granted)


class StageChange(models.Model):
    """One move of a client through the pipeline: the history behind `Client.stage`."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Client.Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Client.Stage.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["to_stage", "at"])]

    def __str__(self):
        return f"{self.from_stage or '-'} → {self.to_stage}"


class Consent(models.Model):
    """What one person agreed to (or withdrew), when, and how: evidence kept per person.

    A new row per decision: the latest row of a kind is the person's current answer, and the
    older ones remain as the record of what was agreed at the time.
    """

    class Kind(models.TextChoices):
        DATA_PROCESSING = "data_processing", "Processing of personal data"
        SPECIAL_CATEGORY = "special_category", "Explicit consent for special-category data"
        MARKETING = "marketing", "Marketing emails"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    granted = models.BooleanField()
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=120, help_text="How: e.g. 'intake form', 'by email'.")
    text_version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {'granted' if self.granted else 'withdrawn'}"


class Package(models.Model):
    """Sessions bought together (e.g. six). Used sessions come from attended bookings."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="packages")
    name = models.CharField(max_length=80)
    sessions = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField(
        default=timezone.now, help_text="Attended sessions from this moment count towards it."
    )
    paid = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return self.name


class Note(models.Model):
    """A private session note: only the coach reads it, and it is stored encrypted.

    A note may belong to a booking. Bookings are another app's model, which `clients` must not
    import, so the note keeps the booking's id and a label the bookings app supplied (through
    the `note_bookings` hook) rather than a foreign key: the note survives the booking, and the
    label still says which session it was about.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="notes")
    person = models.ForeignKey(
        Person,
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
    """A note the coach chose to show the client in their portal (homework, with answers, is
    `clients.homework`'s; notes that were homework kept their text, titled "Homework: ...").

    A model of its own rather than a "shared" flag on `Note`, so that no private note can ever
    reach the portal through a wrong filter.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="shared_notes")
    title = models.CharField(max_length=120)
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Shared note #{self.pk}"


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

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="erasure_requests")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Erasure request #{self.pk}"


class DataExport(models.Model):
    """A signed, single-use download of everything about a client, valid for 24 hours."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="data_exports")
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
