"""The blog: posts in Markdown with categories and tags, and moderated comments.

A `Post` keeps its Markdown source and the sanitised HTML rendered from it (by
`content.blog.services`), so a page view never runs Markdown or the sanitiser. A `Comment`
belongs to one post and shows nowhere until the coach approves it; the coach's reply sits on it.
"""

from itertools import count

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

RESERVED_SLUGS = {"feed", "category", "tag"}  # /blog/<these>/ are other pages
SLUG_LENGTH = 160


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:category", args=[self.slug])


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:tag", args=[self.slug])


def title_slug(title: str) -> str:
    """The slug a title gives ("" for a title without letters or digits)."""
    return slugify(title)[:SLUG_LENGTH].strip("-")


class PostQuerySet(models.QuerySet):
    def free_slug(self, title: str, exclude_pk: int | None = None) -> str:
        """The title's slug, or with -2, -3... the first that no other post (and no blog page)
        uses; "" for a title without letters or digits."""
        base = title_slug(title)
        if not base:
            return ""
        others = self.exclude(pk=exclude_pk) if exclude_pk else self
        taken = set(others.filter(slug__startswith=base[:100]).values_list("slug", flat=True))
        for number in count(1):
            suffix = f"-{number}" if number > 1 else ""
            slug = base[: SLUG_LENGTH - len(suffix)].rstrip("-") + suffix
            if slug not in taken and slug not in RESERVED_SLUGS:
                return slug

    def published(self, now=None):
        return self.filter(status=Post.Status.PUBLISHED, publish_at__lte=now or timezone.now())

    def due(self, now):
        """Scheduled posts whose time has come, for the sweeper."""
        return self.filter(status=Post.Status.SCHEDULED, publish_at__lte=now)

    def for_cards(self):
        """What a post card shows, in a fixed number of queries."""
        return (
            self.select_related("category")
            .prefetch_related("tags")
            .defer("body", "body_html", "toc", "seo_title", "seo_description", "canonical_url")
        )

    def related_to(self, post, limit=3):
        """Published posts sharing tags with `post`, the most shared first (one query)."""
        tag_ids = [tag.pk for tag in post.tags.all()]
        return (
            self.published()
            .filter(tags__in=tag_ids)
            .exclude(pk=post.pk)
            .annotate(shared=Count("tags"))
            .order_by("-shared", "-publish_at")
            .only("title", "slug", "excerpt", "publish_at")[:limit]
        )


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=160)
    slug = models.SlugField(max_length=SLUG_LENGTH, unique=True)
    excerpt = models.TextField(
        max_length=300, help_text="One or two sentences shown in lists, feeds and shares."
    )
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    toc = models.JSONField(default=list, blank=True, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    cover_alt = models.CharField(
        max_length=200, blank=True, help_text="Describe the picture for people who cannot see it."
    )
    cover_sizes = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="The cover resized for srcset, [[width, height, storage name], ...]; the "
        "upload itself is not kept (it may carry metadata such as a location).",
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the post actually went public."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    seo_title = models.CharField(max_length=70, blank=True)
    seo_description = models.CharField(max_length=160, blank=True)
    canonical_url = models.URLField(
        blank=True, help_text="Only when this post first appeared elsewhere."
    )
    cta_book = models.BooleanField("invite to book the free call", default=True)
    cta_assessment = models.BooleanField("invite to take the assessment", default=False)
    cta_newsletter = models.BooleanField("invite to join the newsletter", default=False)
    allow_comments = models.BooleanField(default=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["status", "publish_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(publish_at__isnull=False),
                name="blog_post_scheduled_or_published_has_time",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("blog:post", args=[self.slug])

    def is_public(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.PUBLISHED and self.publish_at <= now

    @property
    def meta_title(self) -> str:
        return self.seo_title or self.title

    @property
    def meta_description(self) -> str:
        return self.seo_description or self.excerpt

    def cover_srcset(self) -> str:
        urls = ((default_storage.url(name), width) for width, _, name in self.cover_sizes)
        return ", ".join(f"{url} {width}w" for url, width in urls)

    def cover_default(self) -> tuple[int, int, str] | None:
        """The middle size: the `src` for browsers without srcset, and the share picture."""
        if not self.cover_sizes:
            return None
        width, height, name = self.cover_sizes[len(self.cover_sizes) // 2]
        return width, height, default_storage.url(name)


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def waiting(self):
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    """A reader's comment. Nothing is shown before the coach approves it (docs/reliability.md S-12).

    The email is kept for the coach only and never appears on a page; the name may be a pseudonym.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for moderation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    name = models.CharField(max_length=80)
    email = models.EmailField()
    body = models.TextField(max_length=4000)
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    reply = models.TextField(blank=True, help_text="The coach's answer, shown under the comment.")
    reply_html = models.TextField(blank=True, editable=False)
    replied_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["post", "status", "created_at"])]

    def __str__(self):
        return f"{self.name} on {self.post_id}"


class Image(models.Model):
    """A picture the coach uploaded for use inside a post body (resized on upload)."""

    file = models.ImageField(upload_to="blog/images/")
    alt = models.CharField(max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.alt

    def markdown(self) -> str:
        return f"![{self.alt}]({self.file.url})"
