"""allauth's emails go through the site's one email helper: the site's name (not a host and
port), an HTML part, the site as the sender, and a row in the coach's outbox."""

import re
from email.utils import parseaddr

import pytest
from allauth.account import app_settings as account_settings
from django.core import mail
from django.urls import reverse

from coaching.emails import render_email
from coaching.models import OutboundEmail, SiteSettings
from tests.clients.test_portal import login_code
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

# The emails allauth sends with this project's settings (account/email/<name>). Its security
# notifications and reset-by-code are off, which the first test checks.
SENT_BY_ALLAUTH = [
    "login_code",
    "password_reset_key",
    "unknown_account",
    "account_already_exists",  # the template is emails/account_account_already_exists_*
    "email_confirmation",
    "email_confirmation_signup",
]
HOST = re.compile(r"testserver|127\.0\.0\.1|localhost:\d+|\[.*\]")


@pytest.mark.parametrize("name", SENT_BY_ALLAUTH)
def test_every_email_allauth_sends_has_the_sites_three_templates(name):
    assert not account_settings.EMAIL_NOTIFICATIONS
    assert not account_settings.PASSWORD_RESET_BY_CODE_ENABLED
    link = "https://coach.example.com/accounts/x/"
    context = {"email": "ana@example.org", "code": "K7PQ2M", "signup_url": ""}
    context |= {"password_reset_url": link, "activate_url": link}
    rendered = render_email(f"account_{name}", context)
    assert "Balanced Hearts Coaching" in rendered.subject and not HOST.search(rendered.subject)
    assert (
        "Balanced Hearts Coaching" in rendered.text and "Balanced Hearts Coaching" in rendered.html
    )
    assert not HOST.search(rendered.text + rendered.html)


def the_only_email(template: str) -> OutboundEmail:
    [email] = OutboundEmail.objects.filter(template=template)
    return email


def test_the_sign_in_code_is_a_branded_email_in_the_outbox_and_signs_her_in(
    client, django_capture_on_commit_callbacks
):
    PersonFactory(email="ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):  # delivered once the request commits
        response = client.post(reverse("clients:sign_in"), {"email": "ana@example.org"})
    email = the_only_email("account_login_code")
    assert email.to == "ana@example.org" and email.status == OutboundEmail.Status.SENT
    assert email.subject == "Your sign-in code for Balanced Hearts Coaching"
    assert not HOST.search(email.subject + email.body_text)
    code = login_code(email.body_text)
    assert code in email.body_html and "Balanced Hearts Coaching" in email.body_html
    [message] = mail.outbox
    assert message.from_email == "Balanced Hearts Coaching <hello@localhost>"
    assert message.alternatives[0][1] == "text/html"
    client.post(response["Location"], {"code": code})
    assert client.get(reverse("clients:index")).status_code == 200


def test_the_password_reset_is_a_branded_email_with_its_link(client, coach):
    client.post(reverse("account_reset_password"), {"email": coach.email})
    email = the_only_email("account_password_reset_key")
    assert email.subject == "Choose a new password for Balanced Hearts Coaching"
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", email.body_text)[1]
    assert link in email.body_html
    response = client.get(link, follow=True)
    assert "new password" in response.content.decode().lower()


def test_an_unknown_address_is_told_so_without_a_link_to_a_closed_sign_up(client):
    client.post(reverse("account_reset_password"), {"email": "stranger@example.org"})
    email = the_only_email("account_unknown_account")
    assert email.subject == "Signing in to Balanced Hearts Coaching"
    assert "stranger@example.org" in email.body_text
    assert reverse("account_signup") not in email.body_text + email.body_html


def test_the_sender_carries_the_site_name_the_coach_chose(client, settings):
    SiteSettings.objects.filter(pk=SiteSettings.load().pk).update(site_name="Heart Work")
    client.post(reverse("account_reset_password"), {"email": "stranger@example.org"})
    assert the_only_email("account_unknown_account").from_email == "Heart Work <hello@localhost>"
    settings.DEFAULT_FROM_EMAIL = "Maya Ellison <maya@example.org>"  # named on purpose: kept
    client.post(reverse("account_reset_password"), {"email": "other@example.org"})
    sent = OutboundEmail.objects.filter(to="other@example.org").get()
    assert parseaddr(sent.from_email) == ("Maya Ellison", "maya@example.org")
