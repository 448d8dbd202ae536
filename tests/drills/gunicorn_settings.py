"""Production settings for the drills' gunicorn, with plain static storage (no collectstatic)."""

from coaching.settings import *  # noqa: F403
from coaching.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
