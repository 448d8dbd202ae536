"""Reminder deliveries in the admin: shown, never added, changed or deleted there (the sending
worker claims each row)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import ReminderDelivery
from tests.bookings.factories import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminder():
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    booking = BookingFactory(start=start, name="Sam Rivers")
    return ReminderDelivery.objects.create(
        booking=booking, kind="before-1440", due_at=start - timedelta(days=1)
    )


def test_reminder_deliveries_are_listed_and_shown_in_the_admin(coach_client, reminder):
    listing = coach_client.get(reverse("admin:bookings_reminderdelivery_changelist"))
    assert listing.status_code == 200 and "before-1440" in listing.content.decode()
    change = reverse("admin:bookings_reminderdelivery_change", args=[reminder.pk])
    assert coach_client.get(change).status_code == 200


def test_reminder_deliveries_are_read_only_in_the_admin(coach_client, reminder):
    add = reverse("admin:bookings_reminderdelivery_add")
    change = reverse("admin:bookings_reminderdelivery_change", args=[reminder.pk])
    delete = reverse("admin:bookings_reminderdelivery_delete", args=[reminder.pk])
    assert coach_client.get(add).status_code == 403
    assert 'name="_save"' not in coach_client.get(change).content.decode()
    assert coach_client.post(change, {"state": "sent", "kind": "x"}).status_code == 403
    assert coach_client.post(delete, {"post": "yes"}).status_code == 403
    reminder.refresh_from_db()
    assert (reminder.state, reminder.kind) == (ReminderDelivery.State.SCHEDULED, "before-1440")


def test_a_booking_shows_its_reminders_without_letting_them_be_edited(coach_client, reminder):
    change = reverse("admin:bookings_booking_change", args=[reminder.booking_id])
    page = coach_client.get(change).content.decode()
    assert "before-1440" in page
    assert 'name="reminders-0-state"' not in page and "reminders-0-DELETE" not in page
