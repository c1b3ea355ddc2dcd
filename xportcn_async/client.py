"""`XportcnClient`: the entry point. Owns (or borrows) one aiohttp session."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Literal, NoReturn

import aiohttp

from .config import DEFAULT_BASE_URL, ClientConfig, RetryPolicy
from .endpoints import Endpoint, resolve_endpoints
from .errors import ConfigurationError
from .resources import (
    AddressResource,
    AlibabaGroup,
    LogisticsResource,
    TaobaoGroup,
    WmsResource,
)
from .resources._checks import checked
from .signing import Clock, Signer, SigningMiddleware, sign
from .transport import Envelope, Transport

__all__ = ["XportcnClient"]


class XportcnClient:
    """Async client for the Xportcn KA Open API.

    Use it as an async context manager so its connection pool is closed::

        async with XportcnClient(access_key="…", access_secret="…", user_id="…") as xp:
            page = await xp.taobao.orders.list(page_num=1, page_size=50)

    Every request carries the five signed system headers (added by an aiohttp
    client middleware, once per attempt, retries included). Pass ``session=``
    to use your own :class:`aiohttp.ClientSession`; the client then leaves it
    open. Pass ``config=`` (a :class:`ClientConfig`) instead of keyword options
    to share one configuration between clients.

    Resource groups: ``address``, ``logistics``, ``alibaba.products``,
    ``alibaba.orders``, ``alibaba.after_sales``, ``taobao.products``,
    ``taobao.orders``, ``wms``.
    """

    def __init__(
        self,
        *,
        access_key: str | None = None,
        access_secret: str | None = None,
        user_id: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        connect_timeout: float = 10.0,
        total_timeout: float = 60.0,
        pool_size: int = 100,
        retry: RetryPolicy | None = None,
        max_requests_per_second: float | None = None,
        timestamp_unit: Literal["s", "ms"] = "s",
        clock_offset: float | None = None,
        endpoint_paths: Mapping[str, str] | None = None,
        verify_ssl: bool = True,
        signer: Signer = sign,
        config: ClientConfig | None = None,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self._session: aiohttp.ClientSession | None = None
        self._owns_session = session is None
        if config is None:
            config = ClientConfig(
                access_key=access_key,  # type: ignore[arg-type]  # validated by ClientConfig
                access_secret=access_secret,  # type: ignore[arg-type]
                user_id=user_id,  # type: ignore[arg-type]
                base_url=base_url,
                connect_timeout=connect_timeout,
                total_timeout=total_timeout,
                pool_size=pool_size,
                retry=retry or RetryPolicy(),
                max_requests_per_second=max_requests_per_second,
                timestamp_unit=timestamp_unit,
                clock_offset=clock_offset,
                endpoint_paths=dict(endpoint_paths or {}),
                verify_ssl=verify_ssl,
                signer=signer,
            )
        elif access_key is not None or access_secret is not None or user_id is not None:
            raise ConfigurationError("pass either config= or credentials, not both")
        self.config = config
        self.endpoints: Mapping[str, Endpoint] = resolve_endpoints(config.endpoint_paths)
        self.clock = Clock(config.clock_offset)
        self._signing = SigningMiddleware(
            access_key=config.access_key,
            access_secret=config.access_secret,
            user_id=config.user_id,
            clock=self.clock,
            timestamp_unit=config.timestamp_unit,
            signer=config.signer,
        )
        middlewares: tuple[aiohttp.ClientMiddlewareType, ...] = (self._signing,)
        if session is not None:
            # Per-request middlewares replace the session's own: keep the caller's, then sign.
            middlewares = (*getattr(session, "_middlewares", ()), self._signing)
            self._session = session
        self._closed = False
        self.transport = Transport(
            config=config,
            endpoints=self.endpoints,
            session=self._get_session,
            middlewares=middlewares,
        )
        self.address = AddressResource(self.transport)
        self.logistics = LogisticsResource(self.transport)
        self.alibaba = AlibabaGroup(self.transport)
        self.taobao = TaobaoGroup(self.transport)
        self.wms = WmsResource(self.transport)

    @classmethod
    def from_env(cls, **options: Any) -> XportcnClient:
        """Build a client from ``XPORTCN_ACCESS_KEY``, ``XPORTCN_ACCESS_SECRET``,
        ``XPORTCN_USER_ID`` and ``XPORTCN_BASE_URL``; keyword options override them.

        ``session=`` is passed to the client; every other option goes to :class:`ClientConfig`.
        """
        session = options.pop("session", None)
        return cls(config=ClientConfig.from_env(**options), session=session)

    def __repr__(self) -> str:
        key = self.config.access_key
        shown = key[:4] + "…" if len(key) > 4 else "…"
        return (
            f"XportcnClient(base_url={self.config.base_url!r}, access_key={shown!r}, "
            f"user_id={self.config.user_id!r})"
        )

    def _get_session(self) -> aiohttp.ClientSession:
        if self._closed:
            raise RuntimeError("this XportcnClient is closed; create a new one")
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self.config.pool_size,
                ssl=self.config.verify_ssl,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=aiohttp.ClientTimeout(
                    total=self.config.total_timeout, connect=self.config.connect_timeout
                ),
            )
        return self._session

    @checked
    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        data: aiohttp.FormData | None = None,
        idempotent: bool = False,
    ) -> Envelope:
        """Call any path (relative to ``base_url``) and return the decoded :class:`Envelope`.

        The escape hatch for endpoints the SDK does not know yet. Signed like
        every call; errors are raised as for typed calls. Pass
        ``idempotent=True`` for reads so that they are retried.
        """
        return await self.transport.request(
            method.upper(), path, json=json, params=params, data=data, idempotent=idempotent
        )

    async def aclose(self) -> None:
        """Close the owned session (idempotent). A session passed in by the caller stays open."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None and self._owns_session and not session.closed:
            await session.close()

    async def __aenter__(self) -> XportcnClient:
        self._get_session()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __enter__(self) -> NoReturn:
        raise TypeError(
            "XportcnClient is asynchronous: use 'async with XportcnClient(...) as xp:' "
            "inside a coroutine (or call 'await xp.aclose()' when done)"
        )

    def __exit__(self, *exc_info: object) -> None:  # pragma: no cover - __enter__ always raises
        pass

    def __del__(self) -> None:
        session = getattr(self, "_session", None)
        if getattr(self, "_owns_session", False) and session is not None and not session.closed:
            warnings.warn(
                f"unclosed {self!r}: use 'async with' or 'await client.aclose()'",
                ResourceWarning,
                stacklevel=2,
                source=self,
            )
