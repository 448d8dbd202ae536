import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from content.blog.models import Comment, Post
from tests.blog.factories import CategoryFactory, CommentFactory, PostFactory, TagFactory
from tests.blog.xss_vectors import VECTORS

pytestmark = pytest.mark.django_db

# Site settings, then the page's own: count, categories, posts, tags (list); post, tags,
# related, comments (post page). Whatever the number of posts, tags and comments.
MAX_QUERIES = 6


def test_blog_lists_published_posts_newest_first_and_paginates(client):
    old = PostFactory(title="Older", publish_at=timezone.now() - timedelta(days=30))
    new = PostFactory(title="Newer", publish_at=timezone.now() - timedelta(days=1))
    PostFactory.create_batch(9, publish_at=timezone.now() - timedelta(days=60))
    page = client.get(reverse("blog:index")).content.decode()
    assert page.index(new.title) < page.index(old.title)
    assert "Page 1 of 2" in page
    assert client.get(reverse("blog:index") + "?page=2").status_code == 200


def test_drafts_and_scheduled_posts_are_404_for_the_public(client):
    draft = PostFactory(status=Post.Status.DRAFT, publish_at=None, title="Secret draft")
    later = PostFactory(status=Post.Status.SCHEDULED, publish_at=timezone.now() + timedelta(days=1))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(later.get_absolute_url()).status_code == 404
    assert "Secret draft" not in client.get(reverse("blog:index")).content.decode()


def test_the_coach_previews_drafts_and_scheduled_posts(coach_client):
    draft = PostFactory(status=Post.Status.DRAFT, publish_at=None)
    response = coach_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview: this post is draft" in page and 'content="noindex"' in page


def test_a_signed_in_client_cannot_preview_drafts(client, client_user):
    client.force_login(client_user)
    draft = PostFactory(status=Post.Status.DRAFT, publish_at=None)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_category_and_tag_pages_list_only_their_posts(client):
    money = TagFactory(slug="money")
    essays = CategoryFactory(slug="essays", name="Essays")
    tagged = PostFactory(tags=[money], title="About money")
    filed = PostFactory(category=essays, title="An essay")
    other = PostFactory(title="Something else")
    tag_page = client.get(reverse("blog:tag", args=["money"])).content.decode()
    category_page = client.get(reverse("blog:category", args=["essays"])).content.decode()
    assert tagged.title in tag_page and other.title not in tag_page
    assert filed.title in category_page and other.title not in category_page
    assert client.get(reverse("blog:tag", args=["nope"])).status_code == 404


def test_post_page_shows_reading_time_share_links_author_and_related_posts(client):
    tag = TagFactory(slug="communication")
    post = PostFactory(tags=[tag], body="## One\n\n## Two\n\n## Three\n\n" + "word " * 500)
    related = PostFactory(tags=[tag], title="A related post")
    unrelated = PostFactory(title="Nothing in common")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "3 min read" in page
    assert "In this post" in page and 'href="#two"' in page  # table of contents
    assert related.title in page and unrelated.title not in page
    assert "https://www.facebook.com/sharer/sharer.php?u=" in page
    assert "About Dr. Maya Ellison" in page
    own_scripts = {"/static/js/zone.js", "/static/js/site.js"}  # and nothing from elsewhere
    assert set(re.findall(r'<script src="([^"]+)"', page)) == own_scripts


@pytest.mark.parametrize(
    ("flags", "expected", "absent"),
    [
        ({"cta_book": True}, reverse("bookings:index"), reverse("intake:index")),
        ({"cta_book": False, "cta_assessment": True}, reverse("intake:index"), '/book/"'),
        ({"cta_book": False, "cta_newsletter": True}, "Get the next post by email", '/book/"'),
    ],
)
def test_post_page_shows_the_calls_to_action_the_coach_chose(client, flags, expected, absent):
    post = PostFactory(**flags)
    article = client.get(post.get_absolute_url()).content.decode().split("<article")[1]
    article = article.split("</article>")[0]
    assert expected in article and absent not in article


def test_post_page_has_canonical_open_graph_twitter_and_escaped_json_ld(client):
    post = PostFactory(title="</script><script>alert(1)</script>", excerpt="Fine & well")
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="https://coach.example.com/blog/{post.slug}/">' in page
    assert '<meta property="og:title" content="&lt;/script&gt;' in page
    assert '<meta name="twitter:card" content="summary">' in page
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert "</script><script>" not in ld.group(1)
    data = json.loads(ld.group(1))
    assert data["@type"] == "BlogPosting" and data["headline"] == post.title


@pytest.mark.parametrize("vector", VECTORS)
def test_no_vector_in_a_post_or_comment_is_active_on_the_page(client, vector):
    from tests.blog.test_rendering import assert_inert

    post = PostFactory(body=vector)
    CommentFactory(post=post, body=vector)
    page = client.get(post.get_absolute_url()).content.decode()
    body = page.split('<div class="prose post-body">')[1].split('<section class="share"')[0]
    comments = page.split('<ol class="comment-list">')[1].split("</ol>")[0]
    assert_inert(body)
    assert_inert(comments)


def test_only_approved_comments_are_shown_and_never_an_email(client):
    post = PostFactory()
    CommentFactory(post=post, body="Approved words", email="visible@example.org")
    CommentFactory(post=post, body="Pending words", status=Comment.Status.PENDING)
    CommentFactory(post=post, body="Spam words", status=Comment.Status.SPAM)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Approved words" in page and "Pending words" not in page and "Spam words" not in page
    assert "visible@example.org" not in page


def test_list_and_post_pages_use_a_fixed_number_of_queries(
    client, busy_blog, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(reverse("blog:index")).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(busy_blog[0].get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(reverse("blog:tag", args=["money"])).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(reverse("home")).status_code == 200


def test_a_cached_page_costs_no_query_and_needs_no_nonce(client, django_assert_num_queries):
    post = PostFactory()
    first = client.get(post.get_absolute_url())
    client.cookies.clear()
    with django_assert_num_queries(0):
        second = client.get(post.get_absolute_url())
    for response in (first, second):
        assert "nonce" not in response.content.decode()
        assert "nonce-" not in response["Content-Security-Policy"]
    assert "__blog" not in second.content.decode()


def test_the_coach_and_people_with_messages_always_get_a_fresh_page(coach_client, client):
    post = PostFactory()
    client.get(post.get_absolute_url())  # cached for the public
    response = coach_client.get(post.get_absolute_url())
    assert "Coach area" in response.content.decode()


def test_pages_answer_conditional_requests(client):
    post = PostFactory()
    client.get(post.get_absolute_url())  # sets the CSRF cookie, part of the ETag
    response = client.get(post.get_absolute_url())
    assert response["ETag"] and response["Last-Modified"]
    assert response["Cache-Control"] == "private, no-cache"
    again = client.get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    client.cookies["messages"] = "something to show"
    fresh = client.get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert fresh.status_code == 200


def test_a_change_shows_at_once_despite_the_cache(client, coach):
    from content.blog import services

    post = PostFactory()
    comment = CommentFactory(post=post, status=Comment.Status.PENDING, body="Late words")
    assert "Late words" not in client.get(post.get_absolute_url()).content.decode()
    services.comment_moderate(comment=comment, status=Comment.Status.APPROVED)
    assert "Late words" in client.get(post.get_absolute_url()).content.decode()


def test_home_page_shows_the_three_latest_posts(client):
    posts = [PostFactory(publish_at=timezone.now() - timedelta(days=n)) for n in range(4)]
    page = client.get(reverse("home")).content.decode()
    assert all(post.title in page for post in posts[:3]) and posts[3].title not in page


@pytest.mark.parametrize("path", ["/blog/", "/blog/post-first/", "/blog/tag/communication/", "/"])
def test_query_count_does_not_grow_with_posts_tags_and_comments(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from content.blog import pagecache
    from tests.blog.factories import TagFactory

    tag = TagFactory(slug="communication")
    first = PostFactory(slug="post-first", tags=[tag])
    client.get(path)  # site settings created, as on a running site

    def queries() -> int:
        pagecache.bump()  # a fresh render, not the cached page
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    few = queries()
    tags = [TagFactory() for _ in range(6)]
    for _ in range(20):
        PostFactory(tags=[tag, *tags])
    CommentFactory.create_batch(20, post=first)
    first.tags.add(*tags)
    assert queries() == few
