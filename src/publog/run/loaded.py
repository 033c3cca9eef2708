"""The digest of the publog code this process runs, read once, when the process first imports this.

Read again later, the digest would name code saved since, which the modules loaded before then do not
hold: a kept process (run/daemon.py) would answer callers of the new code with the old, and stamp the
pages its old code makes as the new code's, so that they would never be made again. Read early, a
module loaded after a change can only make a digest older than the code, and the next build of the new
code makes its pages again.
"""

from __future__ import annotations

from .. import code_digest

CODE = code_digest()
