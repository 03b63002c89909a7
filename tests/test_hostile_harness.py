"""The hostile-use harness (bench/hostile, issue 14) run small through its entry point, so it
cannot rot unseen: a few hostile inputs, one kill point and a handful of injection and
traversal requests against a live ``tocsin serve``; plus its detectors on a server that
misbehaves on purpose."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from types import SimpleNamespace

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # bench/ is a folder of the repository, not an installed package

from bench.hostile.injection import Prober, magnitude  # noqa: E402
from bench.hostile.outcome import JobResult  # noqa: E402

INPUTS = "h01,h13,h16,h22,h25,h26"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("hostile") / "report.json"
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-m", "bench.hostile", "--quick", "--parallel", "--jobs",
         "inputs,kill,injection",
         "--inputs", INPUTS, "--json", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )
    assert out.exists(), done.stdout + done.stderr
    found = json.loads(out.read_text("utf-8"))
    found["exit"], found["printed"] = done.returncode, done.stdout
    return found


def job(report: dict, name: str) -> dict:
    [found] = [j for j in report["jobs"] if j["job"] == name]
    return found


@pytest.mark.slow
def test_the_quick_harness_passes_and_prints_its_table(report: dict) -> None:
    failed = [(j["job"], c["name"], c["detail"]) for j in report["jobs"] for c in j["checks"]
              if not c["ok"]]
    assert report["exit"] == 0 and report["ok"], failed
    assert [j["job"] for j in report["jobs"]] == ["inputs", "kill", "injection"]
    table = report["printed"].splitlines()
    assert table[0].split()[:4] == ["job", "result", "checks", "seconds"]
    assert {line.split()[0] for line in table[1:]} == {"inputs", "kill", "injection"}


@pytest.mark.slow
def test_each_hostile_input_ends_as_its_case_allows(report: dict) -> None:
    inputs = job(report, "inputs")
    assert inputs["figures"]["outcomes"] == {
        "h01": "document",  # the control report is stored beside the bad files
        "h13": "failure",   # empty file
        "h16": "failure",   # a file name that is not UTF-8
        "h22": "failure",   # gzip bomb: over the cap, not 64 MiB in memory
        "h25": "mixed",     # broken JSON lines fail alone, the good one is stored
        "h26": "mixed",     # a line nested 100,000 deep fails alone (was: the whole file)
    }
    names = {c["name"] for c in inputs["checks"]}
    assert {"batch: no traceback", "batch: exit status 1 (failures are rows, not crashes)",
            "batch: every row belongs to a case"} <= names
    assert inputs["figures"]["peak_rss_mb"] < 3000


@pytest.mark.slow
def test_a_killed_run_resumes_to_the_uninterrupted_database(report: dict) -> None:
    kill = job(report, "kill")
    point = kill["figures"]["points"]["docs:1"]
    assert point["identical"]
    assert point["stored_when_killed"] >= 1
    assert kill["figures"]["documents"] > point["stored_when_killed"]


@pytest.mark.slow
def test_injection_and_traversal_requests_get_no_server_error(report: dict) -> None:
    figures = job(report, "injection")["figures"]
    assert figures["requests"] >= 40
    assert figures["sql_injection"] > 0 and figures["traversal"] > 0
    statuses = {int(k) for k in figures["statuses"]}
    assert not {s for s in statuses if s >= 500 or s == 0}
    assert {401, 404, 413, 422} <= statuses


class Misbehaving(BaseHTTPRequestHandler):
    """Answers /boom with a 500 and a traceback, /leak with a file's content, /many with a
    long list whatever the filter, /few with a short one."""

    def do_GET(self) -> None:  # noqa: N802
        body, status = b'{"events": []}', 200
        if self.path.startswith("/boom"):
            body, status = b'Traceback (most recent call last): File "/app.py"', 500
        elif self.path.startswith("/leak"):
            body = b"root:x:0:0:root:/root:/bin/bash"
        elif self.path.startswith("/many"):
            body = json.dumps({"events": list(range(50))}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


def test_the_probe_reports_server_errors_leaks_and_wrong_statuses() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        target = SimpleNamespace(host="127.0.0.1", port=server.server_address[1])
        result = JobResult("injection")
        prober = Prober(target, result, ("secret-key",))  # type: ignore[arg-type]
        prober.send("fine", "GET", "/few")
        assert result.checks == []
        prober.send("crash", "GET", "/boom?q=%27")
        prober.send("leak", "GET", "/leak/..%2f..%2fetc%2fpasswd")
        prober.send("status", "GET", "/few", allowed=(401,))
        details = [c.detail for c in result.failed]
        assert len(details) == 3
        assert "status 500" in details[0] and "Traceback" in details[0]
        assert "root:x:0:" in details[1]
        assert "expected one of (401,)" in details[2]
        many = prober.send("x", "GET", "/many")
        few = prober.send("x", "GET", "/few")
        assert magnitude(many) > magnitude(few) == 0
    finally:
        server.shutdown()
        server.server_close()
