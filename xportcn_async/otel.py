"""OpenTelemetry for the SDK: one span per attempt, named after the operation, with its id.

Needs the ``otel`` extra (``pip install 'xportcn-async[otel]'``: opentelemetry-api and
opentelemetry-instrumentation-aiohttp-client). The spans are the aiohttp client
instrumentation's own (``http.request.method``, ``url.full``, ``http.response.status_code``,
errors); these hooks add to each one:

``xportcn.operation``   the endpoint key (``taobao.orders.list``), or ``METHOD /path`` for
                        ``xp.request``; the span is renamed ``POST taobao.orders.list``
``xportcn.attempt``     1 for the first attempt, 2 for the first retry, …
``xportcn.request_id``  the server's ``requestId`` (when the answer has one)

Either give the client its own trace config::

    from xportcn_async.otel import trace_config

    async with XportcnClient.from_env(trace_configs=[trace_config()]) as xp:
        ...

or, when every aiohttp session of the process is instrumented, pass the hooks::

    from opentelemetry.instrumentation.aiohttp_client import AioHttpClientInstrumentor
    from xportcn_async.otel import request_hook, response_hook

    AioHttpClientInstrumentor().instrument(request_hook=request_hook, response_hook=response_hook)

The request id reaches the span because a session the client makes reads each answer inside
aiohttp's request (:func:`xportcn_async.transport.read_in_request`). With a session of your
own (``session=``) the spans get the operation and the attempt but not the request id.
Requests that are not the SDK's are left as the instrumentation made them.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from opentelemetry.instrumentation.aiohttp_client import create_trace_config
from opentelemetry.trace import Span, TracerProvider

from .transport import current_attempt

__all__ = ["request_hook", "response_hook", "trace_config"]


def request_hook(span: Span, params: aiohttp.TraceRequestStartParams) -> None:
    """Name the span after the operation and record the attempt (instrumentation hook)."""
    attempt = current_attempt()
    if attempt is None or not span.is_recording():
        return
    name = attempt.operation
    if not name.startswith(f"{attempt.method} "):
        name = f"{attempt.method} {name}"
    span.update_name(name)
    span.set_attribute("xportcn.operation", attempt.operation)
    span.set_attribute("xportcn.attempt", attempt.number)


def response_hook(span: Span, params: Any) -> None:
    """Record the request id once the answer has been read (instrumentation hook).

    ``params`` is aiohttp's ``TraceRequestEndParams`` or, for a failed attempt,
    ``TraceRequestExceptionParams``.
    """
    attempt = current_attempt()
    if attempt is None or attempt.request_id is None or not span.is_recording():
        return
    span.set_attribute("xportcn.request_id", attempt.request_id)


def trace_config(tracer_provider: TracerProvider | None = None) -> aiohttp.TraceConfig:
    """An aiohttp ``TraceConfig`` making the spans above (for ``trace_configs=``).

    ``tracer_provider`` defaults to OpenTelemetry's global one.
    """
    return create_trace_config(
        request_hook=request_hook,
        response_hook=response_hook,
        tracer_provider=tracer_provider,
    )
