"""docs/reliability.md S-09: no open redirect through any return parameter. Sign-in's `next` is
proven in test_sessions.py; the other `next` the site uses is re-authentication (notes are unlocked
through it) and the portal's sign-in, which hands its `next` to allauth."""

import pytest
from django.urls import reverse

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
OFF_SITE = ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]


def on_site(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize("target", OFF_SITE)
def test_reauthentication_never_redirects_off_site(coach_client, target):
    url = f"{reverse('account_reauthenticate')}?next={target}"
    response = coach_client.post(url, {"password": PASSWORD})
    assert response.status_code == 302
    assert on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_portal_sign_in_never_redirects_off_site(client, target):
    person = PersonFactory()
    data = {"email": person.email, "website": "", "next": target}
    response = client.post(reverse("clients:sign_in"), data, REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 302
    assert on_site(response["Location"]), response["Location"]
