"""Handlers of ``wms.*``: package forecast, inbound and update (recorded, short envelope)."""

from __future__ import annotations

from typing import Any

from ._base import (
    BAD_REQUEST,
    BusinessError,
    Call,
    HandlerBase,
    Short,
    _missing,
    _present,
    _req_str,
)

__all__ = ["WmsHandlers"]


class WmsHandlers(HandlerBase):
    """WMS packages: each call is appended to ``state.packages``."""

    def wms_forecast(self, call: Call) -> Any:
        """``wms.forecast``: records a package forecast; short envelope."""
        b = call.body
        if not (_present(b.get("logistics_tracking_number")) or _present(b.get("trackingNumber"))):
            raise _missing("logistics_tracking_number")
        self.state.packages.append({"kind": "forecast", **b})
        return Short()

    def wms_inbound(self, call: Call) -> Any:
        """``wms.inbound``: records an inbound package with its inspection; short envelope."""
        b = call.body
        _req_str(b, "out_order_id")
        _req_str(b, "logistics_tracking_number")
        inspection = b.get("quality_inspection_info")
        if inspection is not None and not isinstance(inspection, dict):
            raise BusinessError(BAD_REQUEST, "quality_inspection_info must be an object")
        self.state.packages.append({"kind": "inbound", **b})
        return Short()

    def wms_update(self, call: Call) -> Any:
        """``wms.update``: updates a package named by any of its three ids; short envelope."""
        b = call.body
        ids = ("out_order_id", "alibaba_order_id", "logistics_tracking_number")
        if not any(_present(b.get(name)) for name in ids):
            raise _missing(" or ".join(ids))
        self.state.packages.append({"kind": "update", **b})
        return Short()
