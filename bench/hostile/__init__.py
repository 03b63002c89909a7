"""The hostile-use harness (issue 14): Tocsin tried as an attacker and a careless user would,
on loopback, with the figures a run gives.

    python -m bench.hostile [--jobs inputs,kill,alerts,injection,schema,load] [--quick]
                            [--json report.json]

Each job is a module of its own: ``inputs`` (malformed files through ``tocsin run``),
``kill_points`` (``tocsin run`` killed with SIGKILL and rerun), ``alert_kill`` (``tocsin alerts
check`` killed while a webhook holds the delivery), ``injection`` (SQL injection, path traversal,
oversized and malformed bodies against a live ``tocsin serve``), ``schema_cases``
(schemathesis against the served OpenAPI) and ``load`` (a bounded loopback load). ``harness``
runs them in order and ``report`` prints the summary table. Every Tocsin command runs as a
subprocess (``python -m tocsin``), as a user would run it.
"""
