"""Entry point for ``python -m siting``."""

import sys

from siting.cli import main

sys.exit(main())
