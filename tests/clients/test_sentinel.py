"""docs/reliability.md A-04: a note's text appears only in the note page and the export, never
in logs, emails, URLs or list pages."""

import logging
import uuid

import pytest
from django.urls import reverse

from clients import hooks
from clients.models import AccessLog, Note
from coaching.hooks import Panel
from coaching.models import OutboundEmail
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_sentinel_reaches_only_the_note_page(notes_client, person_a, caplog):
    caplog.set_level(logging.DEBUG)
    sentinel = f"SENTINEL-{uuid.uuid4()}"
    client = person_a.client
    add = notes_client.post(reverse("clients_coach:note_add", args=[client.pk]), {"body": sentinel})
    note = Note.objects.get()
    pages = {
        "list": notes_client.get(reverse("clients_coach:index"), {"q": person_a.name}),
        "detail": notes_client.get(reverse("clients_coach:detail", args=[client.pk])),
        "csv": notes_client.get(reverse("clients_coach:csv")),
        "log": notes_client.get(reverse("clients_coach:access_log")),
        "dashboard": notes_client.get(reverse("coaching:dashboard")),
    }
    notes_client.post(reverse("clients_coach:invite", args=[client.pk]))
    for name, response in pages.items():
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert sentinel.encode() not in body, name
    assert (
        sentinel in notes_client.get(reverse("clients_coach:note", args=[note.pk])).content.decode()
    )
    assert sentinel not in add["Location"]
    assert sentinel not in caplog.text
    for email in OutboundEmail.objects.all():
        assert sentinel not in email.subject + email.body_text + email.body_html
    assert not any(sentinel in str(row) for row in AccessLog.objects.values())


def test_the_portal_shows_the_sections_other_apps_register(client, person_a):
    seen = []

    def sessions(request, person):
        seen.append(person)
        return Panel("includes/_messages.html", {}, order=1)

    client.force_login(person_a.user)
    with hooks.portal_sections.overridden(sessions, lambda r, p: None):
        response = client.get(reverse("clients:index"))
    assert seen == [person_a]
    assert "includes/_messages.html" in [t.name for t in response.templates]


def test_pages_with_client_data_are_not_cached(coach_client):
    person = PersonFactory()
    for url in (
        reverse("clients_coach:index"),
        reverse("clients_coach:detail", args=[person.client_id]),
    ):
        assert "no-store" in coach_client.get(url)["Cache-Control"]
