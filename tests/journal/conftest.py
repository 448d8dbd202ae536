from tests.messaging.conftest import couple, notes_client  # noqa: F401 (shared fixtures)
