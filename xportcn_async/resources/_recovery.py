"""Order creation that never orders twice: what happens when a create's answer is lost.

A create whose answer is lost (timeout or reset after sending, a body that is
not JSON, e.g. cut short in transit, a 5xx from a gateway) may or may not have
created the order. The transport's one retry loop never re-sends it
(:class:`~xportcn_async.errors.OutcomeUnknownError`; it does retry a create that
provably never left this machine, and the one re-sign after a clock correction).

The SDK may return an order it finds only by a field *known* to echo the caller's
key, and may send the create again only if the server is *known* to refuse a
duplicate key. Neither is confirmed today for Taobao (``sellerOrderNumber``: no
field of the list is known to echo it; ``purchaseOrderOuterId`` is Taobao's own
order number, ``spec/API.md`` §4.1) or for 1688 (``outOrderId``, §4.3). So, per
client (``ClientConfig.create_recovery``):

``"report"`` (the default)
    Never sent again, never guessed: list the orders created around the time of
    the create (a read, retried like any read) and raise
    :class:`OutcomeUnknownError` carrying them as ``candidates``. Risk: none of
    buying twice; the caller decides, looking at the candidates.

``"lookup_and_resend"`` (opt-in, for an account where Xportcn has confirmed both
the echo and the refusal of a duplicate key)
    Look the order up by the caller's key: found → return it (``recovered`` is
    True); not found → send the create once more with the same key. Risk, if the
    echo is not real: the order exists but is not found, and the second create buys
    the goods twice unless the server refuses the duplicate key.

Without a key the outcome is unknown at once (there is nothing to match, and the
candidates are still listed in ``"report"`` mode).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

from ..config import CreateRecovery
from ..errors import OutcomeUnknownError, ResponseDecodeError, ServerError, XportcnError
from ..signing import Clock

__all__ = ["CANDIDATE_MARGIN", "MAX_CANDIDATES", "create_once"]

logger = logging.getLogger("xportcn_async")

T = TypeVar("T")

#: Candidates are the orders created from this long before the create was sent until
#: this long after its answer was lost (clocks differ; the server stamps the time).
CANDIDATE_MARGIN = timedelta(minutes=10)
#: At most this many candidates are listed (the newest): one page of the list.
MAX_CANDIDATES = 50


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
    mode: CreateRecovery,
    create: Callable[[], Awaitable[T]],
    lookup: Callable[[], Awaitable[T | None]],
    candidates: Callable[[datetime, datetime], Awaitable[list[Any]]],
    clock: Clock | None = None,
) -> T:
    """Run ``create``; when its outcome is unknown, act as ``mode`` says (module docstring).

    ``lookup`` finds the created order by ``key`` through the echo field (used only
    in ``"lookup_and_resend"`` mode); ``candidates(begin, end)`` lists the orders
    created in ``[begin, end]``. Raises :class:`OutcomeUnknownError` when the outcome
    cannot be established. Times are the server's as far as ``clock`` (the signing
    clock, with the offset learned from the server's ``Date``) knows them.
    """

    def now() -> datetime:
        return datetime.fromtimestamp(clock.now() if clock else time.time(), timezone.utc)

    sent_at = now()
    try:
        return await create()
    except (OutcomeUnknownError, ServerError, ResponseDecodeError) as exc:
        if not _outcome_unknown(exc):
            raise
        lost = exc
    what = (
        str(lost)
        if isinstance(lost, OutcomeUnknownError)
        else f"[{endpoint}] outcome unknown: the answer could not be read ({lost})"
    )
    if mode == "lookup_and_resend" and key is not None:
        return await _lookup_and_resend(endpoint, key_name, key, lost, create, lookup)

    found: list[Any] = []
    failure: str | None = None
    try:
        found = await candidates(sent_at - CANDIDATE_MARGIN, now() + CANDIDATE_MARGIN)
    except XportcnError as exc:
        failure = f"listing the orders created around that time failed too ({exc})"
    if failure:
        listed = f" {failure[0].upper()}{failure[1:]}."
    elif found:
        listed = (
            f" {len(found)} order(s) created around that time are attached as "
            "error.candidates: check whether one of them is this order"
        ) + (f" ({key_name}={key!r})." if key else ".")
    else:
        listed = " No order created around that time was found (that does not prove none was)."
    hint = "" if key else f" Pass {key_name}= to recognise the order on the server."
    raise OutcomeUnknownError(
        f"{what}. It was not sent again, to avoid ordering twice.{listed}{hint}",
        endpoint=endpoint,
        candidates=found,
        candidates_error=failure,
    ) from lost


async def _lookup_and_resend(
    endpoint: str,
    key_name: str,
    key: str,
    lost: XportcnError,
    create: Callable[[], Awaitable[T]],
    lookup: Callable[[], Awaitable[T | None]],
) -> T:
    try:
        found = await lookup()
    except XportcnError as lookup_exc:
        raise OutcomeUnknownError(
            f"[{endpoint}] outcome unknown: the answer was lost ({lost}) and looking the "
            f"order up by {key_name}={key!r} failed too ({lookup_exc}). Not sent again, to "
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
    logger.warning(
        "%s: the answer was lost (%s) and no order has %s=%r: sending the create once "
        "more with the same key (create_recovery='lookup_and_resend')",
        endpoint,
        type(lost).__name__,
        key_name,
        key,
    )
    try:
        return await create()  # once: never a third time
    except (OutcomeUnknownError, ServerError, ResponseDecodeError) as exc:
        if not _outcome_unknown(exc):
            raise
        raise OutcomeUnknownError(
            f"[{endpoint}] outcome unknown: the create was sent twice with "
            f"{key_name}={key!r} and both answers were lost ({lost}; {exc}). Not sent again: "
            "look the order up before creating it again.",
            endpoint=endpoint,
        ) from exc
