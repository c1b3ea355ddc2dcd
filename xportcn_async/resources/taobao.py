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
    check_non_negative,
    check_not_empty,
    check_one_image,
    check_page,
    check_positive,
    check_window,
)
from ._paging import page_walker, raw_item_key, raw_page
from ._recovery import create_once

if TYPE_CHECKING:
    from ..transport import Transport

__all__ = ["LOOKUP_PAGES", "LOOKUP_PAGE_SIZE", "TaobaoGroup", "TaobaoOrders", "TaobaoProducts"]

#: After a lost create answer, this many of the newest order pages are searched for the
#: seller order number (``purchaseOrderOuterId``): the order, if created, is at the top.
LOOKUP_PAGES = 4
LOOKUP_PAGE_SIZE = 50


class TaobaoProducts(Resource):
    """Taobao products: detail and search (GUESS paths; dropped from the newest docs)."""

    __slots__ = ()

    async def detail(self, *, item_id: str | int) -> TaobaoProduct:
        """Read one Taobao product with its SKUs (``taobao.products.detail``, GUESS path).

        Prices in the answer are integer fen. Order lines must use the answer's
        distributor ids (``mp_id`` / SKU ``mp_sku_id``), not the plain Taobao ids.
        The id goes both in the JSON body and as the ``itemId`` query parameter,
        because a public client calls this endpoint as ``GET ?itemId=``.
        """
        item = str(item_id)
        if not item:
            raise ValueError("item_id must not be empty")
        return await self._call(
            "taobao.products.detail",
            {"itemId": item},
            TaobaoProduct,
            params={"itemId": item},
        )

    async def search(
        self,
        *,
        keyword: str,
        begin_page: int = 1,
        page_size: int = 20,
        country: str | None = None,
    ) -> RawResult:
        """Search Taobao by keyword (``taobao.products.search``, GUESS path and body).

        The body mirrors the 1688 search (``keyword``, ``beginPage``, ``pageSize``,
        ``country``); the answer's shape is undocumented, so it is returned raw.
        """
        if not keyword:
            raise ValueError("keyword must not be empty")
        check_page(begin_page, page_size, num_name="begin_page")
        body = TaobaoProductSearchRequest(
            keyword=keyword, begin_page=begin_page, page_size=page_size, country=country
        )
        return await self._call("taobao.products.search", body, RawResult)

    def search_iter(
        self,
        *,
        keyword: str,
        page_size: int = 20,
        concurrency: int = 1,
        max_items: int | None = None,
        country: str | None = None,
        resume: Mapping[str, Any] | None = None,
    ) -> AsyncPager[Any]:
        """Every hit of a keyword search, page after page, as raw items.

        The answer's shape is undocumented: items are taken from a bare list or
        from the usual keys (``data``, ``result``…) and de-duplicated by ``itemId``.
        """
        check_page(1, page_size)

        async def fetch(number: int, size: int) -> Page[Any]:
            raw = await self.search(
                keyword=keyword, begin_page=number, page_size=size, country=country
            )
            return raw_page(raw, number, size)

        return page_walker(
            fetch,
            page_size=page_size,
            key=raw_item_key("itemId", "mpId", "id"),
            concurrency=concurrency,
            max_items=max_items,
            filters={"keyword": keyword, "country": country},
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
        ``seller_order_number``: a create is never blindly retried, so when its
        answer is lost (timeout, reset, 5xx) the SDK looks for orders whose
        ``purchase_order_outer_id`` is that number among the newest
        :data:`LOOKUP_PAGES` pages of :meth:`list` and returns them
        (``result.recovered`` is True) instead of ordering twice; only when none
        exists is the create sent again, with the same number. Without one, a
        lost answer raises :class:`~xportcn_async.OutcomeUnknownError`. One create
        can split into several purchase orders (``order_list`` of the answer).
        ``out_order_id`` is accepted as another name for ``seller_order_number``
        (the name the 1688 calls use).
        """
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

        async def create() -> TaobaoCreateOrderResult:
            return await self._call("taobao.orders.create", body, TaobaoCreateOrderResult)

        async def lookup() -> TaobaoCreateOrderResult | None:
            # The list has no filter for the seller's number: the order, if it was
            # created, is among the newest (the list is newest first).
            found: builtins.list[TaobaoOrder] = []
            for page_num in range(1, LOOKUP_PAGES + 1):
                page = await self.list(page_num=page_num, page_size=LOOKUP_PAGE_SIZE)
                found += [o for o in page.items if o.purchase_order_outer_id == key]
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

        return await create_once(
            self._transport,
            endpoint="taobao.orders.create",
            key_name="seller_order_number",
            key=key,
            create=create,
            lookup=lookup,
        )

    async def list(
        self,
        *,
        page_num: int = 1,
        page_size: int = 50,
        status: TaobaoOrderStatus | int | None = None,
        order_no: str | None = None,
        purchase_id: str | int | None = None,
        begin: datetime | None = None,
        end: datetime | None = None,
    ) -> Page[TaobaoOrder]:
        """One page of Taobao purchase orders (``taobao.orders.list``, KA ``/open/purchase/page``).

        Filters are sent only when given. ``begin`` / ``end`` bound the creation
        time; they must be aware datetimes and are sent as ``"YYYY-MM-DD HH:MM:SS"``
        in China time. Amounts in the orders are integer fen. The list is newest
        first, so orders created during a walk shift later pages.

        >>> # page = await xp.taobao.orders.list(page_num=1, page_size=50, status=10)
        """
        check_page(page_num, page_size)
        check_window("begin", begin, "end", end)
        body = TaobaoOrderListRequest(
            page_num=page_num,
            page_size=page_size,
            order_no=order_no or None,
            purchase_id=None if purchase_id is None else str(purchase_id),
            status=status,
            begin_date_time=begin,
            end_date_time=end,
        )
        data = await self._call("taobao.orders.list", body, TaobaoOrderListData)
        return Page(items=data.data, total=data.total, page_num=page_num, page_size=page_size)

    def iter(
        self,
        *,
        page_size: int = 50,
        begin: datetime | None = None,
        end: datetime | None = None,
        status: TaobaoOrderStatus | int | None = None,
        order_no: str | None = None,
        purchase_id: str | int | None = None,
        concurrency: int = 1,
        window: timedelta = timedelta(days=1),
        safety_margin: timedelta = timedelta(minutes=5),
        max_items: int | None = None,
        resume: Mapping[str, Any] | None = None,
    ) -> AsyncPager[TaobaoOrder]:
        """Every Taobao order matching the filters, page after page (:meth:`list` under the hood).

        ``async for order in xp.taobao.orders.iter(begin=since, page_size=100)``.
        With ``begin`` the walk goes through closed creation-time windows (see
        :class:`~xportcn_async.pagination.AsyncPager` for what is guaranteed);
        ``resume`` continues from a pager checkpoint.
        """
        check_page(1, page_size)
        filters: dict[str, Any] = {
            "status": None if status is None else int(status),
            "order_no": order_no,
            "purchase_id": None if purchase_id is None else str(purchase_id),
        }

        async def fetch(
            page_num: int, size: int, lo: datetime | None, hi: datetime | None
        ) -> Page[TaobaoOrder]:
            return await self.list(
                page_num=page_num,
                page_size=size,
                status=status,
                order_no=order_no,
                purchase_id=purchase_id,
                begin=lo,
                end=hi,
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
            filters={k: v for k, v in filters.items() if v is not None},
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
