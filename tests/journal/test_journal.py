"""Issue 17 item 4: a private journal per person, encrypted, never visible to the partner, and
visible to the coach only for the entries the person shares (each read logged)."""

import io
import uuid

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from clients.data_rights import client_erase, client_export_data, person_export_data
from clients.journal.models import Entry
from clients.journal.services import entry_create, entry_update
from clients.models import AccessLog
from clients.rotation import count_stale

pytestmark = pytest.mark.django_db


def test_an_entry_is_encrypted_at_rest(couple):
    _, alice, _ = couple
    sentinel = f"SENTINEL-{uuid.uuid4()}"
    entry_create(person=alice, body=f"Today {sentinel}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM journal_entry")
        (raw,) = cursor.fetchone()
    assert sentinel not in raw and raw.startswith("gAAAAA")
    assert Entry.objects.get().body == f"Today {sentinel}"


def test_key_rotation_re_encrypts_entries(couple, settings):
    _, alice, _ = couple
    entry_create(person=alice, body="one")
    k1 = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), k1]
    assert count_stale()["journal.Entry.body"] == 1
    call_command("reencrypt_fields", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    assert Entry.objects.get().body == "one"


@pytest.mark.parametrize("body", ["", "  ", "x" * 20_001])
def test_an_empty_or_overlong_entry_is_refused(couple, body):
    with pytest.raises(ValidationError):
        entry_create(person=couple[1], body=body)


def test_sharing_can_be_stopped_and_keeps_its_first_date(couple):
    entry = entry_create(person=couple[1], body="x", share=True)
    first = entry.shared_at
    assert entry_update(entry=entry, body="y", share=True).shared_at == first
    assert entry_update(entry=entry, body="y", share=False).shared_at is None


def test_a_person_writes_reads_and_shares_her_entries(client, couple):
    _, alice, _ = couple
    client.force_login(alice.user)
    response = client.post(reverse("journal:index"), {"body": "Felt heard today."})
    assert response.status_code == 302
    entry = Entry.objects.get(person=alice)
    assert not entry.is_shared
    listing = client.get(reverse("journal:index")).content.decode()
    assert "Felt heard" not in listing and f"/account/journal/{entry.pk}/" in listing
    url = reverse("journal:entry", args=[entry.pk])
    assert "Felt heard today." in client.get(url).content.decode()
    client.post(url, {"body": "Felt heard today.", "share": "on"})
    entry.refresh_from_db()
    assert entry.is_shared
    download = client.get(reverse("journal:download")).content.decode()
    assert "Felt heard today." in download
    client.post(reverse("journal:delete", args=[entry.pk]))
    assert not Entry.objects.exists()


def test_the_partner_gets_404_and_the_refusal_is_logged(client, couple):
    _, alice, bea = couple
    entry = entry_create(person=alice, body="SENTINEL-alice", share=True)
    client.force_login(bea.user)
    for url in (
        reverse("journal:entry", args=[entry.pk]),
        reverse("journal:delete", args=[entry.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"body": "overwritten"}).status_code == 404
    assert Entry.objects.get().body == "SENTINEL-alice"
    assert AccessLog.objects.filter(action="denied", details__object="journal_entry").count() == 4
    for url in (reverse("journal:index"), reverse("journal:download"), reverse("clients:index")):
        assert b"SENTINEL-alice" not in client.get(url).content
    assert "SENTINEL-alice" not in str(person_export_data(bea))


def test_the_coach_reads_only_shared_entries_and_each_read_is_logged(notes_client, couple):
    client, alice, bea = couple
    shared = entry_create(person=alice, body="SHARED-TEXT", share=True)
    private = entry_create(person=bea, body="PRIVATE-TEXT")
    page = notes_client.get(reverse("clients_coach:detail", args=[client.pk])).content.decode()
    assert reverse("journal_coach:entry", args=[shared.pk]) in page
    assert "SHARED-TEXT" not in page and "PRIVATE-TEXT" not in page
    assert reverse("journal_coach:entry", args=[private.pk]) not in page
    assert (
        "SHARED-TEXT"
        in notes_client.get(reverse("journal_coach:entry", args=[shared.pk])).content.decode()
    )
    assert notes_client.get(reverse("journal_coach:entry", args=[private.pk])).status_code == 404
    views = AccessLog.objects.filter(action="view", object_type="journal.entry")
    assert list(views.values_list("object_id", flat=True)) == [str(shared.pk)]
    entry_update(entry=shared, body="SHARED-TEXT", share=False)  # she stops sharing
    assert notes_client.get(reverse("journal_coach:entry", args=[shared.pk])).status_code == 404
    exported = str(client_export_data(client))
    assert "PRIVATE-TEXT" not in exported and "SHARED-TEXT" not in exported


def test_the_export_holds_shared_entries_and_erasure_removes_every_entry(couple, coach):
    client, alice, bea = couple
    entry_create(person=alice, body="ALICE-SHARED", share=True)
    entry_create(person=bea, body="BEA-SHARED", share=True)
    entry_create(person=bea, body="BEA-PRIVATE")
    texts = lambda data: sorted(row["text"] for row in data["journal"])  # noqa: E731
    assert texts(client_export_data(client)) == ["ALICE-SHARED", "BEA-SHARED"]
    assert texts(person_export_data(alice)) == ["ALICE-SHARED"]
    assert client_erase(client=client, actor=coach)["journal_entries"] == 3
    assert not Entry.objects.exists()
