"""Addresses: the user's saved address (``address.*``) and the receiver shapes used elsewhere.

Three endpoints groups describe a receiver three ways; each keeps its own wire
names (spec §4.2, §4.7, §4.8):

* :class:`Address` — ``address.upsert`` body
  ``{id, name, province, city, district, address, phone}``
* :class:`AddressParam` — 1688 ``addressParam`` of ``alibaba.orders.preview`` / ``create``
* :class:`ReceiverAddress` — ``ReceiverAddressTO`` of the overseas logistics endpoints
* :class:`WarehouseAddress` — ``warehouseAddressInfoVO`` of a Taobao order (response)
* :class:`TaobaoReceiver` — the ``receiver`` JSON string of Taobao render / create
"""

from __future__ import annotations

import attrs

from ..serde import IntId
from .common import RequestModel, WireModel

__all__ = ["Address", "AddressParam", "ReceiverAddress", "TaobaoReceiver", "WarehouseAddress"]


@attrs.frozen(kw_only=True)
class Address(RequestModel):
    """The user's address as ``address.upsert`` takes it; ``id="0"`` (or 0) creates a new one.

    ``id`` travels as a JSON number.
    """

    id: IntId = attrs.field(default="0", converter=str)
    name: str | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None
    address: str | None = None
    phone: str | None = None


@attrs.frozen(kw_only=True)
class AddressParam(RequestModel):
    """1688 delivery address (``addressParam``) for ``alibaba.orders.preview`` and ``create``.

    ``district_code`` is the Chinese administrative code of the district (``"451481"``).
    """

    full_name: str
    mobile: str | None = None
    phone: str | None = None
    post_code: str | None = None
    province_text: str | None = None
    city_text: str | None = None
    area_text: str | None = None
    town_text: str | None = None
    address: str | None = None
    district_code: str | None = None


@attrs.frozen(kw_only=True)
class ReceiverAddress(RequestModel):
    """Overseas receiver (``ReceiverAddressTO``) of the logistics endpoints.

    ``country`` is an ISO-2 code.
    """

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile_phone: str | None = None
    address: str | None = None
    tax_id: str | None = None
    country: str | None = None
    city: str | None = None
    zip: str | None = None
    state: str | None = None


@attrs.frozen(kw_only=True)
class TaobaoReceiver(RequestModel):
    """The ``receiver`` of ``taobao.orders.render`` / ``create`` (sent as a JSON string).

    Its mobile number key is snake_case on the wire (``mobile_phone``).
    """

    name: str | None = None
    phone: str | None = None
    mobile_phone: str | None = attrs.field(default=None, metadata={"json": "mobile_phone"})
    country: str | None = None
    state: str | None = None
    city: str | None = None
    district: str | None = None
    address: str | None = None
    zip: str | None = None


@attrs.frozen(kw_only=True)
class WarehouseAddress(WireModel):
    """The warehouse address of a Taobao order (``warehouseAddressInfoVO``).

    The API sends both ``mobilePhone`` and ``mobile_phone``; they are two fields
    here (``mobile_phone`` and ``mobile_phone_snake``). :attr:`any_mobile_phone`
    gives whichever is set.
    """

    name: str | None = None
    phone: str | None = None
    mobile_phone: str | None = attrs.field(default=None, metadata={"json": "mobilePhone"})
    mobile_phone_snake: str | None = attrs.field(default=None, metadata={"json": "mobile_phone"})
    country: str | None = None
    state: str | None = None
    city: str | None = None
    district: str | None = None
    address: str | None = None
    zip: str | None = None
    tax_id: str | None = None

    @property
    def any_mobile_phone(self) -> str | None:
        """``mobilePhone`` when set, else ``mobile_phone``."""
        return self.mobile_phone or self.mobile_phone_snake
