import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coaching.models import OutboundEmail
from content.blog.models import Comment
from tests.blog.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def comment_data(**overrides):
    return {"name": "Rowan", "email": "rowan@example.org", "body": "This helped us."} | overrides


def post_comment(client, post, ip="10.0.0.1", **overrides):
    url = reverse("blog:comment", args=[post.slug])
    return client.post(url, comment_data(**overrides), REMOTE_ADDR=ip)


def test_a_comment_waits_for_moderation_and_the_coach_is_told(
    client, django_capture_on_commit_callbacks
):
    post = PostFactory(title="On money")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(client, post)
    assert response.status_code == 302 and response["Location"].endswith("#comment-form")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING and comment.ip == "10.0.0.1"
    page = client.get(response["Location"]).content.decode()
    assert page.count("will appear once it is approved") == 1 and "This helped us." not in page
    assert page.index('id="comment-form"') < page.index("will appear once it is approved")
    email = OutboundEmail.objects.get(template="blog_comment_waiting")
    assert email.to == "coach@example.com" and "On money" in email.subject
    assert "https://coach.example.com/coach/comments/" in email.body_text
    assert "rowan@example.org" not in email.body_text + email.body_html
    assert len(mail.outbox) == 1


def test_a_bot_filling_the_honeypot_is_refused(client):
    response = post_comment(client, PostFactory(), website="https://spam.example")
    assert response.status_code == 200
    assert not Comment.objects.exists()


def test_too_many_links_are_refused_and_the_form_comes_back_filled_in(client):
    body = "Visit https://a.example and https://b.example and https://c.example"
    response = post_comment(client, PostFactory(), body=body)
    page = response.content.decode()
    assert "at most 2 links" in page
    assert "Visit https://a.example" in page and 'value="Rowan"' in page
    assert not Comment.objects.exists()


def test_a_missing_email_gets_a_clear_message(client):
    response = post_comment(client, PostFactory(), email="not-an-email")
    assert "Enter a valid email address." in response.content.decode()


def test_a_name_with_a_newline_is_refused(client):
    response = post_comment(client, PostFactory(), name="Rowan\nBcc: x@example.org")
    assert "single line" in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_are_rate_limited_per_address(client):
    post = PostFactory()
    with time_machine.travel(timezone.now(), tick=False):
        statuses = [post_comment(client, post, body=f"Comment {n}").status_code for n in range(7)]
    assert statuses[:5] == [302] * 5 and statuses[5:] == [429, 429]
    assert post_comment(client, post, ip="10.0.0.2").status_code == 302


def test_s12_a_flood_from_many_addresses_publishes_nothing(client):
    """docs/reliability.md S-12: nothing from first-time posters appears without moderation."""
    post = PostFactory()
    # Frozen clock: the flood stays inside one rate-limit window however slow the machine.
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(140):
            post_comment(client, post, ip=f"10.1.{n % 20}.1", name=f"Bot {n}", body=f"Buy {n}")
    assert Comment.objects.count() == 20 * 5  # the rest were rate limited
    assert not Comment.objects.approved().exists()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Buy 1" not in page and "Bot" not in page


def test_comments_are_refused_on_closed_and_unpublished_posts(client):
    closed = PostFactory(allow_comments=False)
    draft = PostFactory(status="draft", publish_at=None)
    assert "Comments are closed" in post_comment(client, closed).content.decode()
    assert post_comment(client, draft).status_code == 404
    assert not Comment.objects.exists()


def test_the_coach_approves_rejects_and_marks_spam(coach_client):
    comments = CommentFactory.create_batch(3, status=Comment.Status.PENDING)
    page = coach_client.get(reverse("comments_coach:index")).content.decode()
    assert all(comment.email in page for comment in comments)  # the coach sees emails
    for comment, status in zip(comments, ["approved", "rejected", "spam"], strict=True):
        url = reverse("comments_coach:moderate", args=[comment.pk])
        assert coach_client.post(url, {"status": status}).status_code == 302
        comment.refresh_from_db()
        assert comment.status == status and comment.moderated_at


def test_moderation_refuses_an_unknown_decision(coach_client):
    comment = CommentFactory(status=Comment.Status.PENDING)
    coach_client.post(reverse("comments_coach:moderate", args=[comment.pk]), {"status": "x"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_the_coach_replies_and_the_reply_shows_under_the_comment(coach_client, client_user):
    comment = CommentFactory(status=Comment.Status.PENDING, body="A question")
    url = reverse("comments_coach:reply", args=[comment.pk])
    assert coach_client.get(url).status_code == 200
    coach_client.post(url, {"reply": "A thoughtful answer <script>x</script>"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    coach_client.logout()
    page = coach_client.get(comment.post.get_absolute_url()).content.decode()
    reply = page.split('class="comment-reply"')[1].split("</li>")[0]
    assert "Dr. Maya Ellison" in reply and "A thoughtful answer" in reply
    assert "<script>" not in reply


@pytest.mark.parametrize(
    "url",
    [
        reverse("comments_coach:index"),
        reverse("comments_coach:reply", args=[1]),
        reverse("comments_coach:moderate", args=[1]),
    ],
)
def test_moderation_is_for_the_coach_only(client, client_user, url):
    CommentFactory(pk=1, status=Comment.Status.PENDING)
    assert client.get(url).status_code == 302  # anonymous: sign in first
    client.force_login(client_user)
    assert client.post(url, {"status": "approved"}).status_code == 404
    assert Comment.objects.get(pk=1).status == Comment.Status.PENDING
