"""`python -m publog` works like `publog`."""

import sys

from .cli import run

sys.exit(run())
