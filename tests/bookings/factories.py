from datetime import time

import factory

from bookings.models import Booking, CoachCalendar, SessionType, WeeklyHours


class CalendarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachCalendar

    time_zone = "Europe/London"


class SessionTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionType

    calendar = factory.SubFactory(CalendarFactory)
    name = factory.Sequence(lambda n: f"Session {n}")
    slug = factory.Sequence(lambda n: f"session-{n}")
    duration_minutes = 60
    buffer_before_minutes = 0
    buffer_after_minutes = 0
    min_notice_minutes = 0
    step_minutes = 60
    location_detail = "https://meet.example.com/maya"
    reminder_minutes = [24 * 60, 60]


class FreeCallFactory(SessionTypeFactory):
    name = "Free call"
    slug = "free-call"
    duration_minutes = 45
    is_free = True
    one_per_person = True


def open_every_day(calendar, start=time(9), end=time(17)):
    for weekday in range(7):
        WeeklyHours.objects.create(calendar=calendar, weekday=weekday, start=start, end=end)


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking written straight to the table (no checks): for setting scenes in tests."""

    class Meta:
        model = Booking

    session_type = factory.SubFactory(SessionTypeFactory)
    calendar = factory.SelfAttribute("session_type.calendar")
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"booker{n}@example.org")
    start = None
    status = Booking.Status.CONFIRMED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        booking = model_class(*args, **kwargs)
        booking.set_times(kwargs["start"], kwargs["session_type"])
        booking.save()
        return booking
