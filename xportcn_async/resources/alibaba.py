"""1688 purchasing: ``xp.alibaba.products``, ``xp.alibaba.orders`` and ``xp.alibaba.after_sales``.

Paths marked KA in :data:`~xportcn_async.endpoints.CATALOGUE` are confirmed by
the Xportcn docs; the others are GUESS (override them with ``endpoint_paths``).
The after-sales group is absent from the newest docs.
"""

from __future__ import annotations

import asyncio
import builtins
import os
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import aiohttp

from .. import serde
from ..models.address import AddressParam
from ..models.after_sales import (
    CreateRefundRequest,
    DisputeRequest,
    GoodsStatus,
    LogisticsCompany,
    OrderEntryCount,
    RefundCreated,
    RefundReason,
    RefundReasonsRequest,
    SubmitReturnRequest,
    VoucherUpload,
)
from ..models.alibaba import (
    AlibabaCategory,
    AlibabaCategoryRequest,
    AlibabaCreateOrderRequest,
    AlibabaCreateOrderResult,
    AlibabaFreightEstimate,
    AlibabaFreightEstimateRequest,
    AlibabaOrder,
    AlibabaOrderDetailRequest,
    AlibabaOrderListData,
    AlibabaOrderListRequest,
    AlibabaOrderPayRequest,
    AlibabaOrderPreview,
    AlibabaOrderPreviewRequest,
    AlibabaOrderStatus,
    AlibabaPayResult,
    AlibabaPoolRequest,
    AlibabaProduct,
    AlibabaProductDetailMultiRequest,
    AlibabaProductDetailRequest,
    AlibabaProductSearchData,
    AlibabaProductSearchRequest,
    AlibabaProductSummary,
    CargoParam,
    LogisticsSkuNum,
)
from ..models.common import Page, RawResult
from ..pagination import AsyncPager
from ._base import (
    Resource,
    check_max_items,
    check_non_negative,
    check_not_empty,
    check_one_image,
    check_page,
    check_positive,
    check_text,
    check_window,
    id_list,
)
from ._paging import page_walker, raw_item_key, raw_page
from ._recovery import create_once

if TYPE_CHECKING:
    from ..transport import Transport

__all__ = [
    "MAX_CARGO_LINES",
    "MAX_REFUND_VOUCHERS",
    "MAX_RETURN_VOUCHERS",
    "MAX_VOUCHER_BYTES",
    "AlibabaAfterSales",
    "AlibabaGroup",
    "AlibabaOrders",
    "AlibabaProducts",
]

#: ``cargoParamList`` of one create holds at most this many lines (one seller).
MAX_CARGO_LINES = 50
#: A refund request carries at most 5 voucher images, a return submission at most 10.
MAX_REFUND_VOUCHERS = 5
MAX_RETURN_VOUCHERS = 10
#: Voucher images must be JPEG and smaller than 1 MB.
MAX_VOUCHER_BYTES = 1024 * 1024
_JPEG_MAGIC = b"\xff\xd8\xff"


def _check_cargo(cargo: Sequence[CargoParam]) -> builtins.list[CargoParam]:
    check_not_empty("cargo", cargo)
    check_max_items("cargo", cargo, MAX_CARGO_LINES)
    for line in cargo:
        if not isinstance(line, CargoParam):
            raise ValueError(f"cargo items must be CargoParam, got {type(line).__name__}")
        check_positive("cargo quantity", line.quantity)
    return builtins.list(cargo)


def _search_page(data: AlibabaProductSearchData, begin_page: int, page_size: int) -> Page[Any]:
    return Page(
        items=data.data,
        total=data.total_records,
        page_num=data.current_page or begin_page,
        page_size=page_size,
    )


class AlibabaProducts(Resource):
    """1688 products: search, categories, details, freight, product pools."""

    __slots__ = ()

    async def search(
        self,
        *,
        keyword: str,
        begin_page: int = 1,
        page_size: int = 20,
        country: str = "en",
        filter: str | None = None,
        sort: Mapping[str, str] | None = None,
        out_member_id: str | None = None,
        price_start: str | None = None,
        price_end: str | None = None,
        category_id: str | int | None = None,
    ) -> Page[AlibabaProductSummary]:
        """Search 1688 by keyword (``alibaba.products.search``, KA path, TWIN body).

        ``country`` is the translation language (``en``); ``filter`` a comma list
        (``shipInToday,ksCiphertext``); ``sort`` a mapping like ``{"price": "desc"}``
        (sent as a JSON string); ``price_start`` / ``price_end`` in yuan as 1688
        takes them. Prices in the hits are exact decimals as sent (yuan upstream).
        """
        if not keyword:
            raise ValueError("keyword must not be empty")
        check_page(begin_page, page_size, num_name="begin_page")
        body = AlibabaProductSearchRequest(
            keyword=keyword,
            begin_page=begin_page,
            page_size=page_size,
            country=country,
            filter=filter,
            sort=dict(sort) if sort is not None else None,
            out_member_id=out_member_id,
            price_start=price_start,
            price_end=price_end,
            category_id=None if category_id is None else str(category_id),
        )
        data = await self._call("alibaba.products.search", body, AlibabaProductSearchData)
        return _search_page(data, begin_page, page_size)

    async def search_by_image(
        self,
        *,
        image_base64: str | None = None,
        image_address: str | None = None,
        image_id: str | None = None,
        region: str | None = None,
        begin_page: int = 1,
        page_size: int = 20,
        country: str = "en",
        filter: str | None = None,
        sort: Mapping[str, str] | None = None,
        out_member_id: str | None = None,
    ) -> Page[AlibabaProductSummary]:
        """Search 1688 by picture (``alibaba.products.search_by_image``, GUESS path, TWIN body).

        Pass exactly one of ``image_base64``, ``image_address`` (a URL) or
        ``image_id``; ``region`` crops the picture (``"x1,x2,y1,y2"`` upstream).
        """
        check_one_image(image_base64, image_address, image_id)
        check_page(begin_page, page_size, num_name="begin_page")
        body = AlibabaProductSearchRequest(
            begin_page=begin_page,
            page_size=page_size,
            country=country,
            filter=filter,
            sort=dict(sort) if sort is not None else None,
            out_member_id=out_member_id,
            image_base64=image_base64,
            image_address=image_address,
            image_id=image_id,
            region=region,
        )
        data = await self._call("alibaba.products.search_by_image", body, AlibabaProductSearchData)
        return _search_page(data, begin_page, page_size)

    def search_iter(
        self,
        *,
        keyword: str,
        page_size: int = 20,
        concurrency: int = 1,
        max_items: int | None = None,
        country: str = "en",
        filter: str | None = None,
        sort: Mapping[str, str] | None = None,
        price_start: str | None = None,
        price_end: str | None = None,
        category_id: str | int | None = None,
        resume: Mapping[str, Any] | None = None,
    ) -> AsyncPager[AlibabaProductSummary]:
        """Every hit of a keyword search, page after page (:meth:`search` under the hood).

        ``async for offer in xp.alibaba.products.search_iter(keyword="水杯", max_items=200)``;
        hits are de-duplicated by ``offer_id``.
        """
        check_page(1, page_size)

        async def fetch(number: int, size: int) -> Page[AlibabaProductSummary]:
            return await self.search(
                keyword=keyword,
                begin_page=number,
                page_size=size,
                country=country,
                filter=filter,
                sort=sort,
                price_start=price_start,
                price_end=price_end,
                category_id=category_id,
            )

        return page_walker(
            fetch,
            page_size=page_size,
            key=lambda offer: offer.offer_id or repr(offer),
            concurrency=concurrency,
            max_items=max_items,
            filters={"keyword": keyword, "filter": filter, "category_id": category_id},
            resume=resume,
        )

    def search_by_image_iter(
        self,
        *,
        page_size: int = 20,
        concurrency: int = 1,
        max_items: int | None = None,
        resume: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> AsyncPager[AlibabaProductSummary]:
        """Every hit of a picture search; ``options`` are :meth:`search_by_image`'s arguments."""
        check_page(1, page_size)

        async def fetch(number: int, size: int) -> Page[AlibabaProductSummary]:
            return await self.search_by_image(begin_page=number, page_size=size, **options)

        return page_walker(
            fetch,
            page_size=page_size,
            key=lambda offer: offer.offer_id or repr(offer),
            concurrency=concurrency,
            max_items=max_items,
            filters={k: v for k, v in options.items() if isinstance(v, (str, int))},
            resume=resume,
        )

    async def category(
        self, *, category_id: str | int = 0, language: str = "en"
    ) -> AlibabaCategory:
        """One 1688 category and its children (``alibaba.products.category``, GUESS path).

        ``category_id=0`` asks for the root.
        """
        body = AlibabaCategoryRequest(category_id=str(category_id), language=language)
        return await self._call("alibaba.products.category", body, AlibabaCategory)

    async def detail(
        self, *, offer_id: str | int, country: str = "en", out_member_id: str | None = None
    ) -> AlibabaProduct:
        """Read one 1688 product (``alibaba.products.detail``, GUESS path, TWIN body).

        ``product_sku_infos[].spec_id`` of the answer is what :class:`CargoParam` takes.
        """
        body = AlibabaProductDetailRequest(
            offer_id=str(offer_id), country=country, out_member_id=out_member_id
        )
        return await self._call("alibaba.products.detail", body, AlibabaProduct)

    async def detail_multi(
        self,
        *,
        offer_ids: Sequence[str | int],
        country: str = "en",
        out_member_id: str | None = None,
    ) -> RawResult:
        """Read several 1688 products at once (``alibaba.products.detail_multi``, newest docs).

        Path and body are GUESS (``{offerIds, country, outMemberId}``) and the
        answer's shape is undocumented, so it is returned raw.
        """
        body = AlibabaProductDetailMultiRequest(
            offer_ids=id_list("offer_ids", offer_ids), country=country, out_member_id=out_member_id
        )
        return await self._call("alibaba.products.detail_multi", body, RawResult)

    async def estimate_freight(
        self,
        *,
        offer_id: str | int,
        to_province_code: str,
        to_city_code: str,
        to_country_code: str,
        total_num: int,
        sku_numbers: Mapping[str, int] | None = None,
    ) -> AlibabaFreightEstimate:
        """Estimate China-domestic freight of a product to a district (UPSTREAM body, GUESS path).

        Codes are Chinese administrative codes (``to_country_code`` is the
        district code). ``sku_numbers`` maps SKU id → quantity. The answer's
        ``freight`` is in **yuan** (an exact ``Decimal``), as 1688 sends it.
        """
        check_positive("total_num", total_num)
        models = None
        if sku_numbers is not None:
            for count in sku_numbers.values():
                check_positive("sku quantity", count)
            models = [LogisticsSkuNum(sku_id=k, number=v) for k, v in sku_numbers.items()]
        body = AlibabaFreightEstimateRequest(
            offer_id=str(offer_id),
            to_province_code=to_province_code,
            to_city_code=to_city_code,
            to_country_code=to_country_code,
            total_num=total_num,
            logistics_sku_num_models=models,
        )
        return await self._call("alibaba.products.estimate_freight", body, AlibabaFreightEstimate)

    async def pool(
        self,
        *,
        offer_pool_id: str,
        task_id: str,
        page_no: int = 1,
        page_size: int = 20,
        cate_id: str | None = None,
        language: str | None = None,
        sort_field: str | None = None,
        sort_type: str | None = None,
    ) -> RawResult:
        """One page of a 1688 product pool (``alibaba.products.pool``; absent in the newest docs).

        Send the same ``task_id`` for every page of one walk; a short page ends
        it. Path GUESS, body UPSTREAM; the answer is returned raw.
        """
        check_page(page_no, page_size, num_name="page_no")
        if not task_id:
            raise ValueError("task_id must not be empty: reuse one task id for every page")
        body = AlibabaPoolRequest(
            offer_pool_id=offer_pool_id,
            task_id=task_id,
            page_no=page_no,
            page_size=page_size,
            cate_id=cate_id,
            language=language,
            sort_field=sort_field,
            sort_type=sort_type,
        )
        return await self._call("alibaba.products.pool", body, RawResult)

    def pool_iter(
        self,
        *,
        offer_pool_id: str,
        task_id: str | None = None,
        page_size: int = 20,
        max_items: int | None = None,
        cate_id: str | None = None,
        language: str | None = None,
        sort_field: str | None = None,
        sort_type: str | None = None,
    ) -> AsyncPager[Any]:
        """Every offer of a product pool (raw items), one ``task_id`` for the whole walk.

        Without ``task_id`` a fresh one is generated. Pages are fetched one at a
        time (the pool is a server-side snapshot tied to the task); a short page
        ends the walk. Items are de-duplicated by ``offerId``.
        """
        check_page(1, page_size)
        task = task_id or uuid.uuid4().hex

        async def fetch(number: int, size: int) -> Page[Any]:
            raw = await self.pool(
                offer_pool_id=offer_pool_id,
                task_id=task,
                page_no=number,
                page_size=size,
                cate_id=cate_id,
                language=language,
                sort_field=sort_field,
                sort_type=sort_type,
            )
            return raw_page(raw, number, size)

        return page_walker(
            fetch,
            page_size=page_size,
            key=raw_item_key("offerId", "id"),
            max_items=max_items,
            filters={"offer_pool_id": offer_pool_id, "task_id": task},
        )


class AlibabaOrders(Resource):
    """1688 orders: preview, create, pay, read, track."""

    __slots__ = ()

    async def list(
        self,
        *,
        page: int = 1,
        page_size: int = 20,
        order_status: AlibabaOrderStatus | str | None = None,
        create_start: datetime | None = None,
        create_end: datetime | None = None,
        modify_start: datetime | None = None,
        modify_end: datetime | None = None,
        refund_status: str | None = None,
        out_order_id: str | None = None,
        order_ids: Sequence[str | int] | None = None,
    ) -> Page[AlibabaOrder]:
        """One page of 1688 orders (``alibaba.orders.list``, GUESS path, upstream body).

        Datetimes must be aware; they are sent as ``"YYYY-MM-DD HH:MM:SS"`` China
        time (the KA convention; upstream 1688 uses another format). Filters are
        sent only when given. Amounts in the answer are kept as sent.
        """
        check_page(page, page_size, num_name="page")
        check_window("create_start", create_start, "create_end", create_end)
        check_window("modify_start", modify_start, "modify_end", modify_end)
        body = AlibabaOrderListRequest(
            page=page,
            page_size=page_size,
            order_status=order_status,
            create_start_time=create_start,
            create_end_time=create_end,
            modify_start_time=modify_start,
            modify_end_time=modify_end,
            refund_status=refund_status,
            out_order_id=out_order_id,
            order_ids=None if order_ids is None else id_list("order_ids", order_ids),
        )
        data = await self._call("alibaba.orders.list", body, AlibabaOrderListData)
        return Page(items=data.result, total=data.total_record, page_num=page, page_size=page_size)

    def iter(
        self,
        *,
        page_size: int = 20,
        begin: datetime | None = None,
        end: datetime | None = None,
        order_status: AlibabaOrderStatus | str | None = None,
        refund_status: str | None = None,
        concurrency: int = 1,
        window: timedelta = timedelta(days=1),
        safety_margin: timedelta = timedelta(minutes=5),
        max_items: int | None = None,
        resume: Mapping[str, Any] | None = None,
    ) -> AsyncPager[AlibabaOrder]:
        """Every 1688 order matching the filters, page after page (:meth:`list` under the hood).

        ``begin`` / ``end`` bound the creation time (``createStartTime`` /
        ``createEndTime``) and switch on closed time windows; see
        :class:`~xportcn_async.pagination.AsyncPager`.
        """
        check_page(1, page_size)
        status = (
            order_status.value if isinstance(order_status, AlibabaOrderStatus) else order_status
        )
        filters: dict[str, Any] = {"order_status": status, "refund_status": refund_status}

        async def fetch(
            page_num: int, size: int, lo: datetime | None, hi: datetime | None
        ) -> Page[AlibabaOrder]:
            return await self.list(
                page=page_num,
                page_size=size,
                order_status=order_status,
                refund_status=refund_status,
                create_start=lo,
                create_end=hi,
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

        Pass ``out_order_id`` (your own order id): a create is never blindly
        retried, so when its answer is lost (timeout, reset, 5xx) the SDK looks the
        order up with ``list(out_order_id=…)`` and returns it (``result.recovered``
        is True) instead of ordering twice; only when no such order exists is the
        create sent again, with the same id. Without ``out_order_id`` a lost answer
        raises :class:`~xportcn_async.OutcomeUnknownError`. ``message`` is a note
        to the seller; ``trade_type`` is the 1688 payment mode (assureTrade,
        alipay, period…). Amounts of the answer in fen.
        """
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

        return await create_once(
            self._transport,
            endpoint="alibaba.orders.create",
            key_name="out_order_id",
            key=out_order_id,
            create=create,
            lookup=lookup,
        )

    async def detail(self, *, order_id: str | int) -> AlibabaOrder:
        """Read one 1688 order (``alibaba.orders.detail``, GUESS path).

        Sends ``{orderId, webSite: "1688"}`` (upstream). Amounts are kept as sent.
        """
        body = AlibabaOrderDetailRequest(order_id=str(order_id))
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
        body = AlibabaOrderDetailRequest(order_id=str(order_id))
        return await self._call("alibaba.orders.logistics", body, RawResult)


async def _read_image(
    image: bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes],
) -> tuple[bytes, str]:
    filename = "voucher.jpg"
    if isinstance(image, (bytes, bytearray, memoryview)):
        content = bytes(image)
    elif isinstance(image, (str, os.PathLike)):
        path = Path(image)
        filename = path.name or filename
        content = await asyncio.to_thread(path.read_bytes)
    elif hasattr(image, "read"):
        content = image.read()
        if not isinstance(content, (bytes, bytearray)):
            raise ValueError("image file must be opened in binary mode ('rb')")
        content = bytes(content)
        name = getattr(image, "name", None)
        if isinstance(name, str) and name:
            filename = Path(name).name
    else:
        raise ValueError(
            f"image must be bytes, a path or a binary file object, got {type(image).__name__}"
        )
    if not content.startswith(_JPEG_MAGIC):
        raise ValueError("voucher image must be a JPEG (jpg) file")
    if len(content) >= MAX_VOUCHER_BYTES:
        raise ValueError(f"voucher image must be smaller than 1 MB, got {len(content)} bytes")
    return content, filename


class AlibabaAfterSales(Resource):
    """1688 after-sales: refund reasons, voucher upload, refund request, return shipping.

    GUESS paths, UPSTREAM fields; absent from the newest docs.
    """

    __slots__ = ()

    async def refund_reasons(
        self,
        *,
        order_id: str | int,
        order_entry_ids: Sequence[str | int],
        goods_status: GoodsStatus | str,
    ) -> builtins.list[RefundReason]:
        """The refund reasons allowed for these order lines in this goods state.

        Pass a reason's ``id`` as ``apply_reason_id`` of :meth:`create_refund`;
        ``need_voucher`` says whether a photo is required. Accepts the answer as a
        list or wrapped as ``{"reasons": [...]}`` (upstream shape).
        """
        body = RefundReasonsRequest(
            order_id=str(order_id),
            order_entry_ids=id_list("order_entry_ids", order_entry_ids),
            goods_status=goods_status,
        )
        key = "alibaba.after_sales.refund_reasons"
        data, request_id = await self._call_data(key, body)
        if isinstance(data, Mapping):
            inner = data.get("result", data)
            if isinstance(inner, Mapping):
                data = inner.get("reasons", inner)
        return serde.structure(
            data, builtins.list[RefundReason], endpoint=key, request_id=request_id
        )

    async def upload_voucher(
        self, *, image: bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes]
    ) -> VoucherUpload:
        """Upload a refund voucher photo (multipart field ``imageData``; GUESS path).

        ``image`` is the JPEG's bytes, a path to it, or a binary file object; it
        must be a JPEG smaller than 1 MB (checked before sending). Put the
        answer's :attr:`~VoucherUpload.url` in ``vouchers``.
        """
        content, filename = await _read_image(image)
        form = aiohttp.FormData()
        form.add_field("imageData", content, filename=filename, content_type="image/jpeg")
        return await self._call(
            "alibaba.after_sales.upload_voucher", None, VoucherUpload, data=form
        )

    async def create_refund(
        self,
        *,
        order_id: str | int,
        order_entry_ids: Sequence[str | int],
        dispute_request: DisputeRequest | str,
        apply_payment: int,
        apply_reason_id: str | int,
        description: str,
        goods_status: GoodsStatus | str,
        apply_carriage: int = 0,
        vouchers: Sequence[str] | None = None,
        order_entry_counts: Mapping[str | int, int] | None = None,
    ) -> RefundCreated:
        """Ask the seller for a refund (or return + refund) of 1688 order lines.

        ``apply_payment`` and ``apply_carriage`` are integer fen (carriage must
        usually be 0); ``description`` 2–150 characters; at most 5 voucher URLs
        (from :meth:`upload_voucher`); ``order_entry_counts`` maps order line id →
        units to return. Returns the refund id (``TQ…``).
        """
        check_non_negative("apply_payment", apply_payment)
        check_non_negative("apply_carriage", apply_carriage)
        check_text("description", description, min_len=2, max_len=150)
        check_max_items("vouchers", vouchers, MAX_REFUND_VOUCHERS)
        counts = None
        if order_entry_counts is not None:
            for count in order_entry_counts.values():
                check_positive("order entry count", count)
            counts = [OrderEntryCount(id=str(k), count=v) for k, v in order_entry_counts.items()]
        body = CreateRefundRequest(
            order_id=str(order_id),
            order_entry_ids=id_list("order_entry_ids", order_entry_ids),
            dispute_request=dispute_request,
            apply_payment=apply_payment,
            apply_carriage=apply_carriage,
            apply_reason_id=str(apply_reason_id),
            description=description,
            goods_status=goods_status,
            vouchers=None if vouchers is None else builtins.list(vouchers),
            order_entry_count_list=counts,
        )
        return await self._call("alibaba.after_sales.create_refund", body, RefundCreated)

    async def submit_return(
        self,
        *,
        refund_id: str,
        logistics_company_no: str,
        freight_bill: str,
        description: str | None = None,
        vouchers: Sequence[str] | None = None,
    ) -> RawResult:
        """Tell the seller how the goods were shipped back (waybill ``freight_bill``).

        ``logistics_company_no`` comes from :meth:`logistics_companies`; at most
        10 voucher URLs. The answer's shape is undocumented and returned raw.
        """
        if not refund_id:
            raise ValueError("refund_id must not be empty")
        if not freight_bill:
            raise ValueError("freight_bill (the return waybill number) must not be empty")
        check_max_items("vouchers", vouchers, MAX_RETURN_VOUCHERS)
        if description is not None:
            check_text("description", description, min_len=1, max_len=500)
        body = SubmitReturnRequest(
            refund_id=refund_id,
            logistics_company_no=logistics_company_no,
            freight_bill=freight_bill,
            description=description,
            vouchers=None if vouchers is None else builtins.list(vouchers),
        )
        return await self._call("alibaba.after_sales.submit_return", body, RawResult)

    async def logistics_companies(self) -> builtins.list[LogisticsCompany]:
        """The carriers a return can be shipped with (GET, no parameters; GUESS path)."""
        key = "alibaba.after_sales.logistics_companies"
        data, request_id = await self._call_data(key, None)
        if isinstance(data, Mapping):
            data = data.get("result", data.get("data", data))
        return serde.structure(
            data, builtins.list[LogisticsCompany], endpoint=key, request_id=request_id
        )


class AlibabaGroup:
    """``xp.alibaba``: :attr:`products`, :attr:`orders` and :attr:`after_sales`."""

    __slots__ = ("after_sales", "orders", "products")

    def __init__(self, transport: Transport) -> None:
        self.products = AlibabaProducts(transport)
        self.orders = AlibabaOrders(transport)
        self.after_sales = AlibabaAfterSales(transport)

    def __repr__(self) -> str:
        return "AlibabaGroup(products, orders, after_sales)"
