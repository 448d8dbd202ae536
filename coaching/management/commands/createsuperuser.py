from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser


class Command(createsuperuser.Command):
    """Django's command, plus a verified email address so the coach can sign in at once."""

    def handle(self, *args, **options):
        super().handle(*args, **options)
        user = get_user_model().objects.order_by("-date_joined").filter(is_superuser=True).first()
        if user:
            mark_email_verified(user)


def mark_email_verified(user) -> None:
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
