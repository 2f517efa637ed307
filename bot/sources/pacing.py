"""One pacer for everything arXiv serves: its API and its announcement feeds.

arXiv's terms ask for at most one request every 3 seconds "in total", whichever of its services
is asked (https://info.arxiv.org/help/api/tou.html, which the RSS page
https://info.arxiv.org/help/rss.html also points to), so both clients share one `Pacer`.
"""

from __future__ import annotations

import asyncio

from bot.clock import Clock


class Pacer:
    """Spaces the *start* of consecutive requests at least `min_interval` seconds apart,
    waiting on the injected clock (tests never sleep)."""

    def __init__(self, clock: Clock, min_interval: float = 3.0) -> None:
        self.clock = clock
        self.min_interval = min_interval
        self._last_start: float | None = None
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            if self._last_start is not None:
                wait = self._last_start + self.min_interval - self.clock.monotonic()
                if wait > 0:
                    await self.clock.sleep(wait)
            self._last_start = self.clock.monotonic()
