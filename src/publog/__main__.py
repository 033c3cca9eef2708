"""`python -m publog` works like `publog`."""

import sys

from .cli.main import run

sys.exit(run())
