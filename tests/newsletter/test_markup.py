"""A campaign's Markdown goes through the blog's sanitiser: the same XSS corpus stays inert."""

import pytest

from coaching.markup import markdown_to_html
from content.newsletter.mail import CampaignMail
from tests.blog.test_rendering import ALLOWED_SCHEMES, Elements, assert_inert, scheme
from tests.blog.xss_vectors import VECTORS
from tests.newsletter.factories import CampaignFactory

# The email's own layout has <head>, <meta> and inline styles: these are what a vector adds.
ACTIVE_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "form", "input", "base",
               "link", "frame", "template"}  # fmt: skip


@pytest.mark.parametrize("vector", VECTORS)
def test_no_vector_survives_campaign_markdown(vector):
    assert_inert(markdown_to_html(vector))


@pytest.mark.django_db
def test_no_vector_reaches_the_email(topics):
    campaign = CampaignFactory(body_markdown="\n\n".join(VECTORS), topics=[topics["news"]])
    message = CampaignMail(campaign).message(delivery_id=1, subscriber_id=1, email="a@x.org")
    for tag, attrs in Elements(message.alternatives[0][0]).found:
        assert tag not in ACTIVE_TAGS
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert scheme(attrs.get("href") or attrs.get("src") or "") in ALLOWED_SCHEMES


def test_campaigns_and_posts_share_one_dialect():
    html = markdown_to_html("# Title\n\n~~old~~ ==new== :heart: https://example.org")
    assert "<h2>Title</h2>" in html and "<del>old</del>" in html and "<mark>new</mark>" in html
    assert "❤" in html and 'href="https://example.org"' in html
