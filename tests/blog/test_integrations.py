import pytest
from django.urls import reverse

from coaching.hooks import dashboard_panels, related_posts
from content.blog import integrations
from content.blog.models import Comment, Post
from tests.blog.factories import CommentFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_the_blog_registers_its_hooks():
    assert integrations.related_posts in related_posts
    assert integrations.dashboard_panel in dashboard_panels


def test_related_posts_gives_published_posts_with_any_tag_in_one_query(
    django_assert_num_queries,
):
    money, safety, other = (TagFactory(slug=slug) for slug in ("money", "safety", "other"))
    both = PostFactory(title="Both", tags=[money, safety])
    one = PostFactory(title="One", tags=[money])
    PostFactory(title="Other", tags=[other])
    PostFactory(title="Draft", tags=[money], status=Post.Status.DRAFT)
    with django_assert_num_queries(1):
        found = integrations.related_posts(["money", "safety"], 5)
    assert found == [("Both", both.get_absolute_url()), ("One", one.get_absolute_url())]
    assert integrations.related_posts(["money", "safety"], 1) == [("Both", both.get_absolute_url())]


def test_the_dashboard_shows_waiting_comments_and_upcoming_posts(
    coach_client, django_assert_max_num_queries
):
    CommentFactory.create_batch(3, status=Comment.Status.PENDING)
    PostFactory(title="Half written", status=Post.Status.DRAFT, publish_at=None)
    PostFactory.create_batch(8, status=Post.Status.DRAFT, publish_at=None)
    with django_assert_max_num_queries(2):
        panel = integrations.dashboard_panel(None)
    assert panel.context["waiting"] == 3 and len(panel.context["upcoming"]) == 5
    page = coach_client.get(reverse("coaching:dashboard")).content.decode()
    assert "3 comments waiting for moderation" in page


def test_the_demo_seeds_posts_with_the_intake_tags_once():
    from content.blog import demo

    demo.seed()
    demo.seed()
    assert Post.objects.count() == 6
    assert Post.objects.filter(status=Post.Status.SCHEDULED).count() == 1
    assert Comment.objects.waiting().count() == 1
    assert Comment.objects.exclude(reply="").count() == 1
    intake_tags = {
        "communication", "money", "intimacy-and-consent", "boundaries-and-independence",
        "decision-making", "emotional-connection", "support", "safety",
    }  # fmt: skip
    used = set(Post.objects.published().values_list("tags__slug", flat=True))
    assert used == intake_tags
    assert all(post.toc for post in Post.objects.filter(slug="four-kinds-of-power"))


def test_a_clients_comments_are_on_her_timeline_exported_and_erased(coaching_client):
    from clients.hooks import erasers, exporters, timeline

    person = coaching_client.people.get()
    mine = CommentFactory(email=person.email.upper(), body="My words")
    other = CommentFactory(email="someone@example.org")
    assert integrations.timeline in timeline
    assert integrations.exporter in exporters and integrations.eraser in erasers
    [entry] = integrations.timeline(coaching_client)
    assert entry.kind == "comment" and mine.post.title in entry.title
    [row] = integrations.exporter(coaching_client)["blog_comments"]
    assert row["text"] == "My words" and row["email"] == mine.email
    assert integrations.eraser(coaching_client) == {"blog comments": 1}
    assert list(Comment.objects.all()) == [other]
