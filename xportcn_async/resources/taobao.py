"""Taobao purchasing: ``xp.taobao.products`` and ``xp.taobao.orders``.

The newest docs drop this whole group from the sidebar (the May 2026 status
document still names ``/open/purchase/page``); every path except the order list
is GUESS — override it with ``endpoint_paths`` if Xportcn tells you another.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..models.address import TaobaoReceiver
from ..models.common import Page, RawResult
from ..models.taobao import (
    TaobaoCreatedPurchaseOrder,
    TaobaoCreateOrderLine,
    TaobaoCreateOrderRequest,
    TaobaoCreateOrderResult,
    TaobaoKeywordSearchRequest,
    TaobaoOrder,
    TaobaoOrderListData,
    TaobaoOrderListRequest,
    TaobaoOrderStatus,
    TaobaoProduct,
    TaobaoProductSearchRequest,
    TaobaoRenderLine,
    TaobaoRenderRequest,
)
from ..pagination import AsyncPager
from ._base import (
    Resource,
    check_id,
    check_items,
    check_non_negative,
    check_not_empty,
    check_one_image,
    check_page,
    check_positive,
    check_str,
    check_type,
    check_window,
    require_ids,
    wire_items,
)
from ._paging import filter_fingerprint, page_walker, raw_item_key, raw_page
from ._recovery import MAX_CANDIDATES, create_once
from ._typing import Required, TypedDict, Unpack

if TYPE_CHECKING:
    from ..transport import Transport

__all__ = [
    "LOOKUP_PAGES",
    "LOOKUP_PAGE_SIZE",
    "TaobaoGroup",
    "TaobaoOrderFilters",
    "TaobaoOrders",
    "TaobaoProducts",
    "TaobaoSearchFilters",
]

#: With ``create_recovery="lookup_and_resend"``, this many of the newest order pages are
#: searched for the seller order number (under ``taobao_echo_key``) after a lost answer.
LOOKUP_PAGES = 4
LOOKUP_PAGE_SIZE = 50

#: Every listed order must carry an ``id`` (``ResponseDecodeError`` otherwise).
_ORDER_IDS = require_ids(lambda data: data.data, "data.data")


# --------------------------------------------------------------------------- filters
# A list operation and its ``iter`` twin take the same ``**filters``, declared once
# here. To add a filter: add its key here and its field (same name, or an attrs
# ``alias`` of that name) to the request model; mypy checks that the two agree
# (``Request(**filters)``) and the model's validators refuse wrong types at run time.


class TaobaoOrderFilters(TypedDict, total=False):
    """Filters of :meth:`TaobaoOrders.list` and :meth:`TaobaoOrders.iter`."""

    #: Xportcn order status (:class:`~xportcn_async.models.TaobaoOrderStatus` or its int).
    status: TaobaoOrderStatus | int | None
    #: Xportcn order number (``""`` = no filter).
    order_no: str | None
    #: Purchase order id (sent as a number).
    purchase_id: str | int | None


class TaobaoSearchFilters(TypedDict, total=False):
    """Filters of :meth:`TaobaoProducts.search` and :meth:`TaobaoProducts.search_iter`."""

    keyword: Required[str]
    #: Translation language of the hits.
    country: str | None


def _order_list_body(
    page_num: int,
    page_size: int,
    begin: datetime | None,
    end: datetime | None,
    filters: TaobaoOrderFilters,
) -> TaobaoOrderListRequest:
    check_page(page_num, page_size)
    check_window("begin", begin, "end", end)
    return TaobaoOrderListRequest(
        page_num=page_num, page_size=page_size, begin_date_time=begin, end_date_time=end, **filters
    )


def _search_body(
    page_no: int, page_size: int, filters: TaobaoSearchFilters
) -> TaobaoKeywordSearchRequest:
    if not filters.get("keyword"):
        raise ValueError("keyword must not be empty")
    check_page(page_no, page_size, num_name="page_no")
    return TaobaoKeywordSearchRequest(page_no=page_no, page_size=page_size, **filters)


class TaobaoProducts(Resource):
    """Taobao products: detail and search (GUESS paths; dropped from the newest docs)."""

    __slots__ = ()

    async def detail(self, *, item_id: str | int) -> TaobaoProduct:
        """Read one Taobao product with its SKUs (``taobao.products.detail``).

        Sent as ``GET /open/product/get?itemId=…`` with no body (CODE: a public client
        calls it so against the production API; the twin agrees). Prices in the answer
        are integer fen. Order lines must use the answer's distributor ids (``mp_id`` /
        SKU ``mp_sku_id``), not the plain Taobao ids.
        """
        check_id("item_id", item_id)
        item = str(item_id)
        if not item:
            raise ValueError("item_id must not be empty")
        return await self._call(
            "taobao.products.detail", None, TaobaoProduct, params={"itemId": item}
        )

    async def search(
        self,
        *,
        page_no: int = 1,
        page_size: int = 20,
        **filters: Unpack[TaobaoSearchFilters],
    ) -> RawResult:
        """Search Taobao by keyword (``taobao.products.search``, GUESS path and body).

        ``filters`` are :class:`TaobaoSearchFilters` (``keyword``, ``country``). The
        body is ``keyword``, ``pageNo``, ``pageSize``, ``country`` (pages as the twin's v2
        docs and a public Go client do); the answer's shape is undocumented, so it is
        returned raw.
        """
        body = _search_body(page_no, page_size, filters)
        return await self._call("taobao.products.search", body, RawResult)

    def search_iter(
        self,
        *,
        page_size: int = 20,
        concurrency: int = 1,
        max_items: int | None = None,
        resume: Mapping[str, Any] | None = None,
        **filters: Unpack[TaobaoSearchFilters],
    ) -> AsyncPager[Any]:
        """Every hit of a keyword search, page after page, as raw items.

        ``filters`` are :meth:`search`'s (:class:`TaobaoSearchFilters`). The
        answer's shape is undocumented: items are taken from a bare list or
        from the usual keys (``data``, ``result``…) and de-duplicated by ``itemId``.
        """
        body = _search_body(1, page_size, filters)  # refuse bad filters now, not mid-walk

        async def fetch(number: int, size: int) -> Page[Any]:
            raw = await self.search(page_no=number, page_size=size, **filters)
            return raw_page(raw, number, size)

        return page_walker(
            fetch,
            page_size=page_size,
            key=raw_item_key("itemId", "mpId", "id"),
            concurrency=concurrency,
            max_items=max_items,
            filters=filter_fingerprint(body, filters),
            resume=resume,
        )

    async def search_by_image(
        self,
        *,
        image_base64: str | None = None,
        image_address: str | None = None,
        image_id: str | None = None,
        begin_page: int = 1,
        page_size: int = 20,
        country: str | None = None,
    ) -> RawResult:
        """Search Taobao by picture (``taobao.products.search_by_image``, GUESS path and body).

        Pass exactly one of ``image_base64``, ``image_address`` (a URL) or
        ``image_id``. The answer's shape is undocumented and returned raw.
        """
        check_one_image(image_base64, image_address, image_id)
        check_page(begin_page, page_size, num_name="begin_page")
        body = TaobaoProductSearchRequest(
            begin_page=begin_page,
            page_size=page_size,
            country=country,
            image_base64=image_base64,
            image_address=image_address,
            image_id=image_id,
        )
        return await self._call("taobao.products.search_by_image", body, RawResult)


class TaobaoOrders(Resource):
    """Taobao purchase orders: price a cart, place it, list orders."""

    __slots__ = ()

    async def render(
        self,
        *,
        lines: Sequence[TaobaoRenderLine],
        receiver: TaobaoReceiver,
    ) -> RawResult:
        """Price a Taobao cart before ordering (``taobao.orders.render``, GUESS path, TWIN body).

        ``orderLineList`` and ``receiver`` are sent as JSON strings, as the API
        wants. The answer's shape is undocumented and returned raw.
        """
        check_items("lines", lines, TaobaoRenderLine)
        check_type("receiver", receiver, TaobaoReceiver)
        check_not_empty("lines", lines)
        for line in lines:
            check_positive("quantity", line.quantity)
        body = TaobaoRenderRequest(order_line_list=builtins.list(lines), receiver=receiver)
        return await self._call("taobao.orders.render", body, RawResult)

    async def create(
        self,
        *,
        lines: Sequence[TaobaoCreateOrderLine],
        receiver: TaobaoReceiver,
        purchase_amount: int | None = None,
        order_source: str | None = None,
        seller_order_number: str | None = None,
        out_order_id: str | None = None,
    ) -> TaobaoCreateOrderResult:
        """Place a Taobao purchase order (``taobao.orders.create``, GUESS path, TWIN body).

        ``purchase_amount`` and line ``price`` are integer fen. Pass your own
        ``seller_order_number``. A create is never blindly retried: when its answer is
        lost (timeout, reset, 5xx) the SDK, by default, does not send it again and
        raises :class:`~xportcn_async.OutcomeUnknownError` whose ``candidates`` are the
        orders created around that time — no field of the list is known to echo your
        number, so the SDK cannot tell which is yours (``purchase_order_outer_id`` is
        Taobao's own order number). With ``create_recovery="lookup_and_resend"`` (only
        once Xportcn has confirmed that listed orders echo the number under
        ``taobao_echo_key`` and that a duplicate number is refused) it returns the
        order found among the newest :data:`LOOKUP_PAGES` pages (``result.recovered``)
        or sends the create once more with the same number. The result's
        ``request_id`` is the one to give Xportcn support. One create
        can split into several purchase orders (``order_list`` of the answer).
        ``out_order_id`` is accepted as another name for ``seller_order_number``
        (the name the 1688 calls use).
        """
        check_items("lines", lines, TaobaoCreateOrderLine)
        check_type("receiver", receiver, TaobaoReceiver)
        check_str("order_source", order_source, optional=True)
        check_str("seller_order_number", seller_order_number, optional=True)
        check_str("out_order_id", out_order_id, optional=True)
        if out_order_id is not None:
            if seller_order_number is not None and seller_order_number != out_order_id:
                raise ValueError("pass seller_order_number or out_order_id, not two different ids")
            seller_order_number = out_order_id
        if seller_order_number is not None and not seller_order_number.strip():
            raise ValueError("seller_order_number must not be empty (or leave it None)")
        check_not_empty("lines", lines)
        for line in lines:
            check_positive("quantity", line.quantity)
        if purchase_amount is not None:
            check_non_negative("purchase_amount", purchase_amount)
        body = TaobaoCreateOrderRequest(
            purchase_amount=purchase_amount,
            receiver=receiver,
            order_line_list=builtins.list(lines),
            order_source=order_source,
            seller_order_number=seller_order_number,
        )
        key = seller_order_number
        config = self._transport.config

        async def create() -> TaobaoCreateOrderResult:
            return await self._call("taobao.orders.create", body, TaobaoCreateOrderResult)

        async def lookup() -> TaobaoCreateOrderResult | None:
            # Only with create_recovery="lookup_and_resend": the list has no filter for
            # the seller's number, so the order, if created, is among the newest pages,
            # carrying the number under the (confirmed by the user) echo key.
            echo = config.taobao_echo_key
            found: builtins.list[TaobaoOrder] = []
            for page_num in range(1, LOOKUP_PAGES + 1):
                page = await self.list(page_num=page_num, page_size=LOOKUP_PAGE_SIZE)
                found += [o for o in page.items if o.extra.get(echo) == key]
                if not page.has_next:
                    break
            if not found:
                return None
            return TaobaoCreateOrderResult(
                success=True,
                outer_purchase_id=key,
                order_list=[
                    TaobaoCreatedPurchaseOrder(
                        purchase_id=o.purchase_id,
                        supplier_nick=o.supplier_nick,
                        estimate_amount=o.purchase_amount,
                    )
                    for o in found
                ],
            )

        async def candidates(begin: datetime, end: datetime) -> builtins.list[TaobaoOrder]:
            page = await self.list(page_num=1, page_size=MAX_CANDIDATES, begin=begin, end=end)
            return page.items

        return await create_once(
            endpoint="taobao.orders.create",
            key_name="seller_order_number",
            key=key,
            mode=config.create_recovery,
            create=create,
            lookup=lookup,
            candidates=candidates,
            clock=self._transport.clock,
        )

    async def list(
        self,
        *,
        page_num: int = 1,
        page_size: int = 50,
        begin: datetime | None = None,
        end: datetime | None = None,
        **filters: Unpack[TaobaoOrderFilters],
    ) -> Page[TaobaoOrder]:
        """One page of Taobao purchase orders (``taobao.orders.list``, KA ``/open/purchase/page``).

        ``filters`` are :class:`TaobaoOrderFilters` (``status``, ``order_no``,
        ``purchase_id``), sent only when given. ``begin`` / ``end`` bound the creation
        time; they must be aware datetimes and are sent as ``"YYYY-MM-DD HH:MM:SS"``
        in China time. Amounts in the orders are integer fen. The list is newest
        first, so orders created during a walk shift later pages.

        >>> # page = await xp.taobao.orders.list(page_num=1, page_size=50, status=10)
        """
        body = _order_list_body(page_num, page_size, begin, end, filters)
        data, wire = await self._call_with_wire(
            "taobao.orders.list", body, TaobaoOrderListData, check=_ORDER_IDS
        )
        return Page(
            items=data.data,
            total=data.total,
            page_num=page_num,
            page_size=page_size,
            raw=wire_items(wire, "data", len(data.data)),
        )

    def iter(
        self,
        *,
        page_size: int = 50,
        begin: datetime | None = None,
        end: datetime | None = None,
        concurrency: int = 1,
        window: timedelta = timedelta(days=1),
        safety_margin: timedelta = timedelta(minutes=5),
        max_items: int | None = None,
        resume: Mapping[str, Any] | None = None,
        **filters: Unpack[TaobaoOrderFilters],
    ) -> AsyncPager[TaobaoOrder]:
        """Every Taobao order matching the filters, page after page (:meth:`list` under the hood).

        ``async for order in xp.taobao.orders.iter(begin=since, page_size=100)``.
        With ``begin`` the walk goes through closed creation-time windows (see
        :class:`~xportcn_async.pagination.AsyncPager` for what is guaranteed);
        ``filters`` are :meth:`list`'s (:class:`TaobaoOrderFilters`); ``resume``
        continues from a pager checkpoint.
        """
        check_type("max_items", max_items, int, optional=True)
        body = _order_list_body(1, page_size, begin, end, filters)  # refuse bad filters now

        async def fetch(
            page_num: int, size: int, lo: datetime | None, hi: datetime | None
        ) -> Page[TaobaoOrder]:
            return await self.list(page_num=page_num, page_size=size, begin=lo, end=hi, **filters)

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


class TaobaoGroup:
    """``xp.taobao``: :attr:`products` and :attr:`orders`."""

    __slots__ = ("orders", "products")

    def __init__(self, transport: Transport) -> None:
        self.products = TaobaoProducts(transport)
        self.orders = TaobaoOrders(transport)

    def __repr__(self) -> str:
        return "TaobaoGroup(products, orders)"
