"""Seeded address data: the Chinese addresses of warehouses and 1688 receivers.

``address.get`` answers the first one when the user saved none; generated 1688
orders and Taobao warehouse blocks draw from all of them.
"""

from __future__ import annotations

import attrs

__all__ = ["Address"]


@attrs.frozen(kw_only=True)
class Address:
    """A Chinese address (warehouses and 1688 receivers)."""

    name: str
    mobile: str
    province: str
    city: str
    district: str
    town: str
    address: str
    post_code: str
    division_code: str


_ADDRESSES = (
    Address(
        name="张三",
        mobile="13800138000",
        province="浙江省",
        city="杭州市",
        district="西湖区",
        town="文新街道",
        address="文三路90号东部软件园3号楼",
        post_code="310012",
        division_code="330106",
    ),
    Address(
        name="李四",
        mobile="13912345678",
        province="广东省",
        city="东莞市",
        district="虎门镇",
        town="虎门镇",
        address="连升中路88号跨境仓A区",
        post_code="523900",
        division_code="441900",
    ),
    Address(
        name="王五",
        mobile="13698765432",
        province="浙江省",
        city="金华市",
        district="义乌市",
        town="稠城街道",
        address="国际商贸城五区东门集运仓",
        post_code="322000",
        division_code="330782",
    ),
    Address(
        name="赵六",
        mobile="13511112222",
        province="广东省",
        city="深圳市",
        district="宝安区",
        town="福永街道",
        address="福海工业区12栋2楼",
        post_code="518103",
        division_code="440306",
    ),
)
