from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from coaching.emails import send_email


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is closed by default: the coach is created by command, clients by the site."""

    def is_open_for_signup(self, request):
        return settings.ACCOUNT_ALLOW_SIGNUPS

    def get_login_redirect_url(self, request):
        return reverse("coaching:after_login")

    def send_mail(self, template_prefix, email, context):
        """allauth's emails (sign-in code, password reset...) through the site's one helper, as
        every other email: branded, with an HTML part, recorded in the outbox.

        "account/email/login_code" is sent with the templates emails/account_login_code_*.
        """
        if not self.is_open_for_signup(self.request):
            context = {**context, "signup_url": ""}  # no link to a closed sign-up
        template = template_prefix.replace("/email/", "_")
        send_email(to=email, template=template, context={"email": email, **context})
