import pytest

from clients.intake import demo
from clients.intake.models import Response

pytestmark = pytest.mark.django_db


def test_the_demo_adds_three_intakes_once():
    demo.seed()
    demo.seed()
    assert Response.objects.submitted().count() == 3
    jordan = Response.objects.get(person__email="jordan.demo@example.org")
    assert jordan.latest_result().payload["domains"][1]["balance"] == 29
    alex = Response.objects.get(person__email="alex.demo@example.org")
    assert alex.flags.get().tier == "AMBER"
    assert alex.client.source == "intake"
