"""Message pushes (spec §5): POST an order event to a callback URL, re-pushing on failure.

The real service waits 1000 ms for an HTTP 200, re-pushes every 30 minutes and
gives up after 5 re-pushes. The emulator does the same with a configurable
(shortened) interval, and records every attempt.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import aiohttp
import attrs
import orjson

__all__ = ["Delivery", "DeliveryAttempt", "MessagePusher", "build_message"]

#: Message types the docs name (others may exist).
MESSAGE_TYPES: tuple[str, ...] = (
    "ORDER_CREATE",
    "ORDER_CANCEL",
    "ORDER_PAY_SUCCESS",
    "ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY",
    "ORDER_BUYER_VIEW_ORDER_BUYER_REFUND",
)


def build_message(
    message_type: str, body: Mapping[str, Any], *, platform: int, timestamp_ms: int
) -> dict[str, Any]:
    """A push payload in the docs' format: ``messageBody`` is a JSON **string**."""
    return {
        "messageType": message_type,
        "messageBody": orjson.dumps(dict(body)).decode(),
        "messagePlatform": platform,
        "timestamp": str(timestamp_ms),
    }


@attrs.frozen(kw_only=True)
class DeliveryAttempt:
    """One POST of a message: ``status`` is the HTTP status (None when it failed to arrive)."""

    attempt: int
    status: int | None
    error: str | None
    elapsed: float

    @property
    def ok(self) -> bool:
        """Whether the receiver answered HTTP 200 in time."""
        return self.status == 200


@attrs.define(kw_only=True)
class Delivery:
    """A message and every attempt to deliver it (``delivered`` once one got HTTP 200)."""

    url: str
    message: dict[str, Any]
    attempts: list[DeliveryAttempt] = attrs.field(factory=list)
    delivered: bool = False
    done: bool = False

    @property
    def message_type(self) -> str:
        """The ``messageType`` of the message."""
        return str(self.message.get("messageType"))


class MessagePusher:
    """Delivers messages with the real service's rules (timeout, re-push interval, limit)."""

    def __init__(
        self, *, timeout: float = 1.0, retry_interval: float = 1800.0, max_retries: int = 5
    ) -> None:
        self.timeout = timeout
        self.retry_interval = retry_interval
        self.max_retries = max_retries
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        return self._session

    async def deliver(self, delivery: Delivery) -> Delivery:
        """Push until an HTTP 200 or ``1 + max_retries`` attempts; returns ``delivery``."""
        payload = orjson.dumps(delivery.message)
        headers = {"Content-Type": "application/json"}
        try:
            for attempt in range(1, self.max_retries + 2):
                if attempt > 1:
                    await asyncio.sleep(self.retry_interval)
                started = time.perf_counter()
                status: int | None = None
                error: str | None = None
                try:
                    async with self._client().post(
                        delivery.url,
                        data=payload,
                        headers=headers,
                        timeout=aiohttp.ClientTimeout(total=self.timeout),
                    ) as resp:
                        await resp.read()
                        status = resp.status
                except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                    error = f"{type(exc).__name__}: {exc}".rstrip(": ")
                result = DeliveryAttempt(
                    attempt=attempt,
                    status=status,
                    error=error,
                    elapsed=time.perf_counter() - started,
                )
                delivery.attempts.append(result)
                if result.ok:
                    delivery.delivered = True
                    break
        finally:
            delivery.done = True
        return delivery

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None
