"""A 30-day love-letters series, simulated hour by hour: once each, in order, at local 08:00."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from content.newsletter import sequences, services
from content.newsletter.models import Delivery, Enrollment
from tests.factories import PersonFactory
from tests.newsletter.factories import SubscriberFactory
from tests.newsletter.sequence_helpers import LOVE_DELAYS, letters_to, make_sequence, sweep

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unlimited_rate")]

# 20 October 2026: Europe leaves summer time on the 25th, the US on 1 November.
START = datetime(2026, 10, 20, 13, 30, tzinfo=UTC)


def _subscriber(email, zone, topics):
    if zone:
        person = PersonFactory(email=email, name="Greta Lind")
        person.client.time_zone = zone
        person.client.save()
    return SubscriberFactory(email=email, first_name="", topics=[topics["love-letters"]])


def test_thirty_days_each_letter_once_in_order_at_the_local_morning(
    topics, settings, django_capture_on_commit_callbacks
):
    settings.COACH_TIME_ZONE = "Europe/London"
    with time_machine.travel(START, tick=False) as clock:
        make_sequence(topic=topics["love-letters"])
        zones = {
            "berlin@example.org": "Europe/Berlin",
            "newyork@example.org": "America/New_York",
            "tokyo@example.org": "Asia/Tokyo",
            "nozone@example.org": None,  # the coach's zone
            "leaver@example.org": "Europe/Berlin",
        }
        people = {email: _subscriber(email, zone, topics) for email, zone in zones.items()}
        for subscriber in people.values():
            sequences.subscriber_follow_topics(subscriber=subscriber, now=START)
        for hour in range(31 * 24 + 12):
            now = START + timedelta(hours=hour, minutes=30)
            clock.move_to(now)
            if now.date() == (START + timedelta(days=5)).date() and now.hour == 12:
                services.subscriber_leave(subscriber=people["leaver@example.org"])
            sweep(django_capture_on_commit_callbacks, now=now)

    for email, zone in zones.items():
        # The merge tag reads the first name of the client record with their address.
        name = "Greta" if zone else "you"
        expected = [f"Letter {n} for {name}" for n in range(1, len(LOVE_DELAYS) + 1)]
        zone = ZoneInfo(zone or "Europe/London")
        enrollment = Enrollment.objects.get(subscriber=people[email])
        sent = Delivery.objects.filter(subscriber=people[email], state="sent").order_by("sent_at")
        if email == "leaver@example.org":
            # Days 0, 1 and 3 came before the leaving on day 5; nothing after.
            assert letters_to(email) == expected[:3]
            assert enrollment.stopped_at is not None
            continue
        assert letters_to(email) == expected, email
        for delivery, delay in zip(sent, LOVE_DELAYS, strict=True):
            local = delivery.sent_at.astimezone(zone)
            assert local.date() == enrollment.anchor + timedelta(days=delay)
            assert (local.hour, local.minute) in {(8, 0), (8, 30)}, (email, local)
    assert len(mail.outbox) == 4 * 6 + 3


def test_joining_before_the_morning_hour_starts_the_same_day(topics, settings):
    """Day 0 is the first morning at or after joining, in the subscriber's zone."""
    settings.NEWSLETTER_SEQUENCE_HOUR = 8
    from content.newsletter.sequences import anchor

    berlin_7am = datetime(2026, 10, 20, 5, 0, tzinfo=UTC)  # 07:00 in Berlin
    assert anchor(berlin_7am, "Europe/Berlin").day == 20
    assert anchor(berlin_7am + timedelta(hours=1), "Europe/Berlin").day == 21
    assert anchor(berlin_7am, "America/New_York").day == 20  # 01:00 there
