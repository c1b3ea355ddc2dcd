"""Pushed order events (spec §5): the wire shape and the parsed :class:`Message`.

Xportcn POSTs ``{messageType, messageBody, messagePlatform, timestamp}`` where
``messageBody`` is a JSON document inside a string. Parse pushes with
:func:`xportcn_async.webhooks.parse_message`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import attrs

from ..serde import JSON_STRING, ChinaDateTime, Id, Money, UnixMs, fen_to_yuan
from .common import WireModel

__all__ = [
    "Message",
    "MessagePlatform",
    "MessageType",
    "OrderMessageBody",
    "PayStatus",
    "WireMessage",
]


class MessageType(str, enum.Enum):
    """Known push types (KA). Others arrive too: they are kept as raw strings."""

    ORDER_CREATE = "ORDER_CREATE"
    ORDER_CANCEL = "ORDER_CANCEL"
    ORDER_PAY_SUCCESS = "ORDER_PAY_SUCCESS"
    ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY = "ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY"
    ORDER_BUYER_VIEW_ORDER_BUYER_REFUND = "ORDER_BUYER_VIEW_ORDER_BUYER_REFUND"


class MessagePlatform(enum.IntEnum):
    """Which marketplace the event is about."""

    TAOBAO = 0
    ALIBABA = 1


class PayStatus(enum.IntEnum):
    """``payStatus`` of an order event."""

    UNPAID = 1
    PAID = 2


@attrs.frozen(kw_only=True)
class OrderMessageBody(WireModel):
    """The decoded ``messageBody`` of an order event; amounts in fen, times in China time.

    ``order_status`` is the raw string (``WAITING_FOR_PAYMENT``, ``WAITING_FOR_SENT``,
    ``CANCEL``…). Refund events carry ``refund_id``. Treat an event as a hint and
    re-read the order: pushes can repeat and arrive out of order.
    """

    order_id: Id | None = None
    order_no: str | None = None
    order_status: str | None = None
    pay_status: PayStatus | int | None = None
    total_amount: Money | None = None
    shipping_fee: Money | None = None
    product_amount: Money | None = None
    refund_amount: Money | None = None
    refund_status: Any = None
    refund_id: str | None = None
    close_reason: str | None = None
    tb_create_time: ChinaDateTime | None = None
    pay_time: ChinaDateTime | None = None

    @property
    def total_amount_yuan(self) -> Decimal | None:
        """``total_amount`` in yuan."""
        return fen_to_yuan(self.total_amount)


@attrs.frozen(kw_only=True)
class WireMessage(WireModel):
    """A push as sent, with ``messageBody`` decoded from its JSON string (still untyped)."""

    message_type: MessageType | str
    message_body: Annotated[dict[str, Any], JSON_STRING] | None = None
    message_platform: MessagePlatform | int | None = None
    timestamp: UnixMs | None = None


@attrs.frozen(kw_only=True)
class Message:
    """A parsed push.

    ``message_type`` and ``platform`` are enum members when known, raw values
    otherwise. ``body`` is an :class:`OrderMessageBody` for the known (order)
    types and the decoded JSON object for unknown ones. ``raw`` is the payload
    as received (with ``messageBody`` still a string).
    """

    message_type: MessageType | str
    platform: MessagePlatform | int | None
    timestamp: datetime | None
    body: OrderMessageBody | Mapping[str, Any] | None
    raw: Mapping[str, Any] = attrs.field(repr=False)

    @property
    def order_id(self) -> str | None:
        """The order id of an order event, when the body has one."""
        if isinstance(self.body, OrderMessageBody):
            return self.body.order_id
        if isinstance(self.body, Mapping):
            value = self.body.get("orderId")
            return None if value is None else str(value)
        return None
