import pytest

from clients.models import Client, Person
from clients.services import client_advance_stage, client_get_or_create_lead

pytestmark = pytest.mark.django_db


def test_a_new_email_creates_a_lead():
    client = client_get_or_create_lead(email="Ana@Example.org", name="Ana", source="booking")
    assert client.stage == Client.Stage.LEAD and client.source == "booking"
    assert client.people.get().email == "Ana@Example.org"


def test_a_known_email_finds_the_same_record_whatever_its_case():
    first = client_get_or_create_lead(email="ana@example.org", name="Ana", source="booking")
    again = client_get_or_create_lead(
        email="ANA@example.org", name="Ana R", source="intake", phone="0700"
    )
    assert again == first
    assert Person.objects.get().phone == "0700"
    assert Client.objects.get().source == "booking"


def test_the_pipeline_only_moves_forward():
    client = client_get_or_create_lead(email="ana@example.org", name="Ana", source="booking")
    assert client_advance_stage(client=client, to=Client.Stage.FREE_CALL_DONE)
    assert not client_advance_stage(client=client, to=Client.Stage.FREE_CALL_BOOKED)
    client.refresh_from_db()
    assert client.stage == Client.Stage.FREE_CALL_DONE


def test_a_paused_client_is_not_moved_by_events():
    client = client_get_or_create_lead(email="ana@example.org", name="Ana", source="booking")
    client.stage = Client.Stage.PAUSED
    assert not client_advance_stage(client=client, to=Client.Stage.CLIENT)
