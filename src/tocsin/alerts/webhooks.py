"""Webhook delivery: POST an alert's JSON, signed with HMAC-SHA256, retried with backoff.

The signature header is ``X-Tocsin-Signature: sha256=<hex>``, the HMAC-SHA256 of
``<timestamp>.<body>`` under the subscription's secret, with the timestamp (Unix seconds) in
``X-Tocsin-Timestamp``; a receiver recomputes it (``verify_signature``) and may reject stale
timestamps. A 2xx answer is success; other answers, connection errors and timeouts are
retried ``attempts`` times in all, waiting ``backoff * 2**n`` seconds between tries.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from tocsin.sources.netguard import AddressNotAllowed, Deadline, NetworkPolicy, guarded_client

SIGNATURE_HEADER = "X-Tocsin-Signature"
TIMESTAMP_HEADER = "X-Tocsin-Timestamp"


@dataclass(frozen=True)
class WebhookPolicy:
    attempts: int = 4
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    timeout: float = 10.0  # seconds per try in all (connect, send, answer), however it drips


@dataclass(frozen=True)
class DeliveryOutcome:
    ok: bool
    attempts: int
    error: str | None = None
    status: int | None = None


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body,
                      hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify_signature(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """Whether ``header`` is the signature of ``body`` sent at ``timestamp`` under ``secret``."""
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def post_webhook(
    url: str,
    body: bytes,
    secret: str,
    policy: WebhookPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    network: NetworkPolicy | None = None,
) -> DeliveryOutcome:
    """POST ``body`` (JSON) to ``url`` until it succeeds or the tries run out.

    Each try must be answered, body and all, within ``policy.timeout`` seconds in all; a slower
    answer counts as a failed try. With a ``network`` policy (a webhook registered by an
    untrusted caller) the host is checked and connected to as ``tocsin.sources.netguard``
    does, and failures give no connection details.
    """
    policy = policy or WebhookPolicy()
    error: str | None = None
    status: int | None = None
    for attempt in range(1, policy.attempts + 1):
        deadline = Deadline(policy.timeout)
        with guarded_client(deadline, network) as client:
            timestamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                "User-Agent": "tocsin-alerts",
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: sign(secret, timestamp, body),
            }
            try:
                response = client.post(url, content=body, headers=headers)
                status = response.status_code
                if 200 <= status < 300:
                    return DeliveryOutcome(True, attempt, None, status)
                error = f"HTTP {status}"
            except AddressNotAllowed:
                return DeliveryOutcome(False, attempt, "address not allowed", None)
            except httpx.TimeoutException:
                error, status = f"timed out after {policy.timeout:g} s", None
            except httpx.HTTPError as problem:
                error = "could not deliver" if network else f"{type(problem).__name__}: {problem}"
                status = None
        if attempt < policy.attempts:
            sleep(policy.backoff * 2 ** (attempt - 1))
    return DeliveryOutcome(False, policy.attempts, error, status)
