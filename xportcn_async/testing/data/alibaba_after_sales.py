"""Seeded 1688 after-sales data: refund reasons per goods status, carriers for returns."""

from __future__ import annotations

from typing import Any

__all__ = ["build_logistics_companies", "build_refund_reasons"]


_REFUND_REASONS = {
    "refundWaitSellerSend": (
        (20001, "拍错/多拍/不想要", False, False, "未发货订单可直接退款"),
        (20002, "协商一致退款", False, False, ""),
        (20003, "缺货", False, False, ""),
        (20004, "未按约定时间发货", False, False, ""),
    ),
    "refundWaitBuyerReceive": (
        (20011, "快递一直未送到", False, False, ""),
        (20012, "快递无跟踪记录", False, False, ""),
        (20013, "空包裹/少货", True, False, "请上传包裹照片"),
    ),
    "refundBuyerReceived": (
        (20021, "质量问题", True, False, "请上传商品问题照片"),
        (20022, "大小/尺寸与商品描述不符", True, False, ""),
        (20023, "七天无理由退货", False, True, "退货运费由买家承担"),
        (20024, "卖家发错货", True, False, ""),
    ),
}
_REFUND_REASONS["aftersaleBuyerNotReceived"] = _REFUND_REASONS["refundWaitBuyerReceive"]
_REFUND_REASONS["aftersaleBuyerReceived"] = _REFUND_REASONS["refundBuyerReceived"]
_LOGISTICS_COMPANIES = (
    (1, "顺丰速运", "SF", "95338", True, "shunfeng"),
    (2, "圆通速递", "YTO", "95554", True, "yuantong"),
    (3, "中通快递", "ZTO", "95311", True, "zhongtong"),
    (4, "申通快递", "STO", "95543", True, "shentong"),
    (5, "韵达快递", "YUNDA", "95546", True, "yunda"),
    (6, "京东物流", "JD", "950616", False, "jingdong"),
    (7, "中国邮政", "POST", "11183", False, "youzheng"),
    (8, "德邦快递", "DBL", "95353", True, "debang"),
)


def build_refund_reasons() -> dict[str, tuple[dict[str, Any], ...]]:
    """The reasons ``refund_reasons`` answers, by goods status (no randomness)."""
    return {
        status: tuple(
            {
                "id": rid,
                "name": name,
                "needVoucher": voucher,
                "noRefundCarriage": no_carriage,
                "tip": tip,
            }
            for rid, name, voucher, no_carriage, tip in items
        )
        for status, items in _REFUND_REASONS.items()
    }


def build_logistics_companies() -> tuple[dict[str, Any], ...]:
    """The carriers ``logistics_companies`` lists and shipped 1688 orders use."""
    return tuple(
        {
            "id": cid,
            "companyName": name,
            "companyNo": no,
            "companyPhone": phone,
            "supportPrint": support,
            "spelling": spelling,
        }
        for cid, name, no, phone, support, spelling in _LOGISTICS_COMPANIES
    )
