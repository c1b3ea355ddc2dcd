"""Tests of ``xportcn_async/config.py``: credentials and options are checked when the client
is built, the defaults, configuration from the environment, and the secret left out of
``repr`` and ``str``.
"""

from __future__ import annotations

import pytest

from tests.conftest import ACCESS_KEY, ACCESS_SECRET, USER_ID
from xportcn_async import DEFAULT_BASE_URL, ClientConfig, ConfigurationError, XportcnClient


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
    monkeypatch.delenv("XPORTCN_USER_ID")
    monkeypatch.delenv("XPORTCN_ACCESS_KEY")
    with pytest.raises(ConfigurationError) as caught:  # every missing one, in one message
        XportcnClient.from_env()
    for var in ("XPORTCN_ACCESS_KEY", "XPORTCN_ACCESS_SECRET", "XPORTCN_USER_ID"):
        assert var in str(caught.value)


def test_secret_not_in_repr_or_str() -> None:
    config = ClientConfig(access_key="k", access_secret=ACCESS_SECRET, user_id="u")
    xp = XportcnClient(config=config)
    for text in (repr(config), str(config), repr(xp), str(xp)):
        assert ACCESS_SECRET not in text
