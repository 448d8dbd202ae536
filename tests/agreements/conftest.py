import importlib

import pytest
from django.apps import apps

from clients.agreements.models import AgreementVersion
from tests.messaging.conftest import couple, notes_client, single  # noqa: F401 (shared fixtures)

LOADER = importlib.import_module(
    "clients.agreements.migrations.0001_coaching_agreement_versions_signatures"
)


def seed_first_version() -> AgreementVersion:
    """The data migration's version 1 again: a transactional test elsewhere may have flushed it.
    It publishes nothing when a version exists."""
    LOADER.seed_first_version(apps, None)
    return AgreementVersion.objects.current()


@pytest.fixture
def first_version(db) -> AgreementVersion:
    return seed_first_version()
