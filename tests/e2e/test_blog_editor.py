"""The coach's blog editor in Chromium: live preview, the address from the title, the cover kept
across a preview."""

import io

import pytest
from PIL import Image as PILImage
from playwright.sync_api import expect

from content.blog.models import Post
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import PASSWORD
from tests.factories import CoachFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def editor(page, settings, tmp_path):
    """The editor of a new post, the coach signed in from a fresh browser."""
    settings.MEDIA_ROOT = tmp_path
    coach = CoachFactory(email="maya@example.org")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(coach.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/coach/")
    page.goto("/coach/blog/new/")
    return page


def png(width=1800, height=900) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 80, 120)).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_coach_sees_a_live_preview_while_writing(editor):
    editor.get_by_label("Body").fill("## Listening first\n\n<script>window.hacked=1</script>")
    preview = editor.locator("[data-preview-target]")
    preview.get_by_role("heading", name="Listening first").wait_for()
    assert editor.evaluate("window.hacked") is None
    assert serious_violations(editor) == []


def test_a_new_post_keeps_its_address_and_cover_across_a_preview(editor):
    editor.get_by_label("Title", exact=True).fill("Listening, when it’s hard")
    expect(editor.get_by_label("Address")).to_have_value("listening-when-its-hard")
    editor.get_by_label("Excerpt").fill("How to listen when it is hard.")
    editor.get_by_label("Body").fill("## First\n\nBreathe.")
    cover = {"name": "rose.png", "mimeType": "image/png", "buffer": png()}
    editor.get_by_label("Cover picture", exact=True).set_input_files(cover)
    editor.get_by_label("Cover description (alt text)").fill("A rose")
    with editor.expect_navigation():
        editor.get_by_role("button", name="Preview").click()
    expect(editor.locator(".editor-cover img")).to_have_attribute("alt", "A rose")
    expect(editor.get_by_label("Address")).to_have_value("listening-when-its-hard")
    expect(editor.get_by_label("Title", exact=True)).to_have_value("Listening, when it’s hard")
    with editor.expect_navigation():
        editor.get_by_role("button", name="Save draft").click()
    expect(editor.get_by_text("Draft saved.")).to_be_visible()
    post = Post.objects.get()
    assert post.slug == "listening-when-its-hard" and post.cover_alt == "A rose"
    assert [width for width, _, _ in post.cover_sizes] == [480, 960, 1600]
