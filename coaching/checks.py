"""Configuration checks: bad settings stop start-up with a message that says how to fix them.

`manage.py` commands run the plain checks; `check --deploy` and the WSGI entry point also run
the deployment ones, so a production server refuses to start half-configured.
"""

from email.utils import parseaddr
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, register

from coaching.dev_env import DEVELOPMENT_KEY_PREFIX


@register()
def check_core_settings(app_configs, **kwargs):
    errors = []
    url = urlsplit(settings.SITE_URL)
    if url.scheme not in ("http", "https") or not url.netloc:
        errors.append(_error("SITE_URL", "must be an absolute URL, e.g. https://coach.example", 2))
    if "@" not in parseaddr(settings.DEFAULT_FROM_EMAIL)[1]:
        errors.append(_error("DEFAULT_FROM_EMAIL", "must be an address, e.g. Ana <ana@x.com>", 3))
    errors.extend(_check_encryption_keys())
    errors.extend(_check_video_rooms())
    errors.extend(_check_stripe())
    return errors


@register(Tags.security, deploy=True)
def check_production_settings(app_configs, **kwargs):
    errors = []
    if settings.DEBUG:
        errors.append(_error("DJANGO_DEBUG", "must be off in production", 10))
    if settings.SECRET_KEY.startswith(DEVELOPMENT_KEY_PREFIX):
        errors.append(_error("DJANGO_SECRET_KEY", "is the development key `make run` wrote", 15))
    if not settings.SITE_URL.startswith("https://"):
        errors.append(_error("SITE_URL", "must use https:// in production", 11))
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        errors.append(_error("DATABASE_URL", "must point at PostgreSQL in production", 12))
    if not settings.REDIS_URL:
        errors.append(_error("REDIS_URL", "must be set in production (broker and cache)", 13))
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        errors.append(_error("EMAIL_URL", "must be set in production, e.g. smtp://host:587", 14))
    return errors


def _check_encryption_keys():
    keys = settings.FIELD_ENCRYPTION_KEYS
    if not keys:
        return [_error("FIELD_ENCRYPTION_KEYS", "must hold at least one Fernet key", 4)]
    try:
        [Fernet(key) for key in keys]
    except ValueError:
        return [_error("FIELD_ENCRYPTION_KEYS", "holds a value that is not a Fernet key", 5)]
    return []


def _check_video_rooms():
    provider = settings.VIDEO_ROOM_PROVIDER
    if provider == "zoom":
        names = ["ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"]
        return [
            _error(name, "must be set for Zoom rooms", 21)
            for name in names
            if not getattr(settings, name)
        ]
    if provider != "jitsi":
        return [_error("VIDEO_ROOM_PROVIDER", "must be jitsi or zoom", 20)]
    url = urlsplit(settings.VIDEO_ROOM_BASE_URL)
    if url.scheme != "https" or not url.netloc or url.query or url.fragment:
        return [_error("VIDEO_ROOM_BASE_URL", "must be your Jitsi server's https:// address", 22)]
    return []


def _check_stripe():
    """Both Stripe keys or neither: with one, paid sessions would be sold but never confirmed
    (no webhook secret) or never sold (no secret key)."""
    secret, webhook = settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET
    if secret and not webhook:
        return [_error("STRIPE_WEBHOOK_SECRET", "must be set with STRIPE_SECRET_KEY", 23)]
    if webhook and not secret:
        return [_error("STRIPE_SECRET_KEY", "must be set with STRIPE_WEBHOOK_SECRET", 24)]
    if secret and not secret.startswith(("sk_", "rk_")):
        return [_error("STRIPE_SECRET_KEY", "must be Stripe's secret key (sk_...)", 25)]
    return []


def _error(name, problem, number):
    return Error(
        f"{name} {problem}.",
        hint=f"Set {name} in the environment (see .env.example).",
        id=f"coaching.E{number:03d}",
    )


def fail_unless_configured():
    """Run every check, deployment ones included, and stop on any error."""
    from django.core.checks import run_checks
    from django.core.management.base import SystemCheckError

    found = run_checks(include_deployment_checks=not settings.DEBUG)
    serious = [message for message in found if message.is_serious()]
    if serious:
        raise SystemCheckError("\n".join(str(message) for message in serious))
