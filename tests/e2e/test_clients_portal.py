"""A client signs in with a code sent by email and finds what her coach shared."""

import pytest
from django.core import mail

from clients.models import SharedNote
from tests.clients.test_portal import login_code
from tests.conftest import wait_for
from tests.e2e.accessibility import serious_violations
from tests.factories import PersonFactory

pytestmark = pytest.mark.e2e


def test_a_client_signs_in_by_code_and_reads_her_homework(phone_page):
    page = phone_page
    person = PersonFactory(name="Ana Lopez", email="ana@example.org")
    SharedNote.objects.create(
        client=person.client,
        kind="homework",
        title="Sunday check-in",
        body="Twenty minutes, one appreciation each.",
    )
    page.goto("/account/sign-in/")
    page.get_by_label("Your email").fill("ana@example.org")
    page.get_by_role("button", name="Send me a code").click()
    page.wait_for_url("**/login/code/confirm/**")
    message = wait_for(lambda: [m for m in mail.outbox if "ana@example.org" in m.to])[-1]
    page.get_by_label("Code").first.fill(login_code(message.body))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/account/")
    assert page.get_by_role("heading", name="Hello Ana Lopez").is_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Homework: Sunday check-in").click()
    assert "one appreciation each" in page.content()
