"""What every response carries and every request must show: security headers, the token, the Host.

Archived pages are hostile input, so the Content-Security-Policy allows no inline or remote script or
style at all: even a stored `<script>` that slipped past escaping could not run. With a token set, a
request needs `Authorization: Bearer TOKEN` or the `token` cookie; a `?token=` link sets the cookie and
redirects to the same address without it, so the token stays out of history and referrers. Bound to
loopback without a token, only loopback Host names are served, so a web page elsewhere cannot reach the
workbench through DNS rebinding.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from starlette.datastructures import URL, MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
TOKEN_COOKIE = "token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


class SecurityMiddleware:
    """Pure ASGI middleware (it passes streamed bodies through untouched)."""

    def __init__(self, app: ASGIApp, *, token: str | None = None, allowed_hosts: tuple[str, ...] = ()) -> None:
        self.app = app
        self.token = token
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        refusal = self.refusal(Request(scope))
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def refusal(self, request: Request) -> Response | None:
        """The answer to a request that may not pass, or None."""
        if self.allowed_hosts and _host_name(request) not in self.allowed_hosts:
            return PlainTextResponse("unknown Host header", status_code=400)
        if not self.token:
            return None
        offered = request.query_params.get("token")
        if offered is not None:
            if not self._matches(offered):
                return _unauthorized(request)
            target = URL(scope=request.scope).remove_query_params("token")
            response = RedirectResponse(target.path + (f"?{target.query}" if target.query else ""), 303)
            response.set_cookie(TOKEN_COOKIE, offered, httponly=True, samesite="strict", path="/")
            return response
        authorization = request.headers.get("authorization", "")
        scheme, _, credential = authorization.partition(" ")
        if scheme.lower() == "bearer" and self._matches(credential.strip()):
            return None
        if self._matches(request.cookies.get(TOKEN_COOKIE, "")):
            return None
        return _unauthorized(request)

    def _matches(self, offered: str) -> bool:
        assert self.token is not None
        return bool(offered) and hmac.compare_digest(offered.encode(), self.token.encode())


def _host_name(request: Request) -> str:
    host = request.headers.get("host", "")
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


def _unauthorized(request: Request) -> Response:
    message = "this workbench needs its token: open the link with ?token=..., or send Authorization: Bearer TOKEN"
    headers = {"www-authenticate": "Bearer"}
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=401, headers=headers)
    return PlainTextResponse(message, status_code=401, headers=headers)
