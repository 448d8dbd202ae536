"""Demo data: the free call, a session, a couples session, weekday hours and a few bookings."""

from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from bookings import reminders, rooms
from bookings.availability import slots_for
from bookings.models import (
    Booking,
    CoachCalendar,
    SessionType,
    WeeklyHours,
    payments_configured,
)
from clients.models import Client
from clients.services import client_get_or_create_lead

TYPES = [
    {
        "slug": "free-call", "name": "Free 45-minute call", "duration_minutes": 45,
        "is_free": True, "one_per_person": True, "order": 0,
        "description": "A relaxed first conversation: where you are, what you would like to "
        "change, and whether working together feels right.",
    },
    {
        "slug": "session", "name": "Coaching session", "duration_minutes": 60, "price": 95,
        "order": 1, "description": "One hour for you, by video.",
    },
    {
        "slug": "couples-session", "name": "Couples session", "duration_minutes": 90,
        "price": 140, "order": 2, "needs_approval": True,
        "description": "Ninety minutes for the two of you, by video.",
    },
]  # fmt: skip
DEMO_BOOKERS = [("Sam Rivera", "sam.rivera@example.org"), ("Alex Chen", "alex.chen@example.org")]


def seed() -> list[str]:
    """Create the session types, hours and demo bookings once; safe to run again."""
    calendar = CoachCalendar.load()
    if calendar.user is None:
        calendar.user = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
        calendar.save(update_fields=["user"])
    for fields in TYPES:
        SessionType.objects.get_or_create(
            slug=fields["slug"],
            defaults={
                "calendar": calendar, "buffer_after_minutes": 15,
                "reminder_minutes": [24 * 60, 60], **fields,
            },
        )  # fmt: skip
    if not calendar.hours.exists():
        WeeklyHours.objects.bulk_create(
            WeeklyHours(calendar=calendar, weekday=day, start=start, end=end)
            for day in range(5)
            for start, end in ((time(9), time(12, 30)), (time(13, 30), time(17)))
        )
    made = _demo_bookings()
    lines = [f"Bookings: 3 session types, weekday hours, {made} new demo bookings (/book/)"]
    if not payments_configured():
        lines.append(
            "Paid session types are offered online once STRIPE_SECRET_KEY and "
            "STRIPE_WEBHOOK_SECRET are set (README, Payments); the free call always is."
        )
    return lines


def _demo_bookings() -> int:
    emails = [email for _, email in DEMO_BOOKERS]
    if Booking.objects.filter(email__in=emails).exists():
        return 0
    now = timezone.now()
    made = 0
    for (name, email), slug in zip(DEMO_BOOKERS, ["free-call", "session"], strict=True):
        session_type = SessionType.objects.select_related("calendar").get(slug=slug)
        free = slots_for(session_type, now=now + timedelta(days=1 + made))
        if not free:
            continue
        client = client_get_or_create_lead(email=email, name=name, source=Client.Source.BOOKING)
        booking = Booking(
            calendar=session_type.calendar, session_type=session_type, client=client,
            name=name, email=email, time_zone="Europe/London", contact_consent_at=now,
            topic="We keep having the same argument about money.",
        )  # fmt: skip
        booking.set_times(free[0].start, session_type)
        booking.save()
        reminders.schedule(booking, now=now)
        rooms.on_confirmed(booking)
        made += 1
    return made
