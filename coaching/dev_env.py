"""Write the development settings of `make run` into .env, which settings read, so that
`manage.py` (createsuperuser, shell, score_intake...) works in the checkout without exports.

Only names missing from the file are added: a hand-written .env keeps its values. The secret key
is marked as a development one, which production refuses (coaching.checks).

    python -m coaching.dev_env .env
"""

import secrets
import sys
from pathlib import Path

from cryptography.fernet import Fernet

DEVELOPMENT_KEY_PREFIX = "django-insecure-"
# Where `make run` kept the encryption key before .env: reused, so local data stays readable.
EARLIER_KEY_FILE = Path(__file__).resolve().parent.parent / "var" / "field_encryption_key"


def development_values() -> dict[str, str]:
    if EARLIER_KEY_FILE.exists():
        encryption_key = EARLIER_KEY_FILE.read_text().strip()
    else:
        encryption_key = Fernet.generate_key().decode()
    return {
        "DJANGO_DEBUG": "true",
        "DJANGO_SECRET_KEY": DEVELOPMENT_KEY_PREFIX + secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": encryption_key,
    }


def names_in(text: str) -> set[str]:
    lines = (line.strip() for line in text.splitlines())
    return {line.split("=", 1)[0].strip() for line in lines if "=" in line and line[0] != "#"}


def write_missing(path: Path) -> list[str]:
    """Add the development values the file lacks; returns their names."""
    existing = path.read_text() if path.exists() else ""
    present = names_in(existing)
    missing = {name: value for name, value in development_values().items() if name not in present}
    if missing:
        lines = [f"{name}={value}" for name, value in missing.items()]
        header = (
            "# Development settings written by `make run` (see .env.example). Not for production."
        )
        prefix = "" if not existing or existing.endswith("\n") else "\n"
        with path.open("a") as file:
            file.write(prefix + "\n".join([header, *lines]) + "\n")
        path.chmod(0o600)  # it holds a secret key
    return list(missing)


if __name__ == "__main__":
    write_missing(Path(sys.argv[1]))
