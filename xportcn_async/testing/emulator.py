"""The emulator: a local fake Xportcn KA Open API server (think stripe-mock or moto).

It serves every endpoint of :data:`xportcn_async.endpoints.CATALOGUE` under a base
path (``/api``), checks the five system headers and the signature exactly like
the real service, answers the real envelope with seeded, deterministic data, keeps
state across calls (orders created, paid, refunded) and injects faults on demand::

    async with Emulator(orders=2000, seed=1) as emu:
        async with XportcnClient(**emu.credentials, base_url=emu.base_url) as xp:
            page = await xp.taobao.orders.list(page_num=1, page_size=50)
        assert emu.counters.requests["taobao.orders.list"] == 1

Business codes (envelope ``code``; delivered with HTTP 200 unless stated):

======  =========================================================================
200     success
400     bad input: invalid JSON, missing required field, wrong type, pageSize out
        of range, unknown enum value, price mismatch, status that forbids the call
401     authentication failed; ``msg`` says why: missing header, unknown
        access-key, malformed timestamp, signature mismatch, timestamp more than
        600 s off, nonce-str already used within 600 s
403     unknown user-id (the key is valid but cannot act for that user)
404     unknown object: order, offer, item, category, address, renderId
405     a method other than GET or POST
429     rate limited (fault injection; HTTP 429 with ``Retry-After``)
500     server error (fault injection: HTTP 5xx, or HTTP 200 business error)
4002…   ``submit_return``: 4002 refund missing, 4003 refund-only (no return),
4008    4004 unknown logistics company, 4005 freightBill missing, 4006 description
        too long, 4007 more than 10 vouchers, 4008 already submitted
5001…   ``create_refund`` (upstream codes): 5001 order or entry missing, 5003
5013    goodsStatus does not fit the order, 5004 bad reason id, 5005 voucher
        required, 5006 carriage must be 0, 5010 order status forbids a refund or
        one is in progress, 5011 amount too high, 5012 description not 2–150
        chars, 5013 return quantity too high
======  =========================================================================

A path outside the catalogue answers HTTP 404 with a Spring-style JSON error (no
``code``), like a real gateway would. See ``docs/emulator.md`` for the full guide.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import hmac
import logging
import random
import sys
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Awaitable, Callable, Iterator, Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from types import TracebackType
from typing import Any, Literal, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import orjson
from aiohttp import web

from ..endpoints import Endpoint, resolve_endpoints
from ..signing import Signer, sign
from .data import MAX_ORDERS, parse_china_time
from .faults import OK, FaultDecision, FaultInjector, FaultPlan
from .handlers import BusinessError, Call, DuplicateRequest, Handlers, Short
from .push import Delivery, MessagePusher, build_message
from .state import EmulatorState

__all__ = [
    "DEFAULT_CREDENTIALS",
    "Counters",
    "Credentials",
    "Emulator",
    "run",
    "serve_forever",
]

logger = logging.getLogger("xportcn_async.testing")

try:
    _CHINA: tzinfo = ZoneInfo("Asia/Shanghai")
except ZoneInfoNotFoundError:  # no tz database (Windows without tzdata): same offset
    _CHINA = timezone(timedelta(hours=8), "CST")

SYSTEM_HEADERS = ("access-key", "timestamp", "nonce-str", "user-id", "signature")
_HTML_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_REASONS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Time-out",
}
_CACHEABLE = frozenset(
    {
        "taobao.orders.list",
        "alibaba.orders.list",
        "alibaba.products.search",
        "taobao.products.search",
        "alibaba.products.category",
        "alibaba.after_sales.logistics_companies",
    }
)


@attrs.frozen(kw_only=True)
class Credentials:
    """The emulator's test account. Works as a mapping: ``XportcnClient(**emu.credentials)``."""

    access_key: str = "3f9d2c6e1b8a4d7f9e0c5a2b6d8f1e34"
    access_secret: str = attrs.field(default="c0ffee00emulator00not00a00secret", repr=False)
    user_id: str = "2100008388036"

    def keys(self) -> tuple[str, ...]:
        """The field names (so ``**credentials`` works)."""
        return ("access_key", "access_secret", "user_id")

    def __getitem__(self, name: str) -> str:
        if name not in self.keys():
            raise KeyError(name)
        return str(getattr(self, name))

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def as_dict(self) -> dict[str, str]:
        """``{"access_key": …, "access_secret": …, "user_id": …}``."""
        return {k: self[k] for k in self.keys()}

    def env(self, base_url: str | None = None) -> dict[str, str]:
        """The ``XPORTCN_*`` environment variables for this account (and base URL)."""
        out = {
            "XPORTCN_ACCESS_KEY": self.access_key,
            "XPORTCN_ACCESS_SECRET": self.access_secret,
            "XPORTCN_USER_ID": self.user_id,
        }
        if base_url is not None:
            out["XPORTCN_BASE_URL"] = base_url
        return out


#: The default test account of every emulator.
DEFAULT_CREDENTIALS = Credentials()


@attrs.define
class Counters:
    """What the emulator saw, for assertions. ``reset()`` zeroes everything.

    * ``requests``: requests per endpoint key (every request that reached a catalogue path)
    * ``faults``: faults injected per kind (``reset``, ``server_error``, ``rate_limit``…)
    * ``auth_rejections``: rejected requests per reason (``missing_header``,
      ``unknown_access_key``, ``bad_timestamp``, ``bad_signature``, ``stale_timestamp``,
      ``replayed_nonce``, ``unknown_user``)
    * ``orders_created``: new orders per platform (``taobao``, ``alibaba``)
    * ``duplicates_avoided``: create calls answered from the idempotency record, per key
    * ``drift_orders``: orders inserted by drift
    * ``business_errors``: non-200 envelopes per code (auth and faults excluded)
    * ``pushes``: message deliveries: ``attempts``, ``delivered``, ``failed``
    """

    requests: Counter[str] = attrs.field(factory=Counter)
    faults: Counter[str] = attrs.field(factory=Counter)
    auth_rejections: Counter[str] = attrs.field(factory=Counter)
    orders_created: Counter[str] = attrs.field(factory=Counter)
    duplicates_avoided: Counter[str] = attrs.field(factory=Counter)
    business_errors: Counter[int] = attrs.field(factory=Counter)
    pushes: Counter[str] = attrs.field(factory=Counter)
    drift_orders: int = 0

    @property
    def total_requests(self) -> int:
        """Requests over all endpoints."""
        return sum(self.requests.values())

    def reset(self) -> None:
        """Zero every counter."""
        for field in attrs.fields(Counters):
            value = getattr(self, field.name)
            if isinstance(value, Counter):
                value.clear()
        self.drift_orders = 0


class _Rejected(Exception):
    def __init__(self, code: int, reason: str, msg: str) -> None:
        super().__init__(msg)
        self.code = code
        self.reason = reason
        self.msg = msg


class _NonceStore:
    """Nonces seen in the last ``ttl`` seconds, with bounded memory."""

    def __init__(self, ttl: float, max_size: int = 1_000_000) -> None:
        self.ttl = ttl
        self.max_size = max_size
        self._expiry: dict[str, float] = {}
        self._queue: deque[tuple[float, str]] = deque()

    def __len__(self) -> int:
        return len(self._expiry)

    def add(self, nonce: str, now: float) -> bool:
        """Record ``nonce``; False when it was already seen within ``ttl``."""
        queue, expiry = self._queue, self._expiry
        while queue and (queue[0][0] <= now or len(queue) > self.max_size):
            when, old = queue.popleft()
            if expiry.get(old) == when:
                del expiry[old]
        seen = expiry.get(nonce)
        if seen is not None and seen > now:
            return False
        when = now + self.ttl
        expiry[nonce] = when
        queue.append((when, nonce))
        return True


def _to_epoch(value: datetime | float | int | str | None, default: float) -> int:
    if value is None:
        return int(default // 3600 * 3600)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return parse_china_time(value.strftime("%Y-%m-%d %H:%M:%S"))
        return int(value.timestamp())
    if isinstance(value, str):
        return parse_china_time(value)
    return int(value)


class Emulator:
    """A fake Xportcn server with seeded data, real signature checks, state and faults.

    Args (all keyword-only):
        orders: Taobao orders to generate (``taobao.orders.list``).
        alibaba_orders: 1688 orders to generate (default: same as ``orders``).
        seed: seeds all data, request ids and (unless the plan says otherwise) faults.
        now: end of the generated orders' time range: a ``datetime`` (naive = China
            time), Unix seconds, or ``"YYYY-MM-DD HH:MM:SS"`` China time. Default: the
            start of the current hour. Same ``seed`` + same ``now`` → byte-identical data.
        days: length of the time range the orders are spread over (newest denser).
        time_func: the emulator's clock in Unix seconds (signature timestamps, nonce
            expiry, the ``Date`` header, ``createTime`` of new orders). Inject a fake
            to test clock skew or to get fully reproducible new orders.
        faults: a :class:`FaultPlan` (default: none). Change later with ``emu.faults = …``.
        fast: benchmark mode: no faults or drift, no nonce bookkeeping (signatures and
            timestamps are still checked), serialized list pages cached.
        endpoint_paths: path overrides by endpoint key, as the client takes them.
        credentials: the test account (default :data:`DEFAULT_CREDENTIALS`).
        host, port: where :meth:`start` listens (port 0: a free port).
        base_path: path prefix of every endpoint (``/api`` like production).
        auth_http_status: HTTP status of authentication failures (200 like the API).
        max_clock_skew, nonce_ttl: the 600 s windows of the real service.
        max_page_size: largest ``pageSize`` accepted (400 above it).
        callback_url: when set, order events (create, pay, refund) are pushed there.
        push_retry_interval, push_max_retries, push_timeout: re-push rules (30 min,
            5, 1 s in production; shorten the interval in tests).
        signer: the signature function (default :func:`xportcn_async.signing.sign`).
        prewarm: build and serialize every order document in :meth:`start` (default:
            ``fast``), so a benchmark measures the client, not the first-use
            generation (about 80 µs per order).
        taobao_echo_key: echo a created Taobao order's ``sellerOrderNumber`` under this
            key of its listed document (default: not echoed, as far as is known of the
            real service; ``purchaseOrderOuterId`` is always Taobao's own number). For
            testing ``create_recovery="lookup_and_resend"``.
        alibaba_amount_unit: the unit of the amounts in 1688 order list/detail answers
            (``totalAmount``, ``sumProductPayment``, ``shippingFee``, item ``price`` and
            ``itemAmount``): ``"yuan"`` with decimals, as upstream 1688 sends them and
            the spec infers for KA (default), or ``"fen"`` (integers) to test the
            override. The preview, pushes and refunds stay in fen.
    """

    def __init__(
        self,
        *,
        orders: int = 2000,
        alibaba_orders: int | None = None,
        seed: int = 0,
        now: datetime | float | str | None = None,
        days: float = 90.0,
        time_func: Callable[[], float] = time.time,
        faults: FaultPlan | None = None,
        fast: bool = False,
        endpoint_paths: Mapping[str, str] | None = None,
        credentials: Credentials | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        base_path: str = "/api",
        auth_http_status: int = 200,
        max_clock_skew: float = 600.0,
        nonce_ttl: float = 600.0,
        max_page_size: int = 200,
        callback_url: str | None = None,
        push_retry_interval: float = 1800.0,
        push_max_retries: int = 5,
        push_timeout: float = 1.0,
        signer: Signer = sign,
        prewarm: bool | None = None,
        taobao_echo_key: str | None = None,
        alibaba_amount_unit: Literal["yuan", "fen"] = "yuan",
    ) -> None:
        n_ali = orders if alibaba_orders is None else alibaba_orders
        if not 0 <= orders <= MAX_ORDERS or not 0 <= n_ali <= MAX_ORDERS:
            raise ValueError(f"orders must be between 0 and {MAX_ORDERS}")
        self.seed = seed
        self.credentials = credentials or DEFAULT_CREDENTIALS
        self.host = host
        self.port = port
        self.base_path = "/" + base_path.strip("/") if base_path.strip("/") else ""
        self.fast = fast
        self.auth_http_status = auth_http_status
        self.max_clock_skew = max_clock_skew
        self.callback_url = callback_url
        self.prewarm_on_start = fast if prewarm is None else prewarm
        self.endpoints: dict[str, Endpoint] = resolve_endpoints(endpoint_paths)
        self.endpoint_paths = dict(endpoint_paths or {})
        self.counters = Counters()
        self.deliveries: list[Delivery] = []
        self._time = time_func
        self._signer = signer
        self._t0 = time_func()
        anchor = _to_epoch(now, self._t0)
        self._clock_origin = self._t0 if now is None else anchor
        self.state = EmulatorState(
            seed=seed,
            taobao_orders=orders,
            alibaba_orders=n_ali,
            now=anchor,
            days=days,
            clock=self._data_clock,
            user_id=self.credentials.user_id,
        )
        self.state.taobao_echo_key = taobao_echo_key
        if alibaba_amount_unit not in ("yuan", "fen"):
            raise ValueError(
                f"alibaba_amount_unit must be 'yuan' or 'fen', got {alibaba_amount_unit!r}"
            )
        self.state.alibaba_amount_unit = alibaba_amount_unit
        self.handlers = Handlers(self.state, max_page_size=max_page_size, emit=self._on_event)
        self._nonces = _NonceStore(nonce_ttl)
        self._ids = random.Random(f"{seed}/request-ids")
        self.develop_id = str(random.Random(f"{seed}/develop").randrange(10**18, 10**19))
        self._plan = FaultPlan()
        self._injector = FaultInjector(self._plan, seed)
        self.set_faults(faults)
        self._page_cache: OrderedDict[tuple[str, bytes, int], orjson.Fragment] = OrderedDict()
        self._pusher = MessagePusher(
            timeout=push_timeout, retry_interval=push_retry_interval, max_retries=push_max_retries
        )
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None
        self.app = self._make_app()

    # ----------------------------------------------------------------- public API

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/api`` once started."""
        if self._base_url is None:
            raise RuntimeError(
                "the emulator is not started: use 'async with Emulator()' or start()"
            )
        return self._base_url

    def url(self, key: str) -> str:
        """The full URL of an endpoint key (after path overrides)."""
        return self.base_url + self.endpoints[key].path

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``XportcnClient`` pointed at this emulator."""
        kwargs: dict[str, Any] = {**self.credentials.as_dict(), "base_url": self.base_url}
        if self.endpoint_paths:
            kwargs["endpoint_paths"] = dict(self.endpoint_paths)
        return kwargs

    def now(self) -> float:
        """The emulator clock (Unix seconds), as used for signature checks."""
        return self._time()

    @property
    def data_begin(self) -> datetime:
        """Start of the generated orders' creation times (aware, Asia/Shanghai)."""
        return datetime.fromtimestamp(self.state.data_begin, _CHINA)

    @property
    def data_end(self) -> datetime:
        """End of the generated orders' creation times: the ``now`` anchor (Asia/Shanghai)."""
        return datetime.fromtimestamp(self.state.now_anchor, _CHINA)

    @property
    def faults(self) -> FaultPlan:
        """The current :class:`FaultPlan`. Assigning a new plan restarts its random streams."""
        return self._plan

    @faults.setter
    def faults(self, plan: FaultPlan | None) -> None:
        self.set_faults(plan)

    def set_faults(self, plan: FaultPlan | None = None, **settings: Any) -> FaultPlan:
        """Replace the fault plan; keyword settings build one on the fly.

        ``FaultRule`` fields go to the default rule, ``drift_per_request`` and
        ``seed`` to the plan: ``emu.set_faults(server_error=0.1, drift_per_request=2)``.
        ``emu.set_faults()`` turns every fault off.
        """
        if settings:
            plan_fields = {f.name for f in attrs.fields(FaultPlan)} - {"default"}
            plan_kwargs = {k: v for k, v in settings.items() if k in plan_fields}
            rule_kwargs = {k: v for k, v in settings.items() if k not in plan_fields}
            base = plan or FaultPlan()
            default = attrs.evolve(base.default, **rule_kwargs) if rule_kwargs else base.default
            plan = attrs.evolve(base, default=default, **plan_kwargs)
        self._plan = plan or FaultPlan()
        for key in self._plan.endpoints:
            if key not in self.endpoints:
                raise ValueError(f"fault plan names an unknown endpoint key {key!r}")
        self._injector = FaultInjector(self._plan, self.seed)
        return self._plan

    def prewarm(self) -> None:
        """Build and serialize every order now instead of on first use."""
        for tb in self.state.taobao.records:
            self.state.taobao_fragment(tb)
        for ali in self.state.alibaba.records:
            self.state.alibaba_fragment(ali)

    async def start(self) -> None:
        """Listen on ``host:port`` (port 0 picks a free one) and set :attr:`base_url`."""
        if self._runner is not None:
            return
        if self.prewarm_on_start:
            self.prewarm()
        runner = web.AppRunner(
            self.app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        host, port = runner.addresses[0][:2]
        host = f"[{host}]" if ":" in str(host) else str(host)
        self.port = int(port)
        self._base_url = f"http://{host}:{port}{self.base_path}"

    async def close(self) -> None:
        """Stop listening, cancel pending pushes and delays, close sessions."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()  # runs _on_shutdown too
        else:
            await self._shutdown_tasks()
        self._base_url = None

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def push_message(
        self,
        url: str | None = None,
        *,
        message_type: str = "ORDER_PAY_SUCCESS",
        order: object = None,
        platform: int | None = None,
        body: Mapping[str, Any] | None = None,
        wait: bool = True,
    ) -> Delivery:
        """Push an order message (spec §5) to ``url`` (default: ``callback_url``).

        ``order`` is an order of the emulator: a 1688 order id (platform 1) or a
        Taobao id / orderNo / purchaseId (platform 0); ``body`` overrides or
        extends the generated ``messageBody``. Failed deliveries (no HTTP 200
        within ``push_timeout``) are re-pushed ``push_max_retries`` times every
        ``push_retry_interval`` seconds. With ``wait=False`` the delivery runs in
        the background and the returned :class:`Delivery` fills in as it goes.
        """
        target = url or self.callback_url
        if not target:
            raise ValueError("push_message needs a url (or an Emulator callback_url)")
        if platform is None:
            platform = 1 if order is not None and self.state.find_alibaba(order) else 0
        message_body: dict[str, Any] = {}
        if order is not None:
            message_body = self.state.message_body(platform, order)
        message_body.update(body or {})
        message = build_message(
            message_type, message_body, platform=platform, timestamp_ms=int(self._time() * 1000)
        )
        delivery = Delivery(url=target, message=message)
        self.deliveries.append(delivery)
        if wait:
            return await self._deliver(delivery)
        self._spawn(self._deliver(delivery))
        return delivery

    async def wait_for_pushes(self) -> None:
        """Wait until every background delivery has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # ----------------------------------------------------------------- internals

    def _data_clock(self) -> int:
        # The seeded data ends at the anchor (the hour before start when ``now`` is not
        # given, so the data is the same all hour); orders made later are stamped with
        # the time as it runs from the real start, like the real service's clock.
        return int(self._clock_origin + (self._time() - self._t0))

    def _spawn(self, coro: Awaitable[Any]) -> None:
        async def runner() -> None:
            await coro

        task = asyncio.get_running_loop().create_task(runner())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, delivery: Delivery) -> Delivery:
        await self._pusher.deliver(delivery)
        self.counters.pushes["attempts"] += len(delivery.attempts)
        self.counters.pushes["delivered" if delivery.delivered else "failed"] += 1
        return delivery

    def _on_event(
        self, message_type: str, platform: int, order: object, extra: Mapping[str, Any] | None
    ) -> None:
        if message_type == "ORDER_CREATE":
            self.counters.orders_created["alibaba" if platform == 1 else "taobao"] += 1
        if not self.callback_url:
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        self._spawn(
            self.push_message(
                message_type=message_type, order=order, platform=platform, body=extra, wait=True
            )
        )

    async def _shutdown_tasks(self) -> None:
        self._closing.set()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        await self._pusher.close()

    async def _on_shutdown(self, app: web.Application) -> None:
        await self._shutdown_tasks()

    def _make_app(self) -> web.Application:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        for endpoint in self.endpoints.values():
            app.router.add_route("*", self.base_path + endpoint.path, self._route(endpoint.key))
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        app.on_shutdown.append(self._on_shutdown)
        return app

    def _route(self, key: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def handler(request: web.Request) -> web.StreamResponse:
            return await self._dispatch(key, request)

        return handler

    async def _not_found(self, request: web.Request) -> web.StreamResponse:
        doc = {
            "timestamp": datetime.fromtimestamp(self._time(), timezone.utc).isoformat(),
            "status": 404,
            "error": "Not Found",
            "path": request.path,
        }
        return self._respond(orjson.dumps(doc), status=404)

    def _request_id(self) -> str:
        return f"{self._ids.getrandbits(128):032x}"

    def _envelope(self, code: int, msg: str, data: Any = None) -> bytes:
        return orjson.dumps(
            {
                "requestId": self._request_id(),
                "code": code,
                "developId": self.develop_id,
                "msg": msg,
                "data": data,
            }
        )

    def _respond(
        self,
        body: bytes,
        *,
        status: int = 200,
        content_type: str = "application/json",
        headers: Mapping[str, str] | None = None,
    ) -> web.Response:
        all_headers = {"Date": email.utils.formatdate(self._time(), usegmt=True)}
        all_headers.update(headers or {})
        return web.Response(
            body=body,
            status=status,
            content_type=content_type,
            charset="utf-8",
            headers=all_headers,
        )

    def _authenticate(self, request: web.Request) -> None:
        h = request.headers
        for name in SYSTEM_HEADERS:
            if not h.get(name):
                raise _Rejected(401, "missing_header", f"missing header: {name}")
        access_key = h["access-key"]
        creds = self.credentials
        if access_key != creds.access_key:
            raise _Rejected(401, "unknown_access_key", "unknown access-key")
        raw_ts, nonce = h["timestamp"].strip(), h["nonce-str"]
        if not raw_ts.isdigit() or len(raw_ts) not in (10, 13):
            raise _Rejected(
                401, "bad_timestamp", "timestamp must be Unix seconds (10 digits) or ms (13)"
            )
        expected = self._signer(access_key, h["timestamp"], nonce, creds.access_secret)
        if not hmac.compare_digest(h["signature"].encode(), expected.encode()):
            raise _Rejected(401, "bad_signature", "signature mismatch")
        now = self._time()
        ts = int(raw_ts) / (1000 if len(raw_ts) == 13 else 1)
        if abs(ts - now) > self.max_clock_skew:
            raise _Rejected(
                401,
                "stale_timestamp",
                f"timestamp expired: {raw_ts} is {ts - now:+.0f} s from server time "
                f"(allowed ±{self.max_clock_skew:.0f} s)",
            )
        if not self.fast and not self._nonces.add(access_key + "\0" + nonce, now):
            raise _Rejected(401, "replayed_nonce", "nonce-str already used")
        if h["user-id"] != creds.user_id:
            raise _Rejected(403, "unknown_user", f"unknown user-id {h['user-id']}")

    async def _decode(self, key: str, request: web.Request) -> tuple[Call, bytes]:
        query = request.query
        files: dict[str, bytes] = {}
        body: dict[str, Any] = {}
        raw = b""
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    files[name] = value.file.read()
                else:
                    body[name] = value
        else:
            raw = await request.read()
            if raw.strip():
                try:
                    doc = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    raise BusinessError(400, "request body is not valid JSON") from None
                if not isinstance(doc, dict):
                    raise BusinessError(400, "request body must be a JSON object")
                body = doc
        for name, value in query.items():
            body.setdefault(name, value)
        cache_key = raw + b"?" + request.query_string.encode()
        return Call(
            key=key, body=body, query=query, files=files, user_id=self.credentials.user_id
        ), cache_key

    def _drift(self, key: str) -> None:
        n = self._plan.drift_per_request
        if not n or key not in self._plan.drift_endpoints:
            return
        for _ in range(n):
            if key == "alibaba.orders.list":
                rec = self.state.add_alibaba_order(status="waitbuyerpay")
                rec.out_order_id = None
            else:
                self.state.add_taobao_order(status=0)
        self.counters.drift_orders += n

    async def _dispatch(self, key: str, request: web.Request) -> web.StreamResponse:
        self.counters.requests[key] += 1
        if request.method not in ("GET", "POST"):
            return self._respond(
                self._envelope(405, f"method {request.method} not allowed"), status=405
            )
        decision = OK if self.fast else self._injector.decide(key)
        if decision.before_handler:
            self.counters.faults[str(decision.kind)] += 1
            return await self._fault_response(request, decision)
        try:
            self._authenticate(request)
        except _Rejected as rej:
            self.counters.auth_rejections[rej.reason] += 1
            return self._respond(self._envelope(rej.code, rej.msg), status=self.auth_http_status)
        if not self.fast:
            self._drift(key)
        body = await self._handle(key, request)
        if decision.kind is not None:
            self.counters.faults[decision.kind] += 1
        if decision.kind == "reset_after":
            assert request.transport is not None
            request.transport.close()
            return web.Response()
        if decision.kind == "truncate":
            body = body[: max(1, min(len(body) - 1, int(len(body) * decision.cut)))]
        if decision.kind == "delay" and decision.delay > 0:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._closing.wait(), timeout=decision.delay)
        return self._respond(body)

    async def _handle(self, key: str, request: web.Request) -> bytes:
        try:
            call, cache_key = await self._decode(key, request)
            handler = self.handlers.table[key]
            if self.fast and key in _CACHEABLE:
                ck = (key, cache_key, self.state.version)
                frag = self._page_cache.get(ck)
                if frag is None:
                    frag = orjson.Fragment(orjson.dumps(handler(call)))
                    self._page_cache[ck] = frag
                    if len(self._page_cache) > 512:
                        self._page_cache.popitem(last=False)
                result: Any = frag
            else:
                result = handler(call)
        except DuplicateRequest as dup:
            self.counters.duplicates_avoided[key] += 1
            result = dup.response
        except BusinessError as err:
            self.counters.business_errors[err.code] += 1
            return self._envelope(err.code, err.msg, err.data)
        except Exception:
            logger.exception("emulator: %s failed", key)
            self.counters.business_errors[500] += 1
            return self._envelope(500, "系统异常 (emulator internal error, see its log)")
        if isinstance(result, Short):
            return orjson.dumps({"code": result.code, "msg": result.msg})
        return self._envelope(200, "成功", result)

    async def _fault_response(
        self, request: web.Request, decision: FaultDecision
    ) -> web.StreamResponse:
        kind = decision.kind
        if kind == "reset":
            assert request.transport is not None
            request.transport.close()
            return web.Response()
        if kind == "html_error":
            status = decision.status
            page = _HTML_PAGE.format(status=status, reason=_REASONS.get(status, "Error"))
            return self._respond(page.encode(), status=status, content_type="text/html")
        if kind == "rate_limit":
            headers = {}
            if decision.retry_after is not None:
                value = decision.retry_after
                headers["Retry-After"] = str(int(value)) if value == int(value) else f"{value:g}"
            body = self._envelope(429, "请求过于频繁,请稍后再试 (rate limited)")
            return self._respond(body, status=429, headers=headers)
        if kind == "server_error":
            body = self._envelope(decision.code, "系统繁忙,请稍后再试 (server error)")
            return self._respond(body, status=decision.status)
        # business_error: HTTP 200, error envelope
        return self._respond(self._envelope(decision.code, "系统异常,请稍后再试"))


# --------------------------------------------------------------------------- standalone


def _announce(emu: Emulator, out: TextIO) -> None:
    creds = emu.credentials
    lines = [
        f"Xportcn emulator listening on {emu.base_url}",
        f"  data: {len(emu.state.taobao)} Taobao orders, {len(emu.state.alibaba)} 1688 orders, "
        f"seed {emu.seed}",
        "  test credentials (export them, or pass them to XportcnClient):",
        *(f"    export {k}={v}" for k, v in creds.env(emu.base_url).items()),
    ]
    if emu.faults.active:
        lines.append(f"  faults: {emu.faults.describe()}")
    lines.append("Press Ctrl-C to stop.")
    out.write("\n".join(lines) + "\n")
    out.flush()


async def serve_forever(
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    orders: int = 2000,
    seed: int = 0,
    faults: FaultPlan | str | None = None,
    out: TextIO | None = None,
    ready: Callable[[Emulator], None] | None = None,
    **options: Any,
) -> None:
    """Start an emulator, print its URL and test credentials, and serve until cancelled.

    ``faults`` takes a :class:`FaultPlan` or its compact string form
    (:meth:`FaultPlan.parse`); other keyword options go to :class:`Emulator`.
    """
    plan = FaultPlan.parse(faults) if isinstance(faults, str) else faults
    emu = Emulator(host=host, port=port, orders=orders, seed=seed, faults=plan, **options)
    async with emu:
        _announce(emu, out or sys.stdout)
        if ready is not None:
            ready(emu)
        await asyncio.Event().wait()


def run(
    host: str = "127.0.0.1",
    port: int = 8080,
    orders: int = 2000,
    seed: int = 0,
    faults: FaultPlan | str | None = None,
    **options: Any,
) -> None:
    """Blocking entry point for command lines: serve until Ctrl-C."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(
            serve_forever(host=host, port=port, orders=orders, seed=seed, faults=faults, **options)
        )
