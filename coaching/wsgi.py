import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coaching.settings")

application = get_wsgi_application()

# A production server must not start half-configured (coaching.checks).
from coaching.checks import fail_unless_configured  # noqa: E402

fail_unless_configured()
