"""Blog workflows: write and publish posts, take and moderate comments."""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from coaching.emails import absolute_url, send_email
from coaching.hooks import post_published
from coaching.models import SiteSettings
from content.blog import pagecache, rendering
from content.blog.models import Category, Comment, Post, Tag

logger = logging.getLogger(__name__)

MAX_COMMENT_LINKS = 2


class Action:
    DRAFT = "draft"
    SCHEDULE = "schedule"
    PUBLISH = "publish"


@transaction.atomic
def post_write(
    *,
    post: Post,
    tag_names: list[str],
    action: str,
    publish_at: datetime | None = None,
    new_category: str = "",
    now: datetime | None = None,
    announce: bool = True,
) -> Post:
    """Save a post from the editor: render its Markdown, set its status.

    `action` is Action.DRAFT, SCHEDULE (at `publish_at`, which must be in the future) or
    PUBLISH (now). Publishing now runs the `post_published` hooks once, like the sweeper does
    (unless `announce` is False, e.g. for demo data). The post's cover comes already resized
    (`images.cover_sizes`); `new_category` files the post in a category made on the spot.
    """
    now = now or timezone.now()
    was_public = _lock_status(post) == Post.Status.PUBLISHED
    _set_status(post, action, publish_at, now)
    _render(post)
    if new_category.strip():
        post.category = category_get_or_create(name=new_category)
    post.save()
    post.tags.set(tag_get_or_create(names=tag_names))
    pagecache.bump()
    if announce and post.status == Post.Status.PUBLISHED and not was_public:
        transaction.on_commit(lambda: _announce(post))
    return post


def _lock_status(post: Post) -> str | None:
    """The saved status, with the row locked: the sweeper's claim waits, so "publish now" and
    the scheduled publication cannot both announce the post."""
    if not post.pk:
        return None
    return Post.objects.select_for_update().values_list("status", flat=True).get(pk=post.pk)


def _render(post: Post) -> None:
    if post.cover_sizes and not post.cover_alt.strip():
        raise ValidationError({"cover_alt": "Describe the cover picture for screen readers."})
    rendered = rendering.render_post(post.body)
    post.body_html, post.toc = rendered.html, rendered.toc
    post.reading_minutes = rendered.reading_minutes


def _set_status(post: Post, action: str, publish_at: datetime | None, now: datetime) -> None:
    if action == Action.PUBLISH:
        if post.status != Post.Status.PUBLISHED:
            post.publish_at = post.published_at = now
        post.status = Post.Status.PUBLISHED
    elif action == Action.SCHEDULE:
        if publish_at is None or publish_at <= now:
            raise ValidationError({"publish_at": "Choose a publication time in the future."})
        post.status, post.publish_at, post.published_at = Post.Status.SCHEDULED, publish_at, None
    elif action == Action.DRAFT:
        post.status, post.published_at = Post.Status.DRAFT, None
    else:
        raise ValidationError(f"Unknown action {action!r}.")


def category_get_or_create(*, name: str) -> Category:
    slug = slugify(name)[:80]
    if not slug:
        raise ValidationError({"new_category": "Use letters or numbers in the category name."})
    return Category.objects.get_or_create(slug=slug, defaults={"name": name.strip()[:80]})[0]


def tag_get_or_create(*, names: list[str]) -> list[Tag]:
    """Tags by name, matched on their slug (so "Money" and "money" are one tag)."""
    tags = {}
    for name in names:
        slug = slugify(name)[:60]
        if slug and slug not in tags:
            tags[slug] = Tag.objects.get_or_create(slug=slug, defaults={"name": name[:60]})[0]
    return list(tags.values())


def post_publish_due(*, now: datetime | None = None) -> list[int]:
    """The ids of scheduled posts whose time has come (for the sweeper to fan out)."""
    now = now or timezone.now()
    with transaction.atomic():
        # SKIP LOCKED: a second sweeper running at the same moment takes other rows, not these.
        due = Post.objects.due(now).select_for_update(skip_locked=True).values_list("pk", flat=True)
        return list(due)


def post_publish(*, post_id: int, now: datetime | None = None) -> bool:
    """Publish one scheduled post if it is due; True only for the one caller that did.

    The conditional UPDATE is the claim: a repeated task or a second worker updates 0 rows and
    stops, so the post is published and announced exactly once.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = (
            Post.objects.due(now)
            .filter(pk=post_id)
            .update(status=Post.Status.PUBLISHED, published_at=now, updated_at=now)
        )
        if claimed:
            pagecache.bump()
    if claimed:
        _announce(Post.objects.get(pk=post_id))
    return bool(claimed)


def _announce(post: Post) -> None:
    """Tell the other apps (e.g. the newsletter drafts a "New posts" campaign).

    At-most-once: a hook that fails is logged and not retried, the post stays published.
    """
    for function in post_published:
        try:
            function(post)
        except Exception:  # one app's failure must not stop the others
            logger.exception("post_published hook %s failed for post %s", function, post.pk)


@transaction.atomic
def comment_submit(*, post: Post, name: str, email: str, body: str, ip: str | None) -> Comment:
    """Take a reader's comment; it waits for moderation and the coach hears of it (S-12 of
    docs/reliability.md)."""
    if not post.is_public() or not post.allow_comments:
        raise ValidationError("Comments are closed on this post.")
    if rendering.count_links(body) > MAX_COMMENT_LINKS:
        raise ValidationError(
            {"body": f"Please include at most {MAX_COMMENT_LINKS} links in a comment."}
        )
    comment = Comment.objects.create(
        post=post,
        name=name,
        email=email,
        body=body,
        body_html=rendering.render_comment(body),
        ip=ip,
        status=Comment.Status.PENDING,
    )
    send_email(
        to=SiteSettings.load().coach_email,
        template="blog_comment_waiting",
        context={
            "post": post,
            "comment": comment,
            "moderate_url": absolute_url(reverse("comments_coach:index")),
        },
        related=comment,
    )
    return comment


@transaction.atomic
def comment_moderate(*, comment: Comment, status: str, now: datetime | None = None) -> Comment:
    """Approve, reject or mark as spam; only approved comments are ever shown."""
    if status not in Comment.Status.values or status == Comment.Status.PENDING:
        raise ValidationError(f"Unknown decision {status!r}.")
    comment.status, comment.moderated_at = status, now or timezone.now()
    comment.save(update_fields=["status", "moderated_at"])
    pagecache.bump()
    return comment


@transaction.atomic
def comment_reply(*, comment: Comment, text: str, now: datetime | None = None) -> Comment:
    """The coach's answer under a comment (an empty text removes it). Replying approves."""
    comment.reply = text.strip()
    comment.reply_html = rendering.render_comment(comment.reply) if comment.reply else ""
    comment.replied_at = (now or timezone.now()) if comment.reply else None
    if comment.status == Comment.Status.PENDING:
        comment.status, comment.moderated_at = Comment.Status.APPROVED, comment.replied_at
    comment.save()
    pagecache.bump()
    return comment
