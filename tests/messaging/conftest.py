import pytest

from clients.models import Client
from tests.clients.conftest import give_totp, mark_second_factor
from tests.factories import PersonFactory, UserFactory


@pytest.fixture
def couple(db):
    """A couple record: Alice and Bea, each with a portal sign-in."""
    alice = PersonFactory(
        name="Alice Able", email="alice@example.org", user=UserFactory(email="alice@example.org")
    )
    client = alice.client
    client.kind = Client.Kind.COUPLE
    client.save(update_fields=["kind"])
    bea = PersonFactory(
        client=client, name="Bea Baker", email="bea@example.org",
        user=UserFactory(email="bea@example.org"),
    )  # fmt: skip
    return client, alice, bea


@pytest.fixture
def single(db):
    return PersonFactory(
        name="Sam Single", email="sam@example.org", user=UserFactory(email="sam@example.org")
    )


@pytest.fixture
def notes_client(coach_client, coach):
    """The coach with her second factor passed just now (tests/clients/conftest.py)."""
    give_totp(coach)
    mark_second_factor(coach_client, coach)
    return coach_client
