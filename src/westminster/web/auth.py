"""Admin authentication: HTTP Basic against a PBKDF2 password hash from the settings.

No admin password hash configured means no admin area: every admin request is refused (403).
A wrong or missing password gets 401 with a Basic challenge. The hash format is Django's:
`pbkdf2_sha256$ITERATIONS$SALT$HASH` (base64 salt and hash), printed by
`westminster serve --hash-password`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict

from starlette.requests import Request

from westminster.web.errors import Forbidden, Unauthorized

ALGORITHM = "pbkdf2_sha256"
# OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet).
PBKDF2_ITERATIONS = 600_000
SALT_BYTES = 16
REALM = "westminster admin"
# Credentials already verified are remembered (as a digest) so that each page of an admin
# session does not pay for PBKDF2 again (~0.3 s at 600,000 iterations); a few users at most.
VERIFIED_CACHE_SIZE = 32


def hash_password(password: str, *, iterations: int = PBKDF2_ITERATIONS) -> str:
    """The stored form of a password: pbkdf2_sha256$iterations$salt$hash."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return "$".join(
        [
            ALGORITHM,
            str(iterations),
            base64.b64encode(salt).decode("ascii"),
            base64.b64encode(digest).decode("ascii"),
        ]
    )


def verify_password(password: str, encoded: str) -> bool:
    """True when the password matches the stored hash (False for a malformed hash)."""
    try:
        algorithm, iterations, salt, digest = encoded.split("$")
        if algorithm != ALGORITHM:
            return False
        expected = base64.b64decode(digest, validate=True)
        computed = hashlib.pbkdf2_hmac(
            "sha256", password.encode("utf-8"), base64.b64decode(salt, validate=True),
            int(iterations),
        )  # fmt: skip
    except (ValueError, binascii.Error):
        return False
    return hmac.compare_digest(expected, computed)


def check_hash_format(encoded: str) -> str | None:
    """None when the stored hash is usable, else what is wrong with it."""
    parts = encoded.split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM or not parts[1].isdigit():
        return f"expected {ALGORITHM}$ITERATIONS$SALT$HASH (from westminster serve --hash-password)"
    return None


class AdminGate:
    """Checks an admin request's Basic credentials; raises the one error shape when refused."""

    def __init__(self, user: str, password_hash: str) -> None:
        self.user = user
        self.password_hash = password_hash
        self._verified: OrderedDict[bytes, None] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """True when an admin password is configured."""
        return bool(self.password_hash) and check_hash_format(self.password_hash) is None

    def check(self, request: Request) -> str:
        """The authenticated user name; Forbidden when off, Unauthorized when not signed in."""
        if not self.enabled:
            raise Forbidden(
                "the admin area is switched off",
                subject=request.url.path,
                fix="set WESTMINSTER_ADMIN_PASSWORD_HASH (westminster serve --hash-password)",
            )
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "basic" and self._valid(value.strip()):
            return self.user
        raise Unauthorized(
            "the admin area needs the admin user name and password",
            subject=request.url.path,
            headers={"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'},
        )

    def _valid(self, value: str) -> bool:
        key = hashlib.sha256(value.encode("latin-1", "replace")).digest()
        with self._lock:
            if key in self._verified:
                self._verified.move_to_end(key)
                return True
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        user, sep, password = decoded.partition(":")
        if not sep:
            return False
        # Both checks always run, so the answer takes as long for a wrong user as a wrong password.
        user_ok = hmac.compare_digest(user.encode(), self.user.encode())
        password_ok = verify_password(password, self.password_hash)
        if not (user_ok and password_ok):
            return False
        with self._lock:
            self._verified[key] = None
            while len(self._verified) > VERIFIED_CACHE_SIZE:
                self._verified.popitem(last=False)
        return True
