import factory
from django.utils import timezone

from content.blog import rendering
from content.blog.models import Category, Comment, Post, Tag


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    name = factory.LazyAttribute(lambda tag: tag.slug.replace("-", " ").capitalize())
    slug = factory.Sequence(lambda n: f"tag-{n}")


class PostFactory(factory.django.DjangoModelFactory):
    """A published post (rendered as the service would); pass status/publish_at to change."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Post number {n}")
    slug = factory.Sequence(lambda n: f"post-{n}")
    excerpt = "A short excerpt about balance."
    body = "Some words about **balance** and power.\n\n## A heading\n\nMore words."
    body_html = factory.LazyAttribute(lambda post: rendering.render_post(post.body).html)
    toc = factory.LazyAttribute(lambda post: rendering.render_post(post.body).toc)
    reading_minutes = factory.LazyAttribute(
        lambda post: rendering.render_post(post.body).reading_minutes
    )
    status = Post.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))
    category = factory.SubFactory(CategoryFactory)

    @factory.post_generation
    def tags(post, create, extracted, **kwargs):
        if create and extracted:
            post.tags.set(extracted)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    body = "Thank you, this helped."
    body_html = factory.LazyAttribute(lambda comment: rendering.render_comment(comment.body))
    status = Comment.Status.APPROVED
