"""What the blog contributes to other apps' hooks (`coaching.hooks`, `clients.hooks`),
registered in `BlogConfig.ready()`. A client's comments are found by the email addresses of the
people in the client record (commenters do not sign in).
"""

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse

from clients.hooks import TimelineEntry
from coaching.hooks import Panel
from content.blog import pagecache
from content.blog.models import Comment, Post


def related_posts(tags: list[str], limit: int) -> list[tuple[str, str]]:
    """(title, path) of published posts with any of these tag slugs, in one query."""
    posts = (
        Post.objects.published()
        .filter(tags__slug__in=tags)
        .annotate(shared=Count("tags"))
        .order_by("-shared", "-publish_at")
        .values_list("title", "slug")[:limit]
    )
    return [(title, Post(slug=slug).get_absolute_url()) for title, slug in posts]


def dashboard_panel(request) -> Panel:
    """Comments waiting for moderation and posts not yet public, in two queries."""
    waiting = Comment.objects.waiting().count()
    upcoming = list(
        Post.objects.filter(Q(status=Post.Status.DRAFT) | Q(status=Post.Status.SCHEDULED))
        .order_by("status", "publish_at", "-updated_at")
        .only("title", "status", "publish_at", "updated_at")[:5]
    )
    return Panel("blog/_dashboard_panel.html", {"waiting": waiting, "upcoming": upcoming}, 40)


def _comments_of(client):
    emails = [person.email.lower() for person in client.people.all()]
    return Comment.objects.alias(lower_email=Lower("email")).filter(lower_email__in=emails)


def timeline(client) -> list[TimelineEntry]:
    comments = _comments_of(client).select_related("post").only("created_at", "post__title")
    url = reverse("comments_coach:index")
    return [
        TimelineEntry(comment.created_at, "comment", f"Commented on “{comment.post.title}”", url)
        for comment in comments
    ]


def exporter(client) -> dict[str, list[dict]]:
    rows = _comments_of(client).select_related("post").order_by("created_at")
    return {
        "blog_comments": [
            {
                "post": comment.post.title,
                "name": comment.name,
                "email": comment.email,
                "text": comment.body,
                "status": comment.status,
                "created_at": comment.created_at.isoformat(),
                "reply": comment.reply,
            }
            for comment in rows
        ]
    }


def eraser(client) -> dict[str, int]:
    """Delete the client's comments (and the coach's replies to them) from the blog."""
    deleted, _ = _comments_of(client).delete()
    if deleted:
        pagecache.bump()
    return {"blog comments": deleted}
