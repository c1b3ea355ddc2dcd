"""Warehouse packages (``wms.*``): snake_case bodies (spec §4.8; KA ``wms.inbound`` "Developing").

``wms.inbound`` may be a warehouse → client push rather than a client call; the
same model reads it. ``wms.forecast`` and ``wms.update`` have no documented
body: they take the same package identification (GUESS) plus ``extra``.
"""

from __future__ import annotations

import attrs

from ..serde import Scalar
from .common import RequestModel

__all__ = ["QualityInspectionInfo", "WmsPackageRequest"]


@attrs.frozen(kw_only=True)
class QualityInspectionInfo(RequestModel):
    """Warehouse quality check of a package.

    Dimensions and weight are kept exactly as sent (``width`` arrives as the
    string ``"34"``, ``length`` as the number ``23``); units are undocumented
    (probably kg and cm).
    """

    _wire_case = "snake"

    status: str | None = None
    weight: Scalar | None = None
    length: Scalar | None = None
    width: Scalar | None = None
    height: Scalar | None = None
    failed_remark: str | None = None
    images: list[str] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class WmsPackageRequest(RequestModel):
    """A package known to the warehouse.

    Body of ``wms.inbound`` (KA) and of ``wms.forecast`` / ``wms.update`` (GUESS).
    """

    _wire_case = "snake"

    out_order_id: str | None = None
    alibaba_order_id: str | None = None
    logistics_tracking_number: str | None = None
    quality_inspection_info: QualityInspectionInfo | None = None
