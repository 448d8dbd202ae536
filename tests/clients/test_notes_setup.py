"""A new coach without a second factor is guided to set one up, and brought back to the notes."""

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse

from tests.clients.conftest import give_totp, mark_second_factor
from tests.factories import PersonFactory
from tests.security.test_redirects import OFF_SITE

pytestmark = pytest.mark.django_db

SETUP = "clients_coach:second_factor_setup"


def test_without_a_second_factor_the_notes_card_links_to_setting_one_up(coach_client):
    client = PersonFactory().client
    detail = reverse("clients_coach:detail", args=[client.pk])
    page = coach_client.get(detail).content.decode()
    assert "You have not set one up yet." in page
    assert f'href="{reverse(SETUP)}?next={detail}"' in page
    assert "Unlock notes" not in page  # it asked for a password and came back locked


def test_with_a_second_factor_the_card_offers_to_unlock(coach_client, coach):
    give_totp(coach)
    client = PersonFactory().client
    page = coach_client.get(reverse("clients_coach:detail", args=[client.pk])).content.decode()
    assert "Unlock notes" in page and "You have not set one up yet." not in page


def test_setting_up_keeps_the_way_back_to_the_notes(coach_client):
    detail = reverse("clients_coach:detail", args=[PersonFactory().client_id])
    response = coach_client.get(reverse(SETUP), {"next": detail})
    assert response["Location"] == reverse("mfa_activate_totp")
    back = coach_client.get(reverse("clients_coach:second_factor_return"))
    assert back["Location"] == detail
    again = coach_client.get(reverse("clients_coach:second_factor_return"))
    assert again["Location"] == reverse("coaching:dashboard")  # offered once


def test_the_recovery_codes_page_offers_the_way_back(coach_client, coach):
    detail = reverse("clients_coach:detail", args=[PersonFactory().client_id])
    coach_client.get(reverse(SETUP), {"next": detail})
    give_totp(coach)
    RecoveryCodes.activate(coach)
    mark_second_factor(coach_client, coach)
    session = coach_client.session  # allauth shows the codes only after a recent sign-in
    session[AUTHENTICATION_METHODS_SESSION_KEY][0]["reauthenticated"] = True
    session.save()
    response = coach_client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("clients_coach:second_factor_return") in page


@pytest.mark.parametrize("target", OFF_SITE + ["dashboard", "coaching:dashboard"])
def test_the_way_back_never_leaves_the_site(coach_client, target):
    coach_client.get(reverse(SETUP), {"next": target})
    back = coach_client.get(reverse("clients_coach:second_factor_return"))
    assert back["Location"] == reverse("coaching:dashboard")


def test_with_a_second_factor_already_set_up_it_goes_straight_back(coach_client, coach):
    give_totp(coach)
    response = coach_client.get(reverse(SETUP), {"next": "/coach/clients/"})
    assert response["Location"] == "/coach/clients/"
