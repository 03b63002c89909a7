"""``python -m tocsin``: the same command line as ``tocsin``."""

from tocsin.cli import main

if __name__ == "__main__":
    main()
