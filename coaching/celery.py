"""The Celery app: settings come from Django's (CELERY_ namespace); beat sweeps due rows.

Scheduled work lives in the database; beat only starts small sweepers that claim due rows, so a
lost or repeated beat tick delays work by one interval and never sends anything twice.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coaching.settings")

app = Celery("coaching")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every interval is in UTC seconds; nothing depends on local time.
app.conf.beat_schedule = {
    "requeue-stalled-emails": {"task": "coaching.tasks.requeue_stalled_emails", "schedule": 60.0},
    "check-email-delivery": {"task": "coaching.tasks.check_email_delivery", "schedule": 60.0},
    "intake-unnotified-flags": {
        "task": "clients.intake.tasks.sweep_unnotified_flags",
        "schedule": 60.0,
    },
    "checkins-sweep": {"task": "clients.checkins.tasks.sweep_checkins", "schedule": 60.0},
    "flag-alumni-for-review": {"task": "clients.tasks.flag_alumni_for_review", "schedule": 86400.0},
    "homework-sweep-reminders": {
        "task": "clients.homework.tasks.sweep_reminders",
        "schedule": 60.0,
    },
    "bookings-sweep-reminders": {"task": "bookings.tasks.sweep_reminders", "schedule": 60.0},
    "bookings-expire-holds": {"task": "bookings.tasks.expire_holds", "schedule": 60.0},
    "bookings-sweep-video-rooms": {"task": "bookings.tasks.sweep_video_rooms", "schedule": 60.0},
    "bookings-read-busy-calendars": {
        "task": "bookings.tasks.read_busy_calendars",
        "schedule": 300.0,
    },
    "publish-due-posts": {"task": "content.blog.tasks.publish_due_posts", "schedule": 30.0},
    "newsletter-sweep": {"task": "content.newsletter.tasks.sweep", "schedule": 30.0},
    "newsletter-sequences": {"task": "content.newsletter.tasks.sweep_sequences", "schedule": 30.0},
    "newsletter-prune": {"task": "content.newsletter.tasks.prune_unconfirmed", "schedule": 3600.0},
}
