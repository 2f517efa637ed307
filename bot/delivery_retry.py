"""Retrying one send: transient platform failures back off on the core's clock."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.posting import DeliveryError

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)

RETRIES = 4


async def send_with_retry(core: Core, what: str, send: Any) -> str:
    """Transient failures are retried with backoff on the core's clock; permanent ones raise."""
    last: DeliveryError | None = None
    for attempt in range(RETRIES):
        try:
            return await send()
        except DeliveryError as e:
            if e.permanent:
                raise
            last = e
        except (TimeoutError, OSError) as e:
            last = DeliveryError(f"{what}: {e or type(e).__name__}", permanent=False)
        log.info("retrying %s after: %s", what, last.reason)
        await core.clock.sleep(min(60.0, 2.0**attempt))
    assert last is not None
    raise last
