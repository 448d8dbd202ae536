"""The campaign form: what it says about merge tags, and what it refuses with a form error
(never a server error, never a saved campaign that would send a tag literally)."""

import pytest
from django.urls import reverse

from content.newsletter.models import Campaign

pytestmark = pytest.mark.django_db


def post(coach_client, topics, **fields):
    data = {"subject": "Hello", "preheader": "", "body_markdown": "Body", "published": ""}
    data |= {"topics": [topics["news"].pk], **fields}
    return coach_client.post(reverse("newsletter_coach:campaign_new"), data)


def test_the_editor_explains_the_tags_and_their_fallback(coach_client):
    page = coach_client.get(reverse("newsletter_coach:campaign_new")).content.decode()
    assert "Merge tags: {{ first_name }} is each subscriber's first name" in page
    assert '{{ first_name|default:"there" }} shows "there" to anyone without one' in page


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("subject", "Hi {{ subscriber.__class__ }}", "is not a merge tag this newsletter knows"),
        ("preheader", "{{ settings.SECRET_KEY }}", "is not a merge tag this newsletter knows"),
        ("body_markdown", "{% load static %}", "is not a merge tag this newsletter knows"),
        ("body_markdown", "{{ first_name }", "is not a merge tag this newsletter knows"),
        ("body_markdown", "Dear {{ first_name }}\x00", "Null characters are not allowed."),
        ("subject", "Hi\x00{{ first_name }}", "Null characters are not allowed."),
        ("subject", "Hi\x1b{{ first_name }}", "Please use a single line"),
        ("body_markdown", "{{{{ first_name }}}}", "is not a merge tag this newsletter knows"),
    ],
)
def test_a_bad_tag_or_byte_is_a_form_error_and_nothing_is_saved(
    coach_client, topics, field, value, error
):
    response = post(coach_client, topics, **{field: value})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Campaign.objects.exists()


def test_known_tags_with_fallbacks_are_saved_as_written(coach_client, topics):
    subject = 'Hi {{ first_name|default:"there" }}'
    response = post(coach_client, topics, subject=subject, body_markdown="{{ first_name }}!")
    assert response.status_code == 302
    assert Campaign.objects.get().subject == subject
