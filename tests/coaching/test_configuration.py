"""Settings come from the environment; bad production settings stop start-up clearly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "coaching.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k3y-" + "x7Qm9" * 12,
    "DJANGO_ALLOWED_HOSTS": "coach.example.com",
    "SITE_URL": "https://coach.example.com",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://user:pw@smtp.example.com:587",
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "PATH": os.environ["PATH"],
}


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("FIELD_ENCRYPTION_KEYS", "not-a-key", "FIELD_ENCRYPTION_KEYS holds a value"),
        ("SITE_URL", "coach.example.com", "SITE_URL must be an absolute URL"),
        ("COACH_TIME_ZONE", "Europe/Nowhere", "COACH_TIME_ZONE is not a known time zone"),
        ("SITE_URL", "http://coach.example.com", "SITE_URL must use https://"),
        ("EMAIL_URL", "", "EMAIL_URL must be set in production"),
    ],
)
def test_malformed_production_settings_are_reported_clearly(name, value, message):
    result = manage("check", "--deploy", **{name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_a_missing_secret_key_stops_start_up():
    env = {key: value for key, value in PRODUCTION.items() if key != "DJANGO_SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_the_wsgi_server_refuses_to_start_half_configured():
    code = "import coaching.wsgi"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**PRODUCTION, "SITE_URL": "http://coach.example.com"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SITE_URL must use https://" in result.stderr
