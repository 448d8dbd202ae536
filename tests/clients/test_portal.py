"""The client portal: sign-in by emailed code, her own things only, data rights."""

import json

import pytest
from django.urls import reverse

from clients.models import AccessLog, Client, ErasureRequest, Note, SharedNote
from clients.services import consent_record
from coaching.models import OutboundEmail, User
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
SIGN_IN = reverse("clients:sign_in")


def test_a_client_asks_for_a_code_and_signs_in_with_it(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    PersonFactory(email="Ana@Example.org", name="Ana")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGN_IN, {"email": "ana@example.org", "next": "/account/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_confirm_login_code"))
    user = User.objects.get(email__iexact="ana@example.org")
    assert user.person.name == "Ana"
    code = login_code(mailoutbox[-1].body)
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("clients:index")).content.decode().count("Hello Ana") == 1


def login_code(body: str) -> str:
    """The code in the sign-in email: the line after "Your sign-in code for <site> is:"."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    return next(lines[i + 1] for i, line in enumerate(lines) if "sign-in code" in line)


def test_an_unknown_email_gets_the_same_answer_and_no_account(client):
    response = client.post(SIGN_IN, {"email": "stranger@example.org", "next": "/account/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_confirm_login_code"))
    assert not User.objects.filter(email="stranger@example.org").exists()


def test_a_filled_honeypot_is_refused_and_the_email_kept(client):
    response = client.post(SIGN_IN, {"email": "ana@example.org", "website": "spam"})
    assert response.status_code == 200 and 'value="ana@example.org"' in response.content.decode()


def test_the_portal_shows_her_shared_notes_and_never_private_notes(client, person_a, coach):
    SharedNote.objects.create(client=person_a.client, title="Check-in", body="Every Sunday")
    Note.objects.create(client=person_a.client, body="SENTINEL-private", author=coach)
    client.force_login(person_a.user)
    page = client.get(reverse("clients:index")).content.decode()
    assert "Check-in" in page and "SENTINEL" not in page


def test_client_a_gets_404_for_client_b_shared_note(client, person_a, person_b):
    note = SharedNote.objects.create(client=person_b.client, title="B's", body="SENTINEL-b")
    client.force_login(person_a.user)
    response = client.get(reverse("clients:shared_note", args=[note.pk]))
    assert response.status_code == 404 and "SENTINEL" not in response.content.decode()
    assert AccessLog.objects.filter(action="denied", actor_id=person_a.user_id).exists()
    client.force_login(person_b.user)
    assert (
        "SENTINEL-b" in client.get(reverse("clients:shared_note", args=[note.pk])).content.decode()
    )


def test_a_signed_in_user_without_a_client_record_gets_404(client, client_user):
    client.force_login(client_user)
    assert client.get(reverse("clients:index")).status_code == 404


def test_download_my_data_has_hers_and_not_her_partners(client, person_a, coach):
    partner = PersonFactory(client=person_a.client, email="partner@example.org")
    Client.objects.filter(pk=person_a.client_id).update(kind="couple")
    consent_record(person=partner, kind="marketing", granted=True, method="form")
    consent_record(person=person_a, kind="marketing", granted=True, method="form")
    Note.objects.create(client=person_a.client, body="SENTINEL-private", author=coach)
    client.force_login(person_a.user)
    response = client.get(reverse("clients:download"))
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert [p["email"] for p in data["people"]] == ["alice@example.org"]
    assert len(data["consents"]) == 1 and "notes" not in data
    assert "partner@example.org" not in response.content.decode()
    assert b"SENTINEL" not in response.content


def test_asking_for_erasure_records_a_request_and_tells_the_coach_once(client, person_a):
    client.force_login(person_a.user)
    for _ in range(2):
        response = client.post(reverse("clients:erasure_request"))
    assert response["Location"] == reverse("clients:index")
    assert ErasureRequest.objects.get().person == person_a
    assert OutboundEmail.objects.filter(template="clients_erasure_requested").count() == 1
    assert Client.objects.filter(pk=person_a.client_id).exists()  # the coach confirms first


def test_anonymous_visitors_are_sent_to_sign_in_from_the_portal(client):
    response = client.get(reverse("clients:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_allauths_own_code_sign_in_works_the_first_time_for_a_client(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    PersonFactory(email="ana@example.org", name="Ana")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_request_login_code"), {"email": "ana@example.org"})
    assert response.status_code == 302
    assert User.objects.get(email="ana@example.org").person.name == "Ana"
    assert login_code(mailoutbox[-1].body)


def test_asking_a_code_for_the_coachs_email_creates_no_client_account(client, coach):
    person = PersonFactory(email=coach.email)
    client.post(SIGN_IN, {"email": coach.email, "next": "/account/"})
    assert User.objects.filter(email__iexact=coach.email).count() == 1
    person.refresh_from_db()
    assert person.user is None


def test_the_sign_in_form_is_rate_limited_by_ip(client):
    for i in range(10):
        client.post(SIGN_IN, {"email": f"someone{i}@example.org"})
    response = client.post(SIGN_IN, {"email": "one-more@example.org"})
    assert response.status_code == 429
