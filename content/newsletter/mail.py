"""Campaign messages: rendered once per campaign, personalised per recipient.

Campaign mail is bulk mail: its own From address, `List-Id`, and RFC 8058 one-click
unsubscribe headers with a token signed for this recipient and this campaign. Transactional
mail (confirmation, welcome) goes through `coaching.emails.send_email` and has none of these.
"""

from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from coaching.emails import absolute_url, render_email
from coaching.models import SiteSettings
from content.newsletter.models import Campaign
from content.newsletter.services import preferences_url, unsubscribe_path

# Stand-ins replaced per recipient: rendering (and CSS inlining) happens once per campaign.
UNSUBSCRIBE_MARK = "NLUNSUBSCRIBEURLMARK"
PREFERENCES_MARK = "NLPREFERENCESURLMARK"

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "a", "ul", "ol", "li",
    "blockquote", "img", "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}}


def markdown_to_html(text: str) -> str:
    """Markdown, then an allow-list: Markdown alone lets most XSS vectors through."""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def list_id() -> str:
    return f"<newsletter.{mail_domain()}>"


class CampaignMail:
    """Builds each recipient's message from one rendering of the campaign."""

    def __init__(self, campaign: Campaign, *, test: bool = False):
        self.campaign = campaign
        self.rendered = render_email(
            "newsletter_campaign",
            {
                "campaign": campaign,
                "body_html": markdown_to_html(campaign.body_markdown),
                "unsubscribe_url": UNSUBSCRIBE_MARK,
                "preferences_url": PREFERENCES_MARK,
            },
        )
        self.subject = ("[Test] " if test else "") + self.rendered.subject
        self.domain = mail_domain()
        self.site_name = SiteSettings.load().site_name

    def message(self, *, delivery_id: int, subscriber_id: int, email: str, connection=None):
        unsubscribe = absolute_url(unsubscribe_path(subscriber_id, self.campaign.pk))
        preferences = preferences_url(subscriber_id)
        text = self.rendered.text.replace(UNSUBSCRIBE_MARK, unsubscribe)
        html = self.rendered.html.replace(UNSUBSCRIBE_MARK, unsubscribe)
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=text.replace(PREFERENCES_MARK, preferences),
            from_email=settings.NEWSLETTER_FROM_EMAIL,
            to=[email],
            connection=connection,
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>, <mailto:{self.mailto()}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": f'"{self.rendered_site_name()} newsletter" {list_id()}',
                "Message-ID": f"<newsletter.{self.campaign.pk}.{delivery_id}@{self.domain}>",
                "Precedence": "bulk",
            },
        )
        message.attach_alternative(html.replace(PREFERENCES_MARK, preferences), "text/html")
        return message

    def mailto(self) -> str:
        return f"{settings.NEWSLETTER_UNSUBSCRIBE_MAILTO}?subject=unsubscribe"

    def rendered_site_name(self) -> str:
        return self.site_name.replace('"', "")
