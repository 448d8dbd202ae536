"""Uploaded pictures in Chromium: a visitor who is not signed in sees a post's cover, the
picture in its body and the coach's photo.

The site runs in gunicorn with production settings: Django's live test server would serve
MEDIA_ROOT itself, whatever the site does."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from coaching.models import SiteSettings
from content.blog.images import body_image, cover_sizes
from tests.blog.factories import PostFactory
from tests.conftest import PHONE, database_url_for_tests
from tests.servers import gunicorn

pytestmark = pytest.mark.e2e


@pytest.fixture
def production_site(transactional_db, settings, tmp_path, monkeypatch):
    """The site's URL in gunicorn, with uploads under a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))
    with gunicorn(database_url_for_tests()) as port:
        yield f"http://127.0.0.1:{port}"


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (138, 63, 95)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(width: int, height: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("picture.png", png(width, height), content_type="image/png")


@pytest.fixture
def post_with_pictures(production_site):
    """A post as the editor saves it: a resized cover and a resized picture in its body."""
    SiteSettings.load().coach_photo.save("maya.png", ContentFile(png(200, 200)))
    _, _, name = body_image(upload(1600, 900))
    return PostFactory(
        cover_sizes=cover_sizes(upload(2000, 1000), "on-listening"),
        cover_alt="A rose on a table",
        body=f"Some words.\n\n![Two chairs facing each other]({default_storage.url(name)})",
    )


def natural_width(page, image) -> int:
    image.scroll_into_view_if_needed()  # lazy pictures load once they are in view
    page.wait_for_function("image => image.complete", arg=image.element_handle())
    return image.evaluate("image => image.naturalWidth")


def test_a_visitor_who_is_not_signed_in_sees_every_picture_of_a_post(
    browser, production_site, post_with_pictures
):
    context = browser.new_context(base_url=production_site, **PHONE)
    page = context.new_page()
    page.goto(post_with_pictures.get_absolute_url())
    pictures = [
        page.get_by_role("img", name="A rose on a table"),
        page.get_by_role("img", name="Two chairs facing each other"),
        page.locator(".author-photo"),
    ]
    assert [natural_width(page, picture) > 0 for picture in pictures] == [True, True, True]
    context.close()


def test_the_favicon_loads_from_the_site_root(page):
    response = page.request.get("/favicon.ico")
    assert response.ok and response.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file
