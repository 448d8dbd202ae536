"""The coach's booking pages: each with a happy path, and closed to everyone else."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from bookings.forms import slot_id
from bookings.models import AvailabilityException, Booking, CoachCalendar, SessionType
from bookings.services import booking_create
from tests.bookings.conftest import booker

INTAKE_ID = uuid.UUID("6f1c1c1e-0000-4000-8000-000000000001")

TOMORROW_10 = datetime(2026, 1, 6, 10, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def booking(session_type):
    return booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))


PAGES = [
    ("bookings_coach:index", []),
    ("bookings_coach:week", []),
    ("bookings_coach:book", []),
    ("bookings_coach:types", []),
    ("bookings_coach:type_create", []),
    ("bookings_coach:hours", []),
    ("bookings_coach:feed", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_coach_pages_open_for_the_coach(coach_client, booking, name, args):
    assert coach_client.get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_coach_pages_are_closed_to_clients_and_visitors(client, client_user, booking, name, args):
    url = reverse(name, args=args)
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(client_user)
    assert client.get(url).status_code == 404


def test_list_and_week_show_the_booking(coach_client, booking):
    listing = coach_client.get(reverse("bookings_coach:index"))
    assert booking.name in listing.text
    week = coach_client.get(reverse("bookings_coach:week"), {"start": "2026-01-06"})
    assert "10:00–11:00" in week.text and booking.name in week.text


def test_detail_links_to_the_client_and_her_intake(coach_client, booking):
    Booking.objects.filter(pk=booking.pk).update(intake_public_id=INTAKE_ID)
    response = coach_client.get(reverse("bookings_coach:detail", args=[booking.pk]))
    assert response.status_code == 200
    assert booking.email in response.text
    assert reverse("clients_coach:detail", args=[booking.client_id]) in response.text
    assert reverse("intake_coach:response", args=[INTAKE_ID]) in response.text


def test_detail_is_closed_to_clients(client, client_user, booking):
    client.force_login(client_user)
    assert client.get(reverse("bookings_coach:detail", args=[booking.pk])).status_code == 404


def test_coach_cancels_with_a_message(coach_client, booking):
    url = reverse("bookings_coach:cancel", args=[booking.pk])
    response = coach_client.post(url, {"message": "I am unwell, sorry."}, follow=True)
    assert "Cancelled; the client has been told." in response.text
    booking.refresh_from_db()
    assert (booking.status, booking.coach_message) == ("cancelled", "I am unwell, sorry.")


def test_coach_marks_no_show_after_the_start(coach_client, booking, frozen):
    url = reverse("bookings_coach:no_show", args=[booking.pk])
    early = coach_client.post(url)
    assert early.status_code == 400 and "has not started yet" in early.text
    frozen.move_to(TOMORROW_10 + timedelta(minutes=70))
    coach_client.post(url)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW


def test_coach_approves_a_pending_booking(coach_client, session_type):
    session_type.needs_approval = True
    session_type.save()
    pending = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(2))
    url = reverse("bookings_coach:approve", args=[pending.pk])
    assert coach_client.post(url).status_code == 302
    pending.refresh_from_db()
    assert pending.status == Booking.Status.CONFIRMED
    again = coach_client.post(url)  # a second tab, or a double click (docs/reliability.md B-05)
    assert again.status_code == 409 and "already handled" in again.text


def test_coach_declines_a_pending_booking_with_a_message(coach_client, session_type):
    session_type.needs_approval = True
    session_type.save()
    pending = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(2))
    url = reverse("bookings_coach:decline", args=[pending.pk])
    response = coach_client.post(url, {"message": "I am away that week."}, follow=True)
    assert "Declined; the client has been told." in response.text
    pending.refresh_from_db()
    assert (pending.status, pending.coach_message) == ("declined", "I am away that week.")
    again = coach_client.post(reverse("bookings_coach:approve", args=[pending.pk]))
    assert again.status_code == 409 and "already handled" in again.text


def test_coach_marks_attended_after_the_start(coach_client, booking, frozen):
    frozen.move_to(TOMORROW_10 + timedelta(minutes=70))
    response = coach_client.post(reverse("bookings_coach:attended", args=[booking.pk]), follow=True)
    assert "Marked as attended." in response.text
    booking.refresh_from_db()
    assert booking.status == Booking.Status.ATTENDED


def test_unknown_action_is_404(coach_client, booking):
    assert coach_client.post(f"/coach/bookings/{booking.pk}/delete/").status_code == 404


@pytest.mark.parametrize("name", ["approve", "decline", "cancel", "attended", "no_show", "move"])
def test_each_booking_action_keeps_its_path_and_refuses_get(coach_client, booking, name):
    url = reverse(f"bookings_coach:{name}", args=[booking.pk])
    assert url == f"/coach/bookings/{booking.pk}/{name}/"
    if name != "move":  # the move page shows the free times on GET
        assert coach_client.get(url).status_code == 405


def test_coach_moves(coach_client, booking):
    url = reverse("bookings_coach:move", args=[booking.pk])
    assert coach_client.get(url, {"day": "2026-01-07"}).status_code == 200
    later = TOMORROW_10 + timedelta(days=1)
    coach_client.post(url, {"start": slot_id(later)})
    booking.refresh_from_db()
    assert booking.start == later


def test_coach_creates_a_session_type(coach_client, session_type):
    data = {
        "name": "Couples session", "slug": "couples", "duration_minutes": 90, "price": "150",
        "currency": "GBP", "location": "video", "buffer_before_minutes": 0,
        "buffer_after_minutes": 15, "min_notice_minutes": 1440, "window_days": 60,
        "step_minutes": 30, "cutoff_hours": 24, "reminder_minutes": "1440, 60",
        "is_public": "on", "is_active": "on", "order": 3,
    }  # fmt: skip
    response = coach_client.post(reverse("bookings_coach:type_create"), data)
    assert response.status_code == 302
    couples = SessionType.objects.get(slug="couples")
    assert couples.reminder_minutes == [1440, 60]
    assert couples.calendar == CoachCalendar.load()


def test_overlapping_weekly_hours_are_refused_with_a_clear_message(coach_client, session_type):
    data = {
        "hours-TOTAL_FORMS": 2, "hours-INITIAL_FORMS": 0,
        "hours-0-weekday": 2, "hours-0-start": "09:00", "hours-0-end": "17:00",
        "hours-1-weekday": 2, "hours-1-start": "13:00", "hours-1-end": "18:00",
    }  # fmt: skip
    response = coach_client.post(reverse("bookings_coach:hours"), data)
    assert "Wednesday: 09:00-17:00 overlaps 13:00-18:00" in response.text


def test_time_off_is_added_and_an_inverted_range_refused(coach_client, session_type):
    url = reverse("bookings_coach:exception_add")
    coach_client.post(url, {"date": "2026-01-07", "kind": "off"})
    assert AvailabilityException.objects.filter(date="2026-01-07", start=None).exists()
    response = coach_client.post(
        url, {"date": "2026-01-08", "kind": "extra", "start": "19:00", "end": "18:00"}, follow=True
    )
    assert "the end must be after the start" in response.text


def test_feed_token_can_be_regenerated(coach_client, session_type):
    old = CoachCalendar.load().feed_token
    coach_client.post(reverse("bookings_coach:feed"))
    assert CoachCalendar.load().feed_token != old
    assert coach_client.get(reverse("bookings:coach_feed", args=[old])).status_code == 404


def test_coach_sets_weekday_hours_with_a_lunch_break(coach_client, session_type):
    data = {
        "hours-TOTAL_FORMS": 2, "hours-INITIAL_FORMS": 0,
        "hours-0-weekday": 0, "hours-0-start": "09:00", "hours-0-end": "12:30",
        "hours-1-weekday": 0, "hours-1-start": "13:30", "hours-1-end": "17:00",
    }  # fmt: skip
    response = coach_client.post(reverse("bookings_coach:hours"), data)
    assert response.status_code == 302
    hours = CoachCalendar.load().hours.values_list("weekday", "start", "end")
    assert [(day, f"{start:%H:%M}", f"{end:%H:%M}") for day, start, end in hours] == [
        (0, "09:00", "12:30"), (0, "13:30", "17:00"),
    ]  # fmt: skip
