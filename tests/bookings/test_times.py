"""Time zones end to end: slots from the database, pages, emails and .ics across London's clock
changes (the last Sundays of March and October 2026), seen from New York, Sydney and Kolkata;
and the configuration guards of T-05, T-06, T-08 and R-02 (rows of docs/reliability.md)."""

import ast
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from bookings.availability import slots_for
from bookings.forms import slot_id
from bookings.services import booking_cancel, booking_create, booking_move
from coaching.celery import app
from coaching.models import OutboundEmail
from tests.bookings.conftest import booker

SPRING, AUTUMN = datetime(2026, 3, 29).date(), datetime(2026, 10, 25).date()
LONDON = ZoneInfo("Europe/London")
BEFORE = datetime(2026, 3, 1, tzinfo=UTC)


def weeks_before(day):
    return time_machine.travel(datetime.combine(day - timedelta(days=20), time(), UTC), tick=False)


@pytest.fixture
def early(session_type):
    with time_machine.travel(BEFORE, tick=False):
        yield session_type


@pytest.mark.parametrize(
    ("day", "first_utc", "last_utc"),
    [
        (SPRING - timedelta(days=1), time(9), time(16)),  # GMT
        (SPRING, time(8), time(15)),  # BST from 01:00 UTC
        (AUTUMN - timedelta(days=1), time(8), time(15)),
        (AUTUMN, time(9), time(16)),  # GMT again
    ],
)
def test_london_hours_follow_the_clock_change(early, day, first_utc, last_utc):
    with weeks_before(day):
        slots = slots_for(early, start_date=day, days=1)
    assert [slot.start.astimezone(LONDON).time() for slot in slots] == [
        time(hour) for hour in range(9, 17)
    ]
    assert (slots[0].start.time(), slots[-1].start.time()) == (first_utc, last_utc)


@pytest.mark.parametrize(
    ("zone", "spring", "autumn"),
    [
        ("America/New_York", "04:00", "05:00"),
        ("Australia/Sydney", "19:00", "20:00"),
        ("Asia/Kolkata", "13:30", "14:30"),
        ("Europe/London", "09:00", "09:00"),
    ],
)
def test_book_page_shows_the_first_slot_in_the_visitor_zone(client, early, zone, spring, autumn):
    url = reverse("bookings:book", args=[early.slug])
    for day, expected in ((SPRING, spring), (AUTUMN, autumn)):
        with weeks_before(day):
            response = client.get(url, {"day": day.isoformat(), "tz": zone})
        assert f">{expected}</time></a>" in response.text, (zone, day)


@pytest.mark.parametrize(
    ("zone", "when"),
    [
        ("America/New_York", "Sunday 29 March 2026, 04:00–05:00 EDT (America/New_York)"),
        ("Australia/Sydney", "Sunday 29 March 2026, 19:00–20:00 AEDT (Australia/Sydney)"),
        ("Asia/Kolkata", "Sunday 29 March 2026, 13:30–14:30 IST (Asia/Kolkata)"),
        ("Europe/Berlin", "Sunday 29 March 2026, 10:00–11:00 CEST (Europe/Berlin)"),
    ],
)
def test_confirmation_email_names_both_zones_and_the_ics_is_utc(early, zone, when):
    """T-07 across the spring change: the booker's zone, the coach's, and a UTC DTSTART."""
    start = datetime(2026, 3, 29, 8, tzinfo=UTC)  # 09:00 BST
    with time_machine.travel(BEFORE, tick=False):
        booking_create(session_type=early, start=start, booker=booker(1, time_zone=zone))
    email = OutboundEmail.objects.get(template="booking_booker")
    assert when in email.body_text and when in email.body_html
    assert "09:00–10:00 BST (Europe/London)" in email.body_text
    event = Calendar.from_ical(email.attachments[0]["content"]).walk("VEVENT")[0]
    assert "DTSTART:20260329T080000Z" in email.attachments[0]["content"]
    assert event["DTEND"].dt == start + timedelta(hours=1)


def test_ics_keeps_its_uid_raises_its_sequence_and_cancels(early):
    with time_machine.travel(BEFORE, tick=False):
        booking = booking_create(
            session_type=early, start=datetime(2026, 3, 30, 9, tzinfo=UTC), booker=booker(1)
        )
        moved = booking_move(booking=booking, start=datetime(2026, 3, 31, 9, tzinfo=UTC))
        booking_cancel(booking=moved)
    invites = [
        Calendar.from_ical(email.attachments[0]["content"])
        for email in OutboundEmail.objects.filter(template="booking_booker").order_by("pk")
    ]
    events = [invite.walk("VEVENT")[0] for invite in invites]
    assert len({str(event["UID"]) for event in events}) == 1
    assert [int(event["SEQUENCE"]) for event in events] == [0, 1, 2]
    assert [str(invite["METHOD"]) for invite in invites] == ["REQUEST", "REQUEST", "CANCEL"]
    assert str(events[-1]["STATUS"]) == "CANCELLED"


def test_slot_ids_are_utc_and_round_trip(early):
    slot = slots_for(early, start_date=SPRING, days=1)[0]
    assert slot_id(slot.start) == "20260329T080000Z"


def test_naive_datetimes_fail_the_suite(session_type):
    """T-05: USE_TZ is on, and a naive datetime is a RuntimeWarning that pytest makes an error."""
    from tests.bookings.factories import BookingFactory

    assert settings.USE_TZ
    with pytest.raises(RuntimeWarning):
        BookingFactory(session_type=session_type, start=datetime(2026, 1, 6, 10))  # noqa: DTZ001


def test_beat_runs_in_utc_on_plain_intervals():
    """T-06: no crontab that depends on local time."""
    assert settings.CELERY_TIMEZONE == "UTC" and settings.CELERY_ENABLE_UTC
    schedule = app.conf.beat_schedule
    assert schedule["bookings-sweep-reminders"]["schedule"] == 60.0
    assert all(isinstance(entry["schedule"], float | int) for entry in schedule.values())


def test_tzdata_is_recent_enough():
    """T-08 canary: Kazakhstan moved Almaty to UTC+5 on 1 March 2024 (tzdata 2024a)."""
    assert datetime(2026, 7, 1, tzinfo=ZoneInfo("Asia/Almaty")).utcoffset() == timedelta(hours=5)


def test_no_long_countdowns_in_bookings_and_visibility_timeout_is_long_enough():
    """R-02: scheduled work is swept from the database; no countdown or eta anywhere here."""
    root = Path(__file__).resolve().parents[2] / "bookings"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                keywords = {keyword.arg for keyword in node.keywords}
                assert not keywords & {"countdown", "eta"}, f"{path}:{node.lineno}"
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert timeout >= 2 * settings.CELERY_TASK_TIME_LIMIT
