"""Fields encrypted at rest with Fernet (AES-128-CBC + HMAC), keys from the environment.

FIELD_ENCRYPTION_KEYS lists keys newest first: the first encrypts, every key decrypts, so a key
is rotated by adding a new one in front, re-encrypting (`reencrypt_fields`), then dropping the old.
"""

import json
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    return fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """Re-encrypt a token under the newest key (a no-op in meaning)."""
    return fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; it cannot be searched or ordered in SQL, on purpose."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else encrypt(value)

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)


class EncryptedJSONField(models.TextField):
    """A JSON value stored as one Fernet token."""

    def get_prep_value(self, value):
        return None if value is None else encrypt(json.dumps(value))

    def from_db_value(self, value, expression, connection):
        return None if value is None else json.loads(decrypt(value))

    def to_python(self, value):
        return json.loads(value) if isinstance(value, str) else value

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj))
