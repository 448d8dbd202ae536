"""docs/reliability.md S-11: Django stays on a supported series. pip-audit needs an advisory
database this machine cannot reach; the exception is written in docs/QUALITY.md."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
# Django's supported series and the end of their security support (djangoproject.com/download).
SUPPORTED = {(5, 2): date(2028, 4, 30)}


def test_django_is_on_a_supported_series():
    series = django.VERSION[:2]
    assert series in SUPPORTED, f"Django {django.get_version()} is not on a supported series"
    assert datetime.now(UTC).date() <= SUPPORTED[series], (
        "Django 5.2 LTS support has ended: upgrade"
    )


def test_the_requirements_pin_that_series_exactly():
    pins = (ROOT / "requirements.txt").read_text().splitlines()
    django_pin = next(line for line in pins if line.lower().startswith("django=="))
    assert django_pin.split("==")[1].startswith("5.2.")


def test_the_pip_audit_exception_is_written_down_and_has_not_expired():
    text = (ROOT / "docs" / "QUALITY.md").read_text()
    expires = re.search(r"Expires: (\d{4}-\d{2}-\d{2})", text)
    assert "pip-audit" in text and expires
    assert datetime.now(UTC).date() <= date.fromisoformat(expires[1]), (
        "review the pip-audit exception"
    )
