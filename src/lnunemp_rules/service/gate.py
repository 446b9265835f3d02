"""What every request passes through before and after its endpoint (plain ASGI, no per-request
task): the API key, the body-size limit, the rules headers and the access log.

The access log line names the method, the path (never the query string), the status, the
response size and the time taken: no body, header value or client address, so no personal
data reaches it (standard 4.3.1).
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .problems import MEDIA_TYPE, problem_body

__all__ = ["ACCESS_LOG", "OPEN_PATHS", "Gate"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The logger of the access log (one line per request, INFO).
ACCESS_LOG = "lnunemp_rules.service.access"
#: Paths answered without an API key: probes and the API's own description.
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/openapi.json", "/docs"})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            found: bytes = value
            return found
    return None


class Gate:
    """ASGI middleware around the service's app."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        rules: tuple[str, str],
        max_body_bytes: int,
        api_key: str | None,
    ) -> None:
        self.app = app
        self.rules = rules
        self.max_body_bytes = max_body_bytes
        self.api_key = api_key.encode() if api_key else None
        self.rules_headers = [
            (b"x-rules-version", rules[0].encode()),
            (b"x-rules-digest", rules[1].encode()),
        ]
        self.log = logging.getLogger(ACCESS_LOG)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        sent = {"status": 0, "bytes": 0}
        headers = self.rules_headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), *headers]}
            elif message["type"] == "http.response.body":
                sent["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            refusal = self._refusal(scope)
            if refusal is not None:
                await self._problem(send_with_headers, *refusal)
                return
            if scope["method"] in ("POST", "PUT", "PATCH"):
                body = await self._body(receive)
                if body is None:
                    await self._problem(
                        send_with_headers,
                        "body-too-large",
                        f"the body is larger than {self.max_body_bytes} bytes "
                        "(LNUNEMP_MAX_BODY_BYTES)",
                    )
                    return
                receive = _replay(body, receive)
            await self.app(scope, receive, send_with_headers)
        finally:
            if self.log.isEnabledFor(logging.INFO):
                self.log.info(
                    '"%s %s" %d %d bytes %.1f ms',
                    scope["method"],
                    scope["path"],
                    sent["status"],
                    sent["bytes"],
                    (time.perf_counter() - started) * 1000,
                )

    def _refusal(self, scope: Scope) -> tuple[str, str] | None:
        if self.api_key is not None and scope["path"] not in OPEN_PATHS:
            given = _header(scope, b"x-api-key")
            if given is None or not hmac.compare_digest(given, self.api_key):
                return "unauthorised", "give the service's API key in the X-API-Key header"
        length = _header(scope, b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
            return "body-too-large", (
                f"the body is larger than {self.max_body_bytes} bytes (LNUNEMP_MAX_BODY_BYTES)"
            )
        return None

    async def _body(self, receive: Receive) -> bytes | None:
        """The whole body, or None once it grows past the limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _problem(self, send: Send, kind: str, detail: str) -> None:
        status, body = problem_body(kind, detail, (), self.rules)
        headers = [(b"content-type", MEDIA_TYPE.encode()),
                   (b"content-length", str(len(body)).encode())]  # fmt: skip
        if kind == "unauthorised":
            headers.append((b"www-authenticate", b'ApiKey header="X-API-Key"'))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the body already read, then waits on the real one."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
