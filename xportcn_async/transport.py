"""The request pipeline: one call, end to end, in one place.

:meth:`Transport.send` is the only path to the network. For every call it resolves the
:class:`~xportcn_async.options.RequestOptions`, then runs one tenacity loop; each attempt
waits for the rate limiter, signs (fresh nonce and timestamp), sends, reads the body as a
stream under ``max_response_bytes`` (after decompression), feeds the ``Date`` header to the
clock, decodes the envelope and maps errors to typed exceptions. After a failed attempt
:meth:`RetryPolicy.decide <xportcn_async.options.RetryPolicy.decide>` says whether to try
again and after how long. The answer is an :class:`Envelope` carrying the request id,
HTTP status, headers and elapsed time; :class:`RawResponse` is what
``xp.with_raw_response`` hands out.
"""

from __future__ import annotations

import asyncio
import contextvars
import email.utils
import logging
import time
import zlib
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import aiohttp
import attrs
import orjson
from tenacity import AsyncRetrying, RetryCallState

from .config import ClientConfig
from .endpoints import Endpoint
from .errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    InvalidRequestError,
    OutcomeUnknownError,
    RateLimitError,
    ResponseDecodeError,
    ResponseTooLargeError,
    ServerError,
    TransportError,
)
from .options import RequestOptions, RetryPolicy
from .signing import Clock, SigningMiddleware

__all__ = [
    "Attempt",
    "Envelope",
    "RateLimiter",
    "RawResponse",
    "Transport",
    "current_attempt",
    "decode_response",
    "error_class_for",
    "read_in_request",
]

T = TypeVar("T")

#: Set by ``xp.with_raw_response`` around one call: every successful envelope is appended.
raw_capture: contextvars.ContextVar[list[Envelope] | None] = contextvars.ContextVar(
    "xportcn_raw_capture", default=None
)

logger = logging.getLogger("xportcn_async")

_EXCERPT = 200


@attrs.frozen(kw_only=True)
class Envelope:
    """A decoded answer: the envelope fields plus the HTTP status and headers.

    ``data`` is the envelope's ``data`` as decoded JSON (dict, list, scalar or None);
    ``elapsed`` the seconds the successful attempt took (sending to the last body byte).
    """

    request_id: str | None
    code: int
    msg: str
    develop_id: str | None
    data: Any
    http_status: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    elapsed: float = 0.0


@attrs.frozen
class RawResponse(Generic[T]):
    """A successful answer as it came, with the typed result one :meth:`parse` away.

    ``xp.with_raw_response.taobao.orders.create(...)`` returns one: give
    :attr:`request_id` to Xportcn support. :meth:`parse` returns exactly what the plain
    call returns (or raises what it would raise, e.g. a ``ResponseDecodeError``).
    """

    envelope: Envelope
    _parse: Callable[[], T] = attrs.field(repr=False, alias="parse")

    @property
    def request_id(self) -> str | None:
        """The server's ``requestId``."""
        return self.envelope.request_id

    @property
    def http_status(self) -> int:
        """The HTTP status of the answer."""
        return self.envelope.http_status

    @property
    def headers(self) -> Mapping[str, str]:
        """The HTTP headers of the answer."""
        return self.envelope.headers

    @property
    def elapsed(self) -> float:
        """Seconds the successful attempt took."""
        return self.envelope.elapsed

    @property
    def data(self) -> Any:
        """The envelope's ``data`` as decoded JSON."""
        return self.envelope.data

    def parse(self) -> T:
        """The typed result of the call."""
        return self._parse()


def error_class_for(status: int) -> type[APIError]:
    """The exception class for an HTTP status or an envelope code."""
    if status in (401, 403):
        return AuthenticationError
    if status == 429:
        return RateLimitError
    if 500 <= status <= 599:
        return ServerError
    if 400 <= status <= 499:
        return InvalidRequestError
    return APIError


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, when - time.time())


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def _raise_api_error(
    status_or_code: int,
    *,
    msg: str,
    code: int | None,
    request_id: str | None,
    http_status: int,
    endpoint: str | None,
    body: Any,
    headers: Mapping[str, str],
) -> None:
    cls = error_class_for(status_or_code)
    common: dict[str, Any] = {
        "code": code,
        "request_id": request_id,
        "http_status": http_status,
        "endpoint": endpoint,
        "body": body,
    }
    if cls is RateLimitError:
        raise RateLimitError(msg, retry_after=_retry_after(headers), **common)
    raise cls(msg, **common)


def _cut_short(raw: bytes) -> bool:
    """Whether ``raw`` (which failed to parse) is the start of a JSON document cut short.

    True when the parser ran out of input, or the cut split a multi-byte character;
    garbage (an HTML page, text, a syntax error mid-document) is not "cut short".
    """
    text = raw.strip()
    if text[:1] not in (b"{", b"["):
        return False
    try:
        chars = text.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.end == len(text)
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return exc.pos >= len(chars)
    return False


def decode_response(
    status: int,
    headers: Mapping[str, str],
    raw: bytes,
    *,
    endpoint: str | None = None,
    success_codes: frozenset[int] = frozenset({200}),
    elapsed: float = 0.0,
) -> Envelope:
    """Turn an HTTP answer into an :class:`Envelope` or raise the matching error.

    * HTTP status >= 400 → the class for the HTTP status (401/403, 429, 5xx, 4xx),
      with code, message and request id from the envelope when the body is one,
      else the start of the body as the message (an HTML 502 page is a ServerError).
    * HTTP 2xx whose body is not JSON or has no integer ``code`` → ResponseDecodeError,
      except a JSON document cut short (the answer was lost in transit, like a
      reset): :class:`TransportError`, so a read is retried and a write reports
      :class:`OutcomeUnknownError`.
    * ``code`` not in ``success_codes`` → the class for the code, else plain APIError.
    """
    try:
        doc = orjson.loads(raw) if raw else None
    except orjson.JSONDecodeError:
        doc = None
    code = doc.get("code") if isinstance(doc, dict) else None
    if isinstance(code, str) and code.isascii() and code.lstrip("-").isdigit() and len(code) < 20:
        code = int(code)  # ASCII only: "²".isdigit() is true but int("²") fails
    if not isinstance(code, int) or isinstance(code, bool):
        excerpt = raw[:_EXCERPT].decode("utf-8", "replace")
        if status >= 400:
            _raise_api_error(
                status,
                msg=excerpt.strip() or f"HTTP {status}",
                code=None,
                request_id=None,
                http_status=status,
                endpoint=endpoint,
                body=excerpt,
                headers=headers,
            )
        if doc is None and _cut_short(raw):
            # Lost in transit like a reset connection (aiohttp raises ClientPayloadError when
            # Content-Length says so): a read may be retried, a write's outcome is unknown.
            raise TransportError(
                f"[{endpoint}] HTTP {status}: the body stops in the middle of a JSON document "
                f"after {len(raw)} bytes (cut short in transit): {excerpt!r}",
                endpoint=endpoint,
            )
        what = "not an envelope (no integer 'code')" if doc is not None else "not JSON"
        raise ResponseDecodeError(
            f"[{endpoint}] HTTP {status}: body is {what}: {excerpt!r}",
            http_status=status,
            body_excerpt=excerpt,
            endpoint=endpoint,
        )
    assert isinstance(doc, dict)
    request_id = _text(doc.get("requestId"))
    msg = "" if doc.get("msg") is None else str(doc.get("msg"))
    if status >= 400 or code not in success_codes:
        _raise_api_error(
            status if status >= 400 else code,
            msg=msg,
            code=code,
            request_id=request_id,
            http_status=status,
            endpoint=endpoint,
            body=doc,
            headers=headers,
        )
    return Envelope(
        request_id=request_id,
        code=code,
        msg=msg,
        develop_id=_text(doc.get("developId")),
        data=doc.get("data"),
        http_status=status,
        headers=headers,
        elapsed=elapsed,
    )


class RateLimiter:
    """Client-wide pacing: at most ``rate`` request starts per second, in order of arrival."""

    __slots__ = ("_clock", "_interval", "_next", "_sleep")

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        self._interval = 1.0 / rate
        self._next = 0.0
        self._clock = clock
        self._sleep = sleep

    @property
    def rate(self) -> float:
        """Request starts per second."""
        return 1.0 / self._interval

    @rate.setter
    def rate(self, value: float) -> None:
        if not value > 0:
            raise ValueError(f"a request rate must be positive, got {value!r}")
        self._interval = 1.0 / value

    async def acquire(self) -> None:
        """Wait for this caller's slot."""
        now = self._clock()
        slot = max(now, self._next)
        self._next = slot + self._interval
        if slot > now:
            await self._sleep(slot - now)


class _Counter:
    """Retries performed, shared by a client and every view of it (``with_options``)."""

    __slots__ = ("retries",)

    def __init__(self) -> None:
        self.retries = 0


class Transport:
    """Sends requests for a client; :meth:`send` is the pipeline (module docstring).

    A transport and the views made by :meth:`with_options` share the session, the clock,
    the rate limiter and the retry counter; only the options differ. ``retries`` counts
    the retries performed so far by all of them, which the bulk sync reports.
    """

    __slots__ = (
        "_clock",
        "_config",
        "_counter",
        "_endpoints",
        "_limiter",
        "_options",
        "_session",
        "_signer",
    )

    def __init__(
        self,
        *,
        config: ClientConfig,
        endpoints: Mapping[str, Endpoint],
        session: Callable[[], aiohttp.ClientSession],
        signer: SigningMiddleware,
        clock: Clock,
    ) -> None:
        self._config = config
        self._endpoints = endpoints
        self._session = session
        self._signer = signer
        self._clock = clock
        self._limiter = (
            RateLimiter(config.max_requests_per_second, sleep=config.retry.sleep)
            if config.max_requests_per_second
            else None
        )
        self._counter = _Counter()
        self._options = RequestOptions()

    @property
    def rate_limiter(self) -> RateLimiter | None:
        """The client-wide pacing (``max_requests_per_second``), shared by every view; its
        ``rate`` may be changed while requests run (the PostgreSQL sync shares an account's
        rate between its workers this way). None without pacing."""
        return self._limiter

    def with_options(self, options: RequestOptions) -> Transport:
        """A view with ``options`` laid over this one's; everything else is shared."""
        view = object.__new__(Transport)
        for name in Transport.__slots__:
            object.__setattr__(view, name, getattr(self, name))
        view._options = self._options.merged(options)
        return view

    @property
    def config(self) -> ClientConfig:
        """The client's configuration."""
        return self._config

    @property
    def clock(self) -> Clock:
        """The client's signing clock (local time plus the offset learned from the server)."""
        return self._clock

    @property
    def options(self) -> RequestOptions:
        """The options every call of this transport starts from."""
        return self._options

    @property
    def retries(self) -> int:
        """Retries performed so far by this transport and its views."""
        return self._counter.retries

    @property
    def policy(self) -> RetryPolicy:
        """The retry policy of a call made without options of its own."""
        return self._options.retry or self._config.retry

    def endpoint(self, key: str) -> Endpoint:
        """The catalogue entry for ``key`` (with the client's path overrides)."""
        try:
            return self._endpoints[key]
        except KeyError:
            raise ConfigurationError(f"unknown endpoint key {key!r}") from None

    async def call(
        self,
        key: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        data: aiohttp.FormData | None = None,
        options: RequestOptions | None = None,
    ) -> Envelope:
        """Call the catalogue operation ``key``; retries follow its idempotency."""
        ep = self.endpoint(key)
        return await self.send(
            ep.method,
            ep.path,
            json=json,
            params=params,
            data=data,
            idempotent=ep.idempotent,
            endpoint=key,
            options=options,
        )

    async def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        data: aiohttp.FormData | None = None,
        idempotent: bool = False,
        endpoint: str | None = None,
        options: RequestOptions | None = None,
    ) -> Envelope:
        """Send one logical request: attempts in one tenacity loop, decided by the policy."""
        if not path.startswith("/"):
            raise ValueError(f"path must start with '/', got {path!r}")
        opts = self._options.merged(options) if options is not None else self._options
        if opts.idempotent is not None:
            idempotent = opts.idempotent
        policy = opts.retry or self._config.retry
        label = endpoint or f"{method} {path}"
        body: Any = data
        content_type: dict[str, str] = {}
        if json is not None:
            try:
                body = orjson.dumps(json)
            except TypeError as exc:  # orjson.JSONEncodeError: refused before anything is sent
                raise ValueError(f"[{label}] the JSON body cannot be encoded: {exc}") from None
            content_type = {"Content-Type": "application/json"}
        attempt = _Attempt(
            transport=self,
            method=method,
            url=self._config.base_url + path,
            body=body,
            headers={**opts.extra_headers, **content_type},
            params=params,
            label=label,
            timeout=aiohttp.ClientTimeout(
                total=opts.timeout or self._config.total_timeout,
                connect=opts.connect_timeout or self._config.connect_timeout,
            ),
            limit=opts.max_response_bytes or self._config.max_response_bytes,
        )
        waits: dict[int, float] = {}

        def should_retry(state: RetryCallState) -> bool:
            error = state.outcome.exception() if state.outcome is not None else None
            if error is None:
                return False
            wait = policy.decide(error, state.attempt_number, idempotent=idempotent)
            if wait is None:
                return False
            waits[state.attempt_number] = wait
            return True

        def before_sleep(state: RetryCallState) -> None:
            self._counter.retries += 1
            exc = state.outcome.exception() if state.outcome else None
            logger.warning(
                "retrying %s: attempt %d failed (%s: %s); request_id=%s; waiting %.2fs",
                label,
                state.attempt_number,
                type(exc).__name__,
                exc,
                getattr(exc, "request_id", None),
                waits[state.attempt_number],
            )

        retrying = AsyncRetrying(
            retry=should_retry,
            wait=lambda state: waits[state.attempt_number],
            sleep=policy.sleep,
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            async for try_ in retrying:
                with try_:
                    env = await attempt.run(try_.retry_state.attempt_number)
                    captured = raw_capture.get()
                    if captured is not None:
                        captured.append(env)
                    return env
        except TransportError as exc:
            if idempotent or not exc.request_sent or isinstance(exc, OutcomeUnknownError):
                raise
            raise OutcomeUnknownError(
                f"[{label}] outcome unknown: the request was sent but no answer arrived ({exc}); "
                "the server may have acted on it. It was not retried, to avoid doing it twice: "
                "look the object up before trying again.",
                endpoint=exc.endpoint,
                request_sent=True,
            ) from exc
        raise AssertionError("unreachable: tenacity either returns or re-raises")


#: What the SDK asks for and can inflate itself (see :meth:`_Attempt._read`).
ACCEPT_ENCODING = "gzip, deflate"


def _inflater(encoding: str, label: str, status: int) -> Any:
    """A ``zlib`` decompressor for ``Content-Encoding``, or None for an identity body."""
    name = encoding.strip().lower()
    if name in ("", "identity"):
        return None
    if name in ("gzip", "x-gzip"):
        return zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    if name == "deflate":  # zlib-wrapped, as RFC 9110 says (a raw stream is refused as broken)
        return zlib.decompressobj(wbits=zlib.MAX_WBITS)
    raise ResponseDecodeError(
        f"[{label}] HTTP {status}: the body uses Content-Encoding {encoding!r}, which was "
        f"not asked for (Accept-Encoding: {ACCEPT_ENCODING})",
        http_status=status,
        endpoint=label,
    )


@attrs.frozen(kw_only=True)
class _Attempt:
    """Everything one attempt of a call needs; :meth:`run` makes one attempt."""

    transport: Transport
    method: str
    url: str
    body: Any
    headers: Mapping[str, str]
    params: Mapping[str, str] | None
    label: str
    timeout: aiohttp.ClientTimeout
    limit: int

    async def run(self, number: int) -> Envelope:
        """Wait for a slot, sign, send, read under the cap, decode; raise the typed error."""
        t = self.transport
        if t._limiter is not None:
            await t._limiter.acquire()
        # Signed last: the five system headers win over an extra header of the same name.
        headers = {"Accept-Encoding": ACCEPT_ENCODING, **self.headers, **t._signer.headers()}
        exchange = _Exchange(self, Attempt(self.label, number, self.method, self.url))
        token = _exchange.set(exchange)
        try:
            async with t._session().request(
                self.method,
                self.url,
                data=self.body,
                params=self.params,
                headers=headers,
                timeout=self.timeout,
                auto_decompress=False,
                trace_request_ctx=exchange.attempt,
            ) as resp:
                if exchange.outcome is None:  # a session of yours: read after aiohttp's request
                    await exchange.complete(resp)
        except ResponseDecodeError as exc:  # too large, or a compression it cannot undo
            exchange.log("-", error=type(exc).__name__)
            raise
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
            # Nothing was written to the server: safe to retry even a create.
            exchange.log("-", error=type(exc).__name__)
            reason = self._timeout_reason(exc) or str(exc)
            raise TransportError(
                f"[{self.label}] cannot connect: {reason}", endpoint=self.label, request_sent=False
            ) from exc
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            exchange.log("-", error=type(exc).__name__)
            reason = self._timeout_reason(exc) or str(exc) or type(exc).__name__
            raise TransportError(f"[{self.label}] {reason}", endpoint=self.label) from exc
        finally:
            _exchange.reset(token)
        outcome = exchange.outcome
        if isinstance(outcome, Envelope):
            exchange.log(outcome.http_status, outcome.code, outcome.request_id)
            return outcome
        if isinstance(outcome, APIError):
            if isinstance(outcome, AuthenticationError):
                outcome.clock_corrected = exchange.clock_corrected
            exchange.log(outcome.http_status or "-", outcome.code, outcome.request_id)
        else:
            exchange.log(exchange.attempt.http_status or "-", error="undecodable")
        assert outcome is not None  # complete() sets it or raises
        raise outcome

    async def _read(self, resp: aiohttp.ClientResponse) -> bytes:
        """The body, refused once it grows past the limit (counted after decompression).

        aiohttp's own decompression is off for our requests (``auto_decompress=False``):
        how much it inflates per network chunk differs between its releases, and a
        1 MiB gzip body inflating to 1 GiB must never be held in memory. Here each
        chunk is inflated at most up to the limit (``zlib``'s ``max_length``).
        """
        declared = resp.content_length
        if declared is not None and declared > self.limit:
            resp.close()
            raise self._too_large(resp.status, f"Content-Length {declared}")
        inflater = _inflater(resp.headers.get("Content-Encoding", ""), self.label, resp.status)
        chunks: list[bytes] = []
        size = 0
        async for chunk in resp.content.iter_any():
            pending = chunk
            while pending:
                if inflater is None:
                    out, pending = pending, b""
                else:
                    try:
                        out = inflater.decompress(pending, self.limit - size + 1)
                    except zlib.error as exc:
                        why = f"its compression is broken ({exc})"
                        raise self._undecodable(resp.status, why) from exc
                    pending = inflater.unconsumed_tail
                size += len(out)
                if size > self.limit:
                    resp.close()  # drop the connection: the rest is never read
                    raise self._too_large(resp.status, f"more than {self.limit} bytes")
                chunks.append(out)
        if inflater is not None and not inflater.eof:
            raise TransportError(
                f"[{self.label}] HTTP {resp.status}: the compressed body stops in the middle "
                "(cut short in transit)",
                endpoint=self.label,
            )
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def _undecodable(self, status: int, why: str) -> ResponseDecodeError:
        return ResponseDecodeError(
            f"[{self.label}] HTTP {status}: the body cannot be read: {why}",
            http_status=status,
            endpoint=self.label,
        )

    def _too_large(self, status: int, seen: str) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"[{self.label}] HTTP {status}: the response body is larger than the "
            f"{self.limit}-byte limit ({seen}); the connection was dropped. Raise it for "
            "this call with xp.with_options(max_response_bytes=...) if the answer is "
            "legitimately that large.",
            limit=self.limit,
            http_status=status,
            endpoint=self.label,
        )

    def _timeout_reason(self, exc: BaseException) -> str | None:
        """Which timeout fired, and its value; None when ``exc`` is not a timeout."""
        if isinstance(exc, aiohttp.ConnectionTimeoutError):
            return f"the connect timeout ({self.timeout.connect} s) expired"
        if isinstance(exc, aiohttp.SocketTimeoutError):
            return f"the read timeout ({self.timeout.sock_read} s) expired"
        if isinstance(exc, asyncio.TimeoutError):
            return (
                f"the timeout for one attempt ({self.timeout.total} s, connect + send + "
                "read the whole body) expired"
            )
        return None


@attrs.define(eq=False)
class Attempt:
    """One HTTP attempt of a call, as tracing sees it (see ``docs/guides/observability.md``).

    aiohttp hands it to every ``TraceConfig`` callback as
    ``trace_config_ctx.trace_request_ctx``, and :func:`current_attempt` returns it while the
    attempt runs (for hooks that get no context, such as OpenTelemetry's). ``operation`` is
    the endpoint key (``"taobao.orders.list"``), or ``"METHOD /path"`` for ``xp.request``;
    ``number`` counts attempts from 1. ``http_status`` and ``request_id`` are filled in when
    the body has been read: on a session the client made that happens inside aiohttp's
    request, so ``on_request_end`` callbacks (and OpenTelemetry's response hook) see them;
    on a session you passed in, the body is read after aiohttp's request has ended.
    """

    operation: str
    number: int
    method: str
    url: str
    http_status: int | None = None
    request_id: str | None = None


def current_attempt() -> Attempt | None:
    """The attempt running in this task, or None outside the SDK's requests."""
    exchange = _exchange.get()
    return exchange.attempt if exchange is not None else None


class _Exchange:
    """One attempt's answer, read and decoded once: inside aiohttp's request or after it."""

    __slots__ = ("attempt", "clock_corrected", "outcome", "plan", "started")

    def __init__(self, plan: _Attempt, attempt: Attempt) -> None:
        self.plan = plan
        self.attempt = attempt
        self.started = time.perf_counter()
        self.clock_corrected = False
        self.outcome: Envelope | APIError | ResponseDecodeError | TransportError | None = None

    async def complete(self, resp: aiohttp.ClientResponse) -> None:
        """Read the body under the cap and decode it; a decoded error is kept, not raised."""
        plan = self.plan
        self.clock_corrected = plan.transport._clock.observe_date_header(resp.headers.get("Date"))
        self.attempt.http_status = resp.status
        raw = await plan._read(resp)
        try:
            env = decode_response(
                resp.status,
                resp.headers,
                raw,
                endpoint=plan.label,
                success_codes=plan.transport._config.success_codes,
                elapsed=time.perf_counter() - self.started,
            )
        except APIError as exc:
            self.attempt.request_id = exc.request_id
            self.outcome = exc
        except (ResponseDecodeError, TransportError) as exc:
            self.outcome = exc
        else:
            self.attempt.request_id = env.request_id
            self.outcome = env

    def log(
        self,
        status: int | str,
        code: int | None = None,
        request_id: str | None = None,
        *,
        error: str | None = None,
    ) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return
        logger.debug(
            "%s %s -> HTTP %s code=%s request_id=%s attempt=%d elapsed_ms=%.1f%s",
            self.attempt.method,
            self.attempt.url,
            status,
            code,
            request_id,
            self.attempt.number,
            (time.perf_counter() - self.started) * 1000,
            f" error={error}" if error else "",
        )


#: The attempt running in this task (set by :meth:`_Attempt.run`).
_exchange: contextvars.ContextVar[_Exchange | None] = contextvars.ContextVar(
    "xportcn_exchange", default=None
)

#: aiohttp's redirect statuses: a response with one of these is not the answer yet.
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


async def read_in_request(
    request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
) -> aiohttp.ClientResponse:
    """Client middleware of the sessions the client makes: read the answer inside the request.

    So aiohttp's ``on_request_end`` trace callbacks (OpenTelemetry's span end among them)
    come after the body has been read, with the :class:`Attempt`'s ``request_id`` and the
    whole download inside the span. A request that is not the SDK's passes through.
    """
    response = await handler(request)
    exchange = _exchange.get()
    if exchange is not None and exchange.outcome is None and response.status not in _REDIRECTS:
        await exchange.complete(response)
    return response
