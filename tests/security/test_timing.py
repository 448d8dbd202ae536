"""docs/reliability.md S-05, timing (ASVS V6.3.8): for an account that exists and one that does not,
sign-in, password reset, the sign-in code and sign-up take the same time, to within 50 ms (median).

The sign-in test puts the production password hasher back (the suite's is MD5, which would hide
a missing hash), so a wrong password costs what it costs in production. Requests for a real and
an unknown account alternate, each from its own address and on an account of its own, so that
neither the rate limits nor a drift favour one side; the median of the paired differences is
compared. The time is the CPU time of this process, which serves the request (Django's test
client runs the view in it): the other test processes of `make test` would blur wall-clock
time by more than the tolerance. `make bench` measures the wall-clock time through gunicorn.
"""

import statistics
import time
import uuid
from itertools import count

import pytest
from django.conf import global_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAIRS = 9
TOLERANCE = 0.050  # seconds
addresses = (f"198.18.{n // 250}.{n % 250 + 1}" for n in count())


@pytest.fixture
def production_hasher(settings):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


def timed(client, url: str, data: dict) -> tuple[float, int]:
    started = time.process_time()
    response = client.post(url, data, REMOTE_ADDR=next(addresses))
    return time.process_time() - started, response.status_code


def paired_difference(client, url: str, real_data, unknown_data) -> tuple[float, float]:
    """(median of real − unknown, median time for a real account), in seconds."""
    differences, real_times = [], []
    for n in range(PAIRS):
        unknown = unknown_data(f"ghost-{uuid.uuid4().hex[:10]}@example.org")
        real = real_data(UserFactory().email)
        if n % 2:
            (real_time, real_status), (unknown_time, unknown_status) = (
                timed(client, url, real),
                timed(client, url, unknown),
            )
        else:
            (unknown_time, unknown_status), (real_time, real_status) = (
                timed(client, url, unknown),
                timed(client, url, real),
            )
        assert real_status == unknown_status
        differences.append(real_time - unknown_time)
        real_times.append(real_time)
    return statistics.median(differences), statistics.median(real_times)


def test_a_wrong_password_takes_as_long_for_a_real_as_for_an_unknown_account(
    client, production_hasher
):
    difference, real = paired_difference(
        client,
        reverse("account_login"),
        lambda email: {"login": email, "password": "not the password"},
        lambda email: {"login": email, "password": "not the password"},
    )
    # The hash costs more than the tolerance, so skipping it for unknown accounts would show.
    assert real > TOLERANCE
    assert abs(difference) < TOLERANCE, f"real − unknown: {difference * 1000:.0f} ms"


@pytest.mark.parametrize(
    ("route", "field"),
    [
        ("account_reset_password", "email"),
        ("account_request_login_code", "email"),
        ("clients:sign_in", "email"),
        ("account_signup", "email"),
    ],
)
def test_asking_by_email_takes_as_long_for_a_real_as_for_an_unknown_account(client, route, field):
    def data(email):
        return {
            field: email,
            "password1": "a long new passphrase",
            "password2": "a long new passphrase",
        }

    difference, _ = paired_difference(client, reverse(route), data, data)
    assert abs(difference) < TOLERANCE, f"{route}: real − unknown: {difference * 1000:.0f} ms"
