"""Production settings for the drills' gunicorn, with plain static storage served from the
apps' folders (no collectstatic: the pages get their stylesheets as in production)."""

from coaching.settings import *  # noqa: F403
from coaching.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
