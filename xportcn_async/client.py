"""`XportcnClient`: the entry point. Owns (or borrows) one aiohttp session."""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Literal, NoReturn

import aiohttp

from .config import DEFAULT_BASE_URL, ClientConfig, CreateRecovery
from .endpoints import Endpoint, resolve_endpoints
from .errors import ConfigurationError, XportcnError
from .options import DEFAULT_MAX_RESPONSE_BYTES, RequestOptions, RetryPolicy
from .resources import (
    AddressResource,
    AlibabaGroup,
    LogisticsResource,
    TaobaoGroup,
    WmsResource,
)
from .signing import Clock, Signer, SigningMiddleware, sign
from .transport import Envelope, RawResponse, Transport, raw_capture, read_in_request

__all__ = ["RawResponseClient", "XportcnClient"]


class XportcnClient:
    """Async client for the Xportcn KA Open API.

    Use it as an async context manager so its connection pool is closed::

        async with XportcnClient(access_key="…", access_secret="…", user_id="…") as xp:
            page = await xp.taobao.orders.list(page_num=1, page_size=50)

    Every request carries the five signed system headers (fresh for every attempt,
    retries included). Pass ``session=`` to use your own :class:`aiohttp.ClientSession`;
    the client then leaves it open. Pass ``config=`` (a :class:`ClientConfig`) instead of
    keyword options to share one configuration between clients.

    ``trace_configs=`` (:class:`aiohttp.TraceConfig`) are given to the session the client
    makes: one ``on_request_start``/``on_request_end`` per attempt, with the
    :class:`~xportcn_async.transport.Attempt` (operation key, attempt number, then HTTP
    status and request id) as ``trace_config_ctx.trace_request_ctx``.
    :mod:`xportcn_async.otel` builds one for OpenTelemetry.

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
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        create_recovery: CreateRecovery = "report",
        config: ClientConfig | None = None,
        session: aiohttp.ClientSession | None = None,
        trace_configs: Sequence[aiohttp.TraceConfig] = (),
    ) -> None:
        if session is not None and trace_configs:
            raise ConfigurationError(
                "trace_configs= applies to the session the client makes; with session=, "
                "give them to your aiohttp.ClientSession(trace_configs=...)"
            )
        self._trace_configs = tuple(trace_configs)
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
                max_response_bytes=max_response_bytes,
                create_recovery=create_recovery,
            )
        elif access_key is not None or access_secret is not None or user_id is not None:
            raise ConfigurationError("pass either config= or credentials, not both")
        self.config = config
        self.endpoints: Mapping[str, Endpoint] = resolve_endpoints(config.endpoint_paths)
        self.clock = Clock(config.clock_offset, max_offset=config.max_clock_offset)
        signing = SigningMiddleware(
            access_key=config.access_key,
            access_secret=config.access_secret,
            user_id=config.user_id,
            clock=self.clock,
            timestamp_unit=config.timestamp_unit,
            signer=config.signer,
        )
        if session is not None:
            self._session = session
        self._closed = False
        self._parent: XportcnClient | None = None
        self._bind(
            Transport(
                config=config,
                endpoints=self.endpoints,
                session=self._get_session,
                signer=signing,
                clock=self.clock,
            )
        )

    def _bind(self, transport: Transport) -> None:
        self.transport = transport
        self.address = AddressResource(transport)
        self.logistics = LogisticsResource(transport)
        self.alibaba = AlibabaGroup(transport)
        self.taobao = TaobaoGroup(transport)
        self.wms = WmsResource(transport)

    def with_options(
        self,
        *,
        timeout: float | None = None,
        connect_timeout: float | None = None,
        retry: RetryPolicy | None = None,
        extra_headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        max_response_bytes: int | None = None,
    ) -> XportcnClient:
        """A view of this client whose calls use these options (None: keep the current).

        The view shares the session, connection pool, clock and rate limiter; this
        client is unchanged. Views are cheap: make one per call if you like::

            page = await xp.with_options(timeout=5).taobao.orders.list(page_size=50)
            once = xp.with_options(retry=RetryPolicy(attempts=1))
            traced = xp.with_options(extra_headers={"X-Trace-Id": trace_id})

        See :class:`~xportcn_async.options.RequestOptions` for each option. Closing a
        view closes nothing: the client it came from owns the session.
        """
        options = RequestOptions(
            timeout=timeout,
            connect_timeout=connect_timeout,
            retry=retry,
            extra_headers=extra_headers or {},
            idempotent=idempotent,
            max_response_bytes=max_response_bytes,
        )
        view = object.__new__(XportcnClient)
        view.config = self.config
        view.endpoints = self.endpoints
        view.clock = self.clock
        view._session = None
        view._owns_session = False
        view._closed = False
        view._parent = self._root()
        view._bind(self.transport.with_options(options))
        return view

    @property
    def with_raw_response(self) -> RawResponseClient:
        """The same operations, each returning a :class:`~xportcn_async.transport.RawResponse`.

        ::

            raw = await xp.with_raw_response.taobao.orders.create(...)
            print(raw.request_id, raw.http_status, raw.headers["Date"], raw.elapsed)
            result = raw.parse()          # what the plain call returns

        Only coroutine methods (one call, one answer) are wrapped; the ``iter``
        pagers are refused with ``TypeError`` (their pages come from many answers).
        """
        return RawResponseClient(self)

    def _root(self) -> XportcnClient:
        return self._parent if self._parent is not None else self

    @classmethod
    def from_env(cls, **options: Any) -> XportcnClient:
        """Build a client from ``XPORTCN_ACCESS_KEY``, ``XPORTCN_ACCESS_SECRET``,
        ``XPORTCN_USER_ID`` and ``XPORTCN_BASE_URL``; keyword options override them.

        ``session=`` and ``trace_configs=`` are passed to the client; every other option goes
        to :class:`ClientConfig`.
        """
        session = options.pop("session", None)
        trace_configs = options.pop("trace_configs", ())
        return cls(
            config=ClientConfig.from_env(**options), session=session, trace_configs=trace_configs
        )

    def __repr__(self) -> str:
        key = self.config.access_key
        shown = key[:4] + "…" if len(key) > 4 else "…"
        return (
            f"XportcnClient(base_url={self.config.base_url!r}, access_key={shown!r}, "
            f"user_id={self.config.user_id!r})"
        )

    def _get_session(self) -> aiohttp.ClientSession:
        if self._parent is not None:
            return self._parent._get_session()
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
                # The answer is read inside aiohttp's request, so trace callbacks at its end
                # see the request id (transport.read_in_request).
                middlewares=(read_in_request,),
                trace_configs=list(self._trace_configs) or None,
            )
        return self._session

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        data: aiohttp.FormData | None = None,
        idempotent: bool = False,
        timeout: float | None = None,
        retry: RetryPolicy | None = None,
        extra_headers: Mapping[str, str] | None = None,
        max_response_bytes: int | None = None,
    ) -> Envelope:
        """Call any path (relative to ``base_url``) and return the decoded :class:`Envelope`.

        The escape hatch for endpoints the SDK does not know yet. Signed like
        every call; errors are raised as for typed calls; the envelope carries the
        request id, HTTP status, headers and elapsed time. Pass ``idempotent=True``
        for reads so that they are retried. ``timeout``, ``retry``, ``extra_headers``
        and ``max_response_bytes`` apply to this call only (as in :meth:`with_options`).
        """
        if not isinstance(method, str) or not isinstance(path, str):
            raise TypeError("method and path must be strings")
        options = RequestOptions(
            timeout=timeout,
            retry=retry,
            extra_headers=extra_headers or {},
            max_response_bytes=max_response_bytes,
        )
        return await self.transport.send(
            method.upper(),
            path,
            json=json,
            params=params,
            data=data,
            idempotent=idempotent,
            options=options,
        )

    async def aclose(self) -> None:
        """Close the owned session (idempotent). A session passed in by the caller stays open.

        On a view made by :meth:`with_options` this does nothing: the client it came
        from owns the session.
        """
        if self._parent is not None:
            return
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


class RawResponseClient:
    """``xp.with_raw_response``: the client's resource groups, each call returning a
    :class:`~xportcn_async.transport.RawResponse` instead of its typed result.

    Attribute access mirrors the client (``.taobao.orders.create``); the results are
    not statically typed beyond ``RawResponse[Any]``.
    """

    __slots__ = ("_target",)

    def __init__(self, target: Any) -> None:
        self._target = target

    def __repr__(self) -> str:
        return f"RawResponseClient({self._target!r})"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        attr = getattr(self._target, name)
        if inspect.iscoroutinefunction(attr):
            return _raw_call(attr)
        if callable(attr):
            raise TypeError(
                f"{name}() is not one call with one answer (a pager or a helper): "
                "with_raw_response wraps coroutine methods only"
            )
        return RawResponseClient(attr)


def _raw_call(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    async def call(*args: Any, **kwargs: Any) -> RawResponse[Any]:
        captured: list[Envelope] = []
        token = raw_capture.set(captured)
        try:
            result = await method(*args, **kwargs)
        except XportcnError as exc:
            if not captured:
                raise
            # The answer arrived but does not parse: hand it out; parse() raises.
            failure = exc

            def fail() -> Any:
                raise failure

            return RawResponse(captured[-1], parse=fail)
        finally:
            raw_capture.reset(token)
        if not captured:  # pragma: no cover - every coroutine method sends a request
            raise RuntimeError(f"{method.__qualname__} sent no request")
        return RawResponse(captured[-1], parse=lambda: result)

    return call
