"""Warehouse packages: ``xp.wms`` (forecast, inbound, update; absent from the newest docs).

snake_case bodies. ``wms.inbound`` is KA ("Developing") and may in fact be a
warehouse → client push; forecast and update have GUESS paths and bodies, so
they take the package identification plus ``extra`` fields sent as given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..models.common import EMPTY_EXTRA, RawResult
from ..models.wms import QualityInspectionInfo, WmsPackageRequest
from ._base import Resource, check_mapping, check_str, check_type

__all__ = ["WmsResource"]


def _package(
    out_order_id: str | None,
    alibaba_order_id: str | None,
    logistics_tracking_number: str | None,
    quality_inspection: QualityInspectionInfo | None,
    extra: Mapping[str, Any] | None,
) -> WmsPackageRequest:
    check_str("out_order_id", out_order_id, optional=True)
    check_str("alibaba_order_id", alibaba_order_id, optional=True)
    check_str("logistics_tracking_number", logistics_tracking_number, optional=True)
    check_type("quality_inspection", quality_inspection, QualityInspectionInfo, optional=True)
    check_mapping("extra", extra, (str,), (object,), optional=True)
    if not (out_order_id or alibaba_order_id or logistics_tracking_number):
        raise ValueError(
            "name the package: out_order_id, alibaba_order_id or logistics_tracking_number"
        )
    return WmsPackageRequest(
        out_order_id=out_order_id,
        alibaba_order_id=alibaba_order_id,
        logistics_tracking_number=logistics_tracking_number,
        quality_inspection_info=quality_inspection,
        extra=dict(extra) if extra else EMPTY_EXTRA,
    )


class WmsResource(Resource):
    """Packages in the Xportcn warehouse."""

    __slots__ = ()

    async def forecast(
        self,
        *,
        out_order_id: str | None = None,
        alibaba_order_id: str | None = None,
        logistics_tracking_number: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> RawResult:
        """Announce a package before it reaches the warehouse (``wms.forecast``, GUESS).

        Body GUESS: the package identification of ``wms.inbound`` plus any
        ``extra`` keys (sent as given). The answer is returned raw.
        """
        body = _package(out_order_id, alibaba_order_id, logistics_tracking_number, None, extra)
        return await self._call("wms.forecast", body, RawResult)

    async def inbound(
        self,
        *,
        out_order_id: str | None = None,
        alibaba_order_id: str | None = None,
        logistics_tracking_number: str | None = None,
        quality_inspection: QualityInspectionInfo | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> RawResult:
        """Record a package's arrival and quality check (``wms.inbound``, KA, "Developing").

        snake_case body ``{out_order_id, alibaba_order_id, logistics_tracking_number,
        quality_inspection_info}``. The answer is returned raw.
        """
        body = _package(
            out_order_id, alibaba_order_id, logistics_tracking_number, quality_inspection, extra
        )
        return await self._call("wms.inbound", body, RawResult)

    async def update(
        self,
        *,
        out_order_id: str | None = None,
        alibaba_order_id: str | None = None,
        logistics_tracking_number: str | None = None,
        quality_inspection: QualityInspectionInfo | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> RawResult:
        """Change a known package (``wms.update``, GUESS path and body, as ``inbound``).

        The answer is returned raw.
        """
        body = _package(
            out_order_id, alibaba_order_id, logistics_tracking_number, quality_inspection, extra
        )
        return await self._call("wms.update", body, RawResult)
