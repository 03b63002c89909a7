"""Every ``tocsin`` command pays for what the command line imports: the store, the exporters,
feed and WARC readers and the learning libraries load only in the commands that use them."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("sqlalchemy", "pyarrow", "pandas", "feedparser", "warcio", "sklearn", "scipy",
         "lightgbm", "joblib", "dask", "fastapi")


def test_the_command_line_imports_no_heavy_library() -> None:
    script = (
        "import json, sys\n"
        "import tocsin.cli\n"
        "from tocsin.cli import main\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
