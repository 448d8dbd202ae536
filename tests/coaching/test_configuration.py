"""Settings come from the environment; bad production settings stop start-up clearly."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from coaching.dev_env import write_missing

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
    "DJANGO_ENV_FILE": "",  # a .env written by `make run` in this checkout plays no part
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


@pytest.fixture(scope="module")
def run_checkout(tmp_path_factory) -> Path:
    """A copy of the project's code after `make run`'s step that writes .env."""
    checkout = tmp_path_factory.mktemp("clone") / "coaching"
    skipped = shutil.ignore_patterns(".*", "var", "tests", "bench", "docs", "__pycache__")
    shutil.copytree(ROOT, checkout, ignore=skipped)
    step = re.search(
        r"\$\(BIN\)/python (-m coaching\.dev_env \S+)", (ROOT / "Makefile").read_text()
    )
    command = [sys.executable, *step[1].split()]
    subprocess.run(command, cwd=checkout, env={"PATH": os.environ["PATH"]}, check=True)
    return checkout


def test_after_make_run_manage_py_works_without_exporting_anything(run_checkout):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from django.conf import settings as s; "
         "print('debug', s.DEBUG, 'keys', len(s.FIELD_ENCRYPTION_KEYS))"],
        cwd=run_checkout, env={"PATH": os.environ["PATH"]}, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "debug True keys 1" in result.stdout


def test_the_development_broker_keeps_its_files_under_var(run_checkout):
    folders = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c",
         "from django.conf import settings as s; "
         f"print(*(s.CELERY_BROKER_TRANSPORT_OPTIONS[k] for k in {folders!r}), sep='\\n')"],
        cwd=run_checkout, env={"PATH": os.environ["PATH"]}, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    paths = [Path(line) for line in result.stdout.splitlines()]
    assert len(paths) == len(folders)
    assert all(path.is_relative_to(run_checkout / "var" / "broker") for path in paths)


def test_production_refuses_the_development_key_make_run_wrote(run_checkout):
    env = {key: value for key, value in PRODUCTION.items() if key != "DJANGO_SECRET_KEY"}
    del env["DJANGO_ENV_FILE"]  # the checkout's own .env is read, as on a careless server
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=run_checkout, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is the development key" in result.stderr


def test_the_env_step_adds_only_what_is_missing(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("EMAIL_URL=smtp://mail.example.org:25\nDJANGO_DEBUG=false")
    assert write_missing(env_file) == ["DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS"]
    assert write_missing(env_file) == []
    text = env_file.read_text()
    assert "DJANGO_DEBUG=false\n" in text and "DJANGO_DEBUG=true" not in text
    assert text.startswith("EMAIL_URL=smtp://mail.example.org:25\n")
    assert env_file.stat().st_mode & 0o777 == 0o600
