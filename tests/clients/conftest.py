import time

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.factories import PersonFactory, UserFactory


def give_totp(user) -> str:
    """Set up a TOTP authenticator for the user the way allauth does; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def mark_second_factor(client, user, *, seconds_ago: float = 0) -> None:
    """Record in the test client's session that the user passed MFA `seconds_ago`."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    session = client.session
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "mfa", "at": time.time() - seconds_ago, "id": authenticator.pk, "type": "totp"}
    ]
    session.save()


@pytest.fixture
def notes_client(coach_client, coach):
    """The coach, signed in with her second factor just now: she may read notes."""
    give_totp(coach)
    mark_second_factor(coach_client, coach)
    return coach_client


@pytest.fixture
def person_a(db):
    return PersonFactory(
        name="Alice Able", user=UserFactory(email="alice@example.org"), email="alice@example.org"
    )


@pytest.fixture
def person_b(db):
    return PersonFactory(
        name="Bea Baker", user=UserFactory(email="bea@example.org"), email="bea@example.org"
    )
