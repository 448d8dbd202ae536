from django.conf import settings

from coaching.models import SiteSettings


def site(request):
    """The coach's branding and profile on every page."""
    return {"site": SiteSettings.load(), "coach_time_zone": settings.COACH_TIME_ZONE}
