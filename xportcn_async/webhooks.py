"""Order event pushes (spec §5): parse them, and receive them durably with an aiohttp.web handler.

Xportcn POSTs events to your callback URL and wants HTTP 200 within **1000 ms**;
failed deliveries are re-pushed every 30 minutes, at most 5 times, in no
guaranteed order, and pushes carry no signature. After a 200 it never pushes
again, so the receiver answers 200 only once it holds the push::

    from aiohttp import web
    from xportcn_async.webhooks import message_handler

    async def on_message(message):
        if message.message_type is MessageType.ORDER_PAY_SUCCESS:
            ...  # re-query the order, then act (idempotently: delivery is at least once)

    app = web.Application()
    receiver = message_handler(on_message, inbox="messages.sqlite")
    receiver.setup(app, "/xportcn/messages")   # route + startup (redelivery) + cleanup (drain)
    web.run_app(app)

* With ``inbox=`` (recommended) each push is committed to a SQLite file
  (:mod:`xportcn_async.inbox`) before the 200; it is delivered at least once,
  de-duplicated by :func:`message_identity`, and what is left at shutdown is
  delivered after the next start.
* Without an inbox the backlog lives in memory, bounded by ``max_pending``:
  past it pushes are answered 503 so that Xportcn pushes them again later;
  what is left at shutdown is logged and counted as failed.

Pass an :class:`asyncio.Queue` instead of a callback to consume events yourself
(a message counts as delivered once it is in the queue). See ``docs/webhooks.md``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import inspect
import logging
import math
import os
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

import attrs
import orjson
from aiohttp import web

from . import serde
from .errors import ResponseDecodeError
from .inbox import Inbox
from .models.messages import Message, MessageType, OrderMessageBody, WireMessage

__all__ = [
    "MessageCallback",
    "MessageReceiver",
    "ReceiverCounters",
    "message_handler",
    "message_identity",
    "parse_message",
]

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


def message_identity(message: Message | Mapping[str, Any] | bytes | str) -> str:
    """The identity of a push: 64 hex digits, the same for every copy of the same push.

    Two pushes are the same when their ``messageType``, ``messageBody`` (the
    string as sent) and ``timestamp`` are equal, whatever the formatting of the
    outer JSON; this is the de-duplication key of the receiver and the key of
    the inbox table.

    >>> a = message_identity(b'{"messageType":"ORDER_CREATE","messageBody":"{}","timestamp":1}')
    >>> a == message_identity(dict(timestamp="1", messageBody="{}", messageType="ORDER_CREATE"))
    True
    """
    doc = message.raw if isinstance(message, Message) else _load(message)
    return hashlib.sha256(orjson.dumps(list(_dedupe_key(doc)))).hexdigest()


# --------------------------------------------------------------------------- receiver

_DEFAULT_RETENTION = 7 * 24 * 3600.0
_MAX_RETRY_DELAY = 60.0
_FETCH_BATCH = 256
_PURGE_EVERY = 3600.0
_ACKS_FIRST = 0.2
_LOG_BODY = 8192


@attrs.frozen(kw_only=True)
class ReceiverCounters:
    """A snapshot of :attr:`MessageReceiver.counters`.

    * ``received``: new pushes accepted (answered 200) in this run;
    * ``duplicates``: pushes answered 200 and not delivered again (same identity);
    * ``rejected``: pushes refused for good: 400 (not a push), 413 (too large),
      408 (body not received within ``read_timeout``);
    * ``rejected_busy``: pushes answered 503, which Xportcn pushes again later:
      backlog full (no inbox), inbox write failed, or receiver closed;
    * ``delivered``: callback calls that returned (or queue puts);
    * ``failed``: messages given up in this run: attempts exhausted (with an inbox
      they stay there and get a new round at the next start) or, without an inbox,
      still undelivered at shutdown;
    * ``retries``: failed callback calls that were retried;
    * ``pending``: messages accepted and not yet delivered or failed.
    """

    received: int
    duplicates: int
    rejected: int
    rejected_busy: int
    delivered: int
    failed: int
    retries: int
    pending: int


@attrs.define(eq=False)
class _Item:
    identity: str
    raw: bytes
    message: Message
    failures: int = 0


class _BodyTooLarge(Exception):
    pass


def _check_int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def _check_seconds(name: str, value: object, *, positive: bool) -> float:
    if isinstance(value, timedelta):
        value = value.total_seconds()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
    seconds = float(value)
    if not math.isfinite(seconds) or seconds < 0 or (positive and seconds == 0):
        bound = "> 0" if positive else ">= 0"
        raise ValueError(f"{name} must be a finite number of seconds {bound}, got {value!r}")
    return seconds


def _check_inbox(value: object) -> Inbox | None:
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(
            f"inbox must be a file path (str or os.PathLike), got {type(value).__name__}"
        )
    text = os.fspath(value)
    if not isinstance(text, str) or text.strip() in ("", ":memory:") or text.startswith("file:"):
        raise ValueError(
            f"inbox must be the path of a file (an in-memory database is not durable: "
            f"pass inbox=None for in-memory receipt), got {value!r}"
        )
    return Inbox(text)


class MessageReceiver:
    """An aiohttp.web handler for pushes: acknowledges what it holds, delivers in the background.

    Answers:

    * 200 once the push is held: committed to the inbox (``inbox=``), or queued
      in memory. A duplicate (same :func:`message_identity`) also gets 200 and is
      not delivered again (with an inbox: across restarts, for ``inbox_retention``;
      in memory: among the last ``dedupe_size`` pushes);
    * 400 for a body that is not JSON or not a message; 413 for a body over
      ``max_body_bytes`` (counted while reading, whatever Content-Length says);
      408 (and the connection closed) for a body not received within ``read_timeout``;
    * 503 when the push cannot be held: the in-memory backlog holds
      ``max_pending`` messages, the inbox write failed, or the receiver is closed.
      Xportcn pushes it again later.

    Delivery: ``concurrency`` workers call the callback. A callback that raises is
    retried after ``retry_delay`` s, doubling each time (at most 60 s), up to
    ``max_attempts`` calls; then the message is counted ``failed`` and logged at
    ERROR. With an inbox it stays there as failed (``attempts``, ``last_error``)
    and gets a new round of ``max_attempts`` at the next start. Callback errors are
    never returned to Xportcn: the push was received.

    Lifecycle: :meth:`setup` installs the route, :meth:`start` on application
    startup (which delivers what an earlier run left in the inbox) and
    :meth:`aclose` on cleanup with ``drain_timeout``. Used without :meth:`setup`,
    the receiver starts on its first push; await :meth:`start` yourself to deliver
    leftovers at once, and :meth:`aclose` on shutdown.
    """

    def __init__(
        self,
        callback: MessageCallback | asyncio.Queue[Message],
        *,
        max_body_bytes: int = 256 * 1024,
        dedupe_size: int = 10000,
        inbox: str | os.PathLike[str] | None = None,
        max_pending: int = 10_000,
        read_timeout: float = 5.0,
        drain_timeout: float = 5.0,
        max_attempts: int = 5,
        retry_delay: float = 1.0,
        concurrency: int = 16,
        inbox_retention: float | timedelta = _DEFAULT_RETENTION,
    ) -> None:
        if not isinstance(callback, asyncio.Queue) and not callable(callback):
            raise TypeError(
                "callback must be a function, a coroutine function or an asyncio.Queue, "
                f"got {type(callback).__name__}"
            )
        if max_body_bytes < 1:
            raise ValueError(f"max_body_bytes must be >= 1, got {max_body_bytes}")
        if dedupe_size < 0:
            raise ValueError(f"dedupe_size must be >= 0, got {dedupe_size}")
        self._callback = callback
        self._max_body_bytes = max_body_bytes
        self._dedupe_size = dedupe_size
        self._inbox = _check_inbox(inbox)
        self._max_pending = _check_int("max_pending", max_pending, 1)
        self._read_timeout = _check_seconds("read_timeout", read_timeout, positive=True)
        self._drain_timeout = _check_seconds("drain_timeout", drain_timeout, positive=False)
        self._max_attempts = _check_int("max_attempts", max_attempts, 1)
        self._retry_delay = _check_seconds("retry_delay", retry_delay, positive=False)
        self._concurrency = _check_int("concurrency", concurrency, 1)
        self._retention = _check_seconds("inbox_retention", inbox_retention, positive=True)

        self._seen: OrderedDict[str, None] = OrderedDict()
        self._queue: asyncio.Queue[_Item] = asyncio.Queue()
        #: Every message held in memory: queued, in a callback, or waiting to be retried.
        self._live: dict[str, _Item] = {}
        #: Inbox rows committed but not loaded into memory yet (may dip below 0 briefly).
        self._unloaded = 0
        self._cursor = 0
        self._recording = 0
        self._quiet = asyncio.Event()  # set when no push is being recorded
        self._quiet.set()
        self._workers: list[asyncio.Task[None]] = []
        self._background: set[asyncio.Task[None]] = set()
        self._retry_waits: dict[asyncio.Task[None], _Item] = {}
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._memory_idle = asyncio.Event()
        self._memory_idle.set()
        self._started = False
        self._starting: asyncio.Lock | None = None
        self._closed = False
        self._close_done: asyncio.Event | None = None
        self._busy_logged = False
        #: Counters: received (accepted), duplicates, rejected (4xx), delivered, failed.
        #: Kept as this dict for compatibility; :attr:`counters` has them all.
        self.stats: dict[str, int] = dict.fromkeys(
            ("received", "duplicates", "rejected", "delivered", "failed"), 0
        )
        self._rejected_busy = 0
        self._retries = 0

    def __repr__(self) -> str:
        where = f"inbox={str(self._inbox.path)!r}" if self._inbox is not None else "in memory"
        return f"MessageReceiver({where}, pending={self.pending}, stats={self.stats})"

    # -- state ---------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Messages accepted and not yet delivered or failed (in memory, or in the inbox)."""
        return len(self._live) + max(self._unloaded, 0)

    @property
    def inbox(self) -> Inbox | None:
        """The :class:`~xportcn_async.inbox.Inbox`, or None for in-memory receipt."""
        return self._inbox

    @property
    def counters(self) -> ReceiverCounters:
        """All counters at this moment (see :class:`ReceiverCounters`)."""
        return ReceiverCounters(
            received=self.stats["received"],
            duplicates=self.stats["duplicates"],
            rejected=self.stats["rejected"],
            rejected_busy=self._rejected_busy,
            delivered=self.stats["delivered"],
            failed=self.stats["failed"],
            retries=self._retries,
            pending=self.pending,
        )

    def _is_closed(self) -> bool:
        return self._closed

    def _changed(self) -> None:
        if self._live:
            self._memory_idle.clear()
        else:
            self._memory_idle.set()
        if self.pending:
            self._idle.clear()
        else:
            self._idle.set()

    def _hold(self, item: _Item) -> None:
        self._live[item.identity] = item
        self._queue.put_nowait(item)
        self._changed()

    def _release(self, item: _Item) -> None:
        if self._live.pop(item.identity, None) is not None:
            self._busy_logged = False
            if self._unloaded > 0:
                self._wake.set()
        self._changed()

    # -- lifecycle -----------------------------------------------------------------------

    def setup(self, app: web.Application, path: str = "/xportcn/messages") -> None:
        """Route ``POST path`` to this receiver, start it on startup, close it on cleanup."""
        app.router.add_post(path, self.handle)
        app.on_startup.append(self.on_startup)
        app.on_cleanup.append(self.on_cleanup)

    async def on_startup(self, app: web.Application) -> None:
        """``app.on_startup`` hook: :meth:`start` (opens the inbox, delivers leftovers)."""
        await self.start()

    async def on_cleanup(self, app: web.Application) -> None:
        """``app.on_cleanup`` hook: :meth:`aclose` with ``drain_timeout``."""
        await self.aclose(timeout=self._drain_timeout)

    async def start(self) -> None:
        """Open the inbox, start the delivery workers and deliver what an earlier run left.

        Idempotent. Raises :class:`~xportcn_async.errors.ConfigurationError` for an
        inbox file of a newer schema version or of another program.
        """
        if self._closed:
            raise RuntimeError("this receiver is closed: create a new one")
        if self._started:
            return
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if not self._started:  # another push may have started it meanwhile
                await self._start_locked()

    async def _start_locked(self) -> None:
        loop = asyncio.get_running_loop()
        if self._inbox is not None:
            await self._inbox.open()
            try:
                left = await self._inbox.begin_run()
            except BaseException:
                await self._inbox.close()
                raise
            self._unloaded += left
            if left:
                logger.info(
                    "inbox %s: delivering %d undelivered message(s)", self._inbox.path, left
                )
            self._spawn(self._feed())
            self._spawn(self._purge_periodically())
            self._wake.set()
        self._workers = [loop.create_task(self._work()) for _ in range(self._concurrency)]
        self._started = True
        self._changed()

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def drain(self) -> None:
        """Wait until every accepted message has been delivered or has failed."""
        while self.pending:
            await self._idle.wait()

    async def aclose(self, *, timeout: float | None = None) -> None:
        """Stop accepting pushes (503) and stop delivering; idempotent.

        Waits up to ``timeout`` s (None: as long as it takes) for callbacks still
        running, then cancels them. With an inbox, only callbacks in progress are
        waited for: everything else is in the inbox and is delivered after the
        next start. Without one, queued messages keep being delivered during the
        wait; those left at the end are logged (WARNING, with their body) and
        counted as failed.
        """
        if self._close_done is not None:
            await self._close_done.wait()
            return
        self._closed = True
        self._close_done = asyncio.Event()
        try:
            await self._shutdown(timeout)
        finally:
            self._close_done.set()

    async def _shutdown(self, timeout: float | None) -> None:
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        if self._inbox is not None:
            # Everything not in a callback is safe in the inbox: let it go at once.
            while not self._queue.empty():
                self._live.pop(self._queue.get_nowait().identity, None)
            await self._cancel_retry_waits()
            self._changed()
        if self._live and self._workers:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._memory_idle.wait(), timeout)
        for task in self._workers:
            task.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        await self._cancel_retry_waits()
        left = list(self._live.values())
        self._live.clear()
        while not self._queue.empty():
            self._queue.get_nowait()
        if self._inbox is not None:
            unloaded = max(self._unloaded, 0)
            self._unloaded = 0
            if left or unloaded:
                logger.warning(
                    "receiver closed: %d message(s) in progress and %d waiting stay in the "
                    "inbox %s and are delivered after the next start",
                    len(left),
                    unloaded,
                    self._inbox.path,
                )
            await self._inbox.close()
        elif left:
            self.stats["failed"] += len(left)
            logger.warning(
                "receiver closed with %d undelivered message(s) (no inbox): they are lost, "
                "re-read their orders from the API",
                len(left),
            )
            for item in left:
                logger.warning(
                    "undelivered at shutdown: %s order %s, push %s",
                    item.message.message_type,
                    item.message.order_id,
                    item.raw[:_LOG_BODY].decode("utf-8", "replace"),
                )
        self._changed()

    async def _cancel_retry_waits(self) -> None:
        waits = list(self._retry_waits)
        for task in waits:
            task.cancel()
        await asyncio.gather(*waits, return_exceptions=True)
        if self._inbox is not None:
            for item in self._retry_waits.values():
                self._live.pop(item.identity, None)
        self._retry_waits.clear()

    # -- receipt -------------------------------------------------------------------------

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        """Handle one push; same as :meth:`handle`."""
        return await self.handle(request)

    def _busy(self, text: str) -> web.Response:
        self._rejected_busy += 1
        return web.Response(status=503, text=text)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Handle one push: the aiohttp.web handler (``add_post(path, receiver.handle)``)."""
        if self._closed:
            return self._busy("receiver closed")
        if request.content_length is not None and request.content_length > self._max_body_bytes:
            self.stats["rejected"] += 1
            return web.Response(status=413, text="push body too large")
        try:
            raw = await asyncio.wait_for(self._read_body(request), self._read_timeout)
        except _BodyTooLarge:
            self.stats["rejected"] += 1
            return web.Response(status=413, text="push body too large")
        except asyncio.TimeoutError:
            self.stats["rejected"] += 1
            logger.warning(
                "push body from %s not received within %.3g s: answered 408",
                request.remote,
                self._read_timeout,
            )
            return await self._cut_off(request)
        try:
            message = parse_message(raw)
        except ResponseDecodeError as exc:
            self.stats["rejected"] += 1
            logger.warning("rejected push: %s", exc)
            return web.Response(status=400, text="not a message push")
        identity = message_identity(message)
        if not self._started:
            try:
                await self.start()
            except Exception:
                logger.exception("the push receiver could not start: answered 503")
                return self._busy("receiver not ready")
        if self._is_closed():  # closed while starting
            return self._busy("receiver closed")
        if self._inbox is not None:
            return await self._record(identity, raw, message)
        return self._accept_in_memory(identity, raw, message)

    async def _read_body(self, request: web.Request) -> bytes:
        body = bytearray()
        async for chunk in request.content.iter_any():
            body += chunk
            if len(body) > self._max_body_bytes:
                raise _BodyTooLarge
        return bytes(body)

    @staticmethod
    async def _cut_off(request: web.Request) -> web.StreamResponse:
        # Answer, then close: aiohttp would otherwise keep reading ("lingering") the
        # rest of a slow body for up to 10 s more.
        response = web.Response(status=408, text="push body not received in time")
        response.force_close()
        await response.prepare(request)
        await response.write_eof()
        if request.transport is not None:
            request.transport.close()
        return response

    async def _record(self, identity: str, raw: bytes, message: Message) -> web.StreamResponse:
        assert self._inbox is not None
        self._recording += 1
        self._quiet.clear()
        try:
            new = await self._inbox.record(identity, raw)
        except Exception as exc:
            logger.error("push %s not recorded in the inbox (answered 503): %s", identity, exc)
            return self._busy("push not recorded, push again later")
        finally:
            self._recording -= 1
            if not self._recording:
                self._quiet.set()
        if not new:
            self.stats["duplicates"] += 1
            logger.debug("duplicate push dropped: %s %s", message.message_type, identity)
            return web.json_response({"code": 200, "msg": "duplicate"})
        self.stats["received"] += 1
        self._unloaded += 1
        self._changed()
        self._wake.set()
        return web.json_response({"code": 200, "msg": "success"})

    def _accept_in_memory(self, identity: str, raw: bytes, message: Message) -> web.StreamResponse:
        if self._dedupe_size and identity in self._seen:
            self._seen.move_to_end(identity)
            self.stats["duplicates"] += 1
            logger.debug("duplicate push dropped: %s %s", message.message_type, identity)
            return web.json_response({"code": 200, "msg": "duplicate"})
        if len(self._live) >= self._max_pending:
            # Not remembered as seen: Xportcn's re-push of it must be accepted.
            if not self._busy_logged:
                self._busy_logged = True
                logger.warning(
                    "%d messages pending (max_pending): answering 503 until some are delivered",
                    len(self._live),
                )
            return self._busy("receiver busy, push again later")
        if self._dedupe_size:
            self._seen[identity] = None
            while len(self._seen) > self._dedupe_size:
                self._seen.popitem(last=False)
        self.stats["received"] += 1
        self._hold(_Item(identity, raw, message))
        return web.json_response({"code": 200, "msg": "success"})

    # -- delivery ------------------------------------------------------------------------

    async def _work(self) -> None:
        while True:
            item = await self._queue.get()
            await self._attempt(item)

    async def _attempt(self, item: _Item) -> None:
        try:
            if isinstance(self._callback, asyncio.Queue):
                await self._callback.put(item.message)
            else:
                result = self._callback(item.message)
                if inspect.isawaitable(result):
                    await result
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            await self._attempt_failed(item, exc)
        else:
            self.stats["delivered"] += 1
            try:
                if self._inbox is not None:
                    await self._inbox.mark_delivered(item.identity)
            except Exception as exc:
                # The row stays undelivered: delivered again after a restart.
                logger.error("could not mark %s delivered in the inbox: %s", item.identity, exc)
            finally:
                # Released after the mark is committed, so that after drain() the file
                # says delivered; a shutdown cancelling this wait still commits it.
                self._release(item)

    async def _attempt_failed(self, item: _Item, exc: Exception) -> None:
        item.failures += 1
        final = item.failures >= self._max_attempts
        if self._inbox is not None:
            try:
                await self._inbox.mark_failed_attempt(
                    item.identity, f"{type(exc).__name__}: {exc}", final=final
                )
            except Exception as store_exc:
                logger.error(
                    "could not record the failed attempt of %s: %s", item.identity, store_exc
                )
        if final:
            self.stats["failed"] += 1
            kept = " (kept in the inbox, retried after the next start)" if self._inbox else ""
            logger.error(
                "message callback failed %d time(s) for %s order %s, giving up%s",
                item.failures,
                item.message.message_type,
                item.message.order_id,
                kept,
                exc_info=exc,
            )
            self._release(item)
            return
        self._retries += 1
        delay = min(self._retry_delay * 2 ** (item.failures - 1), _MAX_RETRY_DELAY)
        logger.warning(
            "message callback failed for %s order %s (attempt %d of %d), retrying in %.3g s: %s",
            item.message.message_type,
            item.message.order_id,
            item.failures,
            self._max_attempts,
            delay,
            exc,
        )
        task = asyncio.get_running_loop().create_task(self._retry_later(item, delay))
        self._retry_waits[task] = item
        task.add_done_callback(lambda t: self._retry_waits.pop(t, None))

    async def _retry_later(self, item: _Item, delay: float) -> None:
        await asyncio.sleep(delay)
        self._queue.put_nowait(item)

    async def _feed(self) -> None:
        """Load committed inbox rows into memory, at most ``max_pending`` at a time."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            # Acks first: while a burst of pushes is being recorded, hold deliveries back
            # a little (at most _ACKS_FIRST s) so they do not compete for the loop.
            if self._recording:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._quiet.wait(), _ACKS_FIRST)
            try:
                await self._load()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("could not read the inbox, trying again in 1 s")
                await asyncio.sleep(1.0)
                self._wake.set()

    async def _load(self) -> None:
        assert self._inbox is not None
        while self._unloaded > 0 and (room := self._max_pending - len(self._live)) > 0:
            rows = await self._inbox.fetch(after=self._cursor, limit=min(room, _FETCH_BATCH))
            if not rows:
                self._unloaded = 0
                break
            for seq, identity, raw in rows:
                self._cursor = max(self._cursor, seq)
                self._unloaded -= 1
                if identity in self._live:
                    continue
                try:
                    message = parse_message(raw)
                except ResponseDecodeError as exc:
                    self.stats["failed"] += 1
                    logger.error("inbox row %s is not a push any more: %s", identity, exc)
                    await self._inbox.mark_failed_attempt(identity, str(exc), final=True)
                    continue
                self._hold(_Item(identity, raw, message))
            self._changed()

    async def _purge_periodically(self) -> None:
        assert self._inbox is not None
        while True:
            try:
                purged = await self._inbox.purge(self._retention)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("could not purge delivered messages from the inbox")
            else:
                if purged:
                    logger.info("inbox: purged %d delivered message(s)", purged)
            await asyncio.sleep(_PURGE_EVERY)


def message_handler(
    callback: MessageCallback | asyncio.Queue[Message],
    *,
    max_body_bytes: int = 256 * 1024,
    dedupe_size: int = 10000,
    inbox: str | os.PathLike[str] | None = None,
    max_pending: int = 10_000,
    read_timeout: float = 5.0,
    drain_timeout: float = 5.0,
    max_attempts: int = 5,
    retry_delay: float = 1.0,
    concurrency: int = 16,
    inbox_retention: float | timedelta = _DEFAULT_RETENTION,
) -> MessageReceiver:
    """Build an aiohttp.web handler that receives pushes and hands each new one to ``callback``.

    ``callback`` is a function or coroutine function taking a :class:`Message`, or
    an :class:`asyncio.Queue` to put messages in (delivered once put). Options
    (all keyword-only):

    * ``inbox``: path of a SQLite file; each push is committed there before the 200,
      delivered at least once, and left-overs are delivered after a restart.
      Without it, receipt is in memory and lost on shutdown (logged, counted failed).
    * ``max_pending`` (10,000): messages held in memory; without an inbox a push past
      it gets 503 (Xportcn pushes it again later); with one it bounds what is
      loaded from the file at once.
    * ``read_timeout`` (5 s): time allowed to receive a body, else 408 and the
      connection is closed. ``max_body_bytes`` (256 KiB): larger bodies get 413.
    * ``max_attempts`` (5) callback calls per message and run, ``retry_delay`` (1 s,
      doubling, ≤ 60 s) between them; ``concurrency`` (16) callbacks at once.
    * ``drain_timeout`` (5 s): how long application cleanup waits for running callbacks.
    * ``dedupe_size`` (10,000): without an inbox, pushes remembered to drop re-pushes
      (0 disables it). ``inbox_retention`` (7 days): how long delivered rows are kept
      to recognise re-pushes.

    Install the returned :class:`MessageReceiver` with :meth:`MessageReceiver.setup`,
    or route its :meth:`~MessageReceiver.handle` yourself and await
    :meth:`MessageReceiver.start` / :meth:`MessageReceiver.aclose` around your server.
    """
    return MessageReceiver(
        callback,
        max_body_bytes=max_body_bytes,
        dedupe_size=dedupe_size,
        inbox=inbox,
        max_pending=max_pending,
        read_timeout=read_timeout,
        drain_timeout=drain_timeout,
        max_attempts=max_attempts,
        retry_delay=retry_delay,
        concurrency=concurrency,
        inbox_retention=inbox_retention,
    )
