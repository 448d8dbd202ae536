"""The coach's client list and client page."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, Note, Package, StageChange
from clients.services import client_set_stage, client_set_tags
from coaching.emails import send_email
from coaching.models import OutboundEmail
from tests.factories import ClientFactory, PersonFactory

pytestmark = pytest.mark.django_db
LIST = reverse("clients_coach:index")


def names(response) -> list[str]:
    return [client.display_name for client in response.context["page_obj"]]


def test_the_list_filters_by_stage_tag_and_source(coach_client):
    ana = PersonFactory(name="Ana", client__source="booking").client
    ben = PersonFactory(name="Ben", client__source="intake").client
    client_set_stage(client=ben, to=Client.Stage.CLIENT)
    client_set_tags(client=ana, names=["money"])
    assert names(coach_client.get(LIST, {"stage": "client"})) == ["Ben"]
    assert names(coach_client.get(LIST, {"tag": "money"})) == ["Ana"]
    assert names(coach_client.get(LIST, {"source": "intake"})) == ["Ben"]


def test_the_list_searches_names_emails_and_tags_and_sorts_by_name(coach_client):
    PersonFactory(name="Zara Quinn", email="zq@example.org")
    tagged = PersonFactory(name="Adam Smith").client
    client_set_tags(client=tagged, names=["Couples"])
    assert names(coach_client.get(LIST, {"q": "quinn"})) == ["Zara Quinn"]
    assert names(coach_client.get(LIST, {"q": "zq@exa"})) == ["Zara Quinn"]
    assert names(coach_client.get(LIST, {"q": "couples"})) == ["Adam Smith"]
    assert names(coach_client.get(LIST, {"sort": "name"})) == ["Adam Smith", "Zara Quinn"]


def test_the_list_paginates_in_a_fixed_number_of_queries(
    coach_client, django_assert_max_num_queries
):
    for _ in range(30):
        client_set_tags(client=PersonFactory().client, names=["a", "b"])
    with django_assert_max_num_queries(12):
        first = coach_client.get(LIST)
    assert len(first.context["page_obj"]) == 25
    for _ in range(60):
        PersonFactory()
    with django_assert_max_num_queries(12):
        coach_client.get(LIST, {"page": 2})


def test_csv_export_has_contact_details_and_never_notes(coach_client, coach):
    person = PersonFactory(name="Ana", email="ana@example.org", phone="0700")
    Note.objects.create(client=person.client, body="SENTINEL-note", author=coach)
    response = coach_client.get(reverse("clients_coach:csv"))
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["id", "names", "emails"]
    assert rows[1][1:4] == ["Ana", "ana@example.org", "0700"]
    assert "SENTINEL" not in body


def test_bulk_stage_change_from_the_list(coach_client, coach):
    chosen = [PersonFactory().client for _ in range(2)]
    response = coach_client.post(
        reverse("clients_coach:bulk_stage"),
        {"clients": [c.pk for c in chosen], "stage": "paused", "back": LIST},
    )
    assert response.status_code == 302
    assert Client.objects.filter(stage="paused").count() == 2
    assert StageChange.objects.filter(by=coach).count() == 2


def test_the_coach_adds_a_couple_by_hand(coach_client):
    response = coach_client.post(
        reverse("clients_coach:create"),
        {
            "kind": "couple",
            "name": "Priya",
            "email": "p@example.org",
            "partner_name": "Sam",
            "partner_email": "s@example.org",
            "source": "referral",
        },
    )
    client = Client.objects.get()
    assert response["Location"] == reverse("clients_coach:detail", args=[client.pk])
    assert client.kind == "couple" and client.display_name == "Priya & Sam"


def test_adding_a_couple_without_the_partner_keeps_what_was_typed(coach_client):
    response = coach_client.post(
        reverse("clients_coach:create"),
        {"kind": "couple", "name": "Priya", "email": "p@example.org", "source": "manual"},
    )
    assert "partner" in response.content.decode() and 'value="Priya"' in response.content.decode()
    assert not Client.objects.exists()


def test_adding_a_known_email_says_so_on_the_field_and_keeps_what_was_typed(coach_client):
    PersonFactory(email="p@example.org")
    response = coach_client.post(
        reverse("clients_coach:create"),
        {"kind": "person", "name": "Priya", "email": "P@example.org", "source": "manual"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["A client with this email already exists."]
    }
    assert 'value="Priya"' in response.content.decode() and Client.objects.count() == 1


def test_a_refused_portal_invitation_says_why_on_the_client_page(coach_client, coach):
    person = PersonFactory(email=coach.email)
    response = coach_client.post(
        reverse("clients_coach:invite", args=[person.client_id]), follow=True
    )
    assert "No invitation sent. That email belongs to a staff account." in response.content.decode()
    assert not OutboundEmail.objects.filter(template="clients_portal_invite").exists()


def test_the_client_page_shows_one_timeline_without_note_text(coach_client, coach):
    person = PersonFactory(name="Ana", email="Ana@example.org")
    client = person.client
    client_set_stage(client=client, to=Client.Stage.FREE_CALL_BOOKED)
    Note.objects.create(client=client, body="SENTINEL-private", author=coach)
    send_email(to="ana@example.org", template="coach_test", context={})
    send_email(to="someone@else.org", template="coach_test", context={})
    response = coach_client.get(reverse("clients_coach:detail", args=[client.pk]))
    timeline = response.context["timeline"]
    assert [entry.kind for entry in timeline].count("email") == 1
    assert {"note", "stage", "email"} <= {entry.kind for entry in timeline}
    assert timeline == sorted(timeline, key=lambda e: e.when, reverse=True)
    assert "SENTINEL" not in response.content.decode()
    assert "Set up an authenticator app" in response.content.decode()  # no second factor yet


def test_stage_tags_package_shared_note_and_consent_forms(coach_client):
    client = PersonFactory().client
    person = client.people.get()
    detail = reverse("clients_coach:detail", args=[client.pk])
    for name, data in [
        ("stage", {"stage": "client"}),
        ("tags", {"tags": "money, trust"}),
        ("package", {"package-name": "Six", "package-sessions": 6, "package-paid": "on"}),
        (
            "shared_note",
            {"shared-title": "Check-in", "shared-body": "Every Sunday"},
        ),
        (
            "consent",
            {
                "consent-person": person.pk,
                "consent-kind": "marketing",
                "consent-granted": "yes",
                "consent-method": "by email",
            },
        ),
    ]:
        response = coach_client.post(reverse(f"clients_coach:{name}", args=[client.pk]), data)
        assert response["Location"] == detail, name
    client.refresh_from_db()
    assert client.stage == "client" and client.tags.count() == 2
    assert client.packages.get().paid and client.shared_notes.get().title == "Check-in"
    assert person.has_consent("marketing")


def test_inviting_to_the_portal_creates_a_sign_in_and_sends_the_way_in(coach_client):
    person = PersonFactory(email="ana@example.org")
    coach_client.post(reverse("clients_coach:invite", args=[person.client_id]))
    person.refresh_from_db()
    assert person.user.email == "ana@example.org"
    email = OutboundEmail.objects.get(template="clients_portal_invite")
    assert email.to == "ana@example.org" and "/account/sign-in/" in email.body_text


@pytest.mark.parametrize("name", ["index", "csv", "create", "access_log"])
def test_a_signed_in_client_gets_404_on_coach_pages(client, client_user, name):
    client.force_login(client_user)
    assert client.get(reverse(f"clients_coach:{name}")).status_code == 404


def test_an_unknown_client_is_a_404_for_the_coach(coach_client):
    assert (
        coach_client.get(reverse("clients_coach:detail", args=[ClientFactory().pk + 1])).status_code
        == 404
    )


def test_the_coach_edits_details_and_adds_a_partner(coach_client):
    person = PersonFactory(name="Priya", email="p@example.org")
    url = reverse("clients_coach:edit", args=[person.client_id])
    assert coach_client.get(url).status_code == 200
    data = {
        "kind": "couple",
        "source": "referral",
        "time_zone": "Europe/Berlin",
        "discreet": "on",
        "people-TOTAL_FORMS": 2,
        "people-INITIAL_FORMS": 1,
        "people-0-id": person.pk,
        "people-0-name": "Priya S",
        "people-0-email": "p@example.org",
        "people-0-phone": "0700",
        "people-0-pronouns": "she/her",
        "people-1-name": "Sam",
        "people-1-email": "sam@example.org",
    }
    response = coach_client.post(url, data)
    assert response["Location"] == reverse("clients_coach:detail", args=[person.client_id])
    client = Client.objects.get()
    assert client.display_name == "Priya S & Sam" and client.discreet
    assert client.time_zone == "Europe/Berlin" and client.people.first().pronouns == "she/her"


def test_an_unknown_time_zone_is_refused_and_the_form_kept(coach_client):
    person = PersonFactory()
    response = coach_client.post(
        reverse("clients_coach:edit", args=[person.client_id]),
        {
            "kind": "person",
            "source": "manual",
            "time_zone": "Mars/Olympus",
            "people-TOTAL_FORMS": 1,
            "people-INITIAL_FORMS": 1,
            "people-0-id": person.pk,
            "people-0-name": person.name,
            "people-0-email": person.email,
        },
    )
    assert response.status_code == 200 and "Mars/Olympus" in response.content.decode()
    assert "Use a time zone like" in response.content.decode()


def test_the_list_shows_alumni_due_for_retention_review(coach_client):
    flagged = PersonFactory(name="Old Alumna").client
    Client.objects.filter(pk=flagged.pk).update(stage="alumni", review_flagged_at=timezone.now())
    PersonFactory(name="Current")
    response = coach_client.get(LIST, {"review": "on"})
    assert names(response) == ["Old Alumna"]
    assert "Review" in response.content.decode()


def test_the_timeline_holds_what_other_apps_contribute_newest_first(coach_client):
    from clients.hooks import TimelineEntry, timeline

    client = PersonFactory().client
    booked = TimelineEntry(
        when=timezone.now() + timedelta(days=2), kind="booking", title="Free call booked"
    )
    intake = TimelineEntry(
        when=timezone.now() - timedelta(days=400), kind="intake", title="Assessment taken"
    )
    with timeline.overridden(*timeline, lambda c: [intake, booked]):
        response = coach_client.get(reverse("clients_coach:detail", args=[client.pk]))
    entries = response.context["timeline"]
    assert entries[0] == booked and entries[-1] == intake
    assert "Free call booked" in response.content.decode()


def test_the_coach_marks_a_package_paid_and_unpaid(coach_client):
    package = Package.objects.create(client=PersonFactory().client, name="Six", sessions=6)
    url = reverse("clients_coach:package_paid", args=[package.pk])
    coach_client.post(url, {"paid": "yes"})
    package.refresh_from_db()
    assert package.paid
    response = coach_client.post(url, {"paid": "no"})
    package.refresh_from_db()
    assert not package.paid
    assert response["Location"] == reverse("clients_coach:detail", args=[package.client_id])


def test_csv_cells_never_start_a_spreadsheet_formula(coach_client):
    PersonFactory(name='=HYPERLINK("http://evil")', email="x@example.org")
    body = b"".join(coach_client.get(reverse("clients_coach:csv")).streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
