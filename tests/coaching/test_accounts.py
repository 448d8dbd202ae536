import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.urls import reverse

from coaching.models import User


@pytest.mark.django_db
def test_createsuperuser_noinput_makes_a_coach_who_can_sign_in(client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "maya@example.org")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long passphrase 2026")
    call_command("createsuperuser", interactive=False, verbosity=0)

    response = client.post(
        reverse("account_login"),
        {"login": "maya@example.org", "password": "a long passphrase 2026"},
    )
    assert response.status_code == 302
    assert client.get(reverse("coaching:dashboard")).status_code == 200
    assert User.objects.get(email="maya@example.org").is_coach


@pytest.mark.django_db
def test_failed_logins_are_rate_limited_per_account(client, coach):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": coach.email, "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": coach.email, "password": "correct horse battery"}
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_from_the_coach_area(client):
    response = client.get(reverse("coaching:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_a_client_never_sees_the_coach_area(client, client_user):
    client.force_login(client_user)
    assert client.get(reverse("coaching:dashboard")).status_code == 404
    assert client.get(reverse("coaching:outbox")).status_code == 404


@pytest.mark.django_db
def test_with_mfa_required_the_coach_must_set_up_totp_first(coach_client, coach, settings):
    settings.COACH_REQUIRE_MFA = True
    response = coach_client.get(reverse("coaching:dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")

    Authenticator.objects.create(user=coach, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert coach_client.get(reverse("coaching:dashboard")).status_code == 200


@pytest.mark.django_db
def test_sign_up_is_closed_by_default(client):
    response = client.get(reverse("account_signup"))
    assert "Sign Up Closed" in response.content.decode()


@pytest.mark.django_db
def test_the_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
