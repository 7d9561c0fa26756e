"""``python cli.py ...``: the same as the ``armap`` command (see :mod:`armap.cli`)."""

import sys

from armap.cli import main

if __name__ == "__main__":
    sys.exit(main())
