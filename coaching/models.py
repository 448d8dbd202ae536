"""The project-wide models: the user account, the coach's site settings, the email log."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: the coach (staff) or a client. The email is the login."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    def __str__(self):
        return self.email

    @property
    def is_coach(self) -> bool:
        return self.is_active and self.is_staff


class SiteSettings(models.Model):
    """The coach's branding and profile, one row (pk=1) edited from /coach/settings/."""

    site_name = models.CharField(max_length=80, default="Balanced Hearts Coaching")
    tagline = models.CharField(
        max_length=160, default="Relationship and intimacy coaching for couples and individuals"
    )
    coach_name = models.CharField(max_length=80, default="Dr. Maya Ellison")
    coach_first_name = models.CharField(
        max_length=40,
        default="Maya",
        help_text="Used where discretion matters, e.g. 'Appointment with Maya'.",
    )
    coach_email = models.EmailField(
        default="coach@example.com", help_text="Where notifications for the coach are sent."
    )
    coach_photo = models.ImageField(upload_to="site/", blank=True)
    coach_bio = models.TextField(
        default=(
            "I help couples and individuals understand the balance of power in their "
            "relationships: emotional, financial, sexual and social. Together we find ways to "
            "talk openly, decide together and set healthy boundaries."
        )
    )
    brand_colour = models.CharField(
        max_length=7,
        default="#8a3f5f",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #8a3f5f.")],
    )
    postal_address = models.TextField(
        "postal address for the newsletter",
        max_length=400,
        blank=True,
        help_text="Printed at the foot of every newsletter campaign, as the law (CAN-SPAM in the "
        "US, and others) and the big mail providers require: your practice's postal address or "
        "a PO box, with any legal line you need (a company name and number).",
    )

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self):
        return self.site_name

    @classmethod
    def load(cls) -> "SiteSettings":
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings


class OutboundEmailQuerySet(models.QuerySet):
    def due_again(self, now, *, stalled_after):
        """Rows to put back in the queue: a retry that is due, or a task that was lost.

        A queued row's message may have been lost with a flushed broker; a claimed row's worker
        may have died mid-send. Either way the row, not the message, is the source of truth.
        """
        return self.filter(
            models.Q(status=OutboundEmail.Status.QUEUED, next_attempt_at__lte=now)
            | models.Q(status=OutboundEmail.Status.SENDING, claimed_at__lt=now - stalled_after)
        )


class OutboundEmail(models.Model):
    """One email the site sent or will send: rendered once, delivered by a Celery task.

    The row is the idempotency key: a task claims it with a conditional UPDATE before sending,
    so a redelivered message or a second worker finds nothing to do.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENDING = "sending"
        SENT = "sent"
        FAILED = "failed"

    to = models.EmailField()
    template = models.CharField(max_length=80)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField()
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    from_email = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(
        help_text="When the sweeper queues this row again if it is still not sent."
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    related_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    related_id = models.CharField(max_length=64, blank=True)
    related = GenericForeignKey("related_type", "related_id")

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["to"]),
            models.Index(fields=["related_type", "related_id"]),
        ]

    def __str__(self):
        return f"{self.template} to {self.to}"

    @property
    def message_id(self) -> str:
        """Deterministic, so a resend after a crash can be recognised as the same message."""
        return f"<outbound-{self.pk}@{self.from_domain}>"

    @property
    def from_domain(self) -> str:
        return (self.from_email or "localhost").rpartition("@")[2].strip(">") or "localhost"
