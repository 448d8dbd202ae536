"""The agreement's rules: versions published once and hashed, signatures recorded as typed, the
gate that payments ask (`people_yet_to_sign`), the signed link."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients import demo as client_demo
from clients.agreements import demo, services
from clients.agreements.models import AgreementVersion, Signature
from coaching.models import OutboundEmail
from coaching.tokens import TokenExpired, TokenInvalid

pytestmark = pytest.mark.django_db


def sign(person, version, name=None, **extra):
    fields = {"ip": "203.0.113.5", "user_agent": "Firefox", "via": Signature.Via.PORTAL}
    return services.agreement_sign(
        person=person, version_number=version.number, typed_name=name or person.name,
        **fields | extra,
    )  # fmt: skip


def test_the_first_version_is_seeded_in_the_coachs_voice_with_the_hash_of_its_text(first_version):
    assert first_version.number == 1
    assert first_version.sha256 == hashlib.sha256(first_version.text.encode()).hexdigest()
    for heading in ("Confidentiality", "Coaching is not therapy", "cancel", "In a crisis"):
        assert heading in first_version.text
    assert "<h2" in first_version.html and "/safety/" in first_version.html


def test_publishing_makes_a_new_version_hashed_over_its_exact_stored_text(first_version, coach):
    version = services.agreement_publish(text="Be kind.\r\n\r\n*Pay on time.*\r\n", by=coach)
    assert (version.number, version.text) == (2, "Be kind.\n\n*Pay on time.*")
    assert version.sha256 == hashlib.sha256(b"Be kind.\n\n*Pay on time.*").hexdigest()
    assert version.published_by == coach
    first_version.refresh_from_db()
    assert first_version.number == 1 and "Confidentiality" in first_version.text


@pytest.mark.parametrize("text", ["", "   \r\n", "x" * (services.MAX_LENGTH + 1)])
def test_an_empty_or_overlong_agreement_is_refused(first_version, text):
    with pytest.raises(ValidationError):
        services.agreement_publish(text=text)
    assert AgreementVersion.objects.count() == 1


def test_publishing_the_same_text_again_is_refused(first_version):
    with pytest.raises(ValidationError, match="Nothing changed"):
        services.agreement_publish(text=first_version.text + "\r\n")


def test_the_agreement_html_is_sanitised(first_version):
    version = services.agreement_publish(
        text="Hi <script>alert(1)</script>[x](javascript:alert(2))"
    )
    assert "<script" not in version.html and "javascript:" not in version.html


def test_a_signature_records_the_name_exactly_as_typed_with_time_ip_browser_and_hash(single):
    version = services.agreement_publish(text="Our terms.")
    with time_machine.travel("2026-12-05 09:00Z", tick=False):
        signature = sign(single, version, name="  sam  SINGLE ", user_agent="A" * 400)
    assert signature.typed_name == "  sam  SINGLE "
    assert signature.signed_at.isoformat() == "2026-12-05T09:00:00+00:00"
    assert str(signature.ip) == "203.0.113.5" and len(signature.user_agent) == 300
    assert signature.version_sha256 == hashlib.sha256(b"Our terms.").hexdigest()


@pytest.mark.parametrize("typed", ["Sám Single", "sam", "Samuel-Sam Jones", "Single, Sam"])
def test_a_name_that_reasonably_matches_is_accepted(single, first_version, typed):
    assert sign(single, first_version, name=typed).typed_name == typed


@pytest.mark.parametrize("typed", ["", "   ", "Bob Jones", "Sam\nSingle", "x" * 201])
def test_a_name_that_is_empty_or_someone_elses_is_refused(single, first_version, typed):
    with pytest.raises(ValidationError):
        sign(single, first_version, name=typed or " ")
    assert not Signature.objects.exists()


def test_signing_twice_keeps_the_first_signature(single, first_version):
    first = sign(single, first_version, name="Sam Single")
    again = sign(single, first_version, name="Sam")
    assert again == first and Signature.objects.count() == 1


def test_signing_a_version_that_is_no_longer_current_is_refused(single, first_version):
    services.agreement_publish(text="Version two.")
    with pytest.raises(ValidationError, match="changed while you were reading"):
        sign(single, first_version)
    assert not Signature.objects.exists()


def test_a_version_whose_text_was_altered_after_publishing_cannot_be_signed(single, first_version):
    AgreementVersion.objects.filter(pk=first_version.pk).update(text="Something else entirely")
    with pytest.raises(ValidationError, match="does not match"):
        sign(single, first_version)


def test_a_couple_where_one_partner_has_not_signed_is_reported(couple, first_version):
    client, alice, bea = couple
    assert services.people_yet_to_sign(client) == [alice, bea]
    sign(alice, first_version)
    assert services.people_yet_to_sign(client) == [bea]
    sign(bea, first_version)
    assert services.people_yet_to_sign(client) == []


def test_a_new_version_asks_everyone_again(couple, first_version):
    client, alice, bea = couple
    sign(alice, first_version)
    sign(bea, first_version)
    second = services.agreement_publish(text="Now with a new cancellation term.")
    assert services.people_yet_to_sign(client) == [alice, bea]
    sign(bea, second)
    assert services.people_yet_to_sign(client) == [alice]


def test_nobody_is_asked_to_sign_when_no_agreement_is_published(single):
    AgreementVersion.objects.all().delete()
    assert services.people_yet_to_sign(single.client) == []


def test_the_signing_link_names_its_person_and_refuses_tampering_and_age(single):
    token = services.sign_token(single)
    assert services.agreement_sign_url(single).endswith(f"/agreement/{token}/")
    assert services.person_for_token(token) == single
    with pytest.raises(TokenInvalid):
        services.person_for_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    later = timezone.now() + services.LINK_MAX_AGE + timedelta(minutes=1)
    with time_machine.travel(later), pytest.raises(TokenExpired):
        services.person_for_token(token)


def test_asking_to_sign_emails_only_those_who_have_not_signed(couple, first_version):
    client, alice, bea = couple
    sign(alice, first_version)
    assert services.agreement_request_send(client=client) == [bea]
    email = OutboundEmail.objects.get()
    assert email.to == "bea@example.org" and "/agreement/" in email.body_text
    assert "intima" not in email.subject.lower() + email.body_text.lower()


def test_the_demo_couple_has_one_partner_signed_and_seeding_again_adds_nothing(first_version):
    client_demo.seed()
    demo.seed()
    demo.seed()
    signed = Signature.objects.get()
    assert signed.person.email == "priya@example.com"
    assert services.people_yet_to_sign(signed.person.client) == [
        signed.person.client.people.get(email="sam@example.com")
    ]
