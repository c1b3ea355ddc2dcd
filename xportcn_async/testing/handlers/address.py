"""Handlers of ``address.*``: the user's saved addresses."""

from __future__ import annotations

from typing import Any

from ._base import (
    NOT_FOUND,
    BusinessError,
    Call,
    HandlerBase,
    Short,
    _req_int,
    _req_str,
    _str,
)

__all__ = ["AddressHandlers"]


class AddressHandlers(HandlerBase):
    """``address.get`` and ``address.upsert``."""

    def address_get(self, call: Call) -> Any:
        """``address.get``: the user's saved addresses (a default one when none were saved)."""
        if not self.state.addresses:
            a = self.state.catalogue.addresses[0]
            self.state.addresses[1] = {
                "id": 1,
                "name": a.name,
                "province": a.province,
                "city": a.city,
                "district": a.district,
                "address": a.address,
                "phone": a.mobile,
            }
        return list(self.state.addresses.values())

    def address_upsert(self, call: Call) -> Any:
        """``address.upsert``: id 0 adds, another id updates; short envelope."""
        b = call.body
        address_id = _req_int(b, "id", minimum=0)
        fields = {name: _req_str(b, name) for name in ("name", "province", "city", "address")}
        fields["district"] = _str(b, "district") or ""
        fields["phone"] = _req_str(b, "phone")
        if address_id == 0:
            address_id = max(self.state.addresses, default=1) + 1
        elif address_id not in self.state.addresses:
            raise BusinessError(NOT_FOUND, f"address {address_id} not found")
        self.state.addresses[address_id] = {"id": address_id, **fields}
        self.state.changed()
        return Short()
