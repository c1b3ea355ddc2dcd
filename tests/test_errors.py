"""Table-driven error mapping: HTTP status × envelope code × body shape."""

from __future__ import annotations

import orjson
import pytest

from xportcn_async import (
    APIError,
    AuthenticationError,
    InvalidRequestError,
    RateLimitError,
    ResponseDecodeError,
    ServerError,
    TransportError,
)
from xportcn_async.transport import decode_response


def env(code: object, **extra: object) -> bytes:
    return orjson.dumps(
        {"requestId": "req-9", "code": code, "developId": "1", "msg": "boom", "data": None, **extra}
    )


CASES = [
    # (http status, body, expected class)
    (401, env(401), AuthenticationError),
    (403, b"<html>Forbidden</html>", AuthenticationError),
    (429, env(429), RateLimitError),
    (500, env(500), ServerError),
    (502, b"<html><body>Bad gateway</body></html>", ServerError),
    (503, b"", ServerError),
    (400, env(400), InvalidRequestError),
    (404, b"not found", InvalidRequestError),
    (200, env(401), AuthenticationError),
    (200, env(403), AuthenticationError),
    (200, env(429), RateLimitError),
    (200, env(500), ServerError),
    (200, env(599), ServerError),
    (200, env(400), InvalidRequestError),
    (200, env(404), InvalidRequestError),
    (200, env(5001), APIError),
    (200, env(0), APIError),
    (200, env(-1), APIError),
    # an HTTP error status wins over the envelope code
    (500, env(200), ServerError),
]


@pytest.mark.parametrize(("status", "body", "cls"), CASES)
def test_error_mapping(status: int, body: bytes, cls: type[APIError]) -> None:
    with pytest.raises(APIError) as info:
        decode_response(status, {}, body, endpoint="taobao.orders.list")
    assert type(info.value) is cls
    assert info.value.http_status == status
    assert info.value.endpoint == "taobao.orders.list"


def test_envelope_error_carries_everything_and_str_starts_with_request_id() -> None:
    with pytest.raises(APIError) as info:
        decode_response(
            200, {}, env(5001, msg="order missing"), endpoint="alibaba.after_sales.create_refund"
        )
    err = info.value
    assert (err.code, err.msg, err.request_id, err.http_status) == (
        5001,
        "order missing",
        "req-9",
        200,
    )
    assert err.body["code"] == 5001
    assert str(err).startswith("req-9")
    assert "alibaba.after_sales.create_refund" in str(err)


@pytest.mark.parametrize(
    ("status", "body", "what"),
    [
        (200, b"<html>maintenance</html>", "not JSON"),
        (200, b'{"requestId": "x", "data": 1}', "no integer 'code'"),
        (200, b"[1, 2]", "no integer 'code'"),
        (200, b'{"code": "abc"}', "no integer 'code'"),
        (200, b'{"code": 200, "data": }', "not JSON"),
        (200, b"", "not JSON"),
    ],
)
def test_undecodable_bodies(status: int, body: bytes, what: str) -> None:
    with pytest.raises(ResponseDecodeError) as info:
        decode_response(status, {}, body, endpoint="e")
    assert info.value.http_status == status
    assert what in str(info.value)
    assert info.value.body_excerpt == body[:200].decode()


@pytest.mark.parametrize(
    "body",
    [
        b'{"code": 200, "data": {"tot',
        '{"code": 200, "msg": "成功"}'.encode()[:-5],  # cut inside a multi-byte character
        b'[{"a": 1},',
        b"{",
    ],
)
def test_a_body_cut_short_is_a_transport_failure(body: bytes) -> None:
    # The answer was lost in transit (like a reset): retried for reads, and
    # OutcomeUnknownError for writes, unlike garbage that will not get better.
    with pytest.raises(TransportError) as info:
        decode_response(200, {}, body, endpoint="e")
    assert "cut short" in str(info.value)
    assert info.value.request_sent


def test_decode_error_excerpt_is_capped_at_200_chars() -> None:
    body = b"x" * 5000
    with pytest.raises(ResponseDecodeError) as info:
        decode_response(200, {}, body)
    assert info.value.body_excerpt == "x" * 200


def test_success_envelope() -> None:
    result = decode_response(200, {"X-A": "1"}, env(200, data={"total": 1}, msg="成功"))
    assert (result.code, result.request_id, result.develop_id, result.http_status) == (
        200,
        "req-9",
        "1",
        200,
    )
    assert result.data == {"total": 1}


def test_string_code_is_accepted() -> None:
    assert decode_response(200, {}, env("200")).code == 200


def test_configurable_success_codes() -> None:
    short = b'{"code": 0, "msg": "ok"}'
    with pytest.raises(APIError):
        decode_response(200, {}, short)
    assert decode_response(200, {}, short, success_codes=frozenset({0, 200})).data is None


@pytest.mark.parametrize(
    ("header", "expected"), [("2", 2.0), ("0.5", 0.5), (None, None), ("soon", None)]
)
def test_retry_after_parsing(header: str | None, expected: float | None) -> None:
    headers = {"Retry-After": header} if header is not None else {}
    with pytest.raises(RateLimitError) as info:
        decode_response(429, headers, env(429))
    assert info.value.retry_after == expected


def test_retry_after_http_date() -> None:
    import email.utils
    import time

    headers = {"Retry-After": email.utils.formatdate(time.time() + 30, usegmt=True)}
    with pytest.raises(RateLimitError) as info:
        decode_response(429, headers, b"")
    assert info.value.retry_after is not None
    assert 25 <= info.value.retry_after <= 31


def test_messages_have_single_spaces_and_no_repeated_http_status() -> None:
    from xportcn_async.errors import APIError

    assert str(APIError("HTTP 404", http_status=404)) == "HTTP 404"
    text = str(APIError("  bad \n gateway  ", code=502, request_id="r1", http_status=502))
    assert text == "r1: code 502 bad gateway (HTTP 502)"
    assert "  " not in str(APIError("", code=500, request_id="r2", http_status=500))
