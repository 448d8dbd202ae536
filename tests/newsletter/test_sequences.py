"""Sequences: triggers, stops, claimed rows, hostile merge tags, the coach's per-step figures."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from clients.intake.models import Instrument, Response
from content.newsletter import sequences, services
from content.newsletter.models import Campaign, Delivery, Enrollment, Sequence, SequenceStep
from tests.bookings.factories import BookingFactory, FreeCallFactory, SessionTypeFactory
from tests.factories import PersonFactory
from tests.intake.conftest import load_pbi
from tests.newsletter.conftest import unsubscribe_target
from tests.newsletter.factories import SubscriberFactory
from tests.newsletter.sequence_helpers import letters_to, make_sequence, sweep

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unlimited_rate")]
DAY = timedelta(days=1)


def _enroll(sequence, *subscribers, now=None):
    return sequences.sequence_enroll(
        sequence=sequence,
        subscribers=type(subscribers[0]).objects.filter(pk__in=[s.pk for s in subscribers]),
        now=now or timezone.now(),
    )


def test_a_sweep_run_twice_hands_each_letter_over_once(topics, django_capture_on_commit_callbacks):
    sequence = make_sequence(delays=[0, 2])
    readers = SubscriberFactory.create_batch(3)
    _enroll(sequence, *readers)
    later = timezone.now() + DAY
    assert sweep(django_capture_on_commit_callbacks, now=later) == 1
    assert sweep(django_capture_on_commit_callbacks, now=later) == 0
    assert len(mail.outbox) == 3
    # A claim lost after its rows were written (steps_done put back) adds no second delivery.
    Enrollment.objects.update(steps_done=0, next_due_at=later)
    sweep(django_capture_on_commit_callbacks, now=later)
    assert len(mail.outbox) == 3
    assert Delivery.objects.count() == 3
    assert set(Enrollment.objects.values_list("steps_done", flat=True)) == {1}


def test_only_one_letter_at_a_time_even_when_several_are_due(
    topics, django_capture_on_commit_callbacks
):
    """After an outage every step may be due: they still go one per sweep, in order."""
    sequence = make_sequence(delays=[0, 1, 2])
    reader = SubscriberFactory(first_name="Ana")
    _enroll(sequence, reader)
    much_later = timezone.now() + 10 * DAY
    for _ in range(4):
        sweep(django_capture_on_commit_callbacks, now=much_later)
    assert letters_to(reader.email) == ["Letter 1 for Ana", "Letter 2 for Ana", "Letter 3 for Ana"]


def test_confirming_the_topic_enrolls_and_leaving_stops(topics, django_capture_on_commit_callbacks):
    sequence = make_sequence(topic=topics["love-letters"], delays=[0, 3])
    reader = SubscriberFactory(topics=[topics["news"]])
    sequences.subscriber_follow_topics(subscriber=reader, now=timezone.now())
    assert not Enrollment.objects.exists()  # not the series' topic
    reader.topics.add(topics["love-letters"])
    sequences.subscriber_follow_topics(subscriber=reader, now=timezone.now())
    sweep(django_capture_on_commit_callbacks, now=timezone.now() + DAY)
    assert len(letters_to(reader.email)) == 1
    services.subscriber_leave(subscriber=reader)
    sweep(django_capture_on_commit_callbacks, now=timezone.now() + 5 * DAY)
    assert len(letters_to(reader.email)) == 1
    assert Enrollment.objects.get(sequence=sequence).stop_reason == "unsubscribed"


def test_dropping_the_topic_in_preferences_stops_its_series(topics):
    make_sequence(topic=topics["love-letters"])
    reader = SubscriberFactory(topics=[topics["love-letters"], topics["news"]])
    sequences.subscriber_follow_topics(subscriber=reader, now=timezone.now())
    services.subscriber_update_preferences(
        subscriber=reader, first_name="Ana", topics=[topics["news"]], paused=False
    )
    assert Enrollment.objects.get().stop_reason == "left the topic"


def test_a_free_call_that_ended_starts_the_nurture_and_a_paid_booking_stops_it(
    topics, django_capture_on_commit_callbacks
):
    nurture = make_sequence(name="After the call", trigger=Sequence.Trigger.FREE_CALL)
    # Calls that ended before the sequence existed do not count (nor those older than a week).
    Sequence.objects.filter(pk=nurture.pk).update(created_at=timezone.now() - DAY)
    reader = SubscriberFactory(email="Kim@Example.org")
    start = timezone.now() - timedelta(hours=3)
    BookingFactory(session_type=FreeCallFactory(), email="kim@example.org", start=start)
    BookingFactory(  # still to come: not yet a trigger
        session_type=FreeCallFactory(slug="free-2"), email="ana@example.org",
        start=timezone.now() + DAY,
    )  # fmt: skip
    SubscriberFactory(email="ana@example.org")
    sweep(django_capture_on_commit_callbacks)
    assert Enrollment.objects.get().subscriber == reader
    sweep(django_capture_on_commit_callbacks, now=timezone.now() + DAY)
    assert len(letters_to(reader.email)) == 1

    paid = SessionTypeFactory(price=90)
    BookingFactory(session_type=paid, email="KIM@example.org", start=timezone.now() + 2 * DAY)
    sweep(django_capture_on_commit_callbacks)  # the next tick sees the booking
    sweep(django_capture_on_commit_callbacks, now=timezone.now() + 10 * DAY)
    assert len(letters_to(reader.email)) == 1
    assert Enrollment.objects.get().stop_reason == "booked a paid session"


def test_a_paid_booking_leaves_the_topic_series_going(topics, django_capture_on_commit_callbacks):
    sequence = make_sequence(topic=topics["love-letters"], delays=[0, 1])
    reader = SubscriberFactory()
    _enroll(sequence, reader)
    BookingFactory(session_type=SessionTypeFactory(), email=reader.email, start=timezone.now())
    for day in (1, 2):
        sweep(django_capture_on_commit_callbacks, now=timezone.now() + day * DAY)
    assert len(letters_to(reader.email)) == 2


def test_a_finished_assessment_with_an_email_enrolls_a_subscriber(
    topics, django_capture_on_commit_callbacks
):
    sequence = make_sequence(name="Your results", trigger=Sequence.Trigger.ASSESSMENT)
    Sequence.objects.filter(pk=sequence.pk).update(created_at=timezone.now() - DAY)
    took, started = SubscriberFactory(), SubscriberFactory()
    load_pbi()
    for subscriber, submitted in ((took, timezone.now()), (started, None)):
        Response.objects.create(
            instrument=Instrument.objects.first(), person=PersonFactory(email=subscriber.email),
            consent_version="1", consented_at=timezone.now(), submitted_at=submitted,
        )  # fmt: skip
    sweep(django_capture_on_commit_callbacks)
    assert list(Enrollment.objects.values_list("subscriber", flat=True)) == [took.pk]


def test_turning_off_pauses_its_letters_and_on_sends_them(
    topics, django_capture_on_commit_callbacks
):
    sequence = make_sequence(delays=[0])
    _enroll(sequence, SubscriberFactory())
    sequences.sequence_set_active(sequence=sequence, active=False)
    sweep(django_capture_on_commit_callbacks, now=timezone.now() + DAY)
    assert not mail.outbox
    assert Campaign.objects.get().state == Campaign.State.PAUSED
    with django_capture_on_commit_callbacks(execute=True):
        sequences.sequence_set_active(sequence=sequence, active=True)
    sweep(django_capture_on_commit_callbacks, now=timezone.now() + DAY)
    assert len(mail.outbox) == 1
    # A letter is never "finished": it goes on to those who join later.
    assert Campaign.objects.get().state == Campaign.State.SENDING


HOSTILE = [
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "{{ subscriber.email }}",
    "{{ first_name|default:settings.SECRET_KEY }}",
    "{{ request.user.password }}",
    "{# a comment #}{{ ''.__class__ }}",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_letter_with_anything_but_a_known_tag_is_refused(topics, text):
    sequence = make_sequence(delays=[], active=False)
    with pytest.raises(ValidationError):
        sequences.step_save(
            step=SequenceStep(sequence=sequence),
            campaign=Campaign(subject="Hello", body_markdown=f"Dear {text}"),
        )
    assert not SequenceStep.objects.exists()


def test_a_hostile_first_name_is_printed_as_text(topics, django_capture_on_commit_callbacks):
    sequence = make_sequence(delays=[0])
    _enroll(sequence, SubscriberFactory(first_name="{{ settings.SECRET_KEY }}<b>"))
    sweep(django_capture_on_commit_callbacks, now=timezone.now() + DAY)
    (message,) = mail.outbox
    assert "Dear {{ settings.SECRET_KEY }}<b>, letter 1." in message.body
    assert "{{ settings.SECRET_KEY }}&lt;b&gt;" in message.alternatives[0][0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_step_counts_sent_waiting_and_left(topics, django_capture_on_commit_callbacks):
    sequence = make_sequence(delays=[0, 2, 4])
    readers = SubscriberFactory.create_batch(4)
    _enroll(sequence, *readers)
    sweep(django_capture_on_commit_callbacks, now=timezone.now() + DAY)
    services.subscriber_leave(subscriber=readers[0])
    sweep(django_capture_on_commit_callbacks, now=timezone.now() + 3 * DAY)
    figures = [(r["sent"], r["waiting"], r["left"]) for r in sequences.step_counts(sequence)]
    assert figures == [(4, 0, 0), (3, 0, 1), (0, 3, 1)]


def test_one_click_unsubscribe_in_a_letter_counts_on_it_and_stops_the_series(
    topics, django_capture_on_commit_callbacks
):
    sequence = make_sequence(delays=[0, 1])
    reader = SubscriberFactory()
    _enroll(sequence, reader)
    sweep(django_capture_on_commit_callbacks, now=timezone.now() + DAY)
    (message,) = mail.outbox
    first_letter = sequence.steps.first().campaign
    assert unsubscribe_target(message) == (reader.pk, first_letter.pk)
    url = message.extra_headers["List-Unsubscribe"].split(">")[0].lstrip("<")
    response = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Delivery.objects.get(campaign=first_letter).unsubscribed_at is not None
    sweep(django_capture_on_commit_callbacks, now=timezone.now() + 5 * DAY)
    assert len(mail.outbox) == 1


def test_beat_runs_the_sequence_sweeper_on_its_own(topics, django_capture_on_commit_callbacks):
    """Its own beat entry, so a failure in one sweeper never stops the campaigns' requeue."""
    from coaching.celery import app
    from content.newsletter import tasks

    entry = app.conf.beat_schedule["newsletter-sequences"]
    assert entry["task"] == tasks.sweep_sequences.name and entry["schedule"] <= 60
    sequence = make_sequence(delays=[0])
    reader = SubscriberFactory()
    _enroll(sequence, reader, now=timezone.now() - 2 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.sweep_sequences()
    assert len(letters_to(reader.email)) == 1


@pytest.mark.parametrize(
    ("zone", "used"),
    [
        ("Mars/Olympus_Mons", "Europe/London"),
        ("../../etc/passwd", "Europe/London"),
        ("", "Europe/London"),
        ("Europe/Berlin", "Europe/Berlin"),
    ],
)
def test_a_zone_python_or_postgresql_does_not_know_falls_back_to_the_coachs(
    topics, settings, zone, used, django_capture_on_commit_callbacks
):
    settings.COACH_TIME_ZONE = "Europe/London"
    reader = SubscriberFactory()
    person = PersonFactory(email=reader.email)
    person.client.time_zone = zone
    person.client.save()
    _enroll(make_sequence(delays=[0]), reader)
    assert Enrollment.objects.get().time_zone == used
    sweep(django_capture_on_commit_callbacks, now=timezone.now() + 2 * DAY)
    assert len(mail.outbox) == 1
