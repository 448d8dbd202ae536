"""Demo data for the site itself: the coach's account and branding."""

import os

from django.contrib.auth import get_user_model

from coaching.management.commands.createsuperuser import mark_email_verified
from coaching.models import SiteSettings

DEMO_COACH_EMAIL = "coach@example.com"
DEMO_COACH_PASSWORD = "balance-demo-2026"  # noqa: S105 (a documented demo sign-in)


def seed() -> list[str]:
    """Create the coach (once) and the site settings; return lines to print."""
    email = os.environ.get("DJANGO_SUPERUSER_EMAIL", DEMO_COACH_EMAIL)
    password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", DEMO_COACH_PASSWORD)
    User = get_user_model()
    coach = User.objects.filter(email=email).first()
    if coach is None:
        coach = User.objects.create_superuser(email, password, first_name="Maya")
    mark_email_verified(coach)
    SiteSettings.load()
    return [f"Coach sign-in: {email} / {password} (unless you changed it)"]
