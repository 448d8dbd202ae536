"""The intake assessment's records (docs/assessment/pbi-spec.md §10.2).

An `Instrument` is a published, immutable version of the item bank (loaded by a data
migration); a `ScoringScheme` is the separately versioned scoring. A `Response` is one person's
answers, stored as one encrypted JSON document so that neither the values nor even which items
were answered can be read from the database. `Result` rows are derived and never overwritten:
re-scoring adds a row. A `SafetyFlag` is the coach's alone. A `CouplePair` joins two responses;
its `CoupleComparison` reaches the partners only after the coach releases it.
"""

import uuid
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.utils import timezone

from clients.intake import safety
from clients.intake.instrument import Instrument as InstrumentDefinition
from clients.intake.instrument import load_instrument
from clients.intake.scoring import SCORING_VERSION
from clients.models import Client, Person
from coaching.crypto import EncryptedJSONField, EncryptedTextField


@cache
def _definition(checksum: str, instrument_pk: int) -> InstrumentDefinition:
    # Keyed by checksum: a published definition never changes, so the parse is cached for good.
    return load_instrument(Instrument.objects.get(pk=instrument_pk).definition)


class InstrumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Instrument.Status.PUBLISHED)

    def current(self, slug: str = "pbi") -> "Instrument":
        return self.published().filter(slug=slug).latest("published_at")


class Instrument(models.Model):
    """One version of an instrument; its definition is immutable once published (§10.1)."""

    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"
        RETIRED = "retired"

    slug = models.SlugField(max_length=40)
    version = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    definition = models.JSONField()
    checksum = models.CharField(max_length=64, help_text="sha256 of the JSON file as stored.")

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="instrument_version_unique")
        ]

    def __str__(self):
        return f"{self.slug}@{self.version}"

    def save(self, *args, **kwargs):
        # The one invariant of a published version: its items never change (§10.1).
        if self.pk and self.status != self.Status.DRAFT:
            stored = Instrument.objects.filter(pk=self.pk).values("definition", "checksum").first()
            if stored and (stored["definition"], stored["checksum"]) != (
                self.definition,
                self.checksum,
            ):
                raise ValidationError("A published instrument version cannot be edited.")
        super().save(*args, **kwargs)

    @property
    def major(self) -> str:
        return self.version.split(".")[0]

    def load(self) -> InstrumentDefinition:
        return _definition(self.checksum, self.pk)

    def current_scheme(self) -> "ScoringScheme":
        """The scoring version in force for this instrument, created on first use."""
        scheme, _ = self.schemes.get_or_create(version=SCORING_VERSION, defaults={"params": {}})
        return scheme


class ScoringScheme(models.Model):
    """A scoring version for an instrument: weights, bands and thresholds (§10.1)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="schemes")
    version = models.CharField(max_length=20)
    params = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["instrument", "version"], name="scheme_version_unique")
        ]

    def __str__(self):
        return f"pbi-scoring@{self.version}"


class ResponseQuerySet(models.QuerySet):
    def submitted(self):
        return self.exclude(submitted_at=None)

    def for_client(self, client: Client):
        return self.filter(client=client)


class Response(models.Model):
    """One person's answers. `answers` maps item ids to codes ("NA"/"PNS" are opt-outs; a
    missing id is a skipped item); the privacy gate answer is kept apart in `privacy_gate`."""

    class Gate(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNSURE = "unsure", "Not sure"

    class Country(models.TextChoices):
        UK = "UK", "United Kingdom"
        US = "US", "United States"
        AU = "AU", "Australia"
        OTHER = "OTHER", "Somewhere else"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="intake_responses"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="intake_responses"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    consent_version = models.CharField(max_length=20)
    consented_at = models.DateTimeField()
    privacy_gate = models.CharField(max_length=10, choices=Gate.choices, blank=True)
    country = models.CharField(max_length=5, choices=Country.choices, default=Country.UK)
    locale = models.CharField(max_length=10, default="en-GB")
    answers = EncryptedJSONField(default=dict)
    safe_contact = EncryptedJSONField(null=True, blank=True)
    share_intimacy = models.BooleanField(
        default=False, help_text="May the intimacy area appear in a couple comparison?"
    )
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"Intake {self.public_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def safety_asked(self) -> bool:
        """The safety block is shown only to someone who said they are somewhere private."""
        return self.privacy_gate == self.Gate.YES

    def latest_result(self) -> "Result | None":
        return self.results.order_by("-computed_at", "-pk").first()

    def safety_tier(self) -> safety.SafetyOutcome:
        """The safety tier the answers give now (§6.2), with what triggered it."""
        return safety.safety_tier(self.instrument.load(), self.answers)

    def concern_domains(self) -> frozenset[str]:
        return safety.concern_domains(self.instrument.load(), self.answers)


class Result(models.Model):
    """Scores derived from a response by one scoring version; never updated (§10.1).
    The payload is `scoring.Result.to_dict()`: no safety answer, tier or trigger."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="results")
    scheme = models.ForeignKey(ScoringScheme, on_delete=models.PROTECT, related_name="results")
    payload = EncryptedJSONField()
    computed_at = models.DateTimeField(default=timezone.now)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-computed_at", "-pk"]

    def __str__(self):
        return f"Result {self.pk} of {self.response_id}"


class SafetyFlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at=None)

    def by_severity(self):
        """Open before resolved, RED before AMBER, newest first."""
        return self.annotate(rank=SEVERITY).order_by(
            F("resolved_at").desc(nulls_first=True), "rank", "-created_at"
        )


# RED is the most urgent; as text, "AMBER" would sort first.
SEVERITY = Case(When(tier="RED", then=Value(0)), default=Value(1))


def open_flag_rank():
    """Per response: 0 with an open RED flag, 1 with an open AMBER one, None without."""
    flags = SafetyFlag.objects.open().filter(response=OuterRef("pk")).annotate(rank=SEVERITY)
    return Subquery(flags.order_by("rank").values("rank")[:1])


class SafetyFlag(models.Model):
    """The coach's alone (§6.3): never shown to a partner, never in an email or an export."""

    class Tier(models.TextChoices):
        RED = "RED", "Red: urgent"
        AMBER = "AMBER", "Amber: check in privately"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="flags")
    tier = models.CharField(max_length=10, choices=Tier.choices)
    triggers = EncryptedJSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution_note = EncryptedTextField(blank=True)

    objects = SafetyFlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.tier} flag {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class CouplePair(models.Model):
    """An invitation from one respondent (or the coach) to their partner, and its release."""

    class Release(models.TextChoices):
        PENDING = "pending", "Waiting for the coach"
        RELEASED = "released", "Released to both"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inviter_response = models.OneToOneField(
        Response, on_delete=models.CASCADE, related_name="invitation"
    )
    invitee_response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="accepted"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    invited_by_coach = models.BooleanField(default=False)
    release_state = models.CharField(
        max_length=10, choices=Release.choices, default=Release.PENDING
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    released_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Couple {self.public_id}"

    @property
    def is_released(self) -> bool:
        return self.release_state == self.Release.RELEASED

    def latest_comparison(self) -> "CoupleComparison | None":
        return self.comparisons.order_by("-computed_at", "-pk").first()


class CoupleComparison(models.Model):
    """`payload` holds the shareable comparison in each partner's own frame ("inviter",
    "invitee"); `coach_only` the awareness gaps. Both encrypted, like the answers."""

    pair = models.ForeignKey(CouplePair, on_delete=models.CASCADE, related_name="comparisons")
    scheme = models.ForeignKey(ScoringScheme, on_delete=models.PROTECT, related_name="+")
    payload = EncryptedJSONField()
    coach_only = EncryptedJSONField()
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Comparison {self.pk} of couple {self.pair_id}"


class HelplineResource(models.Model):
    """The coach's table of support numbers per country (§6.5); verify before launch."""

    class Kind(models.TextChoices):
        EMERGENCY = "emergency", "Emergency"
        HELPLINE = "helpline", "24-hour support"
        ALSO = "also", "Also"

    country = models.CharField(max_length=5, choices=Response.Country.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.HELPLINE)
    label = models.CharField(max_length=120)
    number = models.CharField(max_length=60, blank=True)
    url = models.URLField(blank=True)
    note = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    last_verified = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["country", "position", "pk"]

    def __str__(self):
        return f"{self.country}: {self.label}"

    @property
    def tel(self) -> str:
        """The number as a tel: target, when it is one."""
        digits = "".join(char for char in self.number if char.isdigit() or char == "+")
        return digits if len(digits) >= 3 else ""
