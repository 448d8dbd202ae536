"""No reassurance under a safety sign: when the safety screen raises a tier for a domain's
theme, that domain and the overall carry no reassuring band words, on the respondent's results
and on the coach's copy, and a note by the support panel says why."""

import html
import re

import pytest
from django.urls import reverse

from clients.intake import safety

from .answers import INSTRUMENT, PERSONA_1, PERSONA_4
from .conftest import use_response

pytestmark = pytest.mark.django_db
# "I go along with sex I'd rather not have ..." answered Often: AMBER, through the intimacy
# area. Sexual scores 75 (mostly balanced) and the overall 91 (balanced).
GOES_ALONG_OFTEN = PERSONA_1 | {"SEX3": 3}


def _results(client, response) -> str:
    use_response(client, response)
    return client.get(reverse("intake:results")).content.decode()


def _section(page: str, css_class: str) -> str:
    found = re.search(rf'<section class="{css_class}".*?</section>', page, re.S).group(0)
    return html.unescape(found)


@pytest.mark.parametrize(
    "changes, domains",
    [
        ({"SEX3": 3}, {"SEX"}),
        ({"SEX4": 2}, {"SEX"}),
        ({"SOC3": 3}, {"SOC"}),
        ({"GEN7": 3}, {"FIN", "SOC"}),
        ({"SAF4": 1}, {"SEX"}),
        ({"SAF5": 1}, {"FIN", "SOC"}),
        ({"SAF2": 1}, {"EMO", "FIN", "SOC", "SEX"}),  # harm concerns the whole relationship
        ({"SAF6": 1}, {"EMO", "FIN", "SOC", "SEX"}),
        ({"SAF1": "PNS"}, set()),  # declining an item raises AMBER but names no theme
        ({}, set()),
    ],
)
def test_the_domains_whose_theme_raised_the_tier(changes, domains):
    assert safety.concern_domains(INSTRUMENT, PERSONA_1 | changes) == domains


def test_going_along_with_unwanted_sex_often_takes_the_reassurance_off_intimacy(
    client, make_response
):
    page = _results(client, make_response(GOES_ALONG_OFTEN))
    assert "<h3>Sexual: 75, worth talking over</h3>" in page
    assert "75 · Worth talking over" in page  # the picture
    assert "mostly balanced" not in page.lower()
    assert "Intimacy mostly feels mutual" not in page
    assert "Overall: 91, worth talking over." in page
    assert "Power feels broadly shared" not in page
    # The other areas keep their bands: the sign concerns intimacy only.
    assert "<h3>Financial: 100, balanced</h3>" in page
    note = _section(page, "gentle-note")
    assert "Your answers about intimacy are worth talking over with" in note


def test_a_red_answer_about_harm_leaves_no_area_called_balanced(client, make_response):
    page = _results(client, make_response(PERSONA_4))
    assert re.findall(r"<h3>\w+: \d+, ([\w ]+)</h3>", page) == ["worth talking over"] * 4
    assert not re.search(r"\d+ · Balanced|\d+, Balanced</td>", page)  # picture and table
    assert "Overall: 97, worth talking over." in page
    assert "Power feels broadly shared" not in page
    note = _section(page, "support-panel")
    assert "don't call any area, or the overall picture, balanced" in note


def test_without_a_safety_sign_the_bands_stay(client, make_response):
    page = _results(client, make_response(PERSONA_1 | {"SEX5": 3}))
    assert "<h3>Sexual: 96, balanced</h3>" in page
    assert "Overall: 96, balanced." in page and "Power feels broadly shared" in page
    assert "worth talking over" not in page.lower()


def test_the_coachs_copy_carries_no_reassuring_band_either(coach_client, make_response):
    response = make_response(GOES_ALONG_OFTEN)
    page = coach_client.get(reverse("intake_coach:response", args=[response.public_id]))
    text = page.content.decode()
    assert "75 · Worth talking over" in text
    assert "mostly balanced" not in text.lower()
