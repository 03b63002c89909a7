"""Outgoing HTTP with a total deadline and, for URLs from untrusted callers, an address check.

``guarded_client`` makes an httpx client whose connections go through ``GuardedBackend``:

* every socket read, write, connect and TLS handshake gets at most what is left of one
  monotonic deadline, so a server dripping a byte every few seconds cannot stretch a request
  past it (httpx's own timeouts apply per read);
* with a ``NetworkPolicy``, the host name is resolved once, every address it resolves to is
  checked (loopback, private, link-local, multicast, reserved, unspecified and other
  non-global addresses are refused unless the policy allows their network), and the socket
  connects to the checked address. The Host header and TLS SNI/certificate check keep the
  name, as httpcore passes it separately.

``open_following`` sends a request and follows redirects itself, hop by hop, so each new host
goes through the same check before anything is sent to it.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
import typing
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpcore
import httpx

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_REDIRECTS = 10


class AddressNotAllowed(Exception):
    """The URL's host is, or resolves to, an address the policy refuses."""


def parse_networks(text: str | Iterable[str]) -> tuple[IPNetwork, ...]:
    """Networks from ``"127.0.0.0/8,10.1.0.0/16"`` (or an iterable of CIDRs); ValueError if bad."""
    parts = text.split(",") if isinstance(text, str) else list(text)
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in parts if part.strip())


@dataclass(frozen=True)
class NetworkPolicy:
    """Which addresses a URL from an untrusted caller may reach: global unicast ones, plus
    the ``allowed`` networks an operator names (an intranet; loopback for tests)."""

    allowed: tuple[IPNetwork, ...] = ()

    def permits(self, address: IPAddress) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if any(address in network for network in self.allowed):
            return True
        return not (
            address.is_loopback or address.is_private or address.is_link_local
            or address.is_multicast or address.is_reserved or address.is_unspecified
            or not address.is_global
        )

    def resolve(self, host: str, port: int) -> str:
        """The address to connect to for ``host``: every address it resolves to must pass."""
        try:
            infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            raise httpcore.ConnectError(f"could not resolve {host}") from error
        addresses = [str(info[4][0]).split("%")[0] for info in infos]
        if not addresses or not all(self.permits(ipaddress.ip_address(a)) for a in addresses):
            raise AddressNotAllowed("address not allowed")
        return addresses[0]


class Deadline:
    """A point on the monotonic clock; ``cap`` shortens a timeout to what is left of it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def cap(self, timeout: float | None) -> float:
        left = self.remaining()
        if left <= 0:
            raise httpcore.ReadTimeout(f"no answer within {self.seconds:g} s in all")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.cap(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.cap(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._deadline.cap(timeout))
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's socket backend with a total deadline and an optional address policy."""

    def __init__(self, deadline: Deadline, policy: NetworkPolicy | None = None) -> None:
        self._inner = httpcore.SyncBackend()
        self._deadline = deadline
        self._policy = policy

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        address = host if self._policy is None else self._policy.resolve(host, port)
        stream = self._inner.connect_tcp(
            address, port, self._deadline.cap(timeout), local_address, socket_options
        )
        return _DeadlineStream(stream, self._deadline)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise AddressNotAllowed("unix sockets are not allowed")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def guarded_client(
    deadline: Deadline, policy: NetworkPolicy | None = None, **options: typing.Any
) -> httpx.Client:
    """An httpx client (redirects not followed) whose connections keep ``deadline`` and, given
    a policy, reach only the addresses it permits. With a policy, proxy settings from the
    environment are ignored: a proxy would connect on the caller's behalf, unchecked."""
    transport = httpx.HTTPTransport()
    # httpx does not take a network backend; its pool does.
    transport._pool = httpcore.ConnectionPool(  # noqa: SLF001
        ssl_context=httpx.create_ssl_context(),
        network_backend=GuardedBackend(deadline, policy),
    )
    return httpx.Client(
        transport=transport, follow_redirects=False, trust_env=policy is None,
        timeout=httpx.Timeout(deadline.seconds), **options,
    )


@contextmanager
def open_following(
    client: httpx.Client, method: str, url: str, *,
    headers: dict[str, str] | None = None, content: bytes | None = None,
    max_redirects: int = MAX_REDIRECTS,
) -> Iterator[httpx.Response]:
    """Send a request and follow redirects one hop at a time; the final answer, streamed.

    Each hop connects through the client's backend, so each is checked afresh."""
    request = client.build_request(method, url, headers=headers, content=content)
    for _hop in range(max_redirects + 1):
        response = client.send(request, stream=True)
        next_request = response.next_request
        if next_request is None:
            try:
                yield response
            finally:
                response.close()
            return
        response.close()
        if next_request.url.scheme not in ("http", "https"):
            raise AddressNotAllowed("redirect to a scheme other than http(s)")
        request = next_request
    raise httpx.TooManyRedirects("too many redirects", request=request)
