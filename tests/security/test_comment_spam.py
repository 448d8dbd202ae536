"""docs/reliability.md S-12: a flood of comments from many addresses publishes nothing.
Moderation, the honeypot and the per-address limits themselves are proven in
tests/blog/test_comments.py."""

import pytest
from django.urls import reverse

from content.blog.models import Comment

pytestmark = pytest.mark.django_db


def test_fifty_comments_from_fifty_addresses_all_wait_for_moderation(client, site):
    url = reverse("blog:comment", args=[site.post.slug])
    for n in range(50):
        data = {"name": f"Spammer {n}", "email": f"s{n}@example.net", "body": "Buy now http://x.y"}
        response = client.post(url, data, REMOTE_ADDR=f"192.0.2.{n}")
        assert response.status_code == 302
    flood = Comment.objects.filter(name__startswith="Spammer")
    assert flood.count() == 50
    assert not flood.exclude(status=Comment.Status.PENDING).exists()
    page = client.get(site.post.get_absolute_url()).content.decode()
    assert "Spammer" not in page and "Buy now" not in page
