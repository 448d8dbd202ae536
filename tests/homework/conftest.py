import importlib
from datetime import date

import pytest
from django.apps import apps

from clients.homework.models import Exercise
from tests.messaging.conftest import couple, notes_client, single  # noqa: F401 (shared fixtures)

LOADER = importlib.import_module(
    "clients.homework.migrations.0001_homework_exercises_assignments_answers"
)
DUE = date(2026, 6, 12)  # a Friday


def seed_library() -> None:
    """The data migration's library again: a transactional test elsewhere may have flushed its
    rows. It creates nothing that is already there."""
    LOADER.seed_library(apps, None)


@pytest.fixture
def library(db):
    seed_library()


@pytest.fixture
def exercise(library):
    """One of the five exercises the library is seeded with (migration 0001)."""
    return Exercise.objects.get(title="Deciding together")
