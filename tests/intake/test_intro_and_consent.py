"""The assessment's intro and consent page: the number of questions comes from the instrument,
and the country for the support numbers from the visitor's browser, never from the coach."""

import re

import pytest
from django.urls import reverse

from clients.intake.models import Response

pytestmark = pytest.mark.django_db


def _selected_country(page: str) -> str:
    select = re.search(r'<select name="country".*?</select>', page, re.S).group(0)
    [chosen] = re.findall(r'<option value="(\w*)"[^>]* selected>', select)
    return chosen


def test_the_intro_counts_every_question_someone_can_be_shown(client):
    page = client.get(reverse("intake:index")).content.decode()
    # 36 items of the bank, the privacy gate and 3 context questions.
    assert "40 short questions" in page


@pytest.mark.parametrize(
    "headers, country",
    [
        ({"HTTP_COOKIE": "tz=America%2FNew_York"}, "US"),
        ({"HTTP_COOKIE": "tz=America%2FNew_York", "HTTP_ACCEPT_LANGUAGE": "en-GB"}, "US"),
        ({"HTTP_COOKIE": "tz=Australia%2FPerth"}, "AU"),
        ({"HTTP_COOKIE": "tz=Europe%2FLondon"}, "UK"),
        ({"HTTP_COOKIE": "tz=Europe%2FParis"}, "OTHER"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}, "US"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-GB"}, "UK"),
        ({"HTTP_COOKIE": "tz=UTC", "HTTP_ACCEPT_LANGUAGE": "en-AU"}, "AU"),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, ""),  # "Choose where you live"
        ({}, ""),
    ],
)
def test_the_country_is_suggested_from_the_browser_or_left_to_choose(client, headers, country):
    page = client.get(reverse("intake:start"), **headers).content.decode()
    assert _selected_country(page) == country


def test_with_no_hint_the_country_must_be_chosen_with_a_clear_message(client):
    reply = client.post(reverse("intake:start"), {"consent": "on", "adult": "on"})
    assert reply.status_code == 200
    assert "Please choose where you live" in reply.content.decode()
    assert not Response.objects.exists()
    client.post(reverse("intake:start"), {"consent": "on", "adult": "on", "country": "US"})
    assert Response.objects.get().country == "US"
