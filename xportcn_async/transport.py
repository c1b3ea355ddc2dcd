"""One request, end to end: encode, send, decode the envelope, map errors, retry.

The signing middleware sits on the aiohttp session (it runs once per attempt);
this module decides what an answer means and whether to try again.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import aiohttp
import attrs
import orjson
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from .config import ClientConfig, RetryPolicy
from .endpoints import Endpoint
from .errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    InvalidRequestError,
    OutcomeUnknownError,
    RateLimitError,
    ResponseDecodeError,
    ServerError,
    TransportError,
)
from .retry import compute_wait, describe, is_retryable

__all__ = ["Envelope", "RateLimiter", "Transport", "decode_response", "error_class_for"]

logger = logging.getLogger("xportcn_async")

_EXCERPT = 200


@attrs.frozen(kw_only=True)
class Envelope:
    """A decoded answer: the envelope fields plus the HTTP status and headers.

    ``data`` is the envelope's ``data`` as decoded JSON (dict, list, scalar or None).
    """

    request_id: str | None
    code: int
    msg: str
    develop_id: str | None
    data: Any
    http_status: int
    headers: Mapping[str, str] = attrs.field(repr=False)


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

    async def acquire(self) -> None:
        """Wait for this caller's slot."""
        now = self._clock()
        slot = max(now, self._next)
        self._next = slot + self._interval
        if slot > now:
            await self._sleep(slot - now)


class Transport:
    """Sends requests for a client: one attempt at a time, retried per the policy.

    ``retries`` counts the retries performed so far (all endpoints), which the
    bulk sync reports in its statistics.
    """

    def __init__(
        self,
        *,
        config: ClientConfig,
        endpoints: Mapping[str, Endpoint],
        session: Callable[[], aiohttp.ClientSession],
        middlewares: tuple[aiohttp.ClientMiddlewareType, ...],
    ) -> None:
        self._config = config
        self._endpoints = endpoints
        self._session = session
        self._middlewares = middlewares
        self._policy = config.retry
        self._limiter = (
            RateLimiter(config.max_requests_per_second, sleep=config.retry.sleep)
            if config.max_requests_per_second
            else None
        )
        self.retries = 0

    @property
    def policy(self) -> RetryPolicy:
        """The retry policy of every call."""
        return self._policy

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
    ) -> Envelope:
        """Call the catalogue operation ``key``; retries follow its idempotency."""
        ep = self.endpoint(key)
        return await self.request(
            ep.method,
            ep.path,
            json=json,
            params=params,
            data=data,
            idempotent=ep.idempotent,
            endpoint=key,
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        data: aiohttp.FormData | None = None,
        idempotent: bool = False,
        endpoint: str | None = None,
    ) -> Envelope:
        """Send one logical request with retries; see :mod:`xportcn_async.retry` for the rules."""
        if not path.startswith("/"):
            raise ValueError(f"path must start with '/', got {path!r}")
        label = endpoint or f"{method} {path}"
        body: Any = data
        headers: dict[str, str] | None = None
        if json is not None:
            try:
                body = orjson.dumps(json)
            except TypeError as exc:  # orjson.JSONEncodeError: refused before anything is sent
                raise ValueError(f"[{label}] the JSON body cannot be encoded: {exc}") from None
            headers = {"Content-Type": "application/json"}
        try:
            # Fast path: the first attempt runs without building the retry machinery.
            # A failure is replayed as attempt 1 inside tenacity (below), which then
            # decides, waits, logs and retries exactly as if it had run it.
            try:
                return await self._attempt(
                    method,
                    path,
                    body=body,
                    headers=headers,
                    params=params,
                    label=label,
                    attempt_number=1,
                )
            except Exception as exc:
                first_failure = exc
            return await self._retry(
                first_failure,
                method,
                path,
                body=body,
                headers=headers,
                params=params,
                label=label,
                idempotent=idempotent,
            )
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

    async def _retry(
        self,
        first_failure: Exception,
        method: str,
        path: str,
        *,
        body: Any,
        headers: Mapping[str, str] | None,
        params: Mapping[str, str] | None,
        label: str,
        idempotent: bool,
    ) -> Envelope:
        """Attempts 2… after attempt 1 failed with ``first_failure`` (tenacity decides)."""
        policy = self._policy

        def before_sleep(state: RetryCallState) -> None:
            self.retries += 1
            exc = state.outcome.exception() if state.outcome else None
            logger.warning(
                "retrying %s: attempt %d failed (%s); request_id=%s; waiting %.2fs",
                label,
                state.attempt_number,
                describe(exc),
                getattr(exc, "request_id", None),
                state.upcoming_sleep,
            )

        retrying = AsyncRetrying(
            stop=stop_after_attempt(policy.attempts),
            wait=lambda state: compute_wait(
                state.outcome.exception() if state.outcome else None,
                state.attempt_number,
                policy,
            ),
            retry=retry_if_exception(
                lambda exc: is_retryable(exc, idempotent=idempotent, policy=policy)
            ),
            sleep=policy.sleep,
            before_sleep=before_sleep,
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                number = attempt.retry_state.attempt_number
                if number == 1:
                    raise first_failure  # the outcome of the attempt already made
                return await self._attempt(
                    method,
                    path,
                    body=body,
                    headers=headers,
                    params=params,
                    label=label,
                    attempt_number=number,
                )
        raise AssertionError("unreachable: tenacity either returns or re-raises")

    async def _attempt(
        self,
        method: str,
        path: str,
        *,
        body: Any,
        headers: Mapping[str, str] | None,
        params: Mapping[str, str] | None,
        label: str,
        attempt_number: int,
    ) -> Envelope:
        if self._limiter is not None:
            await self._limiter.acquire()
        url = self._config.base_url + path
        started = time.perf_counter()
        try:
            async with self._session().request(
                method,
                url,
                data=body,
                params=params,
                headers=headers,
                middlewares=self._middlewares,
            ) as resp:
                raw = await resp.read()
                status = resp.status
                resp_headers: Mapping[str, str] = resp.headers
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
            # Nothing was written to the server: safe to retry even a create.
            self._log(method, path, "-", None, None, attempt_number, started, type(exc).__name__)
            raise TransportError(
                f"[{label}] cannot connect: {exc}", endpoint=label, request_sent=False
            ) from exc
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            self._log(method, path, "-", None, None, attempt_number, started, type(exc).__name__)
            reason = str(exc) or type(exc).__name__
            raise TransportError(f"[{label}] {reason}", endpoint=label) from exc
        try:
            env = decode_response(
                status,
                resp_headers,
                raw,
                endpoint=label,
                success_codes=self._config.success_codes,
            )
        except APIError as exc:
            self._log(method, path, status, exc.code, exc.request_id, attempt_number, started)
            raise
        except (ResponseDecodeError, TransportError):
            self._log(method, path, status, None, None, attempt_number, started, "undecodable")
            raise
        self._log(method, path, status, env.code, env.request_id, attempt_number, started)
        return env

    @staticmethod
    def _log(
        method: str,
        path: str,
        status: int | str,
        code: int | None,
        request_id: str | None,
        attempt: int,
        started: float,
        error: str | None = None,
    ) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return
        logger.debug(
            "%s %s -> HTTP %s code=%s request_id=%s attempt=%d elapsed_ms=%.1f%s",
            method,
            path,
            status,
            code,
            request_id,
            attempt,
            (time.perf_counter() - started) * 1000,
            f" error={error}" if error else "",
        )
