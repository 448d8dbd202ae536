import pytest

from coaching.models import SiteSettings
from tests.blog.factories import CommentFactory, PostFactory, TagFactory


@pytest.fixture
def busy_blog(db):
    """Many posts, each with several tags; the first has many approved comments."""
    SiteSettings.load()  # created once, as on any running site
    tags = [TagFactory(slug=slug) for slug in ("communication", "money", "support", "safety")]
    posts = [PostFactory(tags=tags[: 1 + n % 4]) for n in range(24)]
    CommentFactory.create_batch(15, post=posts[0])
    return posts
