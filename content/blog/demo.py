"""Demo posts on the coach's framework (bodies in demo_posts/*.md), with a few comments."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from content.blog import rendering, services
from content.blog.models import Category, Comment, Post

HERE = Path(__file__).resolve().parent / "demo_posts"
POWER = ("Power and balance", "power-and-balance", "The four kinds of power and how they shift.")
PRACTICES = ("Practices", "practices", "Small, concrete ways to rebalance, one habit at a time.")

# (slug, title, excerpt, category, tags, days ago (negative: scheduled), calls to action)
POSTS = [
    (
        "four-kinds-of-power",
        "The four kinds of power in a relationship",
        "Emotional, financial, sexual and social: naming the four kinds of power is often the "
        "first relief, because a vague unease becomes something you can talk about.",
        POWER,
        ["Emotional connection", "Money", "Intimacy and consent", "Communication"],
        30,
        {"cta_book": True, "cta_assessment": True},
    ),
    (
        "signs-the-balance-has-tipped",
        "Quiet signs that the balance has tipped",
        "Imbalance rarely arrives with a bang. Five quiet signs to notice, and a gentle first "
        "step.",
        POWER,
        ["Safety", "Decision-making", "Boundaries and independence", "Communication"],
        21,
        {"cta_book": True, "cta_assessment": True},
    ),
    (
        "money-without-keeping-score",
        "Talking about money without keeping score",
        "Money is where power most often settles on one side, and where it is easiest to start "
        "rebalancing, because you can look at it together.",
        PRACTICES,
        ["Money", "Communication", "Decision-making"],
        14,
        {"cta_book": True, "cta_newsletter": True},
    ),
    (
        "deciding-together",
        "Deciding together, even when you don't agree",
        "Shared decisions are not about splitting everything down the middle. A simple way to "
        "make the big choices as a team.",
        PRACTICES,
        ["Decision-making", "Communication", "Support"],
        7,
        {"cta_book": True},
    ),
    (
        "boundaries-keep-you-close",
        "Boundaries are how we stay close",
        "Clear boundaries are what let two people stay close without losing themselves.",
        PRACTICES,
        ["Boundaries and independence", "Intimacy and consent", "Emotional connection"],
        2,
        {"cta_book": True, "cta_newsletter": True},
    ),
    (
        "who-holds-the-emotional-weather",
        "Who holds the emotional weather?",
        "In many couples one partner quietly keeps the emotional weather. How to share the weight.",
        PRACTICES,
        ["Emotional connection", "Support"],
        -7,
        {"cta_book": True, "cta_assessment": True},
    ),
]


def seed() -> list[str]:
    """Create the demo posts and comments once; return lines to print."""
    now = timezone.now()
    created = 0
    for slug, title, excerpt, category, tags, days_ago, ctas in POSTS:
        if Post.objects.filter(slug=slug).exists():
            continue
        post = Post(slug=slug, title=title, excerpt=excerpt, category=_category(category), **ctas)
        post.body = (HERE / f"{slug}.md").read_text()
        when = now - timedelta(days=days_ago)
        if days_ago >= 0:
            services.post_write(
                post=post, tag_names=tags, action="publish", now=when, announce=False
            )
            Post.objects.filter(pk=post.pk).update(updated_at=when)  # written back then
        else:
            services.post_write(post=post, tag_names=tags, action="schedule", publish_at=when)
        created += 1
    _comments(now)
    return [f"Blog: {Post.objects.count()} posts ({created} new), comments at /coach/comments/"]


def _category(spec) -> Category:
    name, slug, description = spec
    return Category.objects.get_or_create(
        slug=slug, defaults={"name": name, "description": description}
    )[0]


def _comments(now) -> None:
    if Comment.objects.exists():
        return
    first = Post.objects.get(slug="four-kinds-of-power")
    money = Post.objects.get(slug="money-without-keeping-score")
    approved = _comment(
        first,
        "Juniper",
        "The question about who adjusts when one of us is upset stopped me in my tracks. "
        "It is always me. We talked about it over dinner and it went better than I feared.",
        now - timedelta(days=20),
    )
    services.comment_moderate(comment=approved, status=Comment.Status.APPROVED)
    services.comment_reply(
        comment=approved,
        text="Thank you for sharing this, Juniper. Talking about it at a calm moment is exactly "
        "the right start. Noticing is half the work.",
    )
    other = _comment(
        first,
        "Sam R.",
        "Social power is the one I had never thought about. We do live in my partner's world.",
        now - timedelta(days=12),
    )
    services.comment_moderate(comment=other, status=Comment.Status.APPROVED)
    _comment(
        money,
        "A reader",
        "We tried the 'below this amount, no need to ask' rule. Ten days in, fewer arguments!",
        now - timedelta(hours=5),
    )


def _comment(post, name, body, when) -> Comment:
    return Comment.objects.create(
        post=post,
        name=name,
        email=f"{name.split()[0].lower()}@example.org",
        body=body,
        body_html=rendering.render_comment(body),
        created_at=when,
    )
