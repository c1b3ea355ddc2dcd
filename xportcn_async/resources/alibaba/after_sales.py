"""1688 after-sales: ``xp.alibaba.after_sales`` (refund reasons, vouchers, refunds, returns).

GUESS paths, UPSTREAM fields; absent from the newest docs.
"""

from __future__ import annotations

import asyncio
import builtins
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

import aiohttp

from ... import serde
from ...models.after_sales import (
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
from ...models.common import RawResult
from .._base import (
    Resource,
    check_id,
    check_items,
    check_mapping,
    check_max_items,
    check_non_negative,
    check_positive,
    check_str,
    check_text,
    check_type,
    id_list,
)

__all__ = [
    "MAX_REFUND_VOUCHERS",
    "MAX_RETURN_VOUCHERS",
    "MAX_VOUCHER_BYTES",
    "AlibabaAfterSales",
]

#: A refund request carries at most 5 voucher images, a return submission at most 10.
MAX_REFUND_VOUCHERS = 5
MAX_RETURN_VOUCHERS = 10
#: Voucher images must be JPEG and smaller than 1 MB.
MAX_VOUCHER_BYTES = 1024 * 1024
_JPEG_MAGIC = b"\xff\xd8\xff"


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
        check_type("goods_status", goods_status, str)
        check_items("order_entry_ids", order_entry_ids, str, int)
        body = RefundReasonsRequest(
            order_id=check_id("order_id", order_id),
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
        check_type("dispute_request", dispute_request, str)
        check_type("goods_status", goods_status, str)
        check_items("order_entry_ids", order_entry_ids, str, int)
        check_items("vouchers", vouchers, str, optional=True)
        check_mapping("order_entry_counts", order_entry_counts, (str, int), (int,), optional=True)
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
            order_id=check_id("order_id", order_id),
            order_entry_ids=id_list("order_entry_ids", order_entry_ids),
            dispute_request=dispute_request,
            apply_payment=apply_payment,
            apply_carriage=apply_carriage,
            apply_reason_id=check_id("apply_reason_id", apply_reason_id),
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
        check_str("refund_id", refund_id)
        check_str("logistics_company_no", logistics_company_no)
        check_str("freight_bill", freight_bill)
        check_str("description", description, optional=True)
        check_items("vouchers", vouchers, str, optional=True)
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
