"""Merge tags: the renderer's allow-list, the form error on save, the guard before sending."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from content.newsletter import campaigns, merge
from content.newsletter.campaigns import campaign_from_post
from content.newsletter.models import Campaign
from tests.newsletter.factories import CampaignFactory

HOSTILE = [
    "{% load static %}",
    "{% debug %}",
    "{{ settings.SECRET_KEY }}",
    "{{ subscriber.__class__ }}",
    "{{ subscriber.email }}",
    "{{ first_name.__class__.__mro__ }}",
    "{{ first_name|safe }}",
    "{{ first_name|default:settings.SECRET_KEY }}",
    '{{ first_name|default:"a"|upper }}',
    "{{ {{ first_name }} }}",
    "{{{ first_name }}}",
    "{{ first_name }}}}",
    "{{ first_name",
    "first_name }}",
    "{# a comment #}",
    "{{ FIRST_NAME }}",
    "{{ request }}",
    "{{ first_name\x00 }}",
    "{{\x00first_name }}",
    '{{ first_name|default:"{{ settings.SECRET_KEY }}" }}',
    '{{ first_name|default:"}}" }}',
    "{{ first_name }}{{",
    "{% for s in subscribers %}{{ s.email }}{% endfor %}",
    "{{ " + "{" * 5000 + " first_name " + "}" * 5000 + " }}",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_anything_but_a_known_tag_in_braces_is_refused(text):
    with pytest.raises(ValidationError) as refused:
        merge.validate(f"Hello {text}, how are you?")
    assert "is not a merge tag this newsletter knows" in refused.value.messages[0]
    assert "{{ first_name }}" in refused.value.messages[0]  # it says what works


@pytest.mark.parametrize(
    "text",
    [
        "{{ first_name " * 50_000,
        "{{" * 100_000,
        '{{ first_name|default:"' + "a" * 200_000,
        "{{ " + " " * 200_000 + "first_name" + " " * 200_000,
        "{% " * 50_000,
    ],
)
def test_a_very_long_hostile_text_is_refused_quickly(text):
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        merge.validate(text)
    assert time.perf_counter() - started < 1.0
    assert len(refused.value.messages[0]) < 300  # the quote is short, not the whole text


def test_a_long_text_with_many_tags_renders_each():
    text = 'Hi {{ first_name|default:"you" }}. ' * 20_000
    started = time.perf_counter()
    assert merge.render(text, {"first_name": "Ana"}) == "Hi Ana. " * 20_000
    assert time.perf_counter() - started < 1.0


def test_nul_bytes_outside_tags_are_literal_text_for_the_renderer():
    """The renderer keeps them (the forms refuse NUL before saving: see test_merge_forms)."""
    assert merge.render("a\x00{{ first_name }}\x00b", {"first_name": "Ana"}) == "a\x00Ana\x00b"


def test_the_refusal_quotes_the_offending_tag():
    with pytest.raises(ValidationError) as refused:
        merge.validate("Dear {{ first_name }}, {{ settings.SECRET_KEY }} is mine.")
    assert "“{{ settings.SECRET_KEY }}”" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("Hello {{ first_name }}!", {"first_name": "Ana"}, "Hello Ana!"),
        ("Hello {{first_name}}!", {"first_name": "Ana"}, "Hello Ana!"),
        ('Hello {{ first_name|default:"there" }}!', {"first_name": "Ana"}, "Hello Ana!"),
        ('Hello {{ first_name|default:"there" }}!', {"first_name": ""}, "Hello there!"),
        ("Hello {{ first_name | default: 'you' }}!", {}, "Hello you!"),
        ("Hello {{ first_name }}!", {}, "Hello !"),
        ("Plain {text} and { braces } stay", {}, "Plain {text} and { braces } stay"),
    ],
)
def test_known_tags_take_the_value_or_the_fallback(text, values, expected):
    assert merge.render(text, values) == expected


def test_a_value_is_never_read_as_a_tag_again():
    assert merge.render("Hi {{ first_name }}", {"first_name": "{{ settings.SECRET_KEY }}"}) == (
        "Hi {{ settings.SECRET_KEY }}"
    )


def test_values_are_one_line_so_they_cannot_add_a_header():
    assert merge.values_from(["Ana\r\nBcc: x@example.org"]) == {
        "first_name": "Ana Bcc: x@example.org"
    }
    assert merge.values_from([None]) == {"first_name": ""}


def test_text_from_a_blog_post_is_kept_as_literal_text():
    literal = merge.as_literal("Templates {{ like }} {% this %} {{{ and }}}")
    assert merge.render(literal) == literal and "like" in literal


def test_saving_a_campaign_with_an_unknown_tag_shows_the_error_and_saves_nothing(
    coach_client, topics
):
    data = {
        "subject": "Hi {{ settings.SECRET_KEY }}",
        "preheader": "",
        "body_markdown": 'Dear {{ first_name|default:"friend" }}, {% load static %}',
        "topics": [topics["news"].pk],
    }
    response = coach_client.post(reverse("newsletter_coach:campaign_new"), data)
    assert response.status_code == 200 and not Campaign.objects.exists()
    page = response.content.decode()
    assert "“{{ settings.SECRET_KEY }}” is not a merge tag this newsletter knows" in page
    assert "“{% load static %}” is not a merge tag" in page
    assert 'value="Hi {{ settings.SECRET_KEY }}"' in page  # nothing she typed is lost


def test_a_campaign_with_an_unknown_tag_never_starts(topics):
    """Saved before the check existed (or by other means): refused before anything goes."""
    draft = CampaignFactory(body_markdown="Hi {{ subscriber.email }}")
    with pytest.raises(ValidationError):
        campaigns.campaign_start(campaign=draft)
    assert Campaign.objects.get(pk=draft.pk).state == "draft" and not draft.deliveries.exists()

    scheduled = CampaignFactory(subject="{{ first_name|title }}", state="scheduled")
    with pytest.raises(ValidationError):
        campaigns.campaign_start(campaign=scheduled, from_states=[Campaign.State.SCHEDULED])
    scheduled.refresh_from_db()
    assert scheduled.state == "needs_confirmation" and "merge tag" in scheduled.pause_reason


def test_a_blog_post_with_braces_still_makes_a_draft_that_can_go(topics):
    class Post:
        title, excerpt = "Our {{ secret }} night", "About {% this %}."

        def get_absolute_url(self):
            return "/blog/our-night/"

    draft = campaign_from_post(Post())
    draft.check_merge_tags()
    assert "secret" in draft.subject and "this" in draft.body_markdown


def test_the_public_archive_shows_the_fallbacks_never_the_tags(client, topics):
    issue = CampaignFactory(
        subject='Hello {{ first_name|default:"reader" }}',
        body_markdown="Dear {{ first_name|default:'friend' }}, thank you.",
        published=True,
        state="sent",
    )
    for url in (reverse("newsletter:archive"), issue.get_archive_url()):
        page = client.get(url, follow=True).content.decode()
        assert "Hello reader" in page and "{{" not in page
    assert "Dear friend, thank you." in client.get(issue.get_archive_url()).content.decode()
