"""The project's URL patterns, walked once for the tests that visit every route.

Routes are classified by RULES (first match wins); the public routes are listed in
PUBLIC_ROUTES, where a new public page is added. Used by the authorisation walk
(tests/clients/test_url_walk.py) and the security gates (tests/security/).
"""

import re
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver

PUBLIC_ROUTES = {
    "home",
    "privacy",
    "terms",
    "not_therapy",
    "safety",
    "healthz",
    "brand_css",
    "sitemap",
    "robots_txt",
    "favicon",
    "media",  # the pictures of public pages only (coaching.views.PUBLIC_MEDIA_FOLDERS)
    "clients:sign_in",
    "intake:index",
    "bookings:index",
    "blog:index",
    "newsletter:index",
}
RULES = [
    (re.compile(r"^coach/"), "coach"),
    # Anonymous prospects take the assessment; their session and signed links guard it.
    (re.compile(r"^assessment/"), "public"),
    # Prospects book without an account; manage links and the coach's feed carry signed tokens.
    (re.compile(r"^book/"), "public"),
    (re.compile(r"^blog/"), "public"),
    # Visitors pay without an account: signed links; Stripe's webhook is signed by Stripe.
    (re.compile(r"^pay/"), "public"),
    # Subscribers manage everything through signed links, without an account.
    (re.compile(r"^newsletter/"), "public"),
    # A person without an account signs the coaching agreement by a signed link.
    (re.compile(r"^agreement/"), "public"),
    (re.compile(r"^admin/"), "admin"),
    (re.compile(r"^accounts/"), "allauth"),
    (re.compile(r"^account/"), "client"),
]


@dataclass
class Route:
    route: str
    name: str
    kwargs: list[tuple[str, str]]  # (name, converter)

    @property
    def category(self) -> str:
        if self.name in PUBLIC_ROUTES:
            return "public"
        return next((kind for pattern, kind in RULES if pattern.match(self.route)), "unlisted")


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        else:
            converters = getattr(pattern.pattern, "converters", {})
            kwargs = [
                (k, type(c).__name__.removesuffix("Converter").lower())
                for k, c in converters.items()
            ]
            regex_groups = re.findall(r"\(\?P<(\w+)>", str(pattern.pattern))
            kwargs += [(k, "str") for k in regex_groups if k not in dict(kwargs)]
            name = ":".join(filter(None, [namespace, pattern.name or ""]))
            yield Route(prefix + str(pattern.pattern), name, kwargs)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))
