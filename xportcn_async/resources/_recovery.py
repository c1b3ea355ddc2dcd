"""Order creation that never orders twice: look the order up by the caller's key, then retry.

A create whose answer is lost (timeout or reset after sending, a body that is
not JSON, e.g. cut short in transit, a 5xx from a gateway) may or may not have
created the order. The transport
never retries it blindly (:class:`~xportcn_async.errors.OutcomeUnknownError`).
With the caller's idempotency key (1688 ``outOrderId``, Taobao
``sellerOrderNumber``) the outcome can be found out instead:

1. look the order up by the key (a read, retried like any read);
2. found: return it (the result's ``recovered`` is True), no second create;
3. not found: it was not created, so send the create again, with the same key
   (a server that deduplicates on the key is a second safety net), up to the
   retry policy's ``attempts``;
4. the lookup itself fails: :class:`OutcomeUnknownError`, nothing is re-sent.

Without a key there is nothing to look up: :class:`OutcomeUnknownError` at once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from ..errors import OutcomeUnknownError, ResponseDecodeError, ServerError, XportcnError
from ..retry import compute_wait

if TYPE_CHECKING:
    from ..transport import Transport

__all__ = ["create_once"]

logger = logging.getLogger("xportcn_async")

T = TypeVar("T")


def _outcome_unknown(exc: BaseException) -> bool:
    """Whether the create may or may not have happened (a 4xx or a model error says no / yes)."""
    if isinstance(exc, ResponseDecodeError):
        return exc.http_status is not None  # the body itself was unreadable, not the data
    return isinstance(exc, (OutcomeUnknownError, ServerError))


def _mark_recovered(result: T) -> T:
    # ``recovered`` is an init=False field of the (frozen) result models: set it once here.
    object.__setattr__(result, "recovered", True)
    return result


async def create_once(
    transport: Transport,
    *,
    endpoint: str,
    key_name: str,
    key: str | None,
    create: Callable[[], Awaitable[T]],
    lookup: Callable[[], Awaitable[T | None]],
) -> T:
    """Run ``create``; when its outcome is unknown, ``lookup`` the order by ``key`` first.

    ``lookup`` returns the created order as a result (or None when no order has
    the key). Returns ``create``'s result, or the looked-up one marked
    ``recovered``. Raises :class:`OutcomeUnknownError` when the outcome cannot be
    established; a :class:`ServerError` without a key is raised as it is.
    """
    policy = transport.policy
    for attempt in range(1, policy.attempts + 1):
        try:
            return await create()
        except (OutcomeUnknownError, ServerError, ResponseDecodeError) as exc:
            if not _outcome_unknown(exc):
                raise
            if key is None:
                if isinstance(exc, ServerError):
                    raise
                detail = (
                    str(exc)
                    if isinstance(exc, OutcomeUnknownError)
                    else f"[{endpoint}] outcome unknown: the answer could not be read ({exc}); "
                    "the order may have been created. It was not retried, to avoid ordering twice."
                )
                raise OutcomeUnknownError(
                    f"{detail} Pass {key_name}= so that the SDK can look the order up "
                    "and recover by itself.",
                    endpoint=endpoint,
                ) from exc
            lost = exc
        try:
            found = await lookup()
        except XportcnError as lookup_exc:
            raise OutcomeUnknownError(
                f"[{endpoint}] outcome unknown: the answer was lost ({lost}) and looking the "
                f"order up by {key_name}={key!r} failed too ({lookup_exc}). Not retried, to "
                "avoid ordering twice: look it up again later.",
                endpoint=endpoint,
            ) from lookup_exc
        if found is not None:
            logger.warning(
                "%s: the answer was lost (%s); found the order by %s=%r: returning it "
                "instead of ordering again",
                endpoint,
                type(lost).__name__,
                key_name,
                key,
            )
            return _mark_recovered(found)
        if attempt == policy.attempts:
            raise OutcomeUnknownError(
                f"[{endpoint}] outcome unknown: no answer after {attempt} attempt(s) "
                f"(last: {lost}), and no order with {key_name}={key!r} was found, so it was "
                "probably not created; calling create again with the same key is safe.",
                endpoint=endpoint,
            ) from lost
        wait = compute_wait(lost, attempt, policy)
        transport.retries += 1
        logger.warning(
            "retrying %s: attempt %d failed (%s) and no order with %s=%r exists; waiting %.2fs",
            endpoint,
            attempt,
            type(lost).__name__,
            key_name,
            key,
            wait,
        )
        await policy.sleep(wait)
    raise AssertionError("unreachable: the loop returns or raises")
