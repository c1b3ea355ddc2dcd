"""The endpoint catalogue: one entry per operation of the Xportcn KA Open API.

Each entry carries the HTTP method, the default path, where the path comes from
(``provenance``), whether the call is safe to retry (``idempotent``) and how the
list is paged. Many paths are not confirmed by the KA docs (provenance
``GUESS``); override them without waiting for a release::

    XportcnClient(..., endpoint_paths={"alibaba.orders.detail": "/alibaba/ka/order/get"})

The emulator (:mod:`xportcn_async.testing`) serves exactly this catalogue, with
the same overrides, so the SDK and its test double never disagree.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from .errors import ConfigurationError

__all__ = ["CATALOGUE", "Endpoint", "Paging", "Provenance", "resolve_endpoints"]


class Provenance(str, enum.Enum):
    """Where a fact about an endpoint comes from (see the spec's provenance tags)."""

    KA = "KA"  # seen on the Xportcn KA docs themselves
    TWIN = "TWIN"  # seen on the white-label twin docs, not on the KA page
    UPSTREAM = "UPSTREAM"  # the 1688 / Taobao API the KA endpoint wraps
    GUESS = "GUESS"  # nothing seen: a default that users can override
    #: the twin shows the operation and every KA/twin pair seen follows one rule (KA path =
    #: twin path with ``/ka`` after ``/alibaba``); not seen on a KA page
    INFERRED = "INFERRED"
    #: public client code written by others calls it against the production API; not in docs
    CODE = "CODE"


class Paging(str, enum.Enum):
    """How a list endpoint pages."""

    NONE = "none"
    PAGE_NUM = "pageNum/pageSize"
    BEGIN_PAGE = "beginPage/pageSize"
    PAGE_NO = "pageNo/pageSize+taskId"
    PAGE_NO_SIZE = "pageNo/pageSize"
    PAGE = "page/pageSize"


@attrs.frozen(kw_only=True)
class Endpoint:
    """One operation: ``key`` is the stable name used for overrides, retries and logs."""

    key: str
    title: str
    method: str
    path: str
    provenance: Provenance
    idempotent: bool
    paging: Paging = Paging.NONE
    multipart: bool = False
    dropped_in_newest_docs: bool = False


def _ep(
    key: str,
    method: str,
    path: str,
    provenance: Provenance,
    title: str,
    *,
    idempotent: bool,
    paging: Paging = Paging.NONE,
    multipart: bool = False,
    dropped: bool = False,
) -> Endpoint:
    return Endpoint(
        key=key,
        title=title,
        method=method,
        path=path,
        provenance=provenance,
        idempotent=idempotent,
        paging=paging,
        multipart=multipart,
        dropped_in_newest_docs=dropped,
    )


_KA, _TWIN, _GUESS = Provenance.KA, Provenance.TWIN, Provenance.GUESS
_INFERRED, _CODE = Provenance.INFERRED, Provenance.CODE
_READ, _WRITE = True, False

_ENTRIES = [
    _ep("address.get", "GET", "/open/address/get", _GUESS,
        "Get user address information", idempotent=_READ),
    _ep("address.upsert", "POST", "/open/address/addOrUpdate", _TWIN,
        "Address added and updated", idempotent=_WRITE),
    _ep("logistics.estimate_freight", "POST", "/open/pp/logistics/itemLogisticsPrice", _TWIN,
        "Estimated overseas freight", idempotent=_READ),
    _ep("logistics.preview_freight", "POST", "/open/pp/logistics/orderRenderFreight", _TWIN,
        "Order overseas freight preview", idempotent=_READ),
    _ep("logistics.create_order", "POST", "/open/pp/logistics/orderBookingFreight", _KA,
        "Create international logistics orders", idempotent=_WRITE),
    _ep("logistics.update_domestic", "POST", "/open/pp/logistics/updateLogisticInfo", _KA,
        "Update domestic logistics information", idempotent=_WRITE),
    _ep("alibaba.products.search", "POST", "/alibaba/ka/product/keywords/query", _KA,
        "AlibabaProductKeywordsQuery", idempotent=_READ, paging=Paging.BEGIN_PAGE),
    _ep("alibaba.products.search_by_image", "POST", "/alibaba/ka/product/image/query", _INFERRED,
        "AlibabaProductImageQuery", idempotent=_READ, paging=Paging.BEGIN_PAGE),
    _ep("alibaba.products.category", "POST", "/alibaba/ka/product/category", _GUESS,
        "AlibabaProductCategory", idempotent=_READ),
    _ep("alibaba.products.detail", "POST", "/alibaba/ka/product/detail/get", _INFERRED,
        "AlibabaProductDetail", idempotent=_READ),
    _ep("alibaba.products.detail_multi", "POST", "/alibaba/ka/product/detail/multi", _GUESS,
        "AlibabaProductDetailMulti", idempotent=_READ),
    _ep("alibaba.products.estimate_freight", "POST", "/alibaba/ka/product/freight/estimate",
        _GUESS, "AlibabaProductFreightEstimateGet", idempotent=_READ),
    _ep("alibaba.products.pool", "POST", "/alibaba/ka/product/pool/list", _GUESS,
        "AlibabaProductPoolList", idempotent=_READ, paging=Paging.PAGE_NO, dropped=True),
    _ep("alibaba.orders.list", "POST", "/alibaba/ka/order/list", _GUESS,
        "Order list", idempotent=_READ, paging=Paging.PAGE),
    _ep("alibaba.orders.preview", "POST", "/alibaba/ka/order/create/preview", _KA,
        "Order Preview", idempotent=_READ),
    _ep("alibaba.orders.create", "POST", "/alibaba/ka/order/create", _KA,
        "Create an order", idempotent=_WRITE),
    _ep("alibaba.orders.detail", "POST", "/alibaba/ka/order/detail", _INFERRED,
        "Get order details", idempotent=_READ),
    _ep("alibaba.orders.pay", "POST", "/alibaba/ka/order/pay", _KA,
        "Order pay", idempotent=_WRITE),
    _ep("alibaba.orders.logistics", "POST", "/alibaba/ka/order/logistics", _GUESS,
        "Order logistics", idempotent=_READ),
    _ep("alibaba.after_sales.refund_reasons", "POST", "/alibaba/ka/refund/reasons", _GUESS,
        "Find the reason for a refund return", idempotent=_READ, dropped=True),
    _ep("alibaba.after_sales.upload_voucher", "POST", "/alibaba/ka/refund/voucher/upload",
        _GUESS, "Upload refund receipt", idempotent=_WRITE, multipart=True, dropped=True),
    _ep("alibaba.after_sales.create_refund", "POST", "/alibaba/ka/refund/detail/create",
        _INFERRED,
        "Create a refund return request", idempotent=_WRITE, dropped=True),
    _ep("alibaba.after_sales.submit_return", "POST", "/alibaba/ka/refund/goods/return",
        _INFERRED,
        "Buyer submits refund information", idempotent=_WRITE, dropped=True),
    _ep("alibaba.after_sales.logistics_companies", "GET", "/alibaba/ka/logistics/companies",
        _GUESS, "List of logistics companies", idempotent=_READ, dropped=True),
    _ep("taobao.products.detail", "GET", "/open/product/get", _CODE,
        "TaoBaoProductDetail", idempotent=_READ, dropped=True),
    _ep("taobao.products.search", "POST", "/open/product/keywords/query", _GUESS,
        "TaoBaoProductKeywordsQuery", idempotent=_READ, paging=Paging.PAGE_NO_SIZE, dropped=True),
    _ep("taobao.products.search_by_image", "POST", "/open/product/image/query", _GUESS,
        "TaoBaoProductImageQuery", idempotent=_READ, paging=Paging.BEGIN_PAGE, dropped=True),
    _ep("taobao.orders.render", "POST", "/open/purchase/render", _GUESS,
        "TaoBaoOrderRender", idempotent=_READ, dropped=True),
    _ep("taobao.orders.create", "POST", "/open/purchase/create", _GUESS,
        "TaoBaoOrderCreate", idempotent=_WRITE, dropped=True),
    _ep("taobao.orders.list", "POST", "/open/purchase/page", _KA,
        "TaoBaoOrderList (marked Deprecated)", idempotent=_READ, paging=Paging.PAGE_NUM,
        dropped=True),
    _ep("wms.forecast", "POST", "/wms/package/forecast", _GUESS,
        "Package forecasting", idempotent=_WRITE, dropped=True),
    _ep("wms.inbound", "POST", "/wms/package/inbound", _KA,
        "Package inbound (Developing)", idempotent=_WRITE, dropped=True),
    _ep("wms.update", "POST", "/wms/package/update", _GUESS,
        "Package update", idempotent=_WRITE, dropped=True),
]  # fmt: skip

#: Every operation, by key, with its default path.
CATALOGUE: Mapping[str, Endpoint] = {e.key: e for e in _ENTRIES}


def resolve_endpoints(overrides: Mapping[str, str] | None = None) -> dict[str, Endpoint]:
    """Return the catalogue with user path overrides applied.

    Raises :class:`ConfigurationError` for an unknown key or a path that does not
    start with ``/``.
    """
    resolved = dict(CATALOGUE)
    for key, path in (overrides or {}).items():
        if key not in CATALOGUE:
            raise ConfigurationError(
                f"endpoint_paths: unknown endpoint key {key!r}; known keys: "
                + ", ".join(sorted(CATALOGUE))
            )
        if not isinstance(path, str) or not path.startswith("/"):
            raise ConfigurationError(
                f"endpoint_paths[{key!r}] must be a path starting with '/', got {path!r}"
            )
        resolved[key] = attrs.evolve(CATALOGUE[key], path=path)
    return resolved
