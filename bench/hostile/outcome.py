"""What a job hands back: its checks (each passed or not, with a detail) and its figures."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Check:
    """One expectation about one probe: ``ok`` when it held."""

    name: str
    ok: bool
    detail: str = ""


@dataclass
class JobResult:
    """A job's checks and figures; ``skipped`` gives the reason a job did not run."""

    job: str
    checks: list[Check] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    skipped: str | None = None

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.checks.append(Check(name, bool(ok), detail))
        return bool(ok)

    @property
    def passed(self) -> int:
        return sum(c.ok for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def ok(self) -> bool:
        return self.skipped is None and not self.failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "job": self.job, "ok": self.ok, "skipped": self.skipped,
            "passed": self.passed, "checks": [asdict(c) for c in self.checks],
            "figures": self.figures, "seconds": round(self.seconds, 1),
        }
