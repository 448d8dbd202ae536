"""Bookings: what can be booked, when the coach is open, and who booked which time.

`CoachCalendar` is one row per coach: the coach's zone, private feed token, and the row every
booking transaction locks first, so checks and inserts for one coach happen one at a time.
`SessionType`s belong to a calendar; `WeeklyHours` and `AvailabilityException` say when the coach is
open (wall-clock times in that zone). A `Booking` stores its start and end in UTC, plus the time
it blocks (its own buffers included), over which PostgreSQL's exclusion constraint forbids any
overlap between held, pending and confirmed bookings (migration 0002, PostgreSQL only).
`BookingChange` records each move and cancellation, with the reason a client gave the coach.
`ReminderDelivery` is one row per reminder (and the free call's follow-up), claimed once.
`VideoRoom` is a video booking's private room, one per booking.
"""

import secrets
import uuid
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from bookings import slots
from clients.models import Client
from coaching.crypto import EncryptedTextField


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CoachCalendar(models.Model):
    """One coach's calendar settings; its row is the lock that serialises the coach's bookings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    time_zone = models.CharField(max_length=64, default=settings.COACH_TIME_ZONE)
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    def __str__(self):
        return f"Calendar ({self.time_zone})"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @classmethod
    def load(cls) -> "CoachCalendar":
        """The practice's calendar (one coach per site), created on first use."""
        calendar = cls.objects.order_by("pk").first()
        return calendar or cls.objects.create()


CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def money_label(amount, currency: str) -> str:
    """ "£95", "£95.50" or "95 CHF": how visitors read an amount."""
    text = f"{amount:,.2f}".removesuffix(".00")
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    return f"{symbol}{text}" if symbol else f"{text} {currency.upper()}"


# Until payments are taken on the site, a paid session says how the coach will collect them.
DEFAULT_PAYMENT_NOTE = (
    "You will receive an invoice by email before the session, with the ways to pay."
)


def payments_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


class SessionTypeQuerySet(models.QuerySet):
    def paid(self):
        """Those that take payment (`SessionType.takes_payment`)."""
        return self.filter(is_free=False, price__gt=0)

    def bookable_online(self):
        """Active types a visitor may book here: paid ones only once Stripe is set up."""
        types = self.filter(is_active=True)
        return types if payments_configured() else types.exclude(is_free=False, price__gt=0)


PAID_ONLINE_NOTE = "Paid online by card when you booked; the receipt is in your email."


class SessionType(models.Model):
    class Location(models.TextChoices):
        VIDEO = "video", "Video call"
        PHONE = "phone", "Phone"
        IN_PERSON = "in_person", "In person"

    calendar = models.ForeignKey(CoachCalendar, on_delete=models.CASCADE, related_name="types")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    duration_minutes = models.PositiveIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    is_free = models.BooleanField(default=False)
    price = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="GBP")
    deposit = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True,
        help_text="Taken online at booking instead of the full price; empty: the full price.",
    )  # fmt: skip
    refund_hours = models.PositiveIntegerField(
        default=48,
        help_text="A client who cancels up to this many hours before is refunded in full; "
        "later, nothing (you can always refund from the booking's page).",
    )
    payment_note = models.CharField(
        max_length=300, blank=True,
        help_text="How you collect payment, shown with the price on the confirmation page and "
        f"email. Empty: \u201c{DEFAULT_PAYMENT_NOTE}\u201d",
    )  # fmt: skip
    location = models.CharField(max_length=10, choices=Location.choices, default=Location.VIDEO)
    location_detail = models.CharField(
        max_length=300,
        blank=True,
        help_text="The address (in person) or phone note. Video sessions need none: each "
        "booking gets a private room of its own.",
    )
    buffer_before_minutes = models.PositiveIntegerField(default=0)
    buffer_after_minutes = models.PositiveIntegerField(default=15)
    min_notice_minutes = models.PositiveIntegerField(default=24 * 60)
    window_days = models.PositiveIntegerField(
        default=60, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    step_minutes = models.PositiveIntegerField(
        default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    daily_limit = models.PositiveIntegerField(null=True, blank=True)
    is_public = models.BooleanField(default=True, help_text="Off: bookable by its link only.")
    needs_approval = models.BooleanField(default=False)
    cutoff_hours = models.PositiveIntegerField(
        default=24, help_text="Cancelling or moving is possible until this many hours before."
    )
    one_per_person = models.BooleanField(
        default=False, help_text="One booking per email address (the free call)."
    )
    reminder_minutes = models.JSONField(
        default=list, blank=True, help_text="Reminders, in minutes before the session."
    )
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = SessionTypeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def price_label(self) -> str:
        """ "Free", "£95", "£95.50" or "95 CHF": how visitors read a price."""
        return "Free" if self.is_free else money_label(self.price, self.currency)

    @property
    def takes_payment(self) -> bool:
        """Booked online only once paid (Stripe Checkout); the free call never asks for money."""
        return not self.is_free and self.price > 0

    @property
    def amount_due(self):
        """What Checkout asks for at booking: the deposit if the coach set one, else the price."""
        return self.deposit if self.deposit else self.price

    @property
    def amount_due_label(self) -> str:
        return money_label(self.amount_due, self.currency)

    @property
    def bookable_online(self) -> bool:
        """A paid type is offered to visitors only when Stripe is set up (settings)."""
        return not self.takes_payment or payments_configured()

    @property
    def payment_terms(self) -> str:
        """How a paid session is paid for, in the coach's words; empty for a free one."""
        return "" if self.is_free else self.payment_note or DEFAULT_PAYMENT_NOTE

    @property
    def buffer_before(self) -> timedelta:
        return timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self) -> timedelta:
        return timedelta(minutes=self.buffer_after_minutes)

    @property
    def cutoff(self) -> timedelta:
        return timedelta(hours=self.cutoff_hours)

    def rules(self) -> slots.SlotRules:
        return slots.SlotRules(
            duration=self.duration,
            buffer_before=self.buffer_before,
            buffer_after=self.buffer_after,
            min_notice=timedelta(minutes=self.min_notice_minutes),
            window=timedelta(days=self.window_days),
            step=timedelta(minutes=self.step_minutes),
            daily_limit=self.daily_limit,
        )


class WeeklyHours(models.Model):
    calendar = models.ForeignKey(CoachCalendar, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(
        choices=[(number, name) for number, name in enumerate(slots.WEEKDAYS)]
    )
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name_plural = "weekly hours"

    def __str__(self):
        return f"{slots.WEEKDAYS[self.weekday]} {self.start:%H:%M}-{self.end:%H:%M}"

    def as_range(self) -> slots.WeeklyRange:
        return slots.WeeklyRange(self.weekday, self.start, self.end)


class AvailabilityException(models.Model):
    class Kind(models.TextChoices):
        OFF = "off", "Time off"
        EXTRA = "extra", "Extra hours"

    calendar = models.ForeignKey(CoachCalendar, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField()
    start = models.TimeField(null=True, blank=True, help_text="Empty for the whole day off.")
    end = models.TimeField(null=True, blank=True)
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.OFF)

    class Meta:
        ordering = ["date", "start"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.date}"

    def as_exception(self) -> slots.DateException:
        return slots.DateException(self.date, self.start, self.end, self.kind)

    def interval(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The real time it covers, in UTC (a whole day: from midnight to the next midnight)."""
        if self.start is None:
            start = datetime.combine(self.date, time.min, tz)
            end = datetime.combine(self.date + timedelta(days=1), time.min, tz)
        else:
            start = datetime.combine(self.date, self.start, tz)
            end = datetime.combine(self.date, self.end, tz)
        return start.astimezone(UTC), end.astimezone(UTC)


class BookingQuerySet(models.QuerySet):
    def blocking(self, now=None):
        """Bookings that hold their time: pending, confirmed, and holds not yet expired."""
        now = now or timezone.now()
        return self.filter(
            models.Q(status__in=Booking.BLOCKING_FINAL)
            | models.Q(status=Booking.Status.HELD, held_until__gt=now)
        )

    def transition(self, *, from_status: str, to_status: str) -> int:
        """Move the bookings still in `from_status` to `to_status` with one conditional UPDATE,
        so of two concurrent calls exactly one changes a row; returns how many changed."""
        if to_status not in Booking.TRANSITIONS.get(from_status, ()):
            raise ValueError(f"A booking cannot go from {from_status!r} to {to_status!r}.")
        return self.filter(status=from_status).update(
            status=to_status, sequence=models.F("sequence") + 1, updated_at=timezone.now()
        )

    def upcoming(self, now=None):
        return self.filter(
            status__in=Booking.BLOCKING_FINAL, end__gt=now or timezone.now()
        ).order_by("start")

    def for_email(self, email: str):
        return self.filter(email__iexact=email.strip())

    def overlapping(self, start, end):
        """Bookings whose session (buffers aside) overlaps [start, end)."""
        return self.filter(start__lt=end, end__gt=start)


class Booking(models.Model):
    """A session type at a time, for a client. `sequence` rises with every change (iCalendar)."""

    class Status(models.TextChoices):
        HELD = "held", "Held"
        PENDING = "pending", "Waiting for approval"
        CONFIRMED = "confirmed", "Confirmed"
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "No-show"
        CANCELLED = "cancelled", "Cancelled"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"

    # The statuses the exclusion constraint covers (held ones until they are expired).
    BLOCKING = (Status.HELD, Status.PENDING, Status.CONFIRMED)
    BLOCKING_FINAL = (Status.PENDING, Status.CONFIRMED)
    # Every status change a booking may make; any other is refused (see `transition`).
    TRANSITIONS = {
        Status.HELD: {Status.PENDING, Status.CONFIRMED, Status.EXPIRED},
        Status.PENDING: {Status.CONFIRMED, Status.DECLINED, Status.CANCELLED},
        Status.CONFIRMED: {Status.ATTENDED, Status.NO_SHOW, Status.CANCELLED},
        # A payment that succeeded after its hold ran out, while the time is still free.
        Status.EXPIRED: {Status.PENDING, Status.CONFIRMED},
    }

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    calendar = models.ForeignKey(CoachCalendar, on_delete=models.PROTECT, related_name="bookings")
    session_type = models.ForeignKey(SessionType, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    # The package this session counts against: one the coach booked (bookings.series), or a
    # client's own booking paid with a package's credit.
    package = models.ForeignKey(
        "clients.Package", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    # Cancelled by the client after the refund policy's hours: like a late paid session, its
    # package's session is not given back.
    credit_spent = models.BooleanField(default=False)
    start = models.DateTimeField()
    end = models.DateTimeField()
    # The time this booking keeps free for itself, buffers included: what the constraint covers.
    blocked_start = models.DateTimeField()
    blocked_end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    held_until = models.DateTimeField(null=True, blank=True)
    name = models.CharField(max_length=120)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    topic = models.TextField("what the client would like to talk about", blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    discreet = models.BooleanField(default=False)
    contact_consent_at = models.DateTimeField(null=True, blank=True)
    intake_public_id = models.UUIDField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    request_hash = models.CharField(max_length=64, blank=True)
    coach_message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["calendar", "blocked_start"]),
            models.Index(fields=["status", "start"]),
            models.Index(fields=["email"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="booking_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.session_type} for {self.name} at {self.start:%Y-%m-%d %H:%M} UTC"

    @property
    def is_active(self) -> bool:
        return self.status in self.BLOCKING_FINAL

    @property
    def join_url(self) -> str:
        """The address of its private video room while both are active; empty otherwise."""
        room = getattr(self, "video_room", None)  # a missing room reads as None
        return room.join_url if room and room.is_open and self.is_active else ""

    @property
    def client_stage(self) -> str:
        """The pipeline stage this booking gives its client once it holds its time."""
        return Client.Stage.FREE_CALL_BOOKED if self.session_type.is_free else Client.Stage.CLIENT

    @property
    def payment_terms(self) -> str:
        """How this booking is paid for: online at booking (only paid times are held while the
        visitor pays), or as the coach collects it."""
        session_type = self.session_type
        if not (self.held_until and session_type.takes_payment):
            return session_type.payment_terms
        if session_type.deposit:
            deposit = money_label(session_type.deposit, session_type.currency)
            return f"A deposit of {deposit} was paid online. {session_type.payment_terms}"
        return PAID_ONLINE_NOTE

    def is_upcoming(self, now) -> bool:
        """The one-booking form of `Booking.objects.upcoming()`."""
        return self.is_active and self.end > now

    def transition(self, *, from_status: str, to_status: str) -> bool:
        """A conditional UPDATE of this row (see `BookingQuerySet.transition`): False, and
        nothing changed, when the booking is no longer in `from_status`."""
        return bool(
            Booking.objects.filter(pk=self.pk).transition(
                from_status=from_status, to_status=to_status
            )
        )

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.time_zone) if self.time_zone else self.calendar.zone
        except (KeyError, ValueError):
            return self.calendar.zone

    def refund_due(self, when) -> bool:
        """Cancelled by the client at `when`, is it refunded? In full up to the session type's
        `refund_hours` before the start, not after (the coach may refund at any time)."""
        return when <= self.start - timedelta(hours=self.session_type.refund_hours)

    def can_change(self, now=None) -> bool:
        """The booker may cancel or move it: still active and before the cut-off (elapsed time)."""
        now = now or timezone.now()
        return self.is_active and now <= self.start - self.session_type.cutoff

    def set_times(self, start, session_type: SessionType) -> None:
        self.start, self.end = start, start + session_type.duration
        self.blocked_start = start - session_type.buffer_before
        self.blocked_end = self.end + session_type.buffer_after


class VideoRoom(models.Model):
    """A booking's private video room: made once when the booking is confirmed (the one-to-one
    key is the guard: a second try finds the row), kept on a move, ended on a cancellation.

    `provider` names who made it (`bookings.video`); "static" marks the session type's shared
    link copied onto bookings made before rooms were private (migration 0006).
    """

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="video_room")
    provider = models.CharField(max_length=20)
    external_id = models.CharField(max_length=200, blank=True)
    join_url = models.CharField(max_length=500)  # written by the provider, never typed
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.provider} room of booking {self.booking_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class BookingChange(models.Model):
    """A move or a cancellation of a booking: by whom, when, from which time, and why.

    The reason is what the client chose to tell the coach: shown on the coach's pages, never
    in an email (it may be private, and emails travel further than the site).
    """

    class Kind(models.TextChoices):
        MOVED = "moved", "Moved"
        CANCELLED = "cancelled", "Cancelled"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by_coach = models.BooleanField(default=False)
    previous_start = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} booking {self.booking_id} at {self.created_at:%Y-%m-%d}"


class ReminderDelivery(models.Model):
    """One reminder (or follow-up) of one booking; the row is claimed once before sending."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled"
        SENDING = "sending"
        SENT = "sent"
        SKIPPED = "skipped"
        CANCELLED = "cancelled"
        FAILED = "failed"

    FOLLOW_UP = "follow-up"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, help_text="'before-<minutes>' or 'follow-up'.")
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCHEDULED)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "kind"], name="reminder_once_per_kind")
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="reminder_due_scheduled",
                condition=models.Q(state="scheduled"),
            )
        ]

    def __str__(self):
        return f"{self.kind} for booking {self.booking_id} ({self.state})"

    @property
    def minutes_before(self) -> int | None:
        return int(self.kind.removeprefix("before-")) if self.kind.startswith("before-") else None


class BusyCalendar(models.Model):
    """One of the coach's own calendars, read by its private ICS address in a worker.

    The address is a secret (anyone holding it reads the diary): stored encrypted, shown masked.
    """

    calendar = models.ForeignKey(CoachCalendar, on_delete=models.CASCADE, related_name="feeds")
    name = models.CharField(max_length=80)
    url = EncryptedTextField()
    etag = models.CharField(max_length=200, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)  # the last good read
    last_error = models.CharField(max_length=300, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    alert_claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name

    @property
    def masked_url(self) -> str:
        return mask_address(self.url)


def mask_address(url: str) -> str:
    """Scheme and host only: enough for the coach to recognise, useless to anyone else."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}/…"


class BusyTime(models.Model):
    """A start and end the coach is busy in one of the coach's calendars: no title, no attendees."""

    feed = models.ForeignKey(BusyCalendar, on_delete=models.CASCADE, related_name="busy")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["end", "start"], name="busytime_window")]

    def __str__(self):
        return f"Busy {self.start:%Y-%m-%d %H:%M} to {self.end:%H:%M} UTC"
