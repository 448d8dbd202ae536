"""The blog in Chromium: a reader on a phone reads a post, books the free call, comments."""

import pytest
from playwright.sync_api import expect

from coaching.models import SiteSettings
from content.blog import demo
from content.blog.models import Comment, Post
from tests.blog.factories import CommentFactory, PostFactory
from tests.e2e.accessibility import serious_violations

pytestmark = pytest.mark.e2e


def test_a_reader_on_a_phone_reads_a_post_and_follows_its_call_to_action(phone_page):
    demo.seed()
    phone_page.goto("/blog/")
    phone_page.get_by_role("link", name="The four kinds of power in a relationship").click()
    heading = phone_page.get_by_role("heading", level=1)
    assert heading.inner_text() == "The four kinds of power in a relationship"
    phone_page.get_by_role("navigation", name="In this post").get_by_role(
        "link", name="Financial power"
    ).click()
    assert phone_page.url.endswith("#financial-power")
    expect(phone_page.get_by_text("Thank you for sharing this, Juniper")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing overflows the phone's screen
    article = phone_page.locator("article")
    article.get_by_role("link", name="Book a free 45-minute call").click()
    phone_page.wait_for_url("**/book/")


@pytest.mark.parametrize("path", ["/blog/", "/blog/four-kinds-of-power/"])
def test_blog_pages_have_no_serious_accessibility_violations(phone_page, path):
    demo.seed()
    phone_page.goto(path)
    assert serious_violations(phone_page) == []


def test_the_comment_confirmation_shows_where_the_reader_is(page):
    demo.seed()
    post = Post.objects.get(slug="deciding-together")
    CommentFactory.create_batch(6, post=post, body="A long thought. " * 40)
    page.goto(f"/blog/{post.slug}/")
    form = page.get_by_role("form", name="Leave a comment")
    form.get_by_label("Name", exact=True).fill("Ash")
    form.get_by_label("Email").fill("ash@example.org")
    form.get_by_label("Your comment").fill("We will try the three kinds of decisions.")
    with page.expect_navigation():
        form.get_by_role("button", name="Send my comment").click()
    thanks = page.get_by_text("Thank you. Your comment will appear once it is approved.")
    expect(thanks).to_have_count(1)  # beside the form only, not at the top as well
    expect(thanks).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0  # the page did not open at its top
    assert Comment.objects.filter(name="Ash", status=Comment.Status.PENDING).exists()


def test_a_cached_post_wears_the_coachs_colour_and_runs_its_script_without_a_nonce(page):
    SiteSettings.objects.update_or_create(pk=1, defaults={"brand_colour": "#225566"})
    post = PostFactory(title="Money without keeping score")
    refused = []  # Chromium reports what the Content-Security-Policy blocks on the console
    page.on("console", lambda message: refused.append(message.text))
    for _ in range(2):  # the second visit is served from the page cache
        page.goto(post.get_absolute_url())
    brand = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--brand')")
    assert brand.strip() == "#225566"
    assert "tz=" in page.evaluate("document.cookie")  # site.js ran
    assert [text for text in refused if "Content Security Policy" in text] == []
    width = page.viewport_size["width"]
    page.screenshot(path=f"/tmp/shots/docs/cached-post-{width}.png", full_page=True)
