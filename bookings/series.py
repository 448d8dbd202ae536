"""The coach books for a client: one session, or a weekly or fortnightly series, all or nothing.

Times. A series keeps its wall-clock time in the coach's zone: 18:00 stays 18:00 after the clocks
change. A time that does not exist on a date (inside the spring-forward gap) or that happens twice
(the autumn repeated hour) is read as RFC 5545 reads a recurring event: with the offset in force
before the change (zoneinfo's fold=0). So 01:30 on the spring-forward night in London is 02:30
BST, and 01:30 on the autumn night is the first of the two (BST); the email gives the real times.

Rules. The coach may book outside the working hours and inside the notice a client would need,
any active session type. Never over another booking (with the buffers of both, as the exclusion
constraint counts them), and over a busy time from the coach's own calendars only on the dates
confirmed after seeing them. Every occurrence is checked and written under the calendar's lock,
in one transaction: one clash and nothing is booked. A paid session counts against the client's
current package when it has sessions left to book; a series longer than what is left is refused.
"""

import hashlib
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone

from bookings import notifications
from bookings.models import Booking, BusyTime, SessionType
from bookings.services import (
    IdempotencyConflict,
    SlotPassed,
    after_confirmed,
    expire_holds,
    lock_calendar,
    package_for,
    race_safe,
)
from clients.models import Client

# Weeks between two sessions of each kind of series.
REPEATS = {"once": 0, "weekly": 1, "fortnightly": 2}
MAX_SESSIONS = 26


def occurrences(
    *, first_day: date, at: time, tz: ZoneInfo, every_weeks: int, count: int
) -> list[datetime]:
    """The starts (UTC) of `count` sessions at wall time `at` in `tz`, every `every_weeks` weeks
    from `first_day` (0: one session). Dates step in local days, so the wall time is kept."""
    if every_weeks == 0:
        count = 1
    if not 1 <= count <= MAX_SESSIONS:
        raise ValidationError(f"Book between 1 and {MAX_SESSIONS} sessions at once.")
    days = [first_day + timedelta(weeks=every_weeks * n) for n in range(count)]
    # fold=0 (the default) is the RFC 5545 reading of gaps and repeated hours: module docstring.
    return [datetime.combine(day, at, tzinfo=tz).astimezone(UTC) for day in days]


def describe(starts: Collection[datetime], tz: ZoneInfo) -> str:
    """ "Tue 20 Oct 18:00, Tue 27 Oct 18:00": dates as the coach reads them in the coach's zone."""
    local = (start.astimezone(tz) for start in starts)
    return ", ".join(f"{moment:%a} {moment.day} {moment:%b %Y %H:%M}" for moment in local)


class DatesClash(ValidationError):
    """Dates of a series that clash with something; `starts` names them."""

    template = ""

    def __init__(self, starts: list[datetime], tz: ZoneInfo, *, code: str):
        self.starts = starts
        super().__init__(self.template.format(dates=describe(starts, tz)), code=code)


class BookedClash(DatesClash):
    """Some dates overlap another booking: never booked over."""

    template = (
        "Already booked at {dates}. Nothing was booked: choose another time, or move that "
        "booking first."
    )


class BusyClash(DatesClash):
    """Some dates fall in busy times of the coach's own calendars: booked once confirmed."""

    template = (
        "Your calendar shows you busy at {dates}. Nothing was booked yet: tick the box to book "
        "over your busy time, or choose another time."
    )


def booking_series_create(
    *,
    client: Client,
    session_type: SessionType,
    starts: list[datetime],
    busy_confirmed: Collection[datetime] = (),
    idempotency_key: str = "",
    now: datetime | None = None,
) -> list[Booking]:
    """Book `starts` (from `occurrences`) for `client`, confirmed, all or nothing; one email.

    The same `idempotency_key` again (a double-click) returns the series it booked and sends
    nothing; with other details it raises IdempotencyConflict. Raises BookedClash (another
    booking), BusyClash (a busy time not in `busy_confirmed`), SlotPassed, SlotTaken (a race
    lost to the constraint) or ValidationError (no email to write to, not enough sessions left
    in the package).
    """
    now = now or timezone.now()
    person = client.people.order_by("pk").first()
    if person is None:
        raise ValidationError("Add a person with an email address to this client first.")
    if min(starts) <= now:
        raise SlotPassed()

    keys = _keys(idempotency_key, len(starts))
    fingerprint = _fingerprint(client, session_type, starts)

    def work():
        lock_calendar(session_type)
        done = _already_booked(keys, fingerprint)
        if done:
            return done
        expire_holds(session_type.calendar_id, now)
        bookings = [_unsaved(client, person, session_type, start, now) for start in starts]
        _refuse_clashes(bookings, session_type.calendar, busy_confirmed, now)
        package = package_for(client, session_type, len(bookings))
        for booking, key in zip(bookings, keys or [None] * len(bookings), strict=True):
            booking.package, booking.idempotency_key = package, key
            booking.request_hash = fingerprint
            booking.save()
            after_confirmed(booking, now=now)
        notifications.series_booked(bookings)
        return bookings

    return race_safe(work)


def _already_booked(keys: list[str], fingerprint: str) -> list[Booking]:
    """The series a first submission with these keys booked (read under the lock, so it has
    committed all of its sessions or none); IdempotencyConflict if it had other details."""
    done = list(Booking.objects.filter(idempotency_key__in=keys).order_by("start"))
    if done and done[0].request_hash != fingerprint:
        raise IdempotencyConflict()
    return done


def _keys(idempotency_key: str, count: int) -> list[str]:
    """One unique key per session (the column is unique), hashed to fit whatever was sent."""
    if not idempotency_key:
        return []
    return [hashlib.sha256(f"series\x1f{idempotency_key}\x1f{n}".encode()).hexdigest()
            for n in range(count)]  # fmt: skip


def _fingerprint(client: Client, session_type: SessionType, starts: list[datetime]) -> str:
    parts = [str(client.pk), session_type.slug, *(start.isoformat() for start in starts)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _unsaved(client, person, session_type, start, now) -> Booking:
    booking = Booking(
        calendar_id=session_type.calendar_id, session_type=session_type, client=client,
        name=client.display_name, email=person.email, phone=person.phone,
        time_zone=client.time_zone, discreet=client.discreet, created_at=now,
    )  # fmt: skip
    booking.set_times(start, session_type)
    return booking


def _refuse_clashes(bookings, calendar, busy_confirmed, now) -> None:
    """BookedClash or BusyClash naming every date concerned; the session's buffers count."""
    earliest = min(booking.blocked_start for booking in bookings)
    latest = max(booking.blocked_end for booking in bookings)
    taken = Booking.objects.blocking(now).filter(
        calendar=calendar, blocked_start__lt=latest, blocked_end__gt=earliest
    )
    busy = BusyTime.objects.filter(
        feed__calendar=calendar, start__lt=latest, end__gt=earliest
    ).values_list("start", "end")
    booked = _overlapping(bookings, taken.values_list("blocked_start", "blocked_end"))
    if booked:
        raise BookedClash(booked, calendar.zone, code="booked")
    busy_starts = _overlapping(bookings, busy)
    if not set(busy_starts) <= set(busy_confirmed):
        raise BusyClash(busy_starts, calendar.zone, code="busy")


def _overlapping(bookings, intervals) -> list[datetime]:
    """The starts of the bookings whose blocked time overlaps one of `intervals`."""
    intervals = list(intervals)
    return [
        booking.start
        for booking in bookings
        if any(s < booking.blocked_end and e > booking.blocked_start for s, e in intervals)
    ]
