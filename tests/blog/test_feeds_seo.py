from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from content.blog.models import Post
from tests.blog.factories import CategoryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts():
    essays = CategoryFactory(slug="essays", name="Essays")
    return {
        "essay": PostFactory(category=essays, title="An essay", tags=[TagFactory(slug="money")]),
        "other": PostFactory(title="Another post"),
        "draft": PostFactory(status=Post.Status.DRAFT, publish_at=None, title="A draft"),
        "later": PostFactory(
            status=Post.Status.SCHEDULED,
            publish_at=timezone.now() + timedelta(hours=2),
            title="Not yet",
        ),
    }


@pytest.mark.parametrize(
    ("name", "version"), [("blog:feed", "rss20"), ("blog:feed_atom", "atom10")]
)
def test_feeds_are_valid_and_list_published_posts_only(client, posts, name, version):
    response = client.get(reverse(name))
    assert response["Cache-Control"] == "public, max-age=900"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == version
    assert {entry.title for entry in feed.entries} == {"An essay", "Another post"}
    entry = next(entry for entry in feed.entries if entry.title == "An essay")
    assert entry.link == f"http://testserver{posts['essay'].get_absolute_url()}"
    assert entry.summary == posts["essay"].excerpt
    assert [tag.term for tag in entry.tags] == ["Money"]


@pytest.mark.parametrize("name", ["blog:category_feed", "blog:category_feed_atom"])
def test_category_feeds_list_only_that_category(client, posts, name):
    feed = feedparser.parse(client.get(reverse(name, args=["essays"])).content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["An essay"]
    [self_link] = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == f"http://testserver{reverse(name, args=['essays'])}"
    assert client.get(reverse(name, args=["nope"])).status_code == 404


def test_sitemap_lists_published_posts_only(client, posts):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert posts["essay"].get_absolute_url() in body and posts["other"].get_absolute_url() in body
    assert posts["draft"].slug not in body and posts["later"].slug not in body
    assert "<lastmod>" in body


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_areas(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://coach.example.com/sitemap.xml" in body
    assert "Disallow: /coach/" in body and "Disallow: /admin/" in body


def test_pages_link_to_their_feeds(client, posts):
    page = client.get(reverse("blog:category", args=["essays"])).content.decode()
    assert (
        'type="application/rss+xml"' in page
        and reverse("blog:category_feed", args=["essays"]) in page
    )
