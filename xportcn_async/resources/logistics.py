"""Overseas logistics: ``xp.logistics`` (freight estimate and preview, booking, domestic tracking).

Bodies follow the docs' examples; every answer is undocumented and returned raw
(:class:`~xportcn_async.models.common.RawResult`).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..models.address import ReceiverAddress
from ..models.common import RawResult
from ..models.logistics import (
    EstimateFreightRequest,
    LineItem,
    LogisticInfo,
    LogisticsOrderRequest,
    PreviewFreightRequest,
    RenderItem,
    TmallOrderInfo,
    UpdateDomesticRequest,
)
from ._base import Resource, check_items, check_not_empty, check_positive, check_str, check_type

__all__ = ["LogisticsResource"]


class LogisticsResource(Resource):
    """International shipping of purchased goods to the overseas buyer."""

    __slots__ = ()

    async def estimate_freight(
        self,
        *,
        item_id: str,
        quantity: int,
        receiver: ReceiverAddress,
        sku_id: str | None = None,
    ) -> RawResult:
        """Estimate overseas freight of one item to a receiver.

        ``logistics.estimate_freight`` (TWIN path).

        ``receiver.country`` is an ISO-2 code. The answer is returned raw.
        """
        check_str("item_id", item_id)
        check_str("sku_id", sku_id, optional=True)
        check_type("receiver", receiver, ReceiverAddress)
        check_positive("quantity", quantity)
        body = EstimateFreightRequest(
            item_id=item_id, sku_id=sku_id, quantity=quantity, receiver_address=receiver
        )
        return await self._call("logistics.estimate_freight", body, RawResult)

    async def preview_freight(
        self, *, receiver: ReceiverAddress, items: Sequence[RenderItem]
    ) -> RawResult:
        """Preview the overseas freight of an order (``logistics.preview_freight``, TWIN).

        The answer carries the ``renderId`` (``FF2024080200007``) that
        :meth:`create_order` books; it is returned raw (``result.get("renderId")``).
        """
        check_type("receiver", receiver, ReceiverAddress)
        check_items("items", items, RenderItem)
        check_not_empty("items", items)
        for item in items:
            check_positive("quantity", item.quantity)
        body = PreviewFreightRequest(receiver_address=receiver, render_items=list(items))
        return await self._call("logistics.preview_freight", body, RawResult)

    async def create_order(
        self,
        *,
        render_id: str,
        receiver: ReceiverAddress,
        line_items: Sequence[LineItem],
        tmall_order_id: str | None = None,
    ) -> RawResult:
        """Book the international shipment previewed as ``render_id``.

        ``logistics.create_order`` (KA path).

        Not retried after a timeout (it creates an order). The answer is returned raw.
        """
        check_str("render_id", render_id)
        check_type("receiver", receiver, ReceiverAddress)
        check_items("line_items", line_items, LineItem)
        check_str("tmall_order_id", tmall_order_id, optional=True)
        if not render_id:
            raise ValueError("render_id must not be empty: take it from preview_freight")
        check_not_empty("line_items", line_items)
        for item in line_items:
            check_positive("quantity", item.quantity)
        body = LogisticsOrderRequest(
            render_id=render_id,
            tmall_order_info=None
            if tmall_order_id is None
            else TmallOrderInfo(tmall_order_id=tmall_order_id),
            receiver_address=receiver,
            line_items=list(line_items),
        )
        return await self._call("logistics.create_order", body, RawResult)

    async def update_domestic(
        self,
        *,
        order_id: str,
        logistic_infos: Sequence[LogisticInfo],
        tmall_order_id: str | None = None,
    ) -> RawResult:
        """Report the China-domestic parcels of each line (``logistics.update_domestic``, KA).

        Each :class:`LogisticInfo` names the line, its international tracking
        number and the domestic parcels (tracking number, carrier, ready-to-ship
        time as an aware datetime, sent as Unix seconds). The answer is raw.
        """
        check_str("order_id", order_id)
        check_items("logistic_infos", logistic_infos, LogisticInfo)
        check_str("tmall_order_id", tmall_order_id, optional=True)
        if not order_id:
            raise ValueError("order_id must not be empty")
        check_not_empty("logistic_infos", logistic_infos)
        body = UpdateDomesticRequest(
            order_id=order_id, tmall_order_id=tmall_order_id, logistic_infos=list(logistic_infos)
        )
        return await self._call("logistics.update_domestic", body, RawResult)
