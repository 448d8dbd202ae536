"""A-05, A-03, A-04 and D-04 of docs/reliability.md for notes: second factor, no text in lists,
every access logged."""

import uuid

import pytest
from django.contrib.auth.models import Permission
from django.db import DatabaseError, transaction
from django.urls import reverse

from clients import hooks
from clients.models import AccessLog, Client, Note
from clients.services import note_create
from tests.clients.conftest import give_totp, mark_second_factor
from tests.factories import CoachFactory, PersonFactory

pytestmark = pytest.mark.django_db


def sentinel() -> str:
    return f"SENTINEL-{uuid.uuid4()}"


def test_the_coach_writes_a_note_and_finds_it_on_the_timeline(notes_client, coach):
    client = PersonFactory().client
    text = sentinel()
    response = notes_client.post(
        reverse("clients_coach:note_add", args=[client.pk]), {"body": text}
    )
    assert response["Location"] == reverse("clients_coach:detail", args=[client.pk])
    note = Note.objects.get()
    assert note.body == text and note.author == coach
    page = notes_client.get(response["Location"]).content.decode()
    assert reverse("clients_coach:note", args=[note.pk]) in page
    assert text not in page  # the timeline links to the note, never shows its text
    assert AccessLog.objects.filter(action="create", object_id=str(note.pk)).count() == 1


def test_reading_a_note_shows_it_and_logs_one_view(notes_client, coach):
    note = note_create(client=PersonFactory().client, body=(text := sentinel()), author=coach)
    response = notes_client.get(reverse("clients_coach:note", args=[note.pk]))
    assert text in response.content.decode()
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )
    view = AccessLog.objects.get(action="view")
    assert (view.actor_id, view.actor_role, view.client_id) == (coach.pk, "coach", note.client_id)
    assert view.object_type == "clients.note" and view.ip == "127.0.0.1"


def test_editing_a_note_is_logged_as_a_change(notes_client, coach):
    note = note_create(client=PersonFactory().client, body="first", author=coach)
    notes_client.post(reverse("clients_coach:note", args=[note.pk]), {"body": "second"})
    note.refresh_from_db()
    assert note.body == "second"
    assert AccessLog.objects.filter(action="change", object_id=str(note.pk)).exists()


def test_in_a_couple_a_note_can_be_about_one_partner(notes_client):
    first = PersonFactory(client__kind=Client.Kind.COUPLE)
    PersonFactory(client=first.client)
    notes_client.post(
        reverse("clients_coach:note_add", args=[first.client_id]),
        {"body": "one to one", "person": first.pk},
    )
    assert Note.objects.get().person == first


def test_without_a_second_factor_the_coach_is_sent_to_set_one_up(coach_client, coach):
    note = note_create(client=PersonFactory().client, body=(text := sentinel()), author=coach)
    url = reverse("clients_coach:note", args=[note.pk])
    response = coach_client.get(url)
    setup = reverse("clients_coach:second_factor_setup")
    assert response.status_code == 302 and response["Location"] == f"{setup}?next={url}"
    assert text not in response.content.decode()
    assert not AccessLog.objects.filter(action="view").exists()


def test_a_second_factor_older_than_15_minutes_asks_again(coach_client, coach):
    give_totp(coach)
    mark_second_factor(coach_client, coach, seconds_ago=16 * 60)
    note = note_create(client=PersonFactory().client, body="x", author=coach)
    url = reverse("clients_coach:note", args=[note.pk])
    response = coach_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert url in response["Location"]
    response = coach_client.post(
        reverse("clients_coach:note_add", args=[note.client_id]), {"body": "y"}
    )
    assert response.status_code == 302 and Note.objects.count() == 1


def test_staff_without_the_notes_permission_get_404_and_a_refusal_is_logged(client):
    assistant = CoachFactory(is_superuser=False)
    assistant.user_permissions.add(*Permission.objects.exclude(codename="view_note"))
    give_totp(assistant)
    client.force_login(assistant)
    mark_second_factor(client, assistant)
    note = note_create(client=PersonFactory().client, body="x", author=assistant)
    assert client.get(reverse("clients_coach:note", args=[note.pk])).status_code == 404
    assert AccessLog.objects.filter(action="denied", actor_id=assistant.pk).exists()


def test_a_client_never_reaches_a_note(client, client_user, coach):
    note = note_create(client=PersonFactory().client, body="x", author=coach)
    client.force_login(client_user)
    assert client.get(reverse("clients_coach:note", args=[note.pk])).status_code == 404


def test_notes_are_not_in_the_admin():
    from django.contrib import admin

    assert Note not in admin.site._registry


def test_the_access_log_refuses_updates_and_deletes(coach):
    entry = AccessLog.objects.create(actor_id=coach.pk, actor_role="coach", action="view")
    for statement in (
        lambda: AccessLog.objects.filter(pk=entry.pk).update(action="erase"),
        lambda: AccessLog.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="insert-only"), transaction.atomic():
            statement()
    assert AccessLog.objects.get().action == "view"


def test_the_coach_reads_the_access_log(coach_client, coach):
    note = note_create(client=PersonFactory().client, body="x", author=coach)
    response = coach_client.get(reverse("clients_coach:access_log"), {"client": note.client_id})
    assert response.status_code == 200
    assert [entry.object_id for entry in response.context["page_obj"]] == [str(note.pk)]


def test_a_note_can_be_about_a_session_the_bookings_app_offers(notes_client):
    client = PersonFactory().client
    with hooks.note_bookings.overridden(lambda c: [(41, "Session, 3 Mar 10:00")]):
        page = notes_client.get(reverse("clients_coach:detail", args=[client.pk]))
        assert "Session, 3 Mar 10:00" in page.content.decode()
        notes_client.post(
            reverse("clients_coach:note_add", args=[client.pk]), {"body": "x", "booking": "41"}
        )
    note = Note.objects.get()
    assert (note.booking_ref, note.booking_label) == (41, "Session, 3 Mar 10:00")


def test_a_client_refused_the_coach_area_is_in_the_access_log(client, client_user):
    client.force_login(client_user)
    assert client.get(reverse("clients_coach:index")).status_code == 404
    refusal = AccessLog.objects.get(action="denied")
    assert (refusal.actor_id, refusal.actor_role) == (client_user.pk, "client")
    assert refusal.details == {"path": "/coach/clients/"}
