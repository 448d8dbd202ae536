"""The reminder-sweep benchmark writes its rows in SQL, past the ORM: a new column without a
database default breaks it, and only `make bench` would say so. Here its seed runs small."""

from bench import bookings_reminder_sweep
from bookings.models import Booking, ReminderDelivery


def test_the_sweep_benchmark_seeds_rows_the_schema_accepts(db, monkeypatch):
    monkeypatch.setattr(bookings_reminder_sweep, "BOOKINGS", 20)
    bookings_reminder_sweep._setup()
    assert Booking.objects.count() == ReminderDelivery.objects.count() == 20
