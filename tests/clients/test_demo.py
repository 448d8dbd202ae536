import pytest

from clients import demo
from clients.models import Client, Note, Package, Person

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_dozen_clients_across_stages_and_is_idempotent():
    demo.seed()
    counts = (Client.objects.count(), Person.objects.count(), Note.objects.count())
    demo.seed()
    assert (Client.objects.count(), Person.objects.count(), Note.objects.count()) == counts
    assert counts[0] == 12 and Client.objects.filter(kind="couple").count() == 1
    assert len(set(Client.objects.values_list("stage", flat=True))) == 7
    assert Package.objects.count() == 1 and counts[2] == 2
