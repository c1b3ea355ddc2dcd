"""Overseas logistics (``logistics.*``): freight estimates, freight preview, booking, tracking.

Bodies follow the docs' examples (spec §4.8); responses are undocumented and
kept raw (:class:`~xportcn_async.models.common.RawResult`). Ids in these bodies
are strings on the wire, as in the examples.
"""

from __future__ import annotations

import attrs

from ..serde import UnixSeconds
from .address import ReceiverAddress
from .common import RequestModel

__all__ = [
    "DomesticLogistic",
    "EstimateFreightRequest",
    "FreightInfo",
    "LineItem",
    "LogisticInfo",
    "LogisticsOrderRequest",
    "PreviewFreightRequest",
    "RenderItem",
    "TmallOrderInfo",
    "UpdateDomesticRequest",
]


@attrs.frozen(kw_only=True)
class FreightInfo(RequestModel):
    """The chosen overseas freight service of a line.

    The schema says ``{currency, price}`` while the examples send
    ``{serviceId, companyName, serviceCategory}``; both are accepted.
    """

    service_id: str | None = None
    company_name: str | None = None
    service_category: str | None = None
    currency: str | None = None
    price: str | None = None


@attrs.frozen(kw_only=True)
class EstimateFreightRequest(RequestModel):
    """Body of ``logistics.estimate_freight``: one item to one overseas receiver."""

    item_id: str
    sku_id: str | None = None
    quantity: int
    receiver_address: ReceiverAddress


@attrs.frozen(kw_only=True)
class RenderItem(RequestModel):
    """A line of ``logistics.preview_freight`` (``renderItems`` item)."""

    item_id: str
    sku_id: str | None = None
    quantity: int
    freight_info: FreightInfo | None = None


@attrs.frozen(kw_only=True)
class PreviewFreightRequest(RequestModel):
    """Body of ``logistics.preview_freight``; its answer carries the ``renderId`` to book with."""

    receiver_address: ReceiverAddress
    render_items: list[RenderItem]


@attrs.frozen(kw_only=True)
class TmallOrderInfo(RequestModel):
    """The marketplace order the parcel belongs to (``tmallOrderInfo``)."""

    tmall_order_id: str


@attrs.frozen(kw_only=True)
class LineItem(RequestModel):
    """A line of a logistics order (``lineItems`` / ``lineItem``)."""

    item_id: str
    sku_id: str | None = None
    quantity: int
    title: str | None = None
    image_url: str | None = None
    freight_info: FreightInfo | None = None


@attrs.frozen(kw_only=True)
class LogisticsOrderRequest(RequestModel):
    """Body of ``logistics.create_order``: book the freight previewed as ``render_id``."""

    render_id: str
    tmall_order_info: TmallOrderInfo | None = None
    receiver_address: ReceiverAddress
    line_items: list[LineItem]


@attrs.frozen(kw_only=True)
class DomesticLogistic(RequestModel):
    """One China-domestic parcel: tracking number, carrier, ready-to-ship time.

    ``logistic_number`` is spelled ``logisticNumer`` on the wire (real key);
    ``rts_time`` travels as Unix seconds.
    """

    logistic_number: str = attrs.field(metadata={"json": "logisticNumer"})
    logistic_company_name: str | None = None
    rts_time: UnixSeconds | None = None


@attrs.frozen(kw_only=True)
class LogisticInfo(RequestModel):
    """Domestic parcels of one line (``logisticInfos`` item).

    ``logistic_number`` (``logisticNumer``) is the international tracking number
    of the line (``FARJP…``).
    """

    line_item: LineItem
    logistic_number: str | None = attrs.field(default=None, metadata={"json": "logisticNumer"})
    domestic_logistic_info: list[DomesticLogistic] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class UpdateDomesticRequest(RequestModel):
    """Body of ``logistics.update_domestic``: report China-domestic parcels per line."""

    order_id: str
    tmall_order_id: str | None = None
    logistic_infos: list[LogisticInfo]
