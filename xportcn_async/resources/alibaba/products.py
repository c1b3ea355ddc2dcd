"""1688 products: ``xp.alibaba.products`` (search, categories, details, freight, pools)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ...models.alibaba import (
    AlibabaCategory,
    AlibabaCategoryRequest,
    AlibabaFreightEstimate,
    AlibabaFreightEstimateRequest,
    AlibabaPoolRequest,
    AlibabaProduct,
    AlibabaProductDetailMultiRequest,
    AlibabaProductDetailRequest,
    AlibabaProductSearchData,
    AlibabaProductSearchRequest,
    AlibabaProductSummary,
    LogisticsSkuNum,
)
from ...models.common import Page, RawResult
from ...pagination import AsyncPager
from .._base import (
    Resource,
    check_id,
    check_items,
    check_mapping,
    check_one_image,
    check_page,
    check_positive,
    check_str,
    id_list,
)
from .._paging import filter_fingerprint, page_walker, raw_item_key, raw_page
from .._typing import Required, TypedDict, Unpack

__all__ = [
    "DEFAULT_COUNTRY",
    "AlibabaImageSearchFilters",
    "AlibabaPoolFilters",
    "AlibabaProducts",
    "AlibabaSearchFilters",
]

#: The translation language of search hits when no ``country`` is given.
DEFAULT_COUNTRY = "en"


# --------------------------------------------------------------------------- filters
# A list operation and its ``*_iter`` twin take the same ``**filters``, declared once
# here. To add a filter: add its key here and its field (same name, or an attrs
# ``alias`` of that name) to the request model; mypy checks that the two agree
# (``Request(**filters)``) and the model's validators refuse wrong types at run time.


class _SearchOptions(TypedDict, total=False):
    #: Translation language of the hits (default :data:`DEFAULT_COUNTRY`, ``"en"``).
    country: str | None
    #: A comma list of 1688 filters (``shipInToday,ksCiphertext``).
    filter: str | None
    #: A mapping like ``{"price": "desc"}`` (sent as a JSON string).
    sort: Mapping[str, str] | None
    out_member_id: str | None


class AlibabaSearchFilters(_SearchOptions, total=False):
    """Filters of :meth:`AlibabaProducts.search` and :meth:`AlibabaProducts.search_iter`."""

    keyword: Required[str]
    #: Prices in yuan, as 1688 takes them.
    price_start: str | None
    price_end: str | None
    category_id: str | int | None


class AlibabaImageSearchFilters(_SearchOptions, total=False):
    """Filters of :meth:`AlibabaProducts.search_by_image` and ``search_by_image_iter``.

    Exactly one of ``image_base64``, ``image_address`` or ``image_id``.
    """

    image_base64: str | None
    image_address: str | None
    image_id: str | None
    #: Crops the picture (``"x1,x2,y1,y2"`` upstream).
    region: str | None


class AlibabaPoolFilters(TypedDict, total=False):
    """Filters of :meth:`AlibabaProducts.pool` and :meth:`AlibabaProducts.pool_iter`."""

    offer_pool_id: Required[str]
    cate_id: str | None
    language: str | None
    sort_field: str | None
    sort_type: str | None


def _with_country(
    body: AlibabaProductSearchRequest, given: Mapping[str, Any]
) -> AlibabaProductSearchRequest:
    return body if "country" in given else attrs.evolve(body, country=DEFAULT_COUNTRY)


def _search_body(
    begin_page: int, page_size: int, filters: AlibabaSearchFilters
) -> AlibabaProductSearchRequest:
    if not filters.get("keyword"):
        raise ValueError("keyword must not be empty")
    check_page(begin_page, page_size, num_name="begin_page")
    body = AlibabaProductSearchRequest(begin_page=begin_page, page_size=page_size, **filters)
    return _with_country(body, filters)


def _image_search_body(
    begin_page: int, page_size: int, filters: AlibabaImageSearchFilters
) -> AlibabaProductSearchRequest:
    check_page(begin_page, page_size, num_name="begin_page")
    body = AlibabaProductSearchRequest(begin_page=begin_page, page_size=page_size, **filters)
    check_one_image(body.image_base64, body.image_address, body.image_id)
    return _with_country(body, filters)


def _pool_body(
    task_id: str, page_no: int, page_size: int, filters: AlibabaPoolFilters
) -> AlibabaPoolRequest:
    check_page(page_no, page_size, num_name="page_no")
    if not task_id:
        raise ValueError("task_id must not be empty: reuse one task id for every page")
    return AlibabaPoolRequest(task_id=task_id, page_no=page_no, page_size=page_size, **filters)


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
        begin_page: int = 1,
        page_size: int = 20,
        **filters: Unpack[AlibabaSearchFilters],
    ) -> Page[AlibabaProductSummary]:
        """Search 1688 by keyword (``alibaba.products.search``, KA path, TWIN body).

        ``filters`` are :class:`AlibabaSearchFilters`. ``country`` is the
        translation language (``en``); ``filter`` a comma list
        (``shipInToday,ksCiphertext``); ``sort`` a mapping like ``{"price": "desc"}``
        (sent as a JSON string); ``price_start`` / ``price_end`` in yuan as 1688
        takes them. Prices in the hits are exact decimals as sent (yuan upstream).
        """
        body = _search_body(begin_page, page_size, filters)
        data = await self._call("alibaba.products.search", body, AlibabaProductSearchData)
        return _search_page(data, begin_page, page_size)

    async def search_by_image(
        self,
        *,
        begin_page: int = 1,
        page_size: int = 20,
        **filters: Unpack[AlibabaImageSearchFilters],
    ) -> Page[AlibabaProductSummary]:
        """Search 1688 by picture (``alibaba.products.search_by_image``, GUESS path, TWIN body).

        ``filters`` are :class:`AlibabaImageSearchFilters`: pass exactly one of
        ``image_base64``, ``image_address`` (a URL) or ``image_id``; ``region``
        crops the picture (``"x1,x2,y1,y2"`` upstream).
        """
        body = _image_search_body(begin_page, page_size, filters)
        data = await self._call("alibaba.products.search_by_image", body, AlibabaProductSearchData)
        return _search_page(data, begin_page, page_size)

    def search_iter(
        self,
        *,
        page_size: int = 20,
        concurrency: int = 1,
        max_items: int | None = None,
        resume: Mapping[str, Any] | None = None,
        **filters: Unpack[AlibabaSearchFilters],
    ) -> AsyncPager[AlibabaProductSummary]:
        """Every hit of a keyword search, page after page (:meth:`search` under the hood).

        ``async for offer in xp.alibaba.products.search_iter(keyword="水杯", max_items=200)``;
        ``filters`` are :meth:`search`'s; hits are de-duplicated by ``offer_id``.
        """
        body = _search_body(1, page_size, filters)  # refuse bad filters now, not mid-walk

        async def fetch(number: int, size: int) -> Page[AlibabaProductSummary]:
            return await self.search(begin_page=number, page_size=size, **filters)

        return page_walker(
            fetch,
            page_size=page_size,
            key=lambda offer: offer.offer_id or repr(offer),
            concurrency=concurrency,
            max_items=max_items,
            filters=filter_fingerprint(body, filters),
            resume=resume,
        )

    def search_by_image_iter(
        self,
        *,
        page_size: int = 20,
        concurrency: int = 1,
        max_items: int | None = None,
        resume: Mapping[str, Any] | None = None,
        **filters: Unpack[AlibabaImageSearchFilters],
    ) -> AsyncPager[AlibabaProductSummary]:
        """Every hit of a picture search; ``filters`` are :meth:`search_by_image`'s."""
        body = _image_search_body(1, page_size, filters)  # refuse bad filters now

        async def fetch(number: int, size: int) -> Page[AlibabaProductSummary]:
            return await self.search_by_image(begin_page=number, page_size=size, **filters)

        return page_walker(
            fetch,
            page_size=page_size,
            key=lambda offer: offer.offer_id or repr(offer),
            concurrency=concurrency,
            max_items=max_items,
            filters=filter_fingerprint(body, filters),
            resume=resume,
        )

    async def category(
        self, *, category_id: str | int = 0, language: str = "en"
    ) -> AlibabaCategory:
        """One 1688 category and its children (``alibaba.products.category``, GUESS path).

        ``category_id=0`` asks for the root.
        """
        check_str("language", language)
        body = AlibabaCategoryRequest(
            category_id=check_id("category_id", category_id), language=language
        )
        return await self._call("alibaba.products.category", body, AlibabaCategory)

    async def detail(
        self, *, offer_id: str | int, country: str = "en", out_member_id: str | None = None
    ) -> AlibabaProduct:
        """Read one 1688 product (``alibaba.products.detail``, GUESS path, TWIN body).

        ``product_sku_infos[].spec_id`` of the answer is what :class:`CargoParam` takes.
        """
        check_str("country", country)
        check_str("out_member_id", out_member_id, optional=True)
        body = AlibabaProductDetailRequest(
            offer_id=check_id("offer_id", offer_id), country=country, out_member_id=out_member_id
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
        check_items("offer_ids", offer_ids, str, int)
        check_str("country", country)
        check_str("out_member_id", out_member_id, optional=True)
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
        check_str("to_province_code", to_province_code)
        check_str("to_city_code", to_city_code)
        check_str("to_country_code", to_country_code)
        check_mapping("sku_numbers", sku_numbers, (str,), (int,), optional=True)
        check_positive("total_num", total_num)
        models = None
        if sku_numbers is not None:
            for count in sku_numbers.values():
                check_positive("sku quantity", count)
            models = [LogisticsSkuNum(sku_id=k, number=v) for k, v in sku_numbers.items()]
        body = AlibabaFreightEstimateRequest(
            offer_id=check_id("offer_id", offer_id),
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
        task_id: str,
        page_no: int = 1,
        page_size: int = 20,
        **filters: Unpack[AlibabaPoolFilters],
    ) -> RawResult:
        """One page of a 1688 product pool (``alibaba.products.pool``; absent in the newest docs).

        ``filters`` are :class:`AlibabaPoolFilters` (``offer_pool_id`` and more).
        Send the same ``task_id`` for every page of one walk; a short page ends
        it. Path GUESS, body UPSTREAM; the answer is returned raw.
        """
        body = _pool_body(task_id, page_no, page_size, filters)
        return await self._call("alibaba.products.pool", body, RawResult)

    def pool_iter(
        self,
        *,
        task_id: str | None = None,
        page_size: int = 20,
        max_items: int | None = None,
        **filters: Unpack[AlibabaPoolFilters],
    ) -> AsyncPager[Any]:
        """Every offer of a product pool (raw items), one ``task_id`` for the whole walk.

        Without ``task_id`` a fresh one is generated. Pages are fetched one at a
        time (the pool is a server-side snapshot tied to the task); a short page
        ends the walk. ``filters`` are :meth:`pool`'s. Items are de-duplicated by
        ``offerId``.
        """
        check_str("task_id", task_id, optional=True)
        task = task_id or uuid.uuid4().hex
        body = _pool_body(task, 1, page_size, filters)  # refuse bad filters now

        async def fetch(number: int, size: int) -> Page[Any]:
            raw = await self.pool(task_id=task, page_no=number, page_size=size, **filters)
            return raw_page(raw, number, size)

        return page_walker(
            fetch,
            page_size=page_size,
            key=raw_item_key("offerId", "id"),
            max_items=max_items,
            filters={**filter_fingerprint(body, filters), "task_id": task},
        )
