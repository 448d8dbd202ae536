"""allauth's pages in the site's layout: its name and colour on every one, sign-up offered only
while it is open, and the coach's account pages inside her own area."""

import pytest
from django.urls import reverse

from coaching.models import SiteSettings

pytestmark = pytest.mark.django_db

ENTRANCES = [
    "account_login",
    "account_request_login_code",
    "account_reset_password",
    "account_reset_password_done",
    "account_signup",
]


def branded(body: str, site: SiteSettings) -> bool:
    return (
        f'class="brand" href="/">{site.site_name}</a>' in body
        and f"/brand.css?v={site.brand_colour.lstrip('#')}" in body
        and f"· {site.site_name}</title>" in body
    )


@pytest.mark.parametrize("name", ENTRANCES)
def test_the_entrance_pages_carry_the_sites_name_and_colour(client, name):
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"site_name": "Heart Work", "brand_colour": "#225566"}
    )
    site = SiteSettings.load()
    assert branded(client.get(reverse(name)).content.decode(), site)


def test_the_second_factor_page_carries_the_sites_name(client, coach):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=coach, type=Authenticator.Type.TOTP, data={"secret": "A"})
    client.post(
        reverse("account_login"), {"login": coach.email, "password": "correct horse battery"}
    )
    body = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Two-Factor Authentication" in body and branded(body, SiteSettings.load())
    assert "or one of your recovery codes" in body  # for a coach whose phone is lost


def test_sign_in_offers_no_sign_up_while_it_is_closed(client):
    body = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in body and "sign up" not in body.lower()


def test_sign_in_offers_sign_up_when_it_is_open(client, settings):
    settings.ACCOUNT_ALLOW_SIGNUPS = True
    body = client.get(reverse("account_login")).content.decode()
    assert f'<a href="{reverse("account_signup")}">Create an account</a>' in body


def test_the_sign_in_button_is_one_of_the_sites_buttons(client):
    body = client.get(reverse("account_login")).content.decode()
    assert '<button class="button" type="submit">Sign in</button>' in body


@pytest.mark.parametrize("name", ["mfa_index", "account_change_password"])
def test_the_coachs_account_pages_sit_in_her_area_under_security(coach_client, name):
    body = coach_client.get(reverse(name)).content.decode()
    assert 'aria-label="Coach area"' in body
    assert f'href="{reverse("mfa_index")}" aria-current="page">Security</a>' in body


def test_a_clients_account_page_is_in_the_sites_card(client, client_user):
    client.force_login(client_user)
    body = client.get(reverse("account_change_password")).content.decode()
    assert 'class="wrap narrow card account-card"' in body and "Coach area" not in body
