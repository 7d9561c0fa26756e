"""``python -m armap``: the ``armap`` command."""

import sys

from armap.cli import main

sys.exit(main())
