"""Order event pushes (spec §5): parse them, and receive them with an aiohttp.web handler.

Xportcn POSTs events to your callback URL and wants HTTP 200 within **1000 ms**;
failed deliveries are re-pushed every 30 minutes, at most 5 times, in no
guaranteed order, and pushes carry no signature. So the receiver answers at
once, processes in the background, drops exact duplicates, and your code should
re-read the order from the API rather than trust the event::

    from aiohttp import web
    from xportcn_async.webhooks import message_handler

    async def on_message(message):
        if message.message_type is MessageType.ORDER_PAY_SUCCESS:
            ...  # re-query the order, then act

    app = web.Application()
    receiver = message_handler(on_message)
    receiver.setup(app, "/xportcn/messages")   # route + cleanup (pending work awaited)
    web.run_app(app)

Pass an :class:`asyncio.Queue` instead of a callback to consume events yourself.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import orjson
from aiohttp import web

from . import serde
from .errors import ResponseDecodeError
from .models.messages import Message, MessageType, OrderMessageBody, WireMessage

__all__ = ["MessageCallback", "MessageReceiver", "message_handler", "parse_message"]

logger = logging.getLogger("xportcn_async.webhooks")

#: A callback gets each new message; it may be a plain function or a coroutine function.
MessageCallback = Callable[[Message], Awaitable[None] | None]

_ENDPOINT = "message push"
_EXCERPT = 200


def _excerpt(body: bytes | str) -> str:
    if isinstance(body, bytes):
        return body[:_EXCERPT].decode("utf-8", "replace")
    return body[:_EXCERPT]


def _load(body: bytes | bytearray | memoryview | str | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    if isinstance(body, (bytearray, memoryview)):
        body = bytes(body)
    if not isinstance(body, (bytes, str)):
        raise ResponseDecodeError(
            f"a push body must be bytes, str or a mapping, got {type(body).__name__}",
            endpoint=_ENDPOINT,
        )
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ResponseDecodeError(
            f"push body is not JSON ({exc})", body_excerpt=_excerpt(body), endpoint=_ENDPOINT
        ) from None
    if not isinstance(doc, dict) or "messageType" not in doc:
        raise ResponseDecodeError(
            "push body is not a message (a JSON object with messageType, messageBody, "
            "messagePlatform, timestamp)",
            body_excerpt=_excerpt(body),
            endpoint=_ENDPOINT,
        )
    return doc


def parse_message(body: bytes | str | Mapping[str, Any]) -> Message:
    """Parse one push (raw bytes, text, or an already-decoded mapping) into a :class:`Message`.

    ``message_type`` / ``platform`` are enum members when known and raw values
    otherwise; ``timestamp`` is an aware datetime (the push sends Unix ms);
    ``body`` is the ``messageBody`` JSON string decoded into an
    :class:`~xportcn_async.models.messages.OrderMessageBody` for the known order
    event types (refund events carry ``refund_id``), or the decoded dict for
    unknown types. Raises :class:`~xportcn_async.errors.ResponseDecodeError`
    (with field paths such as ``$.messageBody``) for anything that is not a push.

    >>> m = parse_message({"messageType": "ORDER_CREATE", "messageBody": '{"orderId": 7}',
    ...                    "messagePlatform": 1, "timestamp": "1779263269913"})
    >>> m.message_type, m.body.order_id
    (<MessageType.ORDER_CREATE: 'ORDER_CREATE'>, '7')
    """
    doc = _load(body)
    wire = serde.structure(doc, WireMessage, endpoint=_ENDPOINT)
    parsed: OrderMessageBody | Mapping[str, Any] | None = wire.message_body
    if isinstance(wire.message_type, MessageType) and wire.message_body is not None:
        parsed = serde.structure(
            wire.message_body, OrderMessageBody, endpoint=_ENDPOINT, path="$.messageBody"
        )
    return Message(
        message_type=wire.message_type,
        platform=wire.message_platform,
        timestamp=wire.timestamp,
        body=parsed,
        raw=doc,
    )


def _dedupe_key(doc: Mapping[str, Any]) -> tuple[Any, ...]:
    body = doc.get("messageBody")
    if not isinstance(body, str):
        body = orjson.dumps(body, option=orjson.OPT_SORT_KEYS).decode()
    return (str(doc.get("messageType")), body, str(doc.get("timestamp")))


class MessageReceiver:
    """An aiohttp.web handler for pushes: answers at once, delivers in the background.

    * 200 as soon as the push is read and parsed (before the callback runs);
      a duplicate (same bytes, or same type + body + timestamp) also gets 200
      but is not delivered again;
    * 400 for a body that is not JSON or not a message; 413 for a body over
      ``max_body_bytes`` (counted while reading, whatever Content-Length says);
      503 after :meth:`aclose`.

    Callback errors are logged (``xportcn_async.webhooks``), never returned to
    Xportcn: the push was received. Background deliveries are tracked:
    :meth:`drain` waits for them and :meth:`aclose` (also run on application
    cleanup when installed with :meth:`setup`) waits and then cancels leftovers.
    """

    def __init__(
        self,
        callback: MessageCallback | asyncio.Queue[Message],
        *,
        max_body_bytes: int = 256 * 1024,
        dedupe_size: int = 10000,
    ) -> None:
        if max_body_bytes < 1:
            raise ValueError(f"max_body_bytes must be >= 1, got {max_body_bytes}")
        if dedupe_size < 0:
            raise ValueError(f"dedupe_size must be >= 0, got {dedupe_size}")
        self._callback = callback
        self._max_body_bytes = max_body_bytes
        self._dedupe_size = dedupe_size
        self._seen: OrderedDict[Any, None] = OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        #: Counters: received (accepted), duplicates, rejected (4xx), delivered, failed.
        self.stats: dict[str, int] = dict.fromkeys(
            ("received", "duplicates", "rejected", "delivered", "failed"), 0
        )

    def __repr__(self) -> str:
        return f"MessageReceiver(pending={self.pending}, stats={self.stats})"

    @property
    def pending(self) -> int:
        """Deliveries still running in the background."""
        return len(self._tasks)

    def setup(self, app: web.Application, path: str = "/xportcn/messages") -> None:
        """Route ``POST path`` to this receiver and close it on the application's cleanup."""
        app.router.add_post(path, self.handle)
        app.on_cleanup.append(self.on_cleanup)

    async def on_cleanup(self, app: web.Application) -> None:
        """``app.on_cleanup`` hook: :meth:`aclose` with a 5-second grace period."""
        await self.aclose(timeout=5.0)

    async def drain(self) -> None:
        """Wait until every delivery started so far has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self, *, timeout: float | None = None) -> None:
        """Stop accepting pushes (503), wait up to ``timeout`` s for deliveries, cancel the rest."""
        self._closed = True
        tasks = list(self._tasks)
        if not tasks:
            return
        _done, still = await asyncio.wait(tasks, timeout=timeout)
        for task in still:
            task.cancel()
        if still:
            await asyncio.gather(*still, return_exceptions=True)

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        """Handle one push; same as :meth:`handle`."""
        return await self.handle(request)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Handle one push: the aiohttp.web handler (``add_post(path, receiver.handle)``)."""
        if self._closed:
            return web.Response(status=503, text="receiver closed")
        if request.content_length is not None and request.content_length > self._max_body_bytes:
            self.stats["rejected"] += 1
            return web.Response(status=413, text="push body too large")
        body = bytearray()
        async for chunk in request.content.iter_any():
            body += chunk
            if len(body) > self._max_body_bytes:
                self.stats["rejected"] += 1
                return web.Response(status=413, text="push body too large")
        raw = bytes(body)
        try:
            message = parse_message(raw)
        except ResponseDecodeError as exc:
            self.stats["rejected"] += 1
            logger.warning("rejected push: %s", exc)
            return web.Response(status=400, text="not a message push")
        if self._is_duplicate(raw, message.raw):
            self.stats["duplicates"] += 1
            logger.debug("duplicate push dropped: %s", message.message_type)
            return web.json_response({"code": 200, "msg": "duplicate"})
        self.stats["received"] += 1
        task = asyncio.get_running_loop().create_task(self._deliver(message))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return web.json_response({"code": 200, "msg": "success"})

    def _is_duplicate(self, raw: bytes, doc: Mapping[str, Any]) -> bool:
        if self._dedupe_size == 0:
            return False
        keys = (hashlib.sha256(raw).digest(), _dedupe_key(doc))
        if any(key in self._seen for key in keys):
            for key in keys:
                self._seen[key] = None
                self._seen.move_to_end(key)
            return True
        for key in keys:
            self._seen[key] = None
        while len(self._seen) > 2 * self._dedupe_size:
            self._seen.popitem(last=False)
        return False

    async def _deliver(self, message: Message) -> None:
        try:
            if isinstance(self._callback, asyncio.Queue):
                await self._callback.put(message)
            else:
                result = self._callback(message)
                if inspect.isawaitable(result):
                    await result
        except asyncio.CancelledError:
            raise
        except Exception:
            self.stats["failed"] += 1
            logger.exception("message callback failed for %s", message.message_type)
        else:
            self.stats["delivered"] += 1


def message_handler(
    callback: MessageCallback | asyncio.Queue[Message],
    *,
    max_body_bytes: int = 256 * 1024,
    dedupe_size: int = 10000,
) -> MessageReceiver:
    """Build an aiohttp.web handler that receives pushes and hands each new one to ``callback``.

    ``callback`` is a function or coroutine function taking a :class:`Message`,
    or an :class:`asyncio.Queue` to put messages in. ``dedupe_size`` pushes are
    remembered to drop exact re-pushes (0 disables it). Install the returned
    :class:`MessageReceiver` with :meth:`MessageReceiver.setup`, or route its
    :meth:`~MessageReceiver.handle` yourself and await :meth:`MessageReceiver.aclose`
    on shutdown.
    """
    return MessageReceiver(callback, max_body_bytes=max_body_bytes, dedupe_size=dedupe_size)
