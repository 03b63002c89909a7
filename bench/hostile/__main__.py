"""``python -m bench.hostile``: the harness's command line (see ``bench.hostile.harness``)."""

from bench.hostile.harness import main

if __name__ == "__main__":
    raise SystemExit(main())
