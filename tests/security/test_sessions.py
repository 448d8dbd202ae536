"""S-09 and S-10 of docs/reliability.md: cookies, session rotation and logout, and no open
redirect after sign-in."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def sign_in(client, user, next_url=""):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": user.email, "password": PASSWORD})


def test_session_and_csrf_cookies_are_secure_httponly_and_lax(client, coach):
    client.get(reverse("account_login"))
    response = sign_in(client, coach)
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"] and session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"
    csrf_cookie = client.cookies["csrftoken"]
    assert csrf_cookie["secure"] and csrf_cookie["samesite"] == "Lax"


def test_the_session_id_changes_at_sign_in(client, coach):
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key
    sign_in(client, coach)
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_sign_out_ends_the_session_on_the_server(client, coach):
    sign_in(client, coach)
    key = client.session.session_key
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("coaching:dashboard")).status_code == 302


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_sign_in_never_redirects_off_site(client, coach, target):
    response = sign_in(client, coach, next_url=target)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
