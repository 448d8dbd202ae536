"""The coach, signed in with her second factor, finds a client and writes a session note."""

import pytest

from clients.models import Note
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import give_authenticator, sign_in_with_code
from tests.factories import CoachFactory, PersonFactory

pytestmark = pytest.mark.e2e


def test_the_coach_finds_a_client_writes_a_note_and_sees_it_on_the_timeline(phone_page):
    page = phone_page
    coach = CoachFactory(email="maya@example.org")
    secret = give_authenticator(coach)
    PersonFactory(name="Priya Shah", email="priya@example.org")

    sign_in_with_code(page, coach, secret)
    assert serious_violations(page) == []  # the dashboard with its chart

    page.get_by_label("Name, email or tag").fill("priya")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/coach/clients/?q=priya")
    assert serious_violations(page) == []  # the client list
    page.get_by_role("link", name="Priya Shah").click()
    assert serious_violations(page) == []  # the client page, with its forms and timeline
    page.get_by_label("Note:", exact=True).fill(
        "Talked about deciding together. Homework: Sunday check-in."
    )
    page.get_by_role("button", name="Save note").click()
    page.get_by_text("Note saved.").wait_for()

    timeline = page.locator(".timeline")
    note = Note.objects.get()
    link = timeline.get_by_role("link", name="Session note")
    assert link.get_attribute("href") == f"/coach/clients/notes/{note.pk}/"
    assert "Sunday check-in" not in timeline.inner_text()  # lists never show note text
    link.click()
    assert "Sunday check-in" in page.locator(".note-body").inner_text()
    assert serious_violations(page) == []
