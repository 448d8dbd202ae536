"""Every email about a booking: to the booker (with the .ics and a manage link) and the coach.

Called inside the booking's transaction: `send_email` records the email there and delivers it
once the transaction commits, so a rolled-back booking sends nothing.
"""

from datetime import datetime

from django.urls import reverse

from bookings import ics
from bookings.formatting import booking_title, how_soon, time_range, where
from bookings.links import manage_url
from bookings.models import Booking
from coaching.emails import absolute_url, send_email
from coaching.models import SiteSettings


def _context(booking, **extra) -> dict:
    site = SiteSettings.load()
    coach_zone = booking.calendar.zone
    when = time_range(booking.start, booking.end, booking.zone)
    when_coach = time_range(booking.start, booking.end, coach_zone)
    return {
        "booking": booking,
        "title": booking_title(booking, site),
        "when": when,
        "when_coach": when_coach if when_coach != when else "",
        "where": where(booking),
        "manage_url": manage_url(booking) if booking.is_active else "",
        "book_url": absolute_url(reverse("bookings:index")),
        **extra,
    }


def _to_booker(booking, event: str, **extra) -> None:
    cancelled = event in ("cancelled", "declined")
    send_email(
        to=booking.email,
        template="booking_booker",
        context=_context(booking, event=event, **extra),
        related=booking,
        attachments=[] if event in ("requested", "declined") else [
            ics.attachment(booking, cancelled=cancelled)
        ],
    )  # fmt: skip


def _to_coach(booking, event: str, **extra) -> None:
    site = SiteSettings.load()
    coach_url = absolute_url(reverse("bookings_coach:detail", args=[booking.pk]))
    send_email(
        to=site.coach_email,
        template="booking_coach",
        context=_context(booking, event=event, coach_url=coach_url, **extra),
        related=booking,
    )


def booked(booking) -> None:
    event = "requested" if booking.status == Booking.Status.PENDING else "confirmed"
    _to_booker(booking, event)
    _to_coach(booking, event)


def approved(booking) -> None:
    _to_booker(booking, "confirmed")


def declined(booking) -> None:
    _to_booker(booking, "declined")


def cancelled(booking, *, by_coach: bool, reason_given: bool = False) -> None:
    """`reason_given`: the coach's email says the client gave a reason, never the reason."""
    _to_booker(booking, "cancelled", by_coach=by_coach)
    if not by_coach:
        _to_coach(booking, "cancelled", reason_given=reason_given)


def moved(booking, *, previous: datetime, by_coach: bool, reason_given: bool = False) -> None:
    was = time_range(previous, previous + booking.session_type.duration, booking.zone)
    _to_booker(booking, "moved", was=was)
    if not by_coach:
        _to_coach(booking, "moved", was=was, reason_given=reason_given)


def series_booked(bookings: list[Booking]) -> None:
    """One email for the sessions the coach booked for a client: every date, in the client's
    zone (else the coach's), and one calendar file per session (each its own event, moved or
    cancelled on its own later)."""
    first = bookings[0]
    sessions = [
        {
            "when": time_range(booking.start, booking.end, booking.zone),
            "where": where(booking),
            "join_url": booking.join_url,
            "manage_url": manage_url(booking),
        }
        for booking in bookings
    ]
    send_email(
        to=first.email,
        template="booking_series",
        context=_context(first, sessions=sessions),
        related=first,
        attachments=[
            ics.attachment(booking, filename=f"session-{number}.ics")
            for number, booking in enumerate(bookings, start=1)
        ],
    )


def room_ready(booking) -> None:
    """The private video link, made after the confirmation went (a provider behind an API)."""
    _to_booker(booking, "room")


def no_show(booking) -> None:
    send_email(
        to=booking.email,
        template="booking_no_show",
        context=_context(booking),
        related=booking,
    )


def reminder(booking, *, now: datetime):
    """The reminder before a session; says how soon it is (it may be late after an outage)."""
    return send_email(
        to=booking.email,
        template="booking_reminder",
        context=_context(booking, how_soon=how_soon(booking.start, now)),
        related=booking,
    )


def follow_up(booking):
    return send_email(
        to=booking.email,
        template="booking_follow_up",
        context=_context(booking),
        related=booking,
    )
