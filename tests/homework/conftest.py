from datetime import date

import pytest

from clients.homework.models import Exercise
from tests.messaging.conftest import couple, notes_client, single  # noqa: F401 (shared fixtures)


@pytest.fixture
def exercise(db):
    """One of the five exercises the library is seeded with (migration 0001)."""
    return Exercise.objects.get(title="Deciding together")


DUE = date(2026, 6, 12)  # a Friday
