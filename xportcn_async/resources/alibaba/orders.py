"""1688 orders: ``xp.alibaba.orders`` (list, preview, create, pay, read, track)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from ... import serde
from ...models.address import AddressParam
from ...models.alibaba import (
    AlibabaCreateOrderRequest,
    AlibabaCreateOrderResult,
    AlibabaOrder,
    AlibabaOrderDetailRequest,
    AlibabaOrderListData,
    AlibabaOrderListRequest,
    AlibabaOrderPayRequest,
    AlibabaOrderPreview,
    AlibabaOrderPreviewRequest,
    AlibabaOrderStatus,
    AlibabaPayResult,
    CargoParam,
)
from ...models.common import Page, RawResult
from ...pagination import AsyncPager
from .._base import (
    Resource,
    check_id,
    check_max_items,
    check_not_empty,
    check_page,
    check_positive,
    check_str,
    check_type,
    id_list,
    require_ids,
    wire_items,
)
from .._paging import filter_fingerprint
from .._recovery import MAX_CANDIDATES, create_once
from .._typing import TypedDict, Unpack

__all__ = ["MAX_CARGO_LINES", "AlibabaOrderFilters", "AlibabaOrders"]

#: ``cargoParamList`` of one create holds at most this many lines (one seller).
MAX_CARGO_LINES = 50

#: Every listed order must carry ``baseInfo.id`` (``ResponseDecodeError`` otherwise).
_ORDER_IDS = require_ids(lambda data: data.result, "data.result", "baseInfo.id")


# --------------------------------------------------------------------------- filters
# ``list`` and ``iter`` take the same ``**filters``, declared once here. To add a
# filter: add its key here and its field (same name, or an attrs ``alias`` of that
# name) to :class:`AlibabaOrderListRequest`; mypy checks that the two agree and the
# model's validators refuse wrong types and naive or reversed datetimes at run time.


class AlibabaOrderFilters(TypedDict, total=False):
    """Filters of :meth:`AlibabaOrders.list` and :meth:`AlibabaOrders.iter`."""

    order_status: AlibabaOrderStatus | str | None
    refund_status: str | None
    #: Bounds of the last-modification time (aware datetimes, ``modify_start <= modify_end``).
    modify_start: datetime | None
    modify_end: datetime | None
    #: Your own order id, as given to :meth:`AlibabaOrders.create`.
    out_order_id: str | None
    #: 1688 order ids (a non-empty list, sent as numbers).
    order_ids: Sequence[str | int] | None


def _order_list_body(
    page: int,
    page_size: int,
    create_start: datetime | None,
    create_end: datetime | None,
    filters: AlibabaOrderFilters,
) -> AlibabaOrderListRequest:
    check_page(page, page_size, num_name="page")
    return AlibabaOrderListRequest(
        page=page, page_size=page_size, create_start=create_start, create_end=create_end, **filters
    )


def _check_cargo(cargo: Sequence[CargoParam]) -> builtins.list[CargoParam]:
    check_not_empty("cargo", cargo)
    check_max_items("cargo", cargo, MAX_CARGO_LINES)
    for line in cargo:
        if not isinstance(line, CargoParam):
            raise TypeError(f"cargo items must be CargoParam, got {type(line).__name__}")
        check_positive("cargo quantity", line.quantity)
    return builtins.list(cargo)


class AlibabaOrders(Resource):
    """1688 orders: preview, create, pay, read, track."""

    __slots__ = ()

    async def list(
        self,
        *,
        page: int = 1,
        page_size: int = 20,
        create_start: datetime | None = None,
        create_end: datetime | None = None,
        **filters: Unpack[AlibabaOrderFilters],
    ) -> Page[AlibabaOrder]:
        """One page of 1688 orders (``alibaba.orders.list``, GUESS path, upstream body).

        Datetimes must be aware; they are sent as ``"YYYY-MM-DD HH:MM:SS"`` China
        time (the KA convention; upstream 1688 uses another format). ``filters``
        are :class:`AlibabaOrderFilters`, sent only when given. Amounts in the
        answer are kept as sent.
        """
        body = _order_list_body(page, page_size, create_start, create_end, filters)
        data, wire = await self._call_with_wire(
            "alibaba.orders.list", body, AlibabaOrderListData, check=_ORDER_IDS
        )
        return Page(
            items=data.result,
            total=data.total_record,
            page_num=page,
            page_size=page_size,
            raw=wire_items(wire, "result", len(data.result)),
        )

    def iter(
        self,
        *,
        page_size: int = 20,
        begin: datetime | None = None,
        end: datetime | None = None,
        concurrency: int = 1,
        window: timedelta = timedelta(days=1),
        safety_margin: timedelta = timedelta(minutes=5),
        max_items: int | None = None,
        resume: Mapping[str, Any] | None = None,
        **filters: Unpack[AlibabaOrderFilters],
    ) -> AsyncPager[AlibabaOrder]:
        """Every 1688 order matching the filters, page after page (:meth:`list` under the hood).

        ``begin`` / ``end`` bound the creation time (``createStartTime`` /
        ``createEndTime``) and switch on closed time windows; see
        :class:`~xportcn_async.pagination.AsyncPager`. ``filters`` are
        :meth:`list`'s (:class:`AlibabaOrderFilters`).
        """
        check_type("max_items", max_items, int, optional=True)
        body = _order_list_body(1, page_size, begin, end, filters)  # refuse bad filters now

        async def fetch(
            page_num: int, size: int, lo: datetime | None, hi: datetime | None
        ) -> Page[AlibabaOrder]:
            return await self.list(
                page=page_num, page_size=size, create_start=lo, create_end=hi, **filters
            )

        return AsyncPager(
            fetch,
            page_size=page_size,
            begin=begin,
            end=end,
            window=window,
            safety_margin=safety_margin,
            concurrency=concurrency,
            max_items=max_items,
            filters=filter_fingerprint(body, filters),
            resume=resume,
        )

    async def preview(
        self,
        *,
        flow: str,
        address: AddressParam,
        cargo: Sequence[CargoParam],
        out_order_id: str | None = None,
        ali_id: str | None = None,
    ) -> builtins.list[AlibabaOrderPreview]:
        """Price a 1688 order before creating it (``alibaba.orders.preview``, KA).

        Call it before :meth:`create`. Returns one preview per resulting seller
        order; every amount is integer fen (``sum_payment`` 6400 = ¥64.00).
        ``flow`` is the 1688 order flow (``fenxiaonew``, ``general``…).
        """
        check_str("flow", flow)
        check_type("address", address, AddressParam)
        check_str("out_order_id", out_order_id, optional=True)
        check_str("ali_id", ali_id, optional=True)
        if not flow:
            raise ValueError("flow must not be empty (e.g. 'general' or 'fenxiaonew')")
        body = AlibabaOrderPreviewRequest(
            flow=flow,
            address_param=address,
            cargo_param_list=_check_cargo(cargo),
            out_order_id=out_order_id,
            ali_id=ali_id,
        )
        data, request_id = await self._call_data("alibaba.orders.preview", body)
        if isinstance(data, Mapping):
            data = [data]  # tolerate a single object where the docs show an array
        return serde.structure(
            data,
            builtins.list[AlibabaOrderPreview],
            endpoint="alibaba.orders.preview",
            request_id=request_id,
        )

    async def create(
        self,
        *,
        flow: str,
        address: AddressParam,
        cargo: Sequence[CargoParam],
        out_order_id: str | None = None,
        ali_id: str | None = None,
        message: str | None = None,
        shop_promotion_id: str | None = None,
        trade_type: str | None = None,
    ) -> AlibabaCreateOrderResult:
        """Create a 1688 order (``alibaba.orders.create``, KA): ≤ 50 lines from one seller.

        Pass ``out_order_id`` (your own order id). A create is never blindly
        retried: when its answer is lost (timeout, reset, 5xx) the SDK, by default,
        does not send it again and raises :class:`~xportcn_async.OutcomeUnknownError`
        whose ``candidates`` are the orders created around that time (that the list
        echoes ``outOrderId`` is not confirmed). With
        ``create_recovery="lookup_and_resend"`` (once Xportcn has confirmed the echo
        and that a duplicate ``outOrderId`` is refused) it looks the order up with
        ``list(out_order_id=…)`` and returns it (``result.recovered`` is True), or
        sends the create once more with the same id. ``message`` is a note
        to the seller; ``trade_type`` is the 1688 payment mode (assureTrade,
        alipay, period…). Amounts of the answer in fen.
        """
        check_str("flow", flow)
        check_type("address", address, AddressParam)
        check_str("out_order_id", out_order_id, optional=True)
        check_str("ali_id", ali_id, optional=True)
        check_str("message", message, optional=True)
        check_str("shop_promotion_id", shop_promotion_id, optional=True)
        check_str("trade_type", trade_type, optional=True)
        if not flow:
            raise ValueError("flow must not be empty (e.g. 'general' or 'fenxiaonew')")
        if out_order_id is not None and not out_order_id.strip():
            raise ValueError("out_order_id must not be empty (or leave it None)")
        body = AlibabaCreateOrderRequest(
            flow=flow,
            address_param=address,
            cargo_param_list=_check_cargo(cargo),
            out_order_id=out_order_id,
            ali_id=ali_id,
            message=message,
            shop_promotion_id=shop_promotion_id,
            trade_type=trade_type,
        )

        async def create() -> AlibabaCreateOrderResult:
            return await self._call("alibaba.orders.create", body, AlibabaCreateOrderResult)

        async def lookup() -> AlibabaCreateOrderResult | None:
            # Only with create_recovery="lookup_and_resend".
            assert out_order_id is not None
            page = await self.list(out_order_id=out_order_id, page=1, page_size=20)
            # Only an order that carries the key counts (a server ignoring the filter
            # must not make another order look like ours).
            ids = [
                o.id for o in page.items if o.base_info and o.base_info.out_order_id == out_order_id
            ]
            if not ids or ids[0] is None:
                return None
            return AlibabaCreateOrderResult(
                success=True, order_id=ids[0], order_list=[{"orderId": i} for i in ids]
            )

        async def candidates(begin: datetime, end: datetime) -> builtins.list[AlibabaOrder]:
            page = await self.list(
                page=1, page_size=MAX_CANDIDATES, create_start=begin, create_end=end
            )
            return page.items

        return await create_once(
            endpoint="alibaba.orders.create",
            key_name="out_order_id",
            key=out_order_id,
            mode=self._transport.config.create_recovery,
            create=create,
            lookup=lookup,
            candidates=candidates,
            clock=self._transport.clock,
        )

    async def detail(self, *, order_id: str | int) -> AlibabaOrder:
        """Read one 1688 order (``alibaba.orders.detail``, GUESS path).

        Sends ``{orderId, webSite: "1688"}`` (upstream). Amounts are kept as sent.
        """
        body = AlibabaOrderDetailRequest(order_id=check_id("order_id", order_id))
        return await self._call("alibaba.orders.detail", body, AlibabaOrder)

    async def pay(self, *, order_ids: Sequence[str | int] | str | int) -> AlibabaPayResult:
        """Pay 1688 orders (``alibaba.orders.pay``, KA path, GUESS body ``{orderIds: [...]}``).

        Test accounts get a ``pay_url`` to open in a browser. Not retried after
        a timeout: check the order status before paying again.
        """
        body = AlibabaOrderPayRequest(order_ids=id_list("order_ids", order_ids))
        return await self._call("alibaba.orders.pay", body, AlibabaPayResult)

    async def logistics(self, *, order_id: str | int) -> RawResult:
        """Shipping of a 1688 order (``alibaba.orders.logistics``, newest docs, GUESS path).

        The answer's shape is undocumented and returned raw.
        """
        body = AlibabaOrderDetailRequest(order_id=check_id("order_id", order_id))
        return await self._call("alibaba.orders.logistics", body, RawResult)
