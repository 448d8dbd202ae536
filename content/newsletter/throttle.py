"""A send rate and a daily quota shared by every worker: each message takes the next free slot.

Slots are spaced 1/rate seconds apart on Redis's own clock (so worker clocks may disagree),
which keeps any one-second window at or under the rate whatever the number of workers.
Without Redis (the development default), the pacing is per process.
"""

import time
from datetime import timedelta
from functools import cache
from uuid import uuid4

import redis
from django.conf import settings
from django.utils import timezone

NEXT_SLOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now then slot = now end
redis.call('SET', KEYS[1], slot + tonumber(ARGV[1]), 'PX', 60000)
return {slot, slot - now}
"""


@cache
def _script():
    client = redis.Redis.from_url(settings.REDIS_CACHE_URL)
    return client.register_script(NEXT_SLOT)


def _key() -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return f"{prefix}:newsletter:pacer"


class Pacer:
    def __init__(self, rate: float):
        # 2 % apart more than strictly needed, so timer jitter never squeezes rate + 1 into 1 s.
        self.step_us = int(1_020_000 / rate) if rate > 0 else 0
        self.next_local = 0.0

    def wait(self) -> float:
        """Sleep until this process may send one more message; returns the slot (seconds)."""
        if not self.step_us:
            return 0.0
        if settings.REDIS_CACHE_URL:
            slot_us, delay_us = _script()(keys=[_key()], args=[self.step_us])
            slot, delay = slot_us / 1_000_000, delay_us / 1_000_000
        else:
            now = time.monotonic()
            slot = max(now, self.next_local)
            delay, self.next_local = slot - now, slot + self.step_us / 1_000_000
        if delay > 0:
            time.sleep(delay)
        return slot


# The provider's rolling 24-hour quota, shared by every worker: a sorted set of send times.
TAKE_FROM_QUOTA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('EXPIRE', KEYS[1], math.ceil(window))
  return '0'
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
return tostring(oldest + window - now)
"""
QUOTA_WINDOW = timedelta(hours=24)


@cache
def _quota_script():
    client = redis.Redis.from_url(settings.REDIS_CACHE_URL)
    return client.register_script(TAKE_FROM_QUOTA)


def quota_wait() -> timedelta:
    """Take one message from the daily quota: zero when it may go, else how long to wait.

    A taken place is never given back (a message not sent after all only makes the count
    cautious), so the quota is never exceeded, whatever the number of workers.
    """
    quota = settings.NEWSLETTER_DAILY_QUOTA
    if not quota:
        return timedelta(0)
    if settings.REDIS_CACHE_URL:
        key = f"{_key()}:quota"
        window = QUOTA_WINDOW.total_seconds()
        return timedelta(
            seconds=float(_quota_script()(keys=[key], args=[quota, window, uuid4().hex]))
        )
    return _quota_wait_from_database(quota)


def _quota_wait_from_database(quota: int) -> timedelta:
    """Without Redis (development, one worker), count what the last 24 hours sent."""
    from content.newsletter.models import Delivery

    since = timezone.now() - QUOTA_WINDOW
    sent = Delivery.objects.filter(sent_at__gte=since).order_by("sent_at")
    if sent.count() < quota:
        return timedelta(0)
    return sent.first().sent_at + QUOTA_WINDOW - timezone.now()
