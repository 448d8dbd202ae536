"""Cancelling and moving by the emailed link: one more screen to confirm, an optional reason for
the coach's eyes only, and links from earlier emails that still lead to the booking."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from bookings import integrations
from bookings.forms import slot_id
from bookings.links import manage_token
from bookings.models import Booking, BookingChange
from bookings.services import booking_create, booking_move
from clients import hooks as client_hooks
from tests.bookings.conftest import booker

TOMORROW_10 = datetime(2026, 1, 6, 10, 0, tzinfo=UTC)
DAY_AFTER_14 = datetime(2026, 1, 7, 14, 0, tzinfo=UTC)
REASON = "My partner's shift changed, sorry."

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def booking(session_type):
    return booking_create(
        session_type=session_type, start=TOMORROW_10,
        booker=booker(1, time_zone="America/Los_Angeles"),
    )  # fmt: skip


def url(name, booking_or_token):
    token = booking_or_token
    if isinstance(booking_or_token, Booking):
        token = manage_token(Booking.objects.get(pk=booking_or_token.pk))
    return reverse(f"bookings:{name}", args=[token])


def status_of(booking) -> str:
    return Booking.objects.get(pk=booking.pk).status


def test_cancel_asks_first_and_opening_the_question_changes_nothing(client, booking):
    for _ in range(2):  # a mail scanner or a second look
        response = client.get(url("cancel", booking))
        assert response.status_code == 200
    assert "Cancel this booking?" in response.text
    assert "Would you like to say why? (optional)" in response.text
    assert "Keep my booking" in response.text
    assert status_of(booking) == Booking.Status.CONFIRMED
    assert not BookingChange.objects.exists()


def test_manage_page_links_to_the_question_rather_than_cancelling(client, booking):
    response = client.get(url("manage", booking))
    assert f'href="{url("cancel", booking)}"' in response.text
    assert f'action="{url("cancel", booking)}"' not in response.text  # no one-tap form


def test_cancel_with_a_reason_reaches_the_coach_and_no_email(
    client, booking, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("cancel", booking), {"reason": REASON})
    assert "Your booking is cancelled" in response.text
    assert status_of(booking) == Booking.Status.CANCELLED
    change = BookingChange.objects.get()
    assert (change.kind, change.by_coach, change.reason) == ("cancelled", False, REASON)
    to_coach = next(m for m in mail.outbox if m.to == ["coach@example.com"])
    assert "They gave a reason" in to_coach.body
    for message in mail.outbox:
        assert "shift" not in message.body and "shift" not in message.alternatives[0][0]


def test_cancel_without_a_reason_still_cancels(client, booking):
    client.post(url("cancel", booking))
    assert status_of(booking) == Booking.Status.CANCELLED
    assert BookingChange.objects.get().reason == ""


def test_a_reason_too_long_keeps_the_booking_and_the_text(client, booking):
    long_reason = "x" * 2001
    response = client.post(url("cancel", booking), {"reason": long_reason})
    assert response.status_code == 400
    assert long_reason in response.text and "at most 2000 characters" in response.text
    assert status_of(booking) == Booking.Status.CONFIRMED


def test_the_coach_reads_the_reason_on_the_booking_and_sees_it_on_the_timeline(
    client, coach_client, booking
):
    token = manage_token(booking)
    client.post(reverse("bookings:cancel", args=[token]), {"reason": REASON})
    detail = coach_client.get(reverse("bookings_coach:detail", args=[booking.pk]))
    assert "cancelled by the client" in detail.text
    assert "My partner&#x27;s shift changed, sorry." in detail.text
    entries = [e for e in client_hooks.timeline_for(booking.client) if "by the client" in e.title]
    assert [e.title for e in entries] == [f"{booking.session_type.name} cancelled by the client"]
    assert entries[0].summary == "With a reason: open the booking to read it."


def test_moving_shows_the_old_and_new_time_before_anything_changes(client, booking):
    client.cookies["tz"] = "America%2FLos_Angeles"
    response = client.post(url("move", booking), {"start": slot_id(DAY_AFTER_14)})
    assert response.status_code == 200
    assert "Move your booking?" in response.text
    assert "Tuesday 6 January 2026, 02:00–03:00 PST (America/Los_Angeles)" in response.text
    assert "Wednesday 7 January 2026, 06:00–07:00 PST (America/Los_Angeles)" in response.text
    assert 'name="confirm" value="yes"' in response.text
    booking.refresh_from_db()
    assert (booking.start, booking.sequence) == (TOMORROW_10, 0)


def test_a_confirmed_move_moves_and_keeps_the_reason(client, booking):
    data = {"start": slot_id(DAY_AFTER_14), "confirm": "yes", "reason": REASON}
    response = client.post(url("move", booking), data)
    booking.refresh_from_db()
    assert response.status_code == 303
    assert response["Location"] == reverse("bookings:booked", args=[manage_token(booking)])
    assert (booking.start, booking.sequence) == (DAY_AFTER_14, 1)
    change = BookingChange.objects.get()
    assert (change.kind, change.previous_start, change.reason) == ("moved", TOMORROW_10, REASON)
    assert "Your booking has moved" in client.get(response["Location"]).text


def test_a_time_taken_meanwhile_is_refused_on_the_confirmation(client, booking, session_type):
    booking_create(session_type=session_type, start=DAY_AFTER_14, booker=booker(2))
    response = client.post(url("move", booking), {"start": slot_id(DAY_AFTER_14)})
    assert response.status_code == 409
    assert "that time was just taken" in response.text


def test_no_time_chosen_shows_the_times_again(client, booking):
    response = client.post(url("move", booking), {"start": "soon", "confirm": "yes"})
    assert response.status_code == 400 and "Please choose a time." in response.text
    assert Booking.objects.get(pk=booking.pk).sequence == 0


def test_the_link_of_the_first_email_leads_to_the_booking_as_it_is_now(client, booking):
    first = manage_token(booking)
    booking_move(booking=booking, start=DAY_AFTER_14)
    for name in ("manage", "booked", "move", "cancel"):
        response = client.get(reverse(f"bookings:{name}", args=[first]), follow=True)
        assert response.status_code == 200, name
        assert response.redirect_chain[0][0] == url(name, booking), name
    page = client.get(reverse("bookings:manage", args=[first]), follow=True)
    assert "Wednesday 7 January 2026, 06:00–07:00 PST" in page.text
    assert "Cancel this booking" in page.text


def test_a_form_from_before_a_change_changes_nothing(client, booking):
    first = manage_token(booking)
    booking_move(booking=booking, start=DAY_AFTER_14, by_coach=True)
    response = client.post(reverse("bookings:cancel", args=[first]), {"reason": ""})
    assert response.status_code == 409
    assert "This booking changed while the page was open" in response.text
    assert "Wednesday 7 January 2026" in response.text
    assert status_of(booking) == Booking.Status.CONFIRMED


def test_the_links_of_a_cancelled_booking_say_so(client, booking):
    first = manage_token(booking)
    client.post(url("cancel", booking))
    response = client.get(reverse("bookings:manage", args=[first]))
    assert response.status_code == 410 and "This booking was cancelled." in response.text


def test_inside_the_cutoff_the_question_is_not_asked(client, booking, frozen):
    frozen.move_to(TOMORROW_10 - timedelta(hours=2))
    response = client.get(url("cancel", booking))
    assert response.status_code == 302 and response["Location"] == url("manage", booking)


def test_export_has_the_reasons_and_erasure_removes_them(client, booking):
    client.post(url("cancel", booking), {"reason": REASON})
    (row,) = integrations.export(booking.client)["bookings"]
    assert [change["reason"] for change in row["changes"]] == [REASON]
    integrations.erase(booking.client)
    assert BookingChange.objects.get().reason == ""
