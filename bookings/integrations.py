"""What bookings contributes to other apps' hooks, registered in `BookingsConfig.ready()`.

Each function runs a fixed number of queries, whatever the number of bookings.
"""

from datetime import datetime, timedelta
from uuid import uuid4

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from bookings import feeds
from bookings.formatting import time_range
from bookings.forms import SeriesForm
from bookings.links import manage_token
from bookings.models import Booking, BookingChange, CoachCalendar
from clients.hooks import TimelineEntry
from coaching.hooks import Panel


def timeline(client) -> list[TimelineEntry]:
    """Each booking, and each move or cancellation the client made (the reason, private, is
    on the booking's page: lists show no personal text)."""
    bookings = (
        Booking.objects.filter(client=client)
        .select_related("session_type", "calendar")
        .prefetch_related("changes")
    )
    return [
        entry
        for booking in bookings
        for entry in (_booking_entry(booking), *map(_change_entry, _changes_by_client(booking)))
    ]


def client_panel(request, client) -> Panel:
    """The coach's client page: the client's coming sessions and a form to book more."""
    calendar = CoachCalendar.load()
    coming = Booking.objects.upcoming().filter(client=client).select_related("session_type")[:10]
    context = {
        "client": client,
        "form": SeriesForm(
            initial={"client": client.pk, "idempotency_key": uuid4().hex}, zone=calendar.zone
        ),
        "coming": [(booking, time_range(booking.start, booking.end, calendar.zone))
                   for booking in coming],
    }  # fmt: skip
    return Panel("bookings/includes/_client_book_card.html", context, order=3)


def _booking_entry(booking: Booking) -> TimelineEntry:
    return TimelineEntry(
        when=booking.created_at,
        kind="booking",
        title=f"{booking.session_type.name} ({booking.get_status_display().lower()})",
        url=reverse("bookings_coach:detail", args=[booking.pk]),
        summary=time_range(booking.start, booking.end, booking.calendar.zone),
    )


def _changes_by_client(booking: Booking) -> list[BookingChange]:
    return [change for change in booking.changes.all() if not change.by_coach]


def _change_entry(change: BookingChange) -> TimelineEntry:
    booking = change.booking
    return TimelineEntry(
        when=change.created_at,
        kind="booking",
        title=f"{booking.session_type.name} {change.get_kind_display().lower()} by the client",
        url=reverse("bookings_coach:detail", args=[booking.pk]),
        summary="With a reason: open the booking to read it." if change.reason else "",
    )


def note_bookings(client) -> list[tuple[int, str]]:
    """The sessions a note can be about: the client's bookings, newest first."""
    bookings = (
        Booking.objects.filter(client=client)
        .exclude(status__in=(Booking.Status.HELD, Booking.Status.EXPIRED, Booking.Status.DECLINED))
        .select_related("session_type", "calendar")
        .order_by("-start")[:100]
    )
    return [(booking.pk, _label(booking)) for booking in bookings]


def _label(booking: Booking) -> str:
    when = time_range(booking.start, booking.end, booking.calendar.zone)
    return f"{booking.session_type.name}, {when}"


def sessions_attended(client, since, until=None) -> int:
    """Attended sessions in [since, until), from which a package counts its used sessions."""
    attended = Booking.objects.filter(
        client=client, status=Booking.Status.ATTENDED, start__gte=since
    )
    return attended.filter(start__lt=until).count() if until else attended.count()


CALLED_OFF = (Booking.Status.CANCELLED, Booking.Status.DECLINED)


def portal_section(request, person) -> Panel | None:
    """The client's sessions in their portal: upcoming (with links to move or cancel), past,
    and cancelled or declined ones apart."""
    bookings = list(
        Booking.objects.filter(client_id=person.client_id)
        .exclude(status__in=(Booking.Status.HELD, Booking.Status.EXPIRED))
        .select_related("session_type", "calendar", "video_room")
        .order_by("-start")[:50]
    )
    now = timezone.now()
    tz = request.visitor_zone or (bookings[0].zone if bookings else CoachCalendar.load().zone)
    rows = [
        {
            "booking": booking,
            "when": time_range(booking.start, booking.end, tz),
            "manage_url": reverse("bookings:manage", args=[manage_token(booking)])
            if booking.is_active
            else "",
            "can_change": booking.can_change(now),
        }
        for booking in bookings
    ]
    upcoming = [row for row in reversed(rows) if row["booking"].is_upcoming(now)]
    # A cancelled call is neither past nor coming: it has a list of its own.
    cancelled = [row for row in rows if row["booking"].status in CALLED_OFF]
    past = [row for row in rows if row not in upcoming and row not in cancelled]
    context = {"upcoming": upcoming, "past": past[:20], "cancelled": cancelled[:20]}
    return Panel("bookings/portal_panel.html", context, order=10)


def export(client) -> dict[str, list[dict]]:
    fields = ["public_id", "start", "end", "status", "name", "email", "phone", "topic",
              "time_zone", "discreet", "created_at", "cancelled_at"]  # fmt: skip
    rows = Booking.objects.filter(client=client).select_related("session_type", "package")
    return {
        "bookings": [
            {
                **{field: _json(getattr(booking, field)) for field in fields},
                "session_type": booking.session_type.name,
                "package": booking.package.name if booking.package else "",
                "reminders": [
                    {"kind": r.kind, "state": r.state, "sent_at": _json(r.sent_at)}
                    for r in booking.reminders.all()
                ],
                "video_room": _room(booking),
                "changes": [
                    {
                        "kind": c.kind,
                        "by_coach": c.by_coach,
                        "at": _json(c.created_at),
                        "reason": c.reason,
                    }
                    for c in booking.changes.all()
                ],
            }
            for booking in rows.select_related("video_room").prefetch_related(
                "reminders", "changes"
            )
        ]
    }


def _room(booking: Booking) -> dict | None:
    room = getattr(booking, "video_room", None)
    if room is None:
        return None
    fields = ["provider", "join_url", "created_at", "ended_at"]
    return {field: _json(getattr(room, field)) for field in fields}


def _json(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value) if value is not None and not isinstance(value, (bool, int, str)) else value


def erase(client) -> dict[str, int]:
    """Anonymise the client's bookings: contact fields and the reasons they gave for changes
    go, the rows stay (times, types, status)."""
    BookingChange.objects.filter(booking__client=client).update(reason="")
    count = Booking.objects.filter(client=client).update(
        name="Erased", email="erased@invalid", phone="", topic="", time_zone="",
        intake_public_id=None, coach_message="", client=None, idempotency_key=None,
        request_hash="",
    )  # fmt: skip
    return {"bookings anonymised": count}


def dashboard_panel(request) -> Panel:
    """Today's and the next 7 days' sessions, in the coach's zone, and the coach's calendars that
    cannot be read (named with their error after BUSY_CALENDAR_ALERT_MINUTES; cached): two
    queries."""
    calendar = CoachCalendar.load()
    tz = calendar.zone
    today = timezone.now().astimezone(tz).date()
    start = datetime.combine(today, datetime.min.time(), tz)
    end = start + timedelta(days=8)
    bookings = list(
        Booking.objects.filter(
            calendar=calendar, status__in=Booking.BLOCKING_FINAL, start__gte=start, start__lt=end
        )  # fmt: skip
        .select_related("session_type", "video_room")
        .order_by("start")
    )
    tomorrow = start + timedelta(days=1)
    context = {
        "today": [b for b in bookings if b.start < tomorrow],
        "later": [b for b in bookings if b.start >= tomorrow],
        "pending": sum(1 for b in bookings if b.status == Booking.Status.PENDING),
        "zone": tz,
        "unread_calendars": feeds.failing_calendars(now=timezone.now()),
    }
    return Panel("bookings/dashboard_panel.html", context, order=10)


# A paid session that was booked and not called off.
PAID_KEPT = (*Booking.BLOCKING_FINAL, Booking.Status.ATTENDED)


def free_calls_ended(since: datetime, until: datetime) -> list[str]:
    """Addresses whose free call (held, not cancelled) ended in (since, until], without a
    paid session booked. One query."""
    paid = Booking.objects.filter(
        email__iexact=OuterRef("email"), status__in=PAID_KEPT, session_type__is_free=False
    )
    ended = Booking.objects.filter(
        session_type__is_free=True,
        status__in=[Booking.Status.CONFIRMED, Booking.Status.ATTENDED],
        end__gt=since,
        end__lte=until,
    )
    return list(ended.filter(~Exists(paid)).values_list("email", flat=True).distinct())


def paid_sessions_booked(since: datetime) -> list[str]:
    """Addresses that booked a paid session since `since` (still on or attended). One query."""
    paid = Booking.objects.filter(
        session_type__is_free=False, status__in=PAID_KEPT, created_at__gte=since
    )
    return list(paid.values_list("email", flat=True).distinct())
