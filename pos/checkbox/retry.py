"""When and how long to wait before trying again.

Why: Checkbox asks for a retry after 503/524 ("спробуйте повторити свій запит через 2 хвилини"),
and a flaky shop network drops connections. Retrying at once hammers a struggling server, and
many tills retrying in step make it worse, so waits grow exponentially, are capped, and carry
random jitter. Which calls may be retried at all is decided by the caller: reads freely, creates
only through the exactly-once path (see ``exactly_once``). The random source is injectable.
"""

from __future__ import annotations

import random as _random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with jitter.

    ``attempts`` counts every try (1 = no retry). The wait before retry *n* (0-based) is
    ``min(cap, base * factor**n)``, of which the ``jitter`` fraction is random. ``max_rate_wait``
    is the longest server-named wait (429) the client sits out by itself before giving up.
    """

    attempts: int = 4
    base: float = 0.5
    factor: float = 2.0
    cap: float = 8.0
    jitter: float = 0.5
    max_rate_wait: float = 15.0
    random: Callable[[], float] = field(default=_random.random, compare=False)

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (0-based)."""
        full = min(self.cap, self.base * self.factor**retry)
        return full * (1.0 - self.jitter) + full * self.jitter * self.random()

    def allows(self, retry: int) -> bool:
        """Whether retry number ``retry`` (0-based) may still happen."""
        return retry < self.attempts - 1


NO_RETRY = RetryPolicy(attempts=1)
