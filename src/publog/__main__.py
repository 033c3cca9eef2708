"""`python -m publog` works like `publog`."""

import sys

from .cli import main

sys.exit(main())
