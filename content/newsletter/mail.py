"""Campaign messages: rendered once per campaign, personalised per recipient (merge tags too).

Campaign mail is bulk mail: its own From address, `List-Id`, and RFC 8058 one-click
unsubscribe headers with a token signed for this recipient and this campaign. Transactional
mail (confirmation, welcome) goes through `coaching.emails.send_email` and has none of these.
"""

import base64
import copy
import html
import uuid
from collections.abc import Mapping
from email.header import Header
from email.utils import formatdate
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail.message import sanitize_address
from django.urls import reverse

from coaching.emails import absolute_url, mime_message, render_email
from coaching.markup import markdown_to_html
from coaching.models import SiteSettings
from coaching.tokens import make_token
from content.newsletter import merge
from content.newsletter.models import Campaign

# Stand-ins replaced per recipient: rendering (and CSS inlining) happens once per campaign.
UNSUBSCRIBE_MARK = "NLUNSUBSCRIBEURLMARK"
PREFERENCES_MARK = "NLPREFERENCESURLMARK"


def mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def list_id() -> str:
    return f"<newsletter.{mail_domain()}>"


class CampaignMail:
    """Builds each recipient's message from one rendering of the campaign.

    The campaign is rendered (Markdown, sanitising, template, CSS inlining) once, with
    stand-ins for its merge tags and links; each rendered part is cut once at them
    (`merge.Slots`), so a recipient's message costs one join per part.
    `message()` gives the message from the one MIME builder, `coaching.emails.mime_message`
    (any email backend, the test send); `wire()` gives the same message as bytes for an SMTP
    connection, built with string operations and C base64, because Django's email classes cost
    more per message than the SMTP exchange itself (bench/RESULTS.md, "build one message").
    """

    def __init__(self, campaign: Campaign, *, test: bool = False):
        self.campaign = campaign
        self.tags: dict[str, merge.Tag] = {}  # stand-in → the merge tag it holds the place of
        marked = copy.copy(campaign)
        for field in Campaign.MERGE_FIELDS:
            setattr(marked, field, merge.substitute(getattr(campaign, field), self._stand_in))
        rendered = render_email(
            "newsletter_campaign",
            {
                "campaign": marked,
                "body_html": markdown_to_html(marked.body_markdown),
                "unsubscribe_url": UNSUBSCRIBE_MARK,
                "preferences_url": PREFERENCES_MARK,
            },
        )
        stand_ins = [UNSUBSCRIBE_MARK, PREFERENCES_MARK, *self.tags]
        self.subject = merge.Slots(("[Test] " if test else "") + rendered.subject, stand_ins)
        self.text = merge.Slots(rendered.text, stand_ins)
        self.html = merge.Slots(rendered.html, stand_ins)
        self.domain = mail_domain()
        site_name = SiteSettings.load().site_name.replace('"', "")
        self.fixed_headers = {
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f'"{site_name} newsletter" {list_id()}',
            "Precedence": "bulk",
        }
        self.mailto = f"mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILTO}?subject=unsubscribe"
        # reverse() once: per message only the signed tokens change.
        self.unsubscribe_base = absolute_url(reverse("newsletter:unsubscribe", args=["T"]))[:-2]
        self.preferences_base = absolute_url(reverse("newsletter:preferences", args=["T"]))[:-2]

    def _stand_in(self, tag: merge.Tag) -> str:
        stand_in = f"NLMERGE{len(self.tags)}TAGMARK"  # letters only: Markdown leaves it alone
        self.tags[stand_in] = tag
        return stand_in

    def personal(self, delivery_id: int, subscriber_id: int, values: Mapping[str, str]):
        """Headers, subject, text and HTML of one recipient's message."""
        target = [subscriber_id, self.campaign.pk]
        unsubscribe = f"{self.unsubscribe_base}{make_token('unsubscribe', target)}/"
        preferences = f"{self.preferences_base}{make_token('preferences', subscriber_id)}/"
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>, <{self.mailto}>",
            **self.fixed_headers,
            "Message-ID": f"<newsletter.{self.campaign.pk}.{delivery_id}@{self.domain}>",
        }
        plain = {UNSUBSCRIBE_MARK: unsubscribe, PREFERENCES_MARK: preferences}
        escaped = plain.copy()
        for stand_in, tag in self.tags.items():
            plain[stand_in] = tag.value(values)
            escaped[stand_in] = html.escape(plain[stand_in])
        subject, text = self.subject.fill(plain), self.text.fill(plain)
        return headers, subject, text, self.html.fill(escaped)

    def message(
        self, *, delivery_id: int, subscriber_id: int, email: str, values=None, connection=None
    ):
        headers, subject, text, body_html = self.personal(delivery_id, subscriber_id, values or {})
        message = mime_message(
            to=email,
            subject=subject,
            text=text,
            html=body_html,
            from_email=settings.NEWSLETTER_FROM_EMAIL,
            headers=headers,
            connection=connection,
        )
        # Read by anymail providers and echoed in their webhooks: which delivery bounced.
        message.metadata = {"delivery": str(delivery_id)}
        return message

    def wire(self, *, delivery_id: int, subscriber_id: int, email: str, values=None) -> bytes:
        """The message as sent over SMTP: the same headers and parts as `message()`."""
        headers, subject, text, body_html = self.personal(delivery_id, subscriber_id, values or {})
        boundary = f"=_newsletter_{self.campaign.pk}_{delivery_id}_{uuid.uuid4().hex}"
        unsubscribe = headers.pop("List-Unsubscribe").replace(", ", ",\r\n ")
        lines = [
            f"From: {self.from_header}",
            f"To: {email if email.isascii() else sanitize_address(email, 'utf-8')}",
            f"Subject: {_encoded_header(subject)}",
            f"Date: {formatdate(usegmt=True)}",
            "MIME-Version: 1.0",
            f"List-Unsubscribe: {unsubscribe}",
            *(f"{name}: {value}" for name, value in headers.items()),
            f'Content-Type: multipart/alternative; boundary="{boundary}"',
            "",
            _part(boundary, "plain", text) + _part(boundary, "html", body_html) + f"--{boundary}--",
            "",
        ]
        return "\r\n".join(lines).encode()

    @cached_property
    def from_header(self) -> str:
        return sanitize_address(settings.NEWSLETTER_FROM_EMAIL, "utf-8")


@lru_cache(maxsize=4096)  # first names repeat: most subjects are encoded once
def _encoded_header(value: str) -> str:
    return Header(value, "utf-8", maxlinelen=998).encode()


def _part(boundary: str, subtype: str, body: str) -> str:
    encoded = base64.encodebytes(body.encode()).decode().replace("\n", "\r\n")
    return (
        f'--{boundary}\r\nContent-Type: text/{subtype}; charset="utf-8"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{encoded}"
    )
