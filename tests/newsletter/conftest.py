import contextlib
import threading
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from coaching.tokens import read_token
from content.newsletter.models import Topic
from tests.conftest import free_port


def ensure_topics() -> dict[str, Topic]:
    """The four topics of the data migration (recreated after a transactional test's flush)."""
    for position, slug in enumerate(["news", "book-releases", "love-letters", "new-posts"]):
        name = slug.replace("-", " ").capitalize()
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    return {topic.slug: topic for topic in Topic.objects.all()}


@pytest.fixture
def topics(db):
    return ensure_topics()


@pytest.fixture
def unlimited_rate(settings):
    settings.NEWSLETTER_RATE_PER_SECOND = 0


def token_from(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def link_in(body: str, marker: str) -> str:
    """The first absolute link in an email body that contains `marker`."""
    for word in body.split():
        if marker in word and word.startswith("http"):
            return word
    raise AssertionError(f"no link with {marker!r} in the email")


def unsubscribe_target(message) -> tuple[int, int]:
    """(subscriber id, campaign id) that a message's List-Unsubscribe token decodes to."""
    url = message.extra_headers["List-Unsubscribe"].split(">")[0].lstrip("<")
    return tuple(read_token("unsubscribe", token_from(url)))


class FlakySinkHandler:
    """An SMTP server that can refuse recipients (5xx) or defer messages (4xx) on demand."""

    def __init__(self):
        self.messages = []
        self.refuse = set()  # addresses answered 550 at RCPT
        self.defer_next = 0  # this many DATA commands answered 451
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.defer_next:
                self.defer_next -= 1
                return "451 4.3.0 Try again later"
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def flaky_sink(settings):
    """A real SMTP server that Django's SMTP backend sends to for this test."""
    handler = FlakySinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.controller = controller

    def restart():
        handler.controller = Controller(handler, hostname="127.0.0.1", port=controller.port)
        handler.controller.start()

    handler.restart = restart
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    with contextlib.suppress(RuntimeError, AssertionError):
        handler.controller.stop()


@pytest.fixture
def start_quietly(django_capture_on_commit_callbacks):
    """Start a campaign without running its batches, so the test drives them one by one."""
    from content.newsletter.campaigns import campaign_start

    def start(campaign):
        with django_capture_on_commit_callbacks(execute=False):
            return campaign_start(campaign=campaign)

    return start
