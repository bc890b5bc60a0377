"""How long to wait before the next attempt: exponential backoff with jitter, never shorter than
the provider's Retry-After, never longer than ``cap``."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    #: Seconds before the first retry; doubles with each attempt.
    base: float = 1.0
    cap: float = 60.0

    def delay(
        self, attempt: int, retry_after: float | None = None, rng: random.Random | None = None
    ) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (0-based). Full jitter in
        [½, 1] of the exponential step spreads a burst of rate-limited workers apart."""
        step = self.base * (2**attempt)
        jittered = step * (0.5 + (rng or random).random() / 2)
        if retry_after is not None:
            jittered = max(jittered, retry_after)
        return float(min(jittered, self.cap))
