"""Which addresses the fetcher may connect to, checked where the connection is made.

Checking a host name and then letting httpx resolve it again leaves a gap (DNS rebinding): a
name can answer the check with a public address and the connection with a private one. So the
connection resolves the name itself, through the same resolver, vets every address it gets,
and connects to a vetted one; TLS still names the host (SNI and the certificate check) and the
Host header still carries it, because httpcore takes both from the URL, not from the socket.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

Resolver = Callable[..., list[tuple[Any, ...]]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class AddressPolicy:
    """Which kinds of address may be connected to (public ones always may)."""

    allow_loopback: bool = False  # 127/8 and ::1
    allow_private: bool = False  # 10/8, 172.16/12, 192.168/16, fc00::/7, link-local, reserved

    def reason(self, address: IPAddress) -> str | None:
        """Why an address is refused ("a loopback", "a private", ...), or None if allowed."""
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        # Loopback first: 127/8 is also "private" to the ipaddress module.
        if address.is_loopback:
            return None if self.allow_loopback else "a loopback"
        if address.is_link_local:
            return None if self.allow_private else "a link-local"
        if address.is_private or address.is_reserved or address.is_multicast:
            return None if self.allow_private else "a private"
        if address.is_unspecified:
            return "an unspecified"
        return None


class AddressRefused(Exception):
    """A host resolves to an address the policy refuses, or cannot be resolved."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def vetted_addresses(host: str, port: int, policy: AddressPolicy, resolve: Resolver) -> list[str]:
    """The host's addresses, in the resolver's order, once every one of them is allowed.

    One refused address refuses the host: a name that mixes public and private answers is
    either misconfigured or an attack, and which answer a connection would use is not ours to
    choose safely.
    """
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        found = [str(literal)]
    else:
        try:
            infos = resolve(host, port, type=socket.SOCK_STREAM)
        except (OSError, ValueError) as exc:
            raise AddressRefused(f"host {host!r} cannot be resolved ({exc})") from exc
        # An IPv6 answer may carry a zone ("fe80::1%eth0"): vet the address, keep the zone.
        found = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not found:
            raise AddressRefused(f"host {host!r} cannot be resolved (no addresses)")
    for text in found:
        address = ipaddress.ip_address(text.split("%")[0])
        why = policy.reason(address)
        if why:
            raise AddressRefused(
                f"{host} resolves to {why} address {address}; refused by the fetch settings"
            )
    return found


class VettedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses the policy allows."""

    def __init__(self, policy: AddressPolicy, resolve: Resolver = socket.getaddrinfo) -> None:
        self.policy = policy
        self.resolve = resolve

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """Resolve, vet every address, then connect to the first vetted one that answers."""
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in vetted_addresses(host, port, self.policy, self.resolve):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc  # as socket.create_connection does: try the next address
        assert failure is not None  # vetted_addresses returns at least one address
        raise failure


class VettedTransport(httpx.HTTPTransport):
    """httpx's default transport whose connections go through a VettedBackend."""

    def __init__(self, backend: VettedBackend) -> None:
        super().__init__()
        limits = httpx.Limits()  # httpx's defaults, as HTTPTransport() uses
        # httpx 0.28 takes no network backend, so its pool is replaced by the same pool built
        # on ours (httpx is pinned in constraints.txt; the DNS-rebinding tests in
        # tests/test_fetcher.py fail if this stops taking effect).
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )
