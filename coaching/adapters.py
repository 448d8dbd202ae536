from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is closed by default: the coach is created by command, clients by the site."""

    def is_open_for_signup(self, request):
        return settings.ACCOUNT_ALLOW_SIGNUPS

    def get_login_redirect_url(self, request):
        return reverse("coaching:after_login")
