"""Order creation that never orders twice: after a lost answer, look the order up, never re-send.

A create whose answer is lost (timeout or reset after sending, a body that is
not JSON, e.g. cut short in transit, a 5xx from a gateway) may or may not have
created the order. The transport's one retry loop never re-sends it
(:class:`~xportcn_async.errors.OutcomeUnknownError`; it does retry a create that
provably never left this machine, and the one re-sign after a clock correction).
What happens next, in this order, with no loop of its own:

1. look the order up by the caller's key (1688 ``outOrderId``, Taobao
   ``sellerOrderNumber``): a read, retried like any read by the same transport;
2. found: return it (the result's ``recovered`` is True);
3. not found, or the lookup fails: :class:`OutcomeUnknownError`. "Not found" does
   not prove the order absent — no field of the list answers is *confirmed* to echo
   the caller's key (``spec/API.md`` §4.1, §4.3), and a new order may not be listed
   yet — so the create is **not** sent again: doing so could buy the goods twice.

Without a key there is nothing to look up: :class:`OutcomeUnknownError` at once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from ..errors import OutcomeUnknownError, ResponseDecodeError, ServerError, XportcnError

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
    *,
    endpoint: str,
    key_name: str,
    key: str | None,
    create: Callable[[], Awaitable[T]],
    lookup: Callable[[], Awaitable[T | None]],
) -> T:
    """Run ``create``; when its outcome is unknown, ``lookup`` the order by ``key``.

    ``lookup`` returns the created order as a result (or None when no order has
    the key). Returns ``create``'s result, or the looked-up one marked
    ``recovered``. Raises :class:`OutcomeUnknownError` when the outcome cannot be
    established; a :class:`ServerError` without a key is raised as it is.
    """
    try:
        return await create()
    except (OutcomeUnknownError, ServerError, ResponseDecodeError) as exc:
        if not _outcome_unknown(exc):
            raise
        lost = exc
    if key is None:
        if isinstance(lost, ServerError):
            raise lost
        detail = (
            str(lost)
            if isinstance(lost, OutcomeUnknownError)
            else f"[{endpoint}] outcome unknown: the answer could not be read ({lost}); "
            "the order may have been created. It was not retried, to avoid ordering twice."
        )
        raise OutcomeUnknownError(
            f"{detail} Pass {key_name}= so that the SDK can look the order up "
            "and recover by itself.",
            endpoint=endpoint,
        ) from lost
    try:
        found = await lookup()
    except XportcnError as lookup_exc:
        raise OutcomeUnknownError(
            f"[{endpoint}] outcome unknown: the answer was lost ({lost}) and looking the "
            f"order up by {key_name}={key!r} failed too ({lookup_exc}). Not retried, to "
            "avoid ordering twice: look it up again later.",
            endpoint=endpoint,
        ) from lookup_exc
    if found is None:
        raise OutcomeUnknownError(
            f"[{endpoint}] outcome unknown: the answer was lost ({lost}) and no order with "
            f"{key_name}={key!r} was found. That does not prove it was not created (the "
            "lookup is not confirmed to see every new order), so it was not sent again: "
            "check the orders in the Xportcn console before creating it again.",
            endpoint=endpoint,
        ) from lost
    logger.warning(
        "%s: the answer was lost (%s); found the order by %s=%r: returning it "
        "instead of ordering again",
        endpoint,
        type(lost).__name__,
        key_name,
        key,
    )
    return _mark_recovered(found)
