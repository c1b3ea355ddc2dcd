"""Per-call options and the retry decision: what a call may do, in one place.

:class:`RequestOptions` travels as one object from the client (``xp.with_options(...)``)
through the resource method to :meth:`Transport.send <xportcn_async.transport.Transport.send>`.
:meth:`RetryPolicy.decide` is the only place that decides whether a failed attempt is
tried again, and after how long; the transport's one tenacity loop asks it after every
failed attempt. The rules:

* ``CancelledError`` and anything that is not an :class:`~xportcn_async.XportcnError`
  are never retried; nor are decode errors (a complete body that is not an envelope, or a
  body over the size limit, will not get better).
* A signature refusal (401/403) that taught the clock a new offset (the server's ``Date``
  is more than 30 s away from ours) is re-signed and sent once more at once, writes
  included: the server refused it before acting on it.
* Idempotent calls (reads) retry :class:`~xportcn_async.TransportError` (a JSON body cut
  short in transit is one), :class:`~xportcn_async.ServerError` and
  :class:`~xportcn_async.RateLimitError`.
* Non-idempotent calls (create, pay, refund, upload, upsert, booking) retry only a
  :class:`~xportcn_async.TransportError` whose request provably never left this machine
  (connection refused, DNS failure, connect timeout): anything else may have acted.
* ``Retry-After`` is honoured up to ``retry_after_cap``; a longer one is raised at once
  instead of hanging the caller. Otherwise: full-jitter exponential backoff.
"""

from __future__ import annotations

import asyncio
import math
import random
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import attrs

from .errors import (
    AuthenticationError,
    ConfigurationError,
    RateLimitError,
    ServerError,
    TransportError,
)

__all__ = ["DEFAULT_MAX_RESPONSE_BYTES", "RequestOptions", "RetryPolicy"]

#: The default cap on a response body, after decompression (16 MiB).
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024


def positive(name: str) -> Callable[[Any, Any, Any], None]:
    """An attrs validator: None, or a finite number > 0 (``ConfigurationError`` otherwise)."""

    def check(_instance: Any, _attribute: Any, value: Any) -> None:
        if value is None:
            return
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or value <= 0
        ):
            raise ConfigurationError(f"{name} must be a positive number, got {value!r}")

    return check


def _positive_int(name: str) -> Callable[[Any, Any, Any], None]:
    def check(_instance: Any, _attribute: Any, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigurationError(f"{name} must be an integer >= 1, got {value!r}")

    return check


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """When and how long to wait before trying a request again (rules: module docstring).

    Defaults: 3 attempts in all, full-jitter exponential backoff (a random wait between
    0 and ``min(backoff_cap, backoff_base * 2**(attempt-1))``), ``Retry-After`` honoured
    up to ``retry_after_cap`` seconds. ``sleep`` is injectable so tests can drive time
    without sleeping.
    """

    attempts: int = attrs.field(default=3, validator=_positive_int("retry attempts"))
    backoff_base: float = attrs.field(default=0.5, validator=positive("backoff_base"))
    backoff_cap: float = attrs.field(default=8.0, validator=positive("backoff_cap"))
    retry_after_cap: float = attrs.field(default=60.0, validator=positive("retry_after_cap"))
    sleep: Callable[[float], Awaitable[None]] = attrs.field(
        default=asyncio.sleep, eq=False, repr=False
    )

    @classmethod
    def disabled(cls) -> RetryPolicy:
        """A policy that never retries (one attempt)."""
        return cls(attempts=1)

    def decide(self, error: BaseException, attempt: int, *, idempotent: bool) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or None to give up with ``error``.

        ``attempt`` is the 1-based number of the attempt that just failed.
        """
        if attempt >= self.attempts:
            return None
        if isinstance(error, AuthenticationError):
            return 0.0 if error.clock_corrected else None
        if isinstance(error, TransportError):
            return self.backoff(attempt) if idempotent or not error.request_sent else None
        if not idempotent:
            return None
        if isinstance(error, RateLimitError):
            if error.retry_after is None:
                return self.backoff(attempt)
            return error.retry_after if error.retry_after <= self.retry_after_cap else None
        if isinstance(error, ServerError):
            return self.backoff(attempt)
        return None

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential backoff after failed ``attempt`` (1-based)."""
        ceiling = min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1))
        return random.uniform(0.0, ceiling)


def _headers(value: Any) -> Mapping[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ConfigurationError(f"extra_headers must map str to str, got {value!r}")
    return dict(value)


@attrs.frozen(kw_only=True)
class RequestOptions:
    """How one call is made. ``None`` means "as the client is configured".

    - ``timeout``: seconds for one attempt in all (connect, send, read the body);
      ``connect_timeout``: seconds to open a connection.
    - ``retry``: the :class:`RetryPolicy` of the call.
    - ``extra_headers``: sent with every attempt (the five signed system headers win
      over a header of the same name).
    - ``idempotent``: override the catalogue's idempotency of the operation — say True
      only for a write your server deduplicates, since it makes the write retryable.
    - ``max_response_bytes``: the cap on a response body after decompression; past it
      the connection is dropped and :class:`~xportcn_async.ResponseTooLargeError` raised.

    Build one with :meth:`XportcnClient.with_options <xportcn_async.XportcnClient.with_options>`
    rather than by hand; :meth:`merged` lays one set of options over another.
    """

    timeout: float | None = attrs.field(default=None, validator=positive("timeout"))
    connect_timeout: float | None = attrs.field(default=None, validator=positive("connect_timeout"))
    retry: RetryPolicy | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(attrs.validators.instance_of(RetryPolicy)),
    )
    extra_headers: Mapping[str, str] = attrs.field(factory=dict, converter=_headers)
    idempotent: bool | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(bool))
    )
    max_response_bytes: int | None = attrs.field(
        default=None, validator=_positive_int("max_response_bytes")
    )

    def merged(self, over: RequestOptions) -> RequestOptions:
        """These options with every option set in ``over`` taking its place (headers merge)."""
        changes: dict[str, Any] = {
            f.name: getattr(over, f.name)
            for f in attrs.fields(RequestOptions)
            if f.name != "extra_headers" and getattr(over, f.name) is not None
        }
        if over.extra_headers:
            changes["extra_headers"] = {**self.extra_headers, **over.extra_headers}
        return attrs.evolve(self, **changes) if changes else self
