import pytest

from clients.checkins.services import schedule_set
from tests.messaging.conftest import couple, notes_client, single  # noqa: F401 (shared fixtures)

SAFE = {"SAF1": 0, "SAF2": 0, "SAF3": 0, "SAF4": 0, "SAF5": 0, "SAF6": 0, "SAF7": "no"}
EVEN = {"EMO1": 2, "EMO5": 4, "FIN1": 2, "FIN5": 4, "SOC2": 2, "SOC5": 4, "SEX1": 2, "SEX5": 4}
QUIET = {"GEN1": 4, "GEN2": 4, "GEN5": 0, "GEN6": 0, "GEN7": 0}


def pulse_answers(**changes) -> dict:
    """A calm check-in (every power about even, no sign, safe), with `changes` over it."""
    return {key: str(value) for key, value in (EVEN | QUIET | SAFE | changes).items()}


@pytest.fixture
def on(couple):  # noqa: F811 (the fixture imported above)
    """The couple with fortnightly check-ins turned on."""
    client, alice, bea = couple
    schedule = schedule_set(client=client, rhythm="fortnightly", active=True)
    return schedule, alice, bea
