"""Job ``injection``: SQL injection in every query and path parameter of the served OpenAPI,
path traversal in ids and static paths, keys and bodies that should be refused, against a live
``tocsin serve``. No answer may be a server error or carry leaked data, an injected filter may
match no more than a harmless one, and no probe may take long (a time-based injection)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench.hostile.http_probe import Answer, request
from bench.hostile.outcome import JobResult
from bench.hostile.payloads import (
    LEAK_MARKERS,
    SENTINEL,
    SQL_INJECTION,
    STATIC_PATHS,
    TRAVERSAL_IDS,
)
from bench.hostile.server import Server

SLOW_SECONDS = 4.0  # a probe slower than this may have run an injected sleep


def magnitude(answer: Answer) -> int:
    """How much an answer holds: list items and integer counts, recursively (entries of a
    feed); a filter that matched everything makes this large."""
    if answer.headers.get("content-type", "").startswith("application/atom"):
        return answer.text.count("<entry")
    try:
        data = json.loads(answer.body)
    except ValueError:
        return 0

    def walk(value: Any) -> int:
        if isinstance(value, bool):
            return 0
        if isinstance(value, int):
            return value
        if isinstance(value, list):
            return len(value) + sum(walk(v) for v in value)
        if isinstance(value, dict):
            return sum(walk(v) for k, v in value.items() if k not in ("status", "limit"))
        return 0

    return walk(data)


class Prober:
    """Sends probes to a server and records a check for each problem found."""

    def __init__(self, server: Server, result: JobResult, secrets: tuple[str, ...]) -> None:
        self.server = server
        self.result = result
        self.secrets = secrets
        self.sent = 0
        self.statuses: dict[int, int] = {}
        self.slowest = 0.0

    def send(self, label: str, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None, allowed: tuple[int, ...] | None = None,
             carried: str = "") -> Answer:
        answer = request(self.server.host, self.server.port, method, path, body, headers)
        self.sent += 1
        self.statuses[answer.status] = self.statuses.get(answer.status, 0) + 1
        self.slowest = max(self.slowest, answer.seconds)
        sent_text = f"{path} {carried} {(body or b'')[:4096].decode('utf-8', 'replace')}"
        problems = []
        if answer.status == 0 or answer.status >= 500:
            problems.append(f"status {answer.status}: {answer.text[:200]}")
        if allowed is not None and answer.status not in allowed:
            problems.append(f"status {answer.status}, expected one of {allowed}")
        leaked = [m for m in (*LEAK_MARKERS, *self.secrets)
                  if m and m in answer.text and m not in sent_text]
        if leaked:
            problems.append(f"answer carries {leaked}")
        if answer.seconds > SLOW_SECONDS:
            problems.append(f"took {answer.seconds:.1f} s")
        if problems:
            self.result.check(f"{label}: {method} {path[:120]}", False, "; ".join(problems))
        return answer


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, list[dict], bool]]:
    keyed = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            keyed.append((method.upper(), path, operation.get("parameters", []),
                          bool(operation.get("security"))))
    return keyed


def _sample(parameter: dict[str, Any]) -> str:
    schema = parameter.get("schema", {})
    kinds = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
    return "1" if kinds & {"integer", "number"} else SENTINEL


def _url(path: str, path_values: dict[str, str], query: dict[str, str]) -> str:
    for name, value in path_values.items():
        path = path.replace("{" + name + "}", value)
    if query:
        path += "?" + "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in query.items())
    return path


def probe_parameters(prober: Prober, spec: dict[str, Any], payloads: tuple[str, ...],
                     key: str) -> int:
    """Every payload in every parameter of every GET operation; returns the probes sent."""
    sent_before = prober.sent
    for method, path, parameters, keyed in _operations(spec):
        if method != "GET":
            continue
        headers = {"X-API-Key": key} if keyed else {}
        path_values = {p["name"]: _sample(p) for p in parameters if p["in"] == "path"}
        for parameter in parameters:
            name, where = parameter["name"], parameter["in"]

            def url(value: str, name: str = name, where: str = where, path: str = path,
                    path_values: dict[str, str] = path_values) -> str:
                if where == "path":
                    return _url(path, {**path_values, name: quote(value, safe="")}, {})
                return _url(path, path_values, {name: value})

            baseline = prober.send("sentinel", method, url(SENTINEL), headers=headers)
            for payload in payloads:
                answer = prober.send("sql injection", method, url(payload), headers=headers,
                                     carried=payload)
                if (200 <= answer.status < 300 and 200 <= baseline.status < 300
                        and magnitude(answer) > magnitude(baseline)):
                    prober.result.check(
                        f"injected {name} matches no more than a harmless value", False,
                        f"{path} {name}={payload!r}: {magnitude(answer)} vs "
                        f"{magnitude(baseline)}")
    return prober.sent - sent_before


def probe_traversal(prober: Prober, spec: dict[str, Any], dashboard_built: bool) -> int:
    sent_before = prober.sent
    for method, path, parameters, _keyed in _operations(spec):
        if method != "GET":
            continue
        for parameter in (p for p in parameters if p["in"] == "path"):
            for attempt in TRAVERSAL_IDS:
                prober.send("traversal in an id", method,
                            _url(path, {parameter["name"]: attempt}, {}), carried=attempt)
    for static in STATIC_PATHS:
        allowed = (404,) if static.lower().rstrip("/").endswith(".map") else None
        prober.send("static traversal", "GET", static, allowed=allowed)
    if dashboard_built:
        prober.send("dashboard", "GET", "/", allowed=(200,))
    return prober.sent - sent_before


def probe_keys_and_bodies(prober: Prober, key: str, max_body: int, payloads: tuple[str, ...],
                          quick: bool) -> int:
    sent_before = prober.sent
    json_type = {"Content-Type": "application/json"}
    keyed = {**json_type, "X-API-Key": key}
    good = json.dumps({"documents": [{"text": "Shelling hit Ariha on Monday."}]}).encode()
    for payload in payloads:
        prober.send("injected key", "POST", "/api/documents", good,
                    {**json_type, "X-API-Key": payload}, allowed=(401,), carried=payload)
        prober.send("injected key", "GET", "/api/alerts/deliveries",
                    headers={"X-API-Key": payload}, allowed=(401,), carried=payload)
    prober.send("no key", "GET", "/api/alerts/deliveries", allowed=(401,))
    huge = b'{"documents": [{"text": "' + b"a" * (max_body + 1024 * 1024) + b'"}]}'
    prober.send("oversized body, no key", "POST", "/api/documents", huge, json_type,
                allowed=(401,))
    prober.send("oversized body with a key", "POST", "/api/documents", huge, keyed,
                allowed=(413,))
    bad = [
        ("bad JSON, no key", b"{not json", json_type, (401,)),
        ("bad JSON with a key", b"{not json", keyed, (400, 422)),
        ("binary body with a key", bytes(range(256)) * 4, keyed, (400, 415, 422)),
        ("JSON nested 100,000 deep with a key", b"[" * 100_000 + b"]" * 100_000, keyed,
         (400, 413, 422)),
        ("wrong shape with a key", b'{"documents": "x"}', keyed, (400, 422)),
        ("no documents with a key", b'{"documents": []}', keyed, (400, 422)),
        ("javascript: URL with a key", b'{"documents": [{"url": "javascript:alert(1)"}]}',
         keyed, (400, 422)),
        ("file: URL with a key", b'{"documents": [{"url": "file:///etc/passwd"}]}', keyed,
         (400, 422)),
        ("wrong content type with a key", good, {"Content-Type": "text/plain",
                                                 "X-API-Key": key}, (400, 415, 422)),
    ]
    for label, body, headers, allowed in bad:
        prober.send(label, "POST", "/api/documents", body, headers, allowed=allowed)
    if not quick:
        documents = [{"text": f"Shelling hit Ariha on Monday, {p}", "title": p, "source": p}
                     for p in payloads]
        prober.send("injection in posted fields", "POST", "/api/documents",
                    json.dumps({"documents": documents}).encode(), keyed, allowed=(202,))
    return prober.sent - sent_before


def probe_ssrf(prober: Prober, key: str, timeout: float = 60.0) -> None:
    """A URL to the server itself, posted with a key: refused, never fetched and stored."""
    target = f"http://127.0.0.1:{prober.server.port}/api/health"
    body = json.dumps({"documents": [{"url": target}]}).encode()
    answer = prober.send("loopback URL", "POST", "/api/documents", body,
                         {"Content-Type": "application/json", "X-API-Key": key})
    fetched = False
    state: dict[str, Any] = {}
    if answer.status == 202:
        job = json.loads(answer.body).get("job")
        deadline = time.monotonic() + timeout
        while job and time.monotonic() < deadline:
            state = json.loads(request(prober.server.host, prober.server.port, "GET",
                                       f"/api/jobs/{job}").body)
            if state.get("finished_at"):
                break
            time.sleep(0.5)
        fetched = bool(state.get("processed"))
    prober.result.check("a loopback URL posted to the API is not fetched",
                        answer.status in (202, 400, 422) and not fetched,
                        f"status {answer.status}, job {state.get('status')}, "
                        f"{[f.get('reason') for f in state.get('failures', [])][:1]}")


def run_injection(server: Server, workdir: Path, quick: bool = False) -> JobResult:
    result = JobResult("injection")
    began = time.monotonic()
    spec = json.loads(request(server.host, server.port, "GET", "/openapi.json").body)
    root = request(server.host, server.port, "GET", "/")
    prober = Prober(server, result, (server.key, str(workdir), str(server.db)))
    payloads = SQL_INJECTION[:2] if quick else SQL_INJECTION
    if quick:
        spec = {"paths": {p: v for p, v in spec["paths"].items()
                          if p in ("/api/events/{event_id}", "/api/alerts/deliveries")}}
    injected = probe_parameters(prober, spec, payloads, server.key)
    traversal = probe_traversal(prober, spec, dashboard_built=root.status != 503)
    max_body = 20 * 1024 * 1024 + 4 * 1024 * 1024
    bodies = probe_keys_and_bodies(prober, server.key, max_body, payloads, quick)
    if not quick:
        probe_ssrf(prober, server.key)
    result.check(f"{prober.sent} requests without a server error, leak or slow answer",
                 not result.failed, f"{len(result.failed)} problems")
    result.figures = {"requests": prober.sent, "sql_injection": injected,
                      "traversal": traversal, "keys_and_bodies": bodies,
                      "statuses": {str(k): v for k, v in sorted(prober.statuses.items())},
                      "slowest_seconds": round(prober.slowest, 2),
                      "dashboard_built": root.status != 503}
    result.seconds = time.monotonic() - began
    return result
