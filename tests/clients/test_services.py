from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients import hooks, services
from clients.models import Client, Consent, Person, StageChange, Tag
from clients.services import (
    client_advance_stage,
    client_create,
    client_get_or_create_lead,
    client_invite,
    client_set_stage,
    client_set_tags,
    clients_set_stage,
    consent_record,
    note_create,
    package_create,
    person_ensure_user,
)
from clients.tasks import flag_alumni_for_review
from coaching.models import OutboundEmail, User
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_new_email_creates_a_lead():
    client = client_get_or_create_lead(email="Ana@Example.org", name="Ana", source="booking")
    assert client.stage == Client.Stage.LEAD and client.source == "booking"
    assert client.people.get().email == "Ana@Example.org"


def test_a_known_email_finds_the_same_record_whatever_its_case():
    first = client_get_or_create_lead(email="ana@example.org", name="Ana", source="booking")
    again = client_get_or_create_lead(
        email="ANA@example.org", name="Ana R", source="intake", phone="0700"
    )
    assert again == first
    assert Person.objects.get().phone == "0700"
    assert Client.objects.get().source == "booking"


def test_the_pipeline_only_moves_forward():
    client = client_get_or_create_lead(email="ana@example.org", name="Ana", source="booking")
    assert client_advance_stage(client=client, to=Client.Stage.FREE_CALL_DONE)
    assert not client_advance_stage(client=client, to=Client.Stage.FREE_CALL_BOOKED)
    client.refresh_from_db()
    assert client.stage == Client.Stage.FREE_CALL_DONE


def test_a_paused_client_is_not_moved_by_events():
    client = client_get_or_create_lead(email="ana@example.org", name="Ana", source="booking")
    client.stage = Client.Stage.PAUSED
    assert not client_advance_stage(client=client, to=Client.Stage.CLIENT)


def test_every_stage_change_is_kept_in_the_history(coach):
    client = client_get_or_create_lead(email="ana@example.org", name="Ana", source="booking")
    client_advance_stage(client=client, to=Client.Stage.FREE_CALL_BOOKED)
    client_set_stage(client=client, to=Client.Stage.PAUSED, by=coach)
    history = list(client.stage_changes.order_by("at", "pk").values_list("from_stage", "to_stage"))
    assert history == [("lead", "free_call_booked"), ("free_call_booked", "paused")]
    assert client.stage_changes.first().by == coach


def test_setting_the_same_stage_records_nothing():
    client = PersonFactory().client
    assert not client_set_stage(client=client, to=Client.Stage.LEAD)
    assert not StageChange.objects.exists()


def test_an_unknown_stage_is_refused():
    with pytest.raises(ValidationError):
        client_set_stage(client=PersonFactory().client, to="vip")


def test_bulk_stage_change_moves_only_the_chosen_clients():
    chosen = [PersonFactory().client for _ in range(3)]
    other = PersonFactory().client
    moved = clients_set_stage(client_ids=[c.pk for c in chosen], to=Client.Stage.CLIENT)
    assert moved == 3
    assert set(Client.objects.filter(stage="client")) == set(chosen)
    other.refresh_from_db()
    assert other.stage == Client.Stage.LEAD


def test_tags_are_shared_and_matched_whatever_their_case():
    first, second = PersonFactory().client, PersonFactory().client
    client_set_tags(client=first, names=["Couples", " money "])
    client_set_tags(client=second, names=["couples"])
    assert Tag.objects.count() == 2
    assert list(second.tags.values_list("name", flat=True)) == ["Couples"]


def test_a_withdrawn_consent_stops_counting():
    person = PersonFactory()
    kind = Consent.Kind.SPECIAL_CATEGORY
    assert not person.has_consent(kind)
    consent_record(person=person, kind=kind, granted=True, method="intake form", text_version="1")
    assert person.has_consent(kind)
    consent_record(person=person, kind=kind, granted=False, method="by email")
    assert not person.has_consent(kind)
    assert person.consents.count() == 2  # the evidence of the first answer stays


def test_a_consent_needs_to_say_how_it_was_given():
    with pytest.raises(ValidationError):
        consent_record(person=PersonFactory(), kind="marketing", granted=True, method=" ")


def test_a_note_about_someone_outside_the_couple_is_refused(coach):
    client, stranger = PersonFactory().client, PersonFactory()
    with pytest.raises(ValidationError):
        note_create(client=client, body="x", author=coach, person=stranger)


def test_package_usage_counts_attended_sessions_from_the_bookings_hook():
    client = PersonFactory().client
    start = timezone.now() - timedelta(days=60)
    first = package_create(client=client, name="Six", sessions=6, starts_at=start)
    package_create(client=client, name="Three", sessions=3, starts_at=start + timedelta(days=30))
    attended = [start + timedelta(days=d) for d in (1, 8, 15, 35, 36)]

    def fake_bookings(c, since, until):  # what the bookings app will register
        return sum(since <= at and (until is None or at < until) for at in attended)

    with hooks.sessions_attended.overridden(fake_bookings):
        packages = services.packages_with_usage(client=client)
    assert [(p.used, p.remaining) for p in packages] == [(3, 3), (2, 1)]
    assert packages[0] == first


def test_a_person_gets_a_passwordless_sign_in_once():
    person = PersonFactory(email="Zoe@Example.org")
    user = person_ensure_user(person=person)
    assert not user.has_usable_password() and not user.is_staff
    assert person_ensure_user(person=person) == user
    assert User.objects.count() == 1


def test_a_staff_email_never_becomes_a_client_sign_in(coach):
    with pytest.raises(ValidationError):
        person_ensure_user(person=PersonFactory(email=coach.email))


def test_alumni_past_the_retention_period_are_flagged_once():
    with time_machine.travel("2020-01-10 12:00 UTC"):
        old = PersonFactory().client
        client_set_stage(client=old, to=Client.Stage.ALUMNI)
    recent = PersonFactory().client
    client_set_stage(client=recent, to=Client.Stage.ALUMNI)
    with time_machine.travel("2026-06-01 12:00 UTC"):
        assert flag_alumni_for_review() == 1
        assert flag_alumni_for_review() == 0  # idempotent
    old.refresh_from_db()
    assert old.review_flagged_at is not None
    assert Client.objects.exclude(review_flagged_at=None).get() == old


def test_beat_flags_alumni_once_a_day():
    from coaching.celery import app

    entry = app.conf.beat_schedule["flag-alumni-for-review"]
    assert entry == {"task": "clients.tasks.flag_alumni_for_review", "schedule": 86400.0}


def test_adding_a_couple_by_hand_creates_both_partners():
    client = client_create(
        kind="couple",
        source="referral",
        name="Priya",
        email="p@example.org",
        partner_name="Sam",
        partner_email="s@example.org",
    )
    assert client.display_name == "Priya & Sam" and client.source == "referral"


def test_a_couple_without_the_partner_is_refused():
    with pytest.raises(ValidationError, match="partner's name and email"):
        client_create(kind="couple", source="manual", name="Priya", email="p@example.org")
    assert not Client.objects.exists()


def test_an_email_already_on_a_client_is_refused_on_its_field_whatever_its_case():
    PersonFactory(email="sam@example.org")
    with pytest.raises(ValidationError) as refusal:
        client_create(
            kind="couple",
            source="manual",
            name="Priya",
            email="p@example.org",
            partner_name="Sam",
            partner_email="SAM@example.org",
        )
    assert refusal.value.message_dict == {
        "partner_email": ["A client with this email already exists."]
    }
    assert Client.objects.count() == 1


def test_both_partners_with_one_email_are_refused_and_nothing_is_kept():
    with pytest.raises(ValidationError, match="already exists"):
        client_create(
            kind="couple",
            source="manual",
            name="Priya",
            email="home@example.org",
            partner_name="Sam",
            partner_email="Home@example.org",
        )
    assert not Client.objects.exists()


def test_a_portal_invitation_is_all_or_nothing(coach):
    person = PersonFactory(email="ana@example.org")
    PersonFactory(client=person.client, email=coach.email)
    with pytest.raises(ValidationError, match="staff account"):
        client_invite(client=person.client)
    person.refresh_from_db()
    assert person.user is None
    assert not OutboundEmail.objects.filter(template="clients_portal_invite").exists()
