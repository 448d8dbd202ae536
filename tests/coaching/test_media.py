"""Uploaded pictures of public pages are public; nothing else under MEDIA_ROOT is served.

The test settings run with DEBUG off, as production does."""

import io

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def put(media, name: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "plum").save(buffer, "PNG" if name.endswith(".png") else "JPEG")
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("blog/covers/on-listening-480.jpg", "image/jpeg"),
        ("blog/images/3f2a9c.jpg", "image/jpeg"),
        ("site/maya.png", "image/png"),
    ],
)
def test_public_pictures_are_served_to_visitors_who_are_not_signed_in(
    client, media, name, content_type
):
    content = put(media, name)
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert b"".join(response.streaming_content) == content
    assert "public" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "url",
    [
        "/media/exports/client-1.jpg",  # outside the public folders
        "/media/blog/../exports/client-1.jpg",
        "/media/blog/%2e%2e/exports/client-1.jpg",
        "/media/blog/page.html",  # not a picture
        "/media/blog/covers/a.jpg.gz",
        "/media/blog/covers/",
        "/media/blog/covers/missing.jpg",
    ],
)
def test_nothing_else_under_media_root_is_served(client, media, url):
    put(media, "exports/client-1.jpg")
    put(media, "blog/covers/a.jpg")
    (media / "blog" / "page.html").write_text("<script>alert(1)</script>")
    (media / "blog" / "covers" / "a.jpg.gz").write_bytes(b"x")
    assert client.get(url).status_code == 404


def test_pictures_cannot_be_changed_through_their_url(client, media):
    put(media, "site/maya.png")
    assert client.post("/media/site/maya.png").status_code == 405


def test_the_favicon_answers_at_the_site_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.ico"
    assert Image.open(finders.find("favicon.ico")).format == "ICO"


def test_every_page_names_its_icon(client):
    page = client.get("/privacy/").content.decode()
    assert 'rel="icon" href="/static/favicon.ico"' in page
    assert 'rel="icon" href="/static/img/favicon.svg" type="image/svg+xml"' in page
