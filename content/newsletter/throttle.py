"""A send rate shared by every worker: each message takes the next free slot.

Slots are spaced 1/rate seconds apart on Redis's own clock (so worker clocks may disagree),
which keeps any one-second window at or under the rate whatever the number of workers.
Without Redis (the development default), the pacing is per process.
"""

import time
from functools import cache

import redis
from django.conf import settings

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
