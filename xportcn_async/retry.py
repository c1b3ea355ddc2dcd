"""Retry decisions: what is safe to try again, and how long to wait.

The rules (one place, used for every call):

* ``CancelledError`` and anything that is not an :class:`XportcnError` are never retried.
* Idempotent calls (reads) retry :class:`TransportError` (a JSON body cut short in
  transit is one), :class:`ServerError` and :class:`RateLimitError`; never a decode
  error (a complete body that is not an envelope will not get better).
* Non-idempotent calls (create, pay, refund, upload, upsert, logistics booking)
  retry only a :class:`TransportError` whose request provably never left this
  machine (connection refused, DNS failure, connect timeout): anything else
  could have created an order already (``alibaba.orders.create`` /
  ``taobao.orders.create`` then look the order up by the caller's key: see
  :mod:`xportcn_async.resources._recovery`).
* A ``Retry-After`` longer than the policy's cap is raised at once instead of
  hanging the caller.
"""

from __future__ import annotations

import logging
import random

from .config import RetryPolicy
from .errors import RateLimitError, ServerError, TransportError

__all__ = ["compute_wait", "is_retryable"]

logger = logging.getLogger("xportcn_async")


def is_retryable(exc: BaseException, *, idempotent: bool, policy: RetryPolicy) -> bool:
    """Whether ``exc`` may be retried for a call of the given idempotency."""
    if isinstance(exc, TransportError):
        return idempotent or not exc.request_sent
    if not idempotent:
        return False
    if isinstance(exc, RateLimitError):
        return exc.retry_after is None or exc.retry_after <= policy.retry_after_cap
    return isinstance(exc, ServerError)


def compute_wait(exc: BaseException | None, attempt: int, policy: RetryPolicy) -> float:
    """Seconds to wait after failed ``attempt`` (1-based): ``Retry-After`` when the
    server gave one, otherwise full-jitter exponential backoff."""
    if isinstance(exc, RateLimitError) and exc.retry_after is not None:
        return max(0.0, exc.retry_after)
    ceiling = min(policy.backoff_cap, policy.backoff_base * 2 ** (attempt - 1))
    return random.uniform(0.0, ceiling)


def describe(exc: BaseException | None) -> str:
    """A one-line reason for logs (never contains secrets: built from the server's answer)."""
    if exc is None:
        return "unknown"
    return f"{type(exc).__name__}: {exc}"
