"""Security headers on every response, and CSRF protection for forms (signed double submit).

CSRF: each browser gets a random token in an HttpOnly, SameSite=Strict cookie; each form
carries that token signed with the server's secret (itsdangerous, with a timestamp). A POST is
accepted when the form's signed token verifies, is not too old and names the cookie's token.
Another site can make a browser send the cookie but cannot read it or forge a signature.
Requests with a JSON body need no token: a browser cannot send one cross-site without a CORS
preflight, which this server never grants.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_COOKIE = "wm_csrf"
CSRF_FIELD = "csrf_token"
CSRF_SALT = "westminster-csrf"
# How long a rendered form stays valid: a working day with the page left open, and then some.
CSRF_MAX_AGE_S = 24 * 3600
# Bytes of randomness in a browser's token (256 bits, like the secret).
TOKEN_BYTES = 32

# No inline script may run (there is no script at all); styles come from our own stylesheet;
# images are ours or inline SVG. Forms post only to us; nobody may frame the pages.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
_SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
}


def security_headers() -> dict[str, str]:
    """The headers every response carries."""
    return dict(_SECURITY_HEADERS)


class CsrfSigner:
    """Signs a browser's token for its forms and checks a submitted form token against it."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt=CSRF_SALT)

    def form_token(self, cookie_token: str) -> str:
        """The signed token a form carries for this cookie token."""
        return str(self._serializer.dumps(cookie_token))

    def verify(self, form_token: str | None, cookie_token: str | None) -> bool:
        """True when the form token is ours, recent, and was issued for this cookie token."""
        if not form_token or not cookie_token:
            return False
        try:
            value = self._serializer.loads(form_token, max_age=CSRF_MAX_AGE_S)
        except BadSignature:
            return False
        return isinstance(value, str) and secrets.compare_digest(value, cookie_token)


def cookie_value(headers: list[tuple[bytes, bytes]], name: str) -> str | None:
    """A cookie's value from raw ASGI request headers."""
    for key, raw in headers:
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(raw.decode("latin-1"))
            except Exception:  # a malformed Cookie header is treated as no cookie
                continue
            if name in jar:
                return jar[name].value
    return None


class SecurityMiddleware:
    """Adds the security headers, and gives each browser its CSRF cookie on HTML pages."""

    def __init__(self, app: ASGIApp, signer: CsrfSigner, *, secure_cookie: bool = False) -> None:
        self.app = app
        self.signer = signer
        self.secure_cookie = secure_cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap one request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        existing = cookie_value(scope.get("headers", []), CSRF_COOKIE)
        token = existing or secrets.token_urlsafe(TOKEN_BYTES)
        state = scope.setdefault("state", {})
        state["csrf_cookie"] = existing
        state["csrf_form_token"] = self.signer.form_token(token)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {key.lower() for key, _ in headers}
                for key, value in _SECURITY_HEADERS.items():
                    if key.encode() not in present:
                        headers.append((key.encode(), value.encode()))
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if existing is None and content_type.startswith(b"text/html"):
                    headers.append((b"set-cookie", self._cookie(token).encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _cookie(self, token: str) -> str:
        flags = "Path=/; HttpOnly; SameSite=Strict"
        return f"{CSRF_COOKIE}={token}; {flags}" + ("; Secure" if self.secure_cookie else "")
