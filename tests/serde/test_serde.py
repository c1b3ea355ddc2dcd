"""The converter: names, wire types, JSON-in-strings, empty values, enums, extra keys, errors."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import load_fixture
from xportcn_async import serde
from xportcn_async.errors import ResponseDecodeError
from xportcn_async.models import (
    AddressParam,
    AlibabaOrderBaseInfo,
    AlibabaOrderListRequest,
    AlibabaOrderPreview,
    AlibabaOrderStatus,
    AlibabaProductSearchRequest,
    CargoParam,
    DomesticLogistic,
    RawResult,
    RefundStatus,
    SubOrderResult,
    TaobaoOrder,
    TaobaoOrderListData,
    TaobaoOrderListRequest,
    TaobaoOrderStatus,
    TaobaoReceiver,
    TaobaoRenderLine,
    TaobaoRenderRequest,
    TaobaoSku,
    TaobaoSubOrder,
    WarehouseAddress,
)

SH = ZoneInfo("Asia/Shanghai")


def order_list_data() -> dict[str, Any]:
    data: dict[str, Any] = load_fixture("taobao_order_list.response.json")["data"]
    return data


def first_order() -> dict[str, Any]:
    order: dict[str, Any] = order_list_data()["data"][0]
    return order


# --------------------------------------------------------------------------- names


def test_camel_case_names_and_explicit_renames() -> None:
    order = serde.structure(first_order(), TaobaoOrder)
    assert order.order_no == "1362127944570372157"  # orderNo
    assert order.warehouse_address is not None  # warehouseAddressInfoVO
    assert order.warehouse_address.name == "张三"
    assert len(order.sub_orders) == 1  # subOrderVOS
    out = serde.unstructure(order)
    assert "subOrderVOS" in out and "warehouseAddressInfoVO" in out and "orderNo" in out
    assert "sub_orders" not in out and "order_no" not in out


def test_mobile_phone_and_mobile_phone_snake_are_two_fields() -> None:
    raw = {"mobilePhone": "111", "mobile_phone": "222", "name": "x"}
    address = serde.structure(raw, WarehouseAddress)
    assert address.mobile_phone == "111"
    assert address.mobile_phone_snake == "222"
    assert address.extra == {}
    assert serde.unstructure(address) == raw
    only_snake = serde.structure({"mobile_phone": "333"}, WarehouseAddress)
    assert only_snake.any_mobile_phone == "333"


def test_doc_typo_keys_are_the_wire_names() -> None:
    sku = serde.structure({"mpSkuld": 77, "skuId": "1"}, TaobaoSku)
    assert sku.mp_sku_id == "77"
    assert serde.unstructure(sku)["mpSkuld"] == "77"
    parcel = DomesticLogistic(logistic_number="SF1", rts_time=None)
    assert serde.unstructure(parcel) == {"logisticNumer": "SF1"}


def test_snake_case_classes_keep_snake_case_keys() -> None:
    result = serde.structure({"purchase_amount": 5245, "sku_id": 1}, SubOrderResult)
    assert result.purchase_amount == 5245
    assert result.sku_id == "1"
    assert serde.unstructure(result) == {"purchase_amount": 5245, "sku_id": "1"}


# --------------------------------------------------------------------------- times


def test_china_datetime_is_aware_shanghai_and_round_trips() -> None:
    order = serde.structure({"id": "1", "createTime": "2026-04-16 18:10:12"}, TaobaoOrder)
    assert order.create_time == datetime(2026, 4, 16, 18, 10, 12, tzinfo=SH)
    assert order.create_time is not None
    assert order.create_time.utcoffset() == timedelta(hours=8)
    assert order.create_time == datetime(2026, 4, 16, 10, 10, 12, tzinfo=timezone.utc)
    assert serde.unstructure(order)["createTime"] == "2026-04-16 18:10:12"


def test_request_datetimes_are_sent_in_china_time() -> None:
    body = TaobaoOrderListRequest(
        page_num=1,
        page_size=10,
        begin_date_time=datetime(2026, 3, 31, 16, 0, 0, tzinfo=timezone.utc),
    )
    assert serde.unstructure(body)["beginDateTime"] == "2026-04-01 00:00:00"


def test_naive_datetime_is_refused_when_writing() -> None:
    body = TaobaoOrderListRequest(begin_date_time=datetime(2026, 4, 1))
    with pytest.raises(ValueError, match="aware datetime"):
        serde.unstructure(body)


def test_unix_ms_and_seconds_strings() -> None:
    result = serde.structure({"close_time_without_payment": "1776593412000"}, SubOrderResult)
    expected = datetime(2026, 4, 19, 10, 10, 12, tzinfo=timezone.utc)
    assert result.close_time_without_payment == expected
    assert result.close_time_without_payment is not None
    assert result.close_time_without_payment.tzinfo is not None
    assert serde.unstructure(result) == {"close_time_without_payment": "1776593412000"}

    parcel = serde.structure({"logisticNumer": "SF1", "rtsTime": "1754342534"}, DomesticLogistic)
    assert parcel.rts_time == datetime.fromtimestamp(1754342534, timezone.utc)
    assert serde.unstructure(parcel)["rtsTime"] == "1754342534"


def test_unix_ms_keeps_milliseconds() -> None:
    result = serde.structure({"close_time_without_payment": "1779263269913"}, SubOrderResult)
    assert result.close_time_without_payment is not None
    assert result.close_time_without_payment.microsecond == 913000
    assert serde.unstructure(result)["close_time_without_payment"] == "1779263269913"


def test_1688_compact_time_format_is_accepted() -> None:
    info = serde.structure({"createTime": "20180802211113000+0800"}, AlibabaOrderBaseInfo)
    assert info.create_time == datetime(2018, 8, 2, 21, 11, 13, tzinfo=SH)


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.just(timezone.utc),
    )
)
def test_china_datetime_round_trip_property(value: datetime) -> None:
    value = value.replace(microsecond=0)
    wire = serde.format_china_datetime(value)
    assert len(wire) == 19
    back = serde.structure({"id": "1", "createTime": wire}, TaobaoOrder).create_time
    assert back == value


@given(st.integers(min_value=946_684_800_000, max_value=4_102_444_799_999))
def test_unix_ms_round_trip_property(ms: int) -> None:
    result = serde.structure({"close_time_without_payment": str(ms)}, SubOrderResult)
    assert serde.unstructure(result)["close_time_without_payment"] == str(ms)


@pytest.mark.parametrize("field", ["createTime", "payTime"])
@pytest.mark.parametrize("as_text", [False, True])
def test_integer_epochs_are_seconds_or_milliseconds_by_magnitude(field: str, as_text: bool) -> None:
    seconds = 1_767_225_600  # 2026-01-01 08:00:00 China time
    expected = datetime(2026, 1, 1, 8, 0, tzinfo=serde.CHINA_TZ)
    for value in (seconds, seconds * 1000):
        wire: object = str(value) if as_text else value
        order = serde.structure({"id": "1", field: wire}, TaobaoOrder)
        assert getattr(order, "create_time" if field == "createTime" else "pay_time") == expected
    # Epoch seconds used to be read as milliseconds: 1970-01-21, stored without a word.
    assert serde.EPOCH_MS_THRESHOLD == 10**11


@pytest.mark.parametrize(
    "value", [0, 1_000, 1_767_225, 946_684_799, 4_102_444_800, 4_102_444_800_000, 10**15]
)
def test_a_time_outside_2000_to_2100_is_a_decode_error_with_its_path(value: int) -> None:
    with pytest.raises(ResponseDecodeError, match=r"createTime") as caught:
        serde.structure({"id": "1", "createTime": value}, TaobaoOrder, endpoint="x")
    assert "2000–2100" in str(caught.value)


# --------------------------------------------------------------------------- ids and money


def test_ids_are_strings_whether_number_or_string() -> None:
    as_number = serde.structure({"id": 234804, "purchaseId": 200108703155}, TaobaoOrder)
    as_string = serde.structure({"id": "234804", "purchaseId": "200108703155"}, TaobaoOrder)
    assert as_number.id == as_string.id == "234804"
    assert as_number.purchase_id == as_string.purchase_id == "200108703155"
    assert as_number == as_string


def test_numeric_ids_in_requests_are_sent_as_numbers() -> None:
    assert serde.unstructure(CargoParam("889512351602", "spec", 2))["offerId"] == 889512351602
    assert serde.unstructure(CargoParam(889512351602, "spec", 2))["offerId"] == 889512351602
    request = TaobaoOrderListRequest(purchase_id="500123")
    assert serde.unstructure(request)["purchaseId"] == 500123


def test_money_is_integer_fen_with_a_decimal_yuan_view() -> None:
    order = serde.structure({"id": "1", "purchaseAmount": 5245}, TaobaoOrder)
    assert order.purchase_amount == 5245
    assert order.purchase_amount_yuan == Decimal("52.45")
    assert isinstance(order.purchase_amount_yuan, Decimal)
    from_string = serde.structure({"product_amount": "5245"}, SubOrderResult)
    assert from_string.product_amount == 5245
    assert from_string.product_amount_yuan == Decimal("52.45")
    preview = serde.structure({"sumPayment": 6400.0}, AlibabaOrderPreview)
    assert preview.sum_payment == 6400
    assert type(preview.sum_payment) is int


@pytest.mark.parametrize("bad", ["52.45", 52.45, "abc", True])
def test_fractional_or_garbage_money_is_a_decode_error(bad: Any) -> None:
    with pytest.raises(ResponseDecodeError) as info:
        serde.structure({"id": "1", "purchaseAmount": bad}, TaobaoOrder)
    assert any("$.purchaseAmount" in line for line in info.value.errors)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_fen_to_yuan_is_exact(fen: int) -> None:
    yuan = serde.fen_to_yuan(fen)
    assert yuan is not None
    assert yuan * 100 == fen
    assert yuan.as_tuple().exponent == -2


# --------------------------------------------------------------------------- empty values


def test_empty_string_and_null_are_none_for_optional_fields() -> None:
    sub = serde.structure(
        {"id": "1", "refundId": "", "errorCode": None, "refundStatus": ""}, TaobaoSubOrder
    )
    assert sub.refund_id is None
    assert sub.error_code is None
    assert sub.refund_status is None
    order = serde.structure({"id": "1", "payTime": "", "purchaseAmount": ""}, TaobaoOrder)
    assert order.pay_time is None
    assert order.purchase_amount is None


def test_missing_optional_fields_take_their_defaults() -> None:
    order = serde.structure({"id": "1"}, TaobaoOrder)
    assert order.order_no is None
    assert order.sub_orders == []
    assert order.warehouse_address is None
    assert order.extra == {}


def test_null_list_becomes_empty_list() -> None:
    order = serde.structure({"id": "1", "subOrderVOS": None}, TaobaoOrder)
    assert order.sub_orders == []


def test_request_models_keep_explicit_empty_strings() -> None:
    address = serde.structure({"fullName": "a", "phone": ""}, AddressParam)
    assert address.phone == ""
    assert serde.unstructure(address) == {"fullName": "a", "phone": ""}


def test_unstructure_drops_none_optionals_but_keeps_required_fields() -> None:
    body = TaobaoOrderListRequest(page_num=2, page_size=5)
    assert serde.unstructure(body) == {"pageNum": 2, "pageSize": 5}
    line = TaobaoRenderLine(item_id="1", quantity=1)
    assert serde.unstructure(line) == {"itemId": "1", "quantity": 1}


# --------------------------------------------------------------------------- enums


def test_known_enum_values_become_members() -> None:
    order = serde.structure({"id": "1", "status": 11}, TaobaoOrder)
    assert order.status is TaobaoOrderStatus.WAIT_BUYER_CONFIRM_GOODS
    sub = serde.structure({"id": "1", "refundStatus": -20}, TaobaoSubOrder)
    assert sub.refund_status is RefundStatus.CLOSED
    numeric_string = serde.structure({"id": "1", "status": "10"}, TaobaoOrder)
    assert numeric_string.status is TaobaoOrderStatus.WAIT_SELLER_SEND_GOODS


def test_unknown_enum_values_are_kept_raw() -> None:
    order = serde.structure({"id": "1", "status": 77}, TaobaoOrder)
    assert order.status == 77
    assert not isinstance(order.status, TaobaoOrderStatus)
    sub = serde.structure({"id": "1", "refundStatus": 55}, TaobaoSubOrder)
    assert sub.refund_status == 55
    info = serde.structure({"status": "waitsellerpack"}, AlibabaOrderBaseInfo)
    assert info.status == "waitsellerpack"
    known = serde.structure({"status": "waitsellersend"}, AlibabaOrderBaseInfo)
    assert known.status is AlibabaOrderStatus.WAITSELLERSEND
    assert serde.unstructure(order)["status"] == 77
    assert serde.unstructure(known)["status"] == "waitsellersend"


def test_enum_requests_are_sent_as_values() -> None:
    body = TaobaoOrderListRequest(status=TaobaoOrderStatus.CANCEL)
    assert serde.unstructure(body)["status"] == 4
    alibaba = AlibabaOrderListRequest(order_status=AlibabaOrderStatus.SUCCESS)
    assert serde.unstructure(alibaba)["orderStatus"] == "success"


# --------------------------------------------------------------------------- unknown keys


def test_unknown_keys_land_in_extra_and_are_written_back() -> None:
    raw = dict(first_order(), brandNewField={"nested": [1, 2]}, anotherOne=None)
    order = serde.structure(raw, TaobaoOrder)
    assert order.extra == {"brandNewField": {"nested": [1, 2]}, "anotherOne": None}
    out = serde.unstructure(order)
    assert out["brandNewField"] == {"nested": [1, 2]}
    assert "anotherOne" in out


def test_unknown_keys_inside_nested_json_strings_are_kept() -> None:
    raw = first_order()
    inner = orjson.loads(raw["subOrderVOS"][0]["subOrderResult"])
    inner["new_inner_key"] = "v"
    raw["subOrderVOS"][0]["subOrderResult"] = orjson.dumps(inner).decode()
    order = serde.structure(raw, TaobaoOrder)
    result = order.sub_orders[0].sub_order_result
    assert result is not None
    assert result.extra == {"new_inner_key": "v"}
    written = orjson.loads(serde.unstructure(order)["subOrderVOS"][0]["subOrderResult"])
    assert written["new_inner_key"] == "v"


def test_request_extra_is_sent() -> None:
    body = TaobaoOrderListRequest(page_num=1, page_size=1, extra={"newFilter": "x"})
    assert serde.unstructure(body) == {"pageNum": 1, "pageSize": 1, "newFilter": "x"}


# --------------------------------------------------------------------------- JSON in strings


def test_nested_json_strings_are_decoded_three_levels_deep() -> None:
    order = serde.structure(first_order(), TaobaoOrder)
    sub = order.sub_orders[0]
    assert sub.create_sub_order_result is not None
    assert sub.create_sub_order_result.sub_purchase_order_id == "200108703156"
    assert sub.create_sub_order_result.estimate_amount == 5965
    result = sub.sub_order_result
    assert result is not None and result.option_fields is not None
    services = result.option_fields.service_list
    assert services is not None
    assert services[0].code == "7d"
    assert services[0].image_url is not None and services[0].image_url.startswith("https://")
    assert result.option_fields.zh == {"颜色分类": "小小羊【直径15】柔弹防爆 赠:气筒"}
    assert result.option_fields.en is not None
    assert "Color classification" in result.option_fields.en


def test_json_string_fields_are_encoded_as_strings_on_the_way_out() -> None:
    body = TaobaoRenderRequest(
        order_line_list=[TaobaoRenderLine(item_id="2048", sku_id="41", quantity=2)],
        receiver=TaobaoReceiver(name="N", mobile_phone="139", country="US"),
    )
    out = serde.unstructure(body)
    assert isinstance(out["orderLineList"], str)
    assert isinstance(out["receiver"], str)
    assert orjson.loads(out["orderLineList"]) == [{"itemId": "2048", "skuId": "41", "quantity": 2}]
    assert orjson.loads(out["receiver"]) == {"name": "N", "mobile_phone": "139", "country": "US"}
    assert serde.structure(out, TaobaoRenderRequest) == body

    search = AlibabaProductSearchRequest(keyword="x", sort={"price": "desc"})
    assert serde.unstructure(search)["sort"] == '{"price":"desc"}'


def test_json_string_field_also_accepts_an_already_decoded_object() -> None:
    raw = first_order()
    raw["subOrderVOS"][0]["subOrderResult"] = {"title": "plain object"}
    order = serde.structure(raw, TaobaoOrder)
    assert order.sub_orders[0].sub_order_result is not None
    assert order.sub_orders[0].sub_order_result.title == "plain object"


# --------------------------------------------------------------------------- errors


def test_malformed_nested_json_names_the_path_endpoint_and_request_id() -> None:
    data = order_list_data()
    data["data"][0]["subOrderVOS"][0]["subOrderResult"] = '{"title": "cut off'
    # The page structures: the nested document is decoded when it is first read.
    page = serde.structure(
        data, TaobaoOrderListData, endpoint="taobao.orders.list", request_id="rid-42"
    )
    sub = page.data[0].sub_orders[0]
    with pytest.raises(ResponseDecodeError) as info:
        _ = sub.sub_order_result
    err = info.value
    assert err.endpoint == "taobao.orders.list"
    assert err.request_id == "rid-42"
    assert "rid-42" in str(err) and "taobao.orders.list" in str(err)
    assert len(err.errors) == 1
    assert err.errors[0].endswith("@ $.data[0].subOrderVOS[0].subOrderResult")
    assert "malformed JSON" in err.errors[0]


def test_malformed_third_level_json_names_the_deep_path() -> None:
    data = order_list_data()
    sub = data["data"][0]["subOrderVOS"][0]
    inner = orjson.loads(sub["subOrderResult"])
    inner["option_fields"]["serviceList"] = "[{not json"
    sub["subOrderResult"] = orjson.dumps(inner).decode()
    page = serde.structure(data, TaobaoOrderListData, request_id="rid-7")
    result = page.data[0].sub_orders[0].sub_order_result
    assert result is not None and result.option_fields is not None
    assert result.option_fields.shop_name  # the siblings of the bad field read fine
    with pytest.raises(ResponseDecodeError) as info:
        _ = result.option_fields.service_list
    assert info.value.request_id == "rid-7"
    assert info.value.errors == [
        info.value.errors[0].split(" @ ")[0]
        + " @ $.data[0].subOrderVOS[0].subOrderResult.option_fields.serviceList"
    ]


def test_every_failing_field_is_reported() -> None:
    data = order_list_data()
    order = data["data"][0]
    del order["id"]
    order["createTime"] = "yesterday"
    order["subOrderVOS"][0]["refundStatus"] = {"weird": True}
    with pytest.raises(ResponseDecodeError) as info:
        serde.structure(data, TaobaoOrderListData)
    paths = sorted(line.split(" @ ")[1] for line in info.value.errors)
    assert paths == [
        "$.data[0].createTime",
        "$.data[0].id",
        "$.data[0].subOrderVOS[0].refundStatus",
    ]
    assert any("required field missing" in line for line in info.value.errors)


def test_data_of_the_wrong_shape_is_a_decode_error() -> None:
    with pytest.raises(ResponseDecodeError):
        serde.structure([1, 2], TaobaoOrderListData)
    with pytest.raises(ResponseDecodeError) as info:
        serde.structure({"total": 1, "data": [{"id": "1"}, "not an order"]}, TaobaoOrderListData)
    assert info.value.errors[0].endswith("@ $.data[1]")


def test_raw_result_keeps_anything() -> None:
    for value in (None, 1, "x", [1, {"a": 2}], {"renderId": "FF1"}):
        result = serde.structure(copy.deepcopy(value), RawResult)
        assert result.data == value
        assert serde.unstructure(result) == value
    assert serde.structure({"renderId": "FF1"}, RawResult).get("renderId") == "FF1"
    assert serde.structure([1], RawResult).get("renderId") is None


def test_list_of_models() -> None:
    previews = serde.structure([{"sumPayment": 1}, {"sumPayment": 2}], list[AlibabaOrderPreview])
    assert [p.sum_payment for p in previews] == [1, 2]
