"""Configuration, lifecycle and secret redaction."""

from __future__ import annotations

import gc
import logging
import warnings

import aiohttp
import pytest

from xportcn_async import (
    DEFAULT_BASE_URL,
    ClientConfig,
    ConfigurationError,
    ServerError,
    XportcnClient,
)

from .conftest import ACCESS_KEY, ACCESS_SECRET, USER_ID, SigServer, envelope, json_response


@pytest.mark.parametrize("field", ["access_key", "access_secret", "user_id"])
@pytest.mark.parametrize("bad", ["", "   ", None, 123])
def test_bad_credentials_name_the_field(field: str, bad: object) -> None:
    values = {
        "access_key": ACCESS_KEY,
        "access_secret": ACCESS_SECRET,
        "user_id": USER_ID,
        field: bad,
    }
    with pytest.raises(ConfigurationError, match=field):
        XportcnClient(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("pool_size", 0),
        ("total_timeout", -1),
        ("connect_timeout", float("nan")),
        ("timestamp_unit", "us"),
        ("base_url", "ftp://x"),
    ],
)
def test_bad_options_raise_configuration_error(option: str, value: object) -> None:
    with pytest.raises(ConfigurationError, match=option):
        XportcnClient(access_key="k", access_secret="s", user_id="u", **{option: value})  # type: ignore[arg-type]


def test_unknown_endpoint_override_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"alibaba\.orders\.nope"):
        XportcnClient(
            access_key="k",
            access_secret="s",
            user_id="u",
            endpoint_paths={"alibaba.orders.nope": "/x"},
        )


def test_endpoint_override_changes_the_path() -> None:
    xp = XportcnClient(
        access_key="k",
        access_secret="s",
        user_id="u",
        endpoint_paths={"alibaba.orders.detail": "/alibaba/ka/order/get"},
    )
    assert xp.endpoints["alibaba.orders.detail"].path == "/alibaba/ka/order/get"
    assert xp.endpoints["alibaba.orders.list"].path == "/alibaba/ka/order/list"


def test_defaults() -> None:
    config = ClientConfig(access_key="k", access_secret="s", user_id="u")
    assert config.base_url == DEFAULT_BASE_URL == "https://www.xportcn.com/api"
    assert config.retry.attempts == 3
    assert config.timestamp_unit == "s"
    assert config.verify_ssl is True


def test_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XPORTCN_ACCESS_KEY", "ak")
    monkeypatch.setenv("XPORTCN_ACCESS_SECRET", "sk")
    monkeypatch.setenv("XPORTCN_USER_ID", "42")
    monkeypatch.setenv("XPORTCN_BASE_URL", "http://127.0.0.1:9/api/")
    xp = XportcnClient.from_env(pool_size=5)
    assert (xp.config.access_key, xp.config.user_id, xp.config.base_url, xp.config.pool_size) == (
        "ak",
        "42",
        "http://127.0.0.1:9/api",
        5,
    )
    monkeypatch.delenv("XPORTCN_ACCESS_SECRET")
    with pytest.raises(ConfigurationError, match="XPORTCN_ACCESS_SECRET"):
        XportcnClient.from_env()


def test_secret_not_in_repr_or_str() -> None:
    config = ClientConfig(access_key="k", access_secret=ACCESS_SECRET, user_id="u")
    xp = XportcnClient(config=config)
    for text in (repr(config), str(config), repr(xp), str(xp)):
        assert ACCESS_SECRET not in text


async def test_secret_not_in_logs_or_errors(
    sig_server: SigServer, caplog: pytest.LogCaptureFixture
) -> None:
    sig_server.script = [json_response(envelope(None, code=500), status=500) for _ in range(3)]
    from xportcn_async import RetryPolicy

    async def no_sleep(_: float) -> None:
        return None

    with caplog.at_level(logging.DEBUG):
        async with XportcnClient(
            access_key=ACCESS_KEY,
            access_secret=ACCESS_SECRET,
            user_id=USER_ID,
            base_url=sig_server.base_url,
            retry=RetryPolicy(sleep=no_sleep),
        ) as xp:
            with pytest.raises(ServerError) as info:
                await xp.request("POST", "/x", json={}, idempotent=True)
    signatures = {r.headers["signature"] for r in sig_server.requests}
    texts = [r.getMessage() for r in caplog.records] + [
        str(info.value),
        repr(info.value),
        str(info.value.body),
    ]
    debug_lines = [
        r for r in caplog.records if r.levelno == logging.DEBUG and r.name == "xportcn_async"
    ]
    assert len(debug_lines) == 3  # one per attempt
    for text in texts:
        assert ACCESS_SECRET not in text
        assert not any(sig in text for sig in signatures)


async def test_owned_session_is_closed_on_exit(sig_server: SigServer) -> None:
    async with XportcnClient(
        access_key="k", access_secret="s", user_id="u", base_url=sig_server.base_url
    ) as xp:
        session = xp._session
        assert session is not None and not session.closed
    assert session.closed
    await xp.aclose()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        await xp.request("GET", "/x")


async def test_callers_session_is_left_open(sig_server: SigServer) -> None:
    async with aiohttp.ClientSession() as session:
        async with XportcnClient(
            access_key="k",
            access_secret="s",
            user_id="u",
            base_url=sig_server.base_url,
            session=session,
        ):
            pass
        assert not session.closed


def test_plain_with_raises_type_error() -> None:
    xp = XportcnClient(access_key="k", access_secret="s", user_id="u")
    with pytest.raises(TypeError, match="async with"), xp:  # type: ignore[misc]
        pass


async def test_unclosed_client_warns(sig_server: SigServer) -> None:
    xp = XportcnClient(access_key="k", access_secret="s", user_id="u", base_url=sig_server.base_url)
    await xp.__aenter__()
    session = xp._session
    assert session is not None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del xp
        gc.collect()
    assert any(
        issubclass(w.category, ResourceWarning) and "unclosed XportcnClient" in str(w.message)
        for w in caught
    )
    await session.close()


async def test_raw_request_returns_the_envelope(
    client: XportcnClient, sig_server: SigServer
) -> None:
    sig_server.script = [
        json_response(
            envelope({"total": 3, "data": []}, request_id="abc"), headers={"X-Trace": "t1"}
        )
    ]
    env = await client.request(
        "post", "/open/purchase/page", json={"pageNum": 1, "pageSize": 10}, params={"a": "1"}
    )
    assert (env.request_id, env.code, env.msg, env.develop_id, env.http_status) == (
        "abc",
        200,
        "成功",
        "1356764224096829747",
        200,
    )
    assert env.data == {"total": 3, "data": []}
    assert env.headers["x-trace"] == "t1"
    rec = sig_server.requests[0]
    assert rec.method == "POST" and rec.query == {"a": "1"}
    assert rec.headers["content-type"] == "application/json"
