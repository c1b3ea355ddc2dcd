"""The user's address book: ``xp.address``."""

from __future__ import annotations

from ..models.address import Address
from ..models.common import RawResult
from ._base import Resource, check_id, check_str

__all__ = ["AddressResource"]


class AddressResource(Resource):
    """Read and save the account's address (used as the sender / warehouse address)."""

    __slots__ = ()

    async def get(self) -> RawResult:
        """Read the user's address information (``address.get``; GET, GUESS path).

        The answer's shape is undocumented and returned raw.
        """
        return await self._call("address.get", None, RawResult)

    async def upsert(
        self,
        *,
        name: str,
        phone: str,
        province: str,
        city: str,
        address: str,
        district: str | None = None,
        id: str | int = 0,
    ) -> RawResult:
        """Add (``id=0``, the default) or update (``id`` of an address) the user's address.

        ``address.upsert`` (TWIN path); the server answers a short envelope, so
        the result is raw (usually ``None``).
        """
        check_str("name", name)
        check_str("phone", phone)
        check_str("province", province)
        check_str("city", city)
        check_str("address", address)
        check_str("district", district, optional=True)
        check_id("id", id)
        for label, value in (("name", name), ("phone", phone), ("address", address)):
            if not value or not value.strip():
                raise ValueError(f"{label} must not be empty")
        body = Address(
            id=str(id),
            name=name,
            province=province,
            city=city,
            district=district,
            address=address,
            phone=phone,
        )
        return await self._call("address.upsert", body, RawResult)
