"""Settings for bench/blog_pages.py: the real site plus a bare view, served as in production."""

from coaching.settings import *  # noqa: F403
from coaching.settings import STORAGES

ROOT_URLCONF = "bench._bare_urls"
# No collectstatic before a benchmark: plain static storage, same template work otherwise.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
