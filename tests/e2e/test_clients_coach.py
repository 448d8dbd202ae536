"""The coach finds a client and writes a session note: signed in with her second factor, or
first setting one up from the client page."""

import pytest

from clients.models import Note
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import (
    PASSWORD,
    code_lasting,
    give_authenticator,
    next_period_code,
    sign_in_with_code,
)
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


def test_a_new_coach_sets_up_her_authenticator_from_the_notes_card_and_writes_a_note(page):
    """Issue 12 item 2: "Unlock notes" asked for her password and came back locked."""
    coach = CoachFactory(email="new-coach@example.org")
    person = PersonFactory(name="Priya Shah", email="priya@example.org")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(coach.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/coach/")

    page.goto(f"/coach/clients/{person.client_id}/")
    notes = page.locator("section", has=page.get_by_role("heading", name="Write a session note"))
    assert "You have not set one up yet." in notes.inner_text()
    notes.get_by_role("link", name="Set up an authenticator app").click()
    page.wait_for_url("**/reauthenticate/**")  # allauth asks for the password again first
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url("**/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").input_value()
    first_code = code_lasting(secret)
    page.get_by_label("Authenticator code").fill(first_code)
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/2fa/recovery-codes/")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Back to the notes").click()

    page.wait_for_url(f"**/coach/clients/{person.client_id}/")
    notes.get_by_role("link", name="Unlock notes").click()
    page.wait_for_url("**/2fa/reauthenticate/**")
    page.get_by_label("Code").fill(next_period_code(secret, first_code))
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url(f"**/coach/clients/{person.client_id}/")
    page.get_by_label("Note:", exact=True).fill("First session: what each wants from Sundays.")
    page.get_by_role("button", name="Save note").click()
    page.get_by_text("Note saved.").wait_for()
    note = Note.objects.get()
    assert (note.client_id, note.author) == (person.client_id, coach)
    assert note.body == "First session: what each wants from Sundays."
