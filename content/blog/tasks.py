from celery import shared_task

from content.blog import services


@shared_task
def publish_due_posts() -> None:
    """Beat sweeper: fan out one publishing task per scheduled post whose time has come."""
    for post_id in services.post_publish_due():
        publish_post.delay(post_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def publish_post(post_id: int) -> None:
    """Publish one due post. At-least-once delivery, exactly-once effect: the row is claimed by
    a conditional UPDATE, so a repeated message finds nothing left to do."""
    services.post_publish(post_id=post_id)
