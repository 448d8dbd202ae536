import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from content.blog.models import Image, Post, Tag
from tests.blog.factories import CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def picture(width=2000, height=1000, name="cover.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGBA", (width, height), (200, 80, 120, 255)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_data(**overrides):
    data = {
        "title": "On listening",
        "slug": "on-listening",
        "excerpt": "Listening is a practice.",
        "body": "## Why\n\nBecause :heart:\n\n<script>alert(1)</script>",
        "tag_names": "Communication, support, communication",
        "cta_book": "on",
        "allow_comments": "on",
        "action": "draft",
    }
    return data | overrides


def test_the_coach_saves_a_draft_with_rendered_html_and_tags(coach_client, coach):
    response = coach_client.post(reverse("blog_coach:create"), form_data())
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/coach/blog/{post.pk}/"
    assert post.status == Post.Status.DRAFT and post.author == coach
    assert '<h2 id="why">Why</h2>' in post.body_html and "❤" in post.body_html
    assert "<script" not in post.body_html
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["communication", "support"]
    page = coach_client.get(response["Location"]).content.decode()
    assert "Draft saved." in page and 'value="Communication, support"' in page


def test_the_preview_button_shows_the_sanitised_post_without_saving(coach_client):
    response = coach_client.post(reverse("blog_coach:create"), form_data(action="preview"))
    page = response.content.decode()
    assert response.status_code == 200 and not Post.objects.exists()
    assert '<h2 id="why">Why</h2>' in page and "<script>alert(1)</script>" not in page
    assert "On listening" in page  # nothing lost


def test_the_live_preview_endpoint_returns_sanitised_html(coach_client):
    body = "**bold** [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    response = coach_client.post(reverse("blog_coach:preview"), {"body": body})
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "javascript:" not in html and "onerror" not in html


def test_publishing_now_makes_the_post_public_and_tells_other_apps_once(
    coach_client, client, django_capture_on_commit_callbacks
):
    from coaching.hooks import post_published

    announced = []
    with post_published.overridden(announced.append):
        with django_capture_on_commit_callbacks(execute=True):
            coach_client.post(reverse("blog_coach:create"), form_data(action="publish"))
        post = Post.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            edit = reverse("blog_coach:edit", args=[post.pk])
            coach_client.post(edit, form_data(action="publish"))
    assert announced == [post]
    assert post.is_public() and post.title in client.get("/blog/").content.decode()


def carried_cover(response) -> str:
    """The hidden input that carries the chosen cover to the next submit."""
    return re.search(r'name="cover" value="([^"]*)"', response.content.decode())[1]


def test_a_cover_is_resized_into_srcset_widths_and_needs_alt_text(coach_client, client):
    data = form_data(action="publish", cover_upload=picture())
    response = coach_client.post(reverse("blog_coach:create"), data)
    assert "Describe the cover picture" in response.content.decode()
    assert not Post.objects.exists()
    # The refused form kept the picture: she adds the description without choosing it again.
    data = form_data(action="publish", cover=carried_cover(response), cover_alt="A rose")
    coach_client.post(reverse("blog_coach:create"), data)
    post = Post.objects.get()
    assert [width for width, _, _ in post.cover_sizes] == [480, 960, 1600]
    assert [height for _, height, _ in post.cover_sizes] == [240, 480, 800]
    coach_client.logout()
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'srcset="/media/blog/covers/on-listening-480.jpg 480w' in page
    assert 'alt="A rose"' in page and 'property="og:image"' in page


def test_a_small_cover_is_not_enlarged(coach_client):
    data = form_data(cover_upload=picture(600, 400), cover_alt="Small")
    coach_client.post(reverse("blog_coach:create"), data)
    assert [size[0] for size in Post.objects.get().cover_sizes] == [480, 600]


def test_the_coach_uploads_a_picture_for_a_post_body(coach_client, media):
    data = {"picture": picture(3000, 1500, "big.png"), "alt": "Two chairs"}
    response = coach_client.post(reverse("blog_coach:images"), data, follow=True)
    image = Image.objects.get()
    assert (image.width, image.height) == (1200, 600)
    assert f"![Two chairs]({image.file.url})" in response.content.decode()


def test_a_file_that_is_not_a_picture_is_refused(coach_client):
    fake = SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png")
    response = coach_client.post(reverse("blog_coach:images"), {"picture": fake, "alt": "x"})
    assert "Upload a valid image" in response.content.decode()
    assert not Image.objects.exists()


def test_reserved_slugs_are_refused(coach_client):
    response = coach_client.post(reverse("blog_coach:create"), form_data(slug="feed"))
    assert "used by the blog itself" in response.content.decode()


def test_the_editor_lists_posts_with_their_status(coach_client):
    PostFactory(title="Live one")
    PostFactory(title="Draft one", status=Post.Status.DRAFT, publish_at=None)
    page = coach_client.get(reverse("blog_coach:index")).content.decode()
    assert "Live one" in page and "Draft one" in page and "Draft</span>" in page


def test_the_edit_form_keeps_the_category(coach_client):
    category = CategoryFactory(name="Essays")
    post = PostFactory(category=category)
    page = coach_client.get(reverse("blog_coach:edit", args=[post.pk])).content.decode()
    assert f'<option value="{category.pk}" selected>Essays</option>' in page


@pytest.mark.parametrize(
    "url",
    [
        reverse("blog_coach:index"),
        reverse("blog_coach:create"),
        reverse("blog_coach:edit", args=[1]),
        reverse("blog_coach:preview"),
        reverse("blog_coach:images"),
    ],
)
def test_the_editor_is_for_the_coach_only(client, client_user, url):
    PostFactory(pk=1)
    assert client.get(url).status_code == 302
    client.force_login(client_user)
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(action="publish", slug="x")).status_code == 404
    assert Post.objects.count() == 1


def test_the_coach_files_a_post_in_a_new_category(coach_client):
    coach_client.post(reverse("blog_coach:create"), form_data(new_category="Love letters"))
    post = Post.objects.select_related("category").get()
    assert (post.category.name, post.category.slug) == ("Love letters", "love-letters")


def test_the_coach_removes_a_cover(coach_client):
    data = form_data(cover_upload=picture(), cover_alt="A rose")
    coach_client.post(reverse("blog_coach:create"), data)
    post = Post.objects.get()
    page = coach_client.get(reverse("blog_coach:edit", args=[post.pk])).content.decode()
    assert "Remove the cover picture" in page
    coach_client.post(reverse("blog_coach:edit", args=[post.pk]), form_data(remove_cover="on"))
    post.refresh_from_db()
    assert post.cover_sizes == []


def test_a_blank_address_is_made_from_the_title(coach_client):
    coach_client.post(reverse("blog_coach:create"), form_data(slug="", title="Ça va? Love & money"))
    assert Post.objects.get().slug == "ca-va-love-money"


def test_the_preview_shows_the_address_made_from_the_title(coach_client):
    data = form_data(slug="", title="On listening", action="preview")
    page = coach_client.post(reverse("blog_coach:create"), data).content.decode()
    assert "This field is required" not in page
    assert 'name="slug" value="on-listening"' in page


def test_a_title_whose_address_is_taken_gets_the_next_free_one(coach_client):
    PostFactory(slug="on-listening")
    PostFactory(slug="on-listening-2")
    coach_client.post(reverse("blog_coach:create"), form_data(slug="on-listening"))
    coach_client.post(reverse("blog_coach:create"), form_data(slug=""))
    slugs = Post.objects.order_by("pk").values_list("slug", flat=True)
    assert list(slugs)[2:] == ["on-listening-3", "on-listening-4"]


def test_a_title_that_reads_like_a_blog_page_gets_a_free_address(coach_client):
    coach_client.post(reverse("blog_coach:create"), form_data(slug="", title="Feed"))
    assert Post.objects.get().slug == "feed-2"


def test_a_typed_address_that_is_taken_is_refused_with_a_free_one_named(coach_client):
    PostFactory(slug="listening")
    response = coach_client.post(reverse("blog_coach:create"), form_data(slug="listening"))
    page = response.content.decode()
    assert "Another post already uses /blog/listening/. Choose another such as" in page
    assert "on-listening" in page and Post.objects.count() == 1


def test_a_title_without_letters_needs_a_typed_address(coach_client):
    response = coach_client.post(reverse("blog_coach:create"), form_data(slug="", title="💛"))
    assert "Type an address for the post" in response.content.decode()
    assert not Post.objects.exists()


def test_editing_keeps_the_address_of_a_post(coach_client):
    post = PostFactory(title="On listening", slug="on-listening")
    PostFactory(slug="on-listening-2")
    coach_client.post(reverse("blog_coach:edit", args=[post.pk]), form_data())
    post.refresh_from_db()
    assert post.slug == "on-listening"


def test_a_preview_keeps_every_field_and_the_chosen_cover(coach_client):
    data = form_data(
        slug="", action="preview", cover_upload=picture(), cover_alt="A rose",
        seo_title="Listening", publish_at="2031-05-04T09:30", new_category="Essays",
    )  # fmt: skip
    response = coach_client.post(reverse("blog_coach:create"), data)
    page = response.content.decode()
    assert not Post.objects.exists()
    assert 'srcset="/media/blog/covers/on-listening-480.jpg 480w' in page
    for kept in ('value="Listening"', 'value="2031-05-04T09:30"', 'value="Essays"'):
        assert kept in page
    save = form_data(action="draft", cover=carried_cover(response), cover_alt="A rose")
    coach_client.post(reverse("blog_coach:create"), save)
    post = Post.objects.get()
    assert [width for width, _, _ in post.cover_sizes] == [480, 960, 1600]
    assert post.cover_sizes[0][2] == "blog/covers/on-listening-480.jpg"


def test_a_forged_cover_is_ignored(coach_client):
    coach_client.post(
        reverse("blog_coach:create"),
        form_data(cover='[[1, 1, "../../etc/passwd"]]', cover_alt="x"),
    )
    assert Post.objects.get().cover_sizes == []


def test_removing_the_cover_drops_a_carried_one(coach_client):
    response = coach_client.post(
        reverse("blog_coach:create"),
        form_data(action="preview", cover_upload=picture(), cover_alt="A rose"),
    )
    data = form_data(cover=carried_cover(response), remove_cover="on")
    coach_client.post(reverse("blog_coach:create"), data)
    assert Post.objects.get().cover_sizes == []
