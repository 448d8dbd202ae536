"""One settings module: every environment differs only by environment variables.

The variables are listed, with their defaults, in `.env.example`. Production values have no
defaults here; `coaching.checks` reports anything missing or malformed at start-up.
"""

import zoneinfo
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# `make run` writes its development values to .env (coaching/dev_env.py), so `manage.py` finds
# them too; the environment wins over the file. DJANGO_ENV_FILE names another file, or none
# when empty (the tests read no .env).
ENV_FILE = env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Production has no default secret, and refuses the development one (coaching.checks).
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL else []

# Fernet keys for fields encrypted at rest, newest first; older keys only decrypt (rotation).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])

COACH_TIME_ZONE = env.str("COACH_TIME_ZONE", default="Europe/London")
try:
    zoneinfo.ZoneInfo(COACH_TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"COACH_TIME_ZONE is not a known time zone: {COACH_TIME_ZONE!r} (e.g. Europe/London)."
    ) from None
COACH_REQUIRE_MFA = env.bool("COACH_REQUIRE_MFA", default=not DEBUG)

# A private video room per booking (bookings/video.py): "jitsi" makes an unguessable room on
# VIDEO_ROOM_BASE_URL (any Jitsi Meet server); "zoom" creates a meeting through Zoom's API with a
# server-to-server OAuth app of the coach's account.
VIDEO_ROOM_PROVIDER = env.str("VIDEO_ROOM_PROVIDER", default="jitsi")
VIDEO_ROOM_BASE_URL = env.str("VIDEO_ROOM_BASE_URL", default="https://meet.jit.si").rstrip("/")
VIDEO_ROOM_TIMEOUT = env.float("VIDEO_ROOM_TIMEOUT", default=10)
ZOOM_ACCOUNT_ID = env.str("ZOOM_ACCOUNT_ID", default="")
ZOOM_CLIENT_ID = env.str("ZOOM_CLIENT_ID", default="")
ZOOM_CLIENT_SECRET = env.str("ZOOM_CLIENT_SECRET", default="")
ZOOM_API_URL = env.str("ZOOM_API_URL", default="https://api.zoom.us/v2").rstrip("/")
ZOOM_OAUTH_URL = env.str("ZOOM_OAUTH_URL", default="https://zoom.us/oauth/token")
# The coach's own calendars (private ICS addresses), read by a worker every few minutes.
# After BUSY_CALENDAR_ALERT_MINUTES without a good read the dashboard names the calendar and the
# error; after BUSY_CALENDAR_EMAIL_HOURS the coach gets one email. Loopback addresses are refused
# unless BUSY_CALENDAR_ALLOW_LOOPBACK (tests only; private networks are always refused).
BUSY_CALENDAR_ALERT_MINUTES = env.int("BUSY_CALENDAR_ALERT_MINUTES", default=30)
BUSY_CALENDAR_EMAIL_HOURS = env.int("BUSY_CALENDAR_EMAIL_HOURS", default=24)
BUSY_CALENDAR_TIMEOUT = env.float("BUSY_CALENDAR_TIMEOUT", default=15)
BUSY_CALENDAR_ALLOW_LOOPBACK = env.bool("BUSY_CALENDAR_ALLOW_LOOPBACK", default=False)
# Payments through Stripe Checkout (payments/, docs/payments.md). Without both keys paid session
# types are not offered online (the coach's pages say why). STRIPE_API_BASE is Stripe's API
# address: only tests change it, to a local fake. A paid time is held BOOKING_HOLD_MINUTES while
# the visitor pays. STRIPE_STATEMENT_DESCRIPTOR is the neutral name on card statements (at most
# 22 characters; empty: Stripe's account default).
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_CURRENCY = env.str("STRIPE_CURRENCY", default="GBP").upper()
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com").rstrip("/")
STRIPE_STATEMENT_DESCRIPTOR = env.str("STRIPE_STATEMENT_DESCRIPTOR", default="")
BOOKING_HOLD_MINUTES = env.int("BOOKING_HOLD_MINUTES", default=15)
# Where Checkout pages live (allowed as a form's destination by the CSP); tests: the fake's.
STRIPE_CHECKOUT_ORIGIN = env.str("STRIPE_CHECKOUT_ORIGIN", default="https://checkout.stripe.com")

INSTALLED_APPS = [
    "coaching",  # first, so its createsuperuser (which verifies the email) wins
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "clients",
    "clients.intake",
    "clients.messaging",
    "clients.journal",
    "clients.homework",
    "clients.checkins",
    "clients.agreements",
    "bookings",
    "payments",
    "content.blog",
    "content.newsletter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "coaching.middleware.AccountPagesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "coaching.middleware.VisitorTimezoneMiddleware",
    "coaching.middleware.CoachAreaMiddleware",
    "coaching.middleware.PrivatePagesMiddleware",
]

ROOT_URLCONF = "coaching.urls"
WSGI_APPLICATION = "coaching.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coaching.context_processors.site",
            ],
        },
    },
]

# SQLite only as the zero-setup default of `make run`; PostgreSQL in tests and production.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, so check-then-insert cannot race.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "coaching.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "coaching:after_login"

# Accounts: email is the login; the coach adds TOTP; clients sign in with an emailed code.
ACCOUNT_ADAPTER = "coaching.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_ALLOW_SIGNUPS = env.bool("ACCOUNT_ALLOW_SIGNUPS", default=False)
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
    "request_login_code": "20/m/ip,3/m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Coaching practice")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = COACH_TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Redis is the broker and the cache; without it, a filesystem broker and cache need no server.
REDIS_URL = env.str("REDIS_URL", default="")
REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default=REDIS_URL)
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="coaching"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }
    # Development default only: rate-limit counters in a file cache are shared between the
    # processes of `make run` but are not atomic, which is fine for one person testing.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

RATELIMIT_VIEW = "coaching.views.ratelimited"
# Behind a proxy, set the header the proxy writes (for example HTTP_X_REAL_IP); a header the
# client can forge must never be trusted here, or anyone could reset their own counter.
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")

# Celery (see coaching/celery.py and docs/reliability.md "Celery configuration baseline").
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        # Kombu's exchange tables; its default is `control/` in the working directory.
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Email: unset EMAIL_URL keeps every message under var/mail/ (and in the coach's outbox page).
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# A bare address is sent under the site's name (coaching.emails.sender).
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="hello@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=6)

# Security headers. HSTS and secure cookies follow HTTPS; DEBUG is development only.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False)
    else None
)
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The booking form's POST ends on Stripe's Checkout page (redirects count, in Chromium).
        "form-action": [SELF, STRIPE_CHECKOUT_ORIGIN],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Clients
# Alumni are flagged for the coach's review (erase or keep) this many years after they left.
CLIENT_RETENTION_YEARS = env.int("CLIENT_RETENTION_YEARS", default=6)
# Homework reminders go out this many days before the due date, at 09:00 the client's time.
HOMEWORK_REMINDER_DAYS = env.int("HOMEWORK_REMINDER_DAYS", default=2)
# A client's sign-in account is created the first time they ask for a code (clients.forms).
ACCOUNT_FORMS = {"request_login_code": "clients.forms.ClientLoginCodeForm"}

# Newsletter
# Campaign mail comes from its own address (bulk mail apart from transactional mail).
NEWSLETTER_FROM_EMAIL = env.str("NEWSLETTER_FROM_EMAIL", default="Newsletter <news@localhost>")
NEWSLETTER_UNSUBSCRIBE_MAILTO = env.str(
    "NEWSLETTER_UNSUBSCRIBE_MAILTO", default="unsubscribe@localhost"
)
NEWSLETTER_RATE_PER_SECOND = env.float("NEWSLETTER_RATE_PER_SECOND", default=14.0)  # 0: no limit
NEWSLETTER_DAILY_QUOTA = env.int("NEWSLETTER_DAILY_QUOTA", default=0)  # per rolling 24 h; 0: none
# Sequence letters go at this hour of the subscriber's morning (their zone, else the coach's).
NEWSLETTER_SEQUENCE_HOUR = env.int("NEWSLETTER_SEQUENCE_HOUR", default=8)
if not 0 <= NEWSLETTER_SEQUENCE_HOUR <= 23:
    raise ImproperlyConfigured(
        f"NEWSLETTER_SEQUENCE_HOUR is an hour of the day, 0 to 23: {NEWSLETTER_SEQUENCE_HOUR}."
    )
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=250)
NEWSLETTER_MAX_ATTEMPTS = env.int("NEWSLETTER_MAX_ATTEMPTS", default=8)
NEWSLETTER_SUBSCRIBE_RATE = env.str("NEWSLETTER_SUBSCRIBE_RATE", default="10/h")
# Bounce and complaint webhooks (django-anymail): the provider's name, e.g. "postmark", and
# the basic-auth "user:password" the provider is given in the webhook URL.
NEWSLETTER_ESP = env.str("NEWSLETTER_ESP", default="")
ANYMAIL_WEBHOOK_SECRET = env.str("ANYMAIL_WEBHOOK_SECRET", default="")
# Mailgun signs its webhooks with an HMAC key as well (the endpoint stays closed without it).
MAILGUN_WEBHOOK_SIGNING_KEY = env.str("MAILGUN_WEBHOOK_SIGNING_KEY", default="")
ANYMAIL = {
    name: value
    for name, value in [
        ("WEBHOOK_SECRET", ANYMAIL_WEBHOOK_SECRET),
        ("MAILGUN_WEBHOOK_SIGNING_KEY", MAILGUN_WEBHOOK_SIGNING_KEY),
    ]
    if value
}
