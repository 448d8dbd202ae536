"""Segments: within a campaign's topics, by stage (from the client record with the address), by
the assessment, by join date (the coach's calendar days); one definition for the live count, the
confirmation and the snapshot."""

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from clients.intake.models import Instrument, Response
from clients.models import Client
from content.newsletter import campaigns
from content.newsletter.models import Subscriber
from content.newsletter.segments import Segment
from tests.factories import ClientFactory, PersonFactory
from tests.intake.conftest import load_pbi
from tests.newsletter.factories import CampaignFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def on_record(subscriber, stage: str, *, took: bool = False):
    """A client record at `stage` with the subscriber's address (in another case)."""
    client = ClientFactory(stage=stage)
    person = PersonFactory(client=client, email=subscriber.email.upper(), name="Kim Lee")
    if took:
        load_pbi()
        Response.objects.create(
            instrument=Instrument.objects.first(), person=person, client=client,
            consent_version="1", consented_at=timezone.now(), submitted_at=timezone.now(),
        )  # fmt: skip
    return person


@pytest.fixture
def people(topics):
    news = topics["news"]
    made = {name: SubscriberFactory(email=f"{name}@example.org", topics=[news]) for name in
            ("reader", "lead", "booked", "client", "paused", "alumni", "took")}  # fmt: skip
    on_record(made["lead"], Client.Stage.LEAD)
    on_record(made["booked"], Client.Stage.FREE_CALL_BOOKED)
    on_record(made["client"], Client.Stage.CLIENT, took=True)
    on_record(made["paused"], Client.Stage.PAUSED)
    on_record(made["alumni"], Client.Stage.ALUMNI)
    on_record(made["took"], Client.Stage.LEAD, took=True)
    SubscriberFactory(email="other@example.org", topics=[topics["love-letters"]])
    SubscriberFactory(email="pending@example.org", status="pending", topics=[news])
    return made


def names(topics, **filters) -> set[str]:
    segment = Segment(topic_ids=[topics["news"].pk], **filters)
    return {s.email.split("@")[0] for s in Subscriber.objects.segment(segment)}


EVERYONE = {"reader", "lead", "booked", "client", "paused", "alumni", "took"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, EVERYONE),
        ({"stages": ("subscriber",)}, {"reader"}),
        ({"stages": ("lead",)}, {"lead", "booked", "took"}),
        ({"stages": ("client",)}, {"client", "paused"}),
        ({"stages": ("alumni",)}, {"alumni"}),
        ({"stages": ("subscriber", "alumni")}, {"reader", "alumni"}),
        ({"assessment": "taken"}, {"client", "took"}),
        ({"assessment": "not_taken"}, EVERYONE - {"client", "took"}),
        ({"stages": ("lead",), "assessment": "taken"}, {"took"}),
    ],
)
def test_stage_and_assessment_come_from_the_client_record(topics, people, filters, expected):
    assert names(topics, **filters) == expected


def test_a_client_records_assessment_without_a_person_counts_for_its_people(topics):
    reader = SubscriberFactory(email="ana@example.org", topics=[topics["news"]])
    person = on_record(reader, Client.Stage.CLIENT)
    load_pbi()
    Response.objects.create(
        instrument=Instrument.objects.first(), client=person.client, consent_version="1",
        consented_at=timezone.now(), submitted_at=timezone.now(),
    )  # fmt: skip
    Response.objects.create(  # started, never submitted: not taken
        instrument=Instrument.objects.first(), consent_version="1", consented_at=timezone.now(),
        person=on_record(SubscriberFactory(email="ben@example.org"), Client.Stage.LEAD),
    )  # fmt: skip
    assert names(topics, assessment="taken") == {"ana"}


def test_join_dates_are_the_coachs_calendar_days(topics, settings):
    settings.COACH_TIME_ZONE = "Europe/London"
    moments = {
        "june": datetime(2026, 6, 30, 22, 59, tzinfo=UTC),  # 23:59 BST on 30 June
        "july_first": datetime(2026, 6, 30, 23, 0, tzinfo=UTC),  # 00:00 BST on 1 July
        "july_last": datetime(2026, 7, 31, 22, 59, tzinfo=UTC),
        "august": datetime(2026, 7, 31, 23, 0, tzinfo=UTC),
    }
    for name, moment in moments.items():
        SubscriberFactory(email=f"{name}@example.org", confirmed_at=moment, topics=[topics["news"]])
    july = {"joined_from": date(2026, 7, 1), "joined_to": date(2026, 7, 31)}
    assert names(topics, **july) == {"july_first", "july_last"}
    assert names(topics, joined_from=date(2026, 7, 1)) == {"july_first", "july_last", "august"}
    assert names(topics, joined_to=date(2026, 6, 30)) == {"june"}


def test_the_snapshot_takes_the_segment_it_was_confirmed_with(topics, people):
    campaign = CampaignFactory(topics=[topics["news"]], stages=["client", "alumni"])
    assert campaign.recipients().count() == 3
    assert campaigns.campaign_start(campaign=campaign, expected_recipients=3) == 3
    sent_to = set(campaign.deliveries.values_list("email", flat=True))
    assert sent_to == {"client@example.org", "paused@example.org", "alumni@example.org"}


def test_suppressed_and_unconfirmed_are_never_in_a_segment(topics, people):
    Subscriber.objects.filter(email="reader@example.org").update(status="unsubscribed")
    assert names(topics, stages=("subscriber",)) == set()
