"""What bookings adds to other pages through hooks, and the demo data."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from bookings import integrations
from bookings.models import Booking, SessionType, WeeklyHours
from bookings.services import booking_cancel, booking_create
from clients import hooks as client_hooks
from coaching import hooks
from tests.bookings.conftest import booker

TOMORROW_10 = datetime(2026, 1, 6, 10, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def booking(session_type):
    return booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))


def test_hooks_are_registered():
    assert integrations.timeline in client_hooks.timeline
    assert integrations.portal_section in client_hooks.portal_sections
    assert integrations.export in client_hooks.exporters
    assert integrations.erase in client_hooks.erasers
    assert integrations.dashboard_panel in hooks.dashboard_panels


def test_timeline_lists_the_clients_bookings(booking):
    (entry,) = [e for e in client_hooks.timeline_for(booking.client) if e.kind == "booking"]
    assert entry.kind == "booking" and entry.url.endswith(f"/coach/bookings/{booking.pk}/")
    assert "Tuesday 6 January 2026, 10:00–11:00 GMT" in entry.summary


def test_a_note_can_be_about_one_of_the_clients_sessions(booking):
    [(booking_id, label)] = integrations.note_bookings(booking.client)
    assert booking_id == booking.pk and label.startswith(booking.session_type.name)


def test_packages_count_attended_sessions_only(booking):
    since = booking.start - timedelta(days=1)
    assert integrations.sessions_attended(booking.client, since) == 0
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.ATTENDED)
    assert integrations.sessions_attended(booking.client, since) == 1
    assert integrations.sessions_attended(booking.client, since, until=booking.start) == 0


def test_portal_section_shows_upcoming_sessions_with_a_manage_link(booking):
    request = RequestFactory().get("/account/")
    request.visitor_zone = None
    panel = integrations.portal_section(request, booking.client.people.get())
    (row,) = panel.context["upcoming"]
    assert row["can_change"] and "/book/manage/" in row["manage_url"]


def test_portal_section_lists_a_cancelled_future_call_apart_from_past_sessions(
    booking, session_type, frozen
):
    later = booking_create(
        session_type=session_type, start=TOMORROW_10 + timedelta(hours=4), booker=booker(1)
    )
    booking_cancel(booking=later, by_coach=False)
    frozen.move_to(TOMORROW_10 + timedelta(hours=2))  # `booking` is over, `later` to come
    request = RequestFactory().get("/account/")
    request.visitor_zone = None
    panel = integrations.portal_section(request, booking.client.people.get())
    assert [row["booking"] for row in panel.context["cancelled"]] == [later]
    assert [row["booking"] for row in panel.context["past"]] == [booking]
    assert panel.context["upcoming"] == []


def test_export_and_erase_keep_anonymous_rows(booking):
    exported = integrations.export(booking.client)
    assert exported["bookings"][0]["email"] == "booker1@example.org"
    assert integrations.erase(booking.client) == {"bookings anonymised": 1}
    booking.refresh_from_db()
    assert (booking.name, booking.email, booking.topic, booking.client) == (
        "Erased", "erased@invalid", "", None,
    )  # fmt: skip
    assert booking.start == TOMORROW_10


def test_dashboard_panel_uses_a_fixed_number_of_queries(session_type, coach):
    request = RequestFactory().get("/coach/")
    integrations.dashboard_panel(request)  # the unread calendars' list is cached from now on
    for n in range(2):
        booking_create(
            session_type=session_type, start=TOMORROW_10.replace(hour=9 + n), booker=booker(n)
        )
        with CaptureQueriesContext(connection) as queries:
            panel = integrations.dashboard_panel(request)
        assert len(queries) == 2  # the calendar and its sessions
    assert len(panel.context["later"]) == 2


def test_dashboard_shows_the_panel(coach_client, booking):
    response = coach_client.get("/coach/")
    assert "Sessions" in response.text and booking.name in response.text


def test_seed_demo_is_idempotent(coach):
    call_command("seed_demo")
    call_command("seed_demo")
    assert set(SessionType.objects.values_list("slug", "duration_minutes")) == {
        ("free-call", 45), ("session", 60), ("couples-session", 90),
    }  # fmt: skip
    assert WeeklyHours.objects.count() == 10
    assert Booking.objects.count() == 2
