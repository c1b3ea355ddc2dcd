"""Tests of ``xportcn_async/models/messages.py``: the order push, from the docs' examples
(``tests/fixtures/``), field by field.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from tests.conftest import load_fixture
from xportcn_async.models import MessagePlatform, MessageType, OrderMessageBody, PayStatus
from xportcn_async.webhooks import parse_message

SH = ZoneInfo("Asia/Shanghai")


def test_message_fixture_parses() -> None:
    message = parse_message(load_fixture("message_order_pay_success.json"))
    assert message.message_type is MessageType.ORDER_PAY_SUCCESS
    assert message.platform is MessagePlatform.ALIBABA
    assert message.timestamp == datetime(2026, 5, 20, 7, 47, 49, 913000, tzinfo=timezone.utc)
    body = message.body
    assert isinstance(body, OrderMessageBody)
    assert body.order_id == "3305075341149134260"
    assert body.order_no == "PO202605200001"
    assert body.order_status == "WAITING_FOR_SENT"
    assert body.pay_status is PayStatus.PAID
    assert body.total_amount == 10000
    assert body.total_amount_yuan == Decimal("100.00")
    assert body.shipping_fee == 500
    assert body.product_amount == 9500
    assert body.refund_amount == 0
    assert body.tb_create_time == datetime(2026, 5, 20, 15, 40, tzinfo=SH)
    assert body.pay_time == datetime(2026, 5, 20, 15, 41, tzinfo=SH)
    assert body.extra == {}
