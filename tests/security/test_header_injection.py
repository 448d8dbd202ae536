"""docs/reliability.md S-07: control characters in any field that reaches an email header are
refused: a form error, no email, nothing stored."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from coaching.forms import single_line
from coaching.tokens import make_token
from content.newsletter.models import Topic
from tests.intake.conftest import use_response
from tests.security.conftest import bookable_start, row_counts

pytestmark = pytest.mark.django_db

CONTROL = [chr(code) for code in range(32)] + [chr(127)]


def injections(field: str):
    """The value with each control character, between a name and a forged header."""
    return [f"Ada{char}Bcc: victim@example.org" for char in CONTROL]


def assert_all_refused(client, url: str, valid: dict, field: str) -> None:
    before = row_counts()
    for n, value in enumerate(injections(field)):
        response = client.post(url, {**valid, field: value}, REMOTE_ADDR=f"198.51.100.{n}")
        assert response.status_code in (200, 400), (repr(value), response.status_code)
        assert field in response.context["form"].errors, repr(value)
    assert mail.outbox == []
    assert row_counts() == before


def booking_data(site) -> dict:
    return {
        "name": "Ada Lovelace", "email": "ada@example.org", "consent": "on",
        "start": bookable_start(site.session_type), "time_zone": "Europe/London",
    }  # fmt: skip


def test_single_line_refuses_every_control_character():
    for char in CONTROL:
        with pytest.raises(ValidationError):
            single_line(f"Ada{char}Lovelace")
    assert single_line("  Ada Lovelace ") == "Ada Lovelace"


@pytest.mark.parametrize("field", ["name", "phone"])
def test_the_booking_form_refuses_control_characters(client, site, field):
    url = reverse("bookings:form", args=[site.session_type.slug])
    assert_all_refused(client, url, booking_data(site), field)
    # The same form with a clean value books: the refusals above were the characters.
    assert client.post(url, booking_data(site)).status_code == 303


def test_the_comment_form_refuses_control_characters_in_the_name(client, site):
    url = reverse("blog:comment", args=[site.post.slug])
    valid = {"name": "Rowan", "email": "rowan@example.org", "body": "Thank you."}
    assert_all_refused(client, url, valid, "name")


def test_the_resume_link_form_refuses_control_characters_in_the_name(client, site):
    use_response(client, site.response)
    valid = {"email": "ada@example.org", "name": "Ada"}
    assert_all_refused(client, reverse("intake:later"), valid, "name")


def test_the_newsletter_forms_refuse_control_characters_in_the_first_name(client, site):
    valid = {"email": "new@example.org", "first_name": "Ada", "consent": "on"}
    assert_all_refused(client, reverse("newsletter:subscribe"), valid, "first_name")
    token = make_token("preferences", site.subscriber.pk)
    assert_all_refused(client, reverse("newsletter:preferences", args=[token]), {}, "first_name")


@pytest.mark.parametrize("field", ["subject", "preheader"])
def test_the_coachs_campaign_form_refuses_control_characters(coach_client, site, field):
    valid = {"subject": "Spring", "preheader": "", "body_markdown": "Hello", "topics": []}
    valid["topics"] = [topic.pk for topic in Topic.objects.all()[:1]]
    assert_all_refused(coach_client, reverse("newsletter_coach:campaign_new"), valid, field)
