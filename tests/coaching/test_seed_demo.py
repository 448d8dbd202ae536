import pytest
from django.core.management import call_command

from coaching.models import User


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_the_coach_sign_in(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    assert "Coach sign-in: coach@example.com" in first
    assert User.objects.filter(email="coach@example.com", is_staff=True).count() == 1
