"""Test settings: only what makes tests fast and self-contained.

Tests run on the real PostgreSQL and Redis named by DATABASE_URL and REDIS_URL (defaults: the
local servers). Tasks run eagerly here; the tests that prove delivery start a real worker.
"""

import os

os.environ.setdefault("DJANGO_ENV_FILE", "")  # a developer's .env never reaches the tests
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coaching")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("REDIS_CACHE_URL", os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/1")
os.environ.setdefault("SITE_URL", "https://coach.example.com")
os.environ.setdefault("VIDEO_ROOM_BASE_URL", "https://video.example.com")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1,coach.example.com")
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEYS", "sxwnuE2Wy6FmgAqv8QXlVWlj2XxC1N1OKu4IBvVsWQ8="
)  # a fixed test key; never used outside tests

from coaching.settings import *  # noqa: E402,F403
from coaching.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
COACH_REQUIRE_MFA = False
BUSY_CALENDAR_ALLOW_LOOPBACK = True  # fixture calendars are served on 127.0.0.1
BUSY_CALENDAR_TIMEOUT = 2
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic before tests
