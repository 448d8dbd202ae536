"""What the blog gives other apps through `coaching.hooks` (registered in BlogConfig.ready)."""

from django.db.models import Count, Q

from coaching.hooks import Panel
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
