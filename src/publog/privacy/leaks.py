"""What must never be published: the checks the other stages call, each from the module that makes it.

Every check is a pure function of its arguments, cheap enough to run on every
build (a few percent of rendering the same text) and safe to call from worker
processes.

- secrets.py: ``find_secrets(text)``, tokens and keys the pattern detectors of
  detect-secrets report, each judged by secret_strength.py (a live credential is
  an error, a weak signal a warning, a placeholder nothing).
- terms.py: ``compile_terms(items)`` and ``find_terms(text, terms)``, the
  ``privacy.never_publish`` list of publog.yaml.
- snippets.py: ``private_snippets(text, public)``, the passages of a private entry
  to look for in the output.
- scan.py: ``scan_output(data, name, terms, private, allowlisted)``, the final check
  of one written file, looking through escaping and markup (reading.py).

Nothing here ever puts a secret's value or a private passage in a message:
error output may be pasted in public. A never-publish term is named, since the
author wrote it in their own configuration.
"""

from __future__ import annotations

from .found import Finding as Finding, Leak as Leak
from .reading import text_bytes as text_bytes, yaml_published as yaml_published
from .scan import (
    BINARY_SUFFIXES as BINARY_SUFFIXES,
    find_in_name as find_in_name,
    find_in_output as find_in_output,
    locate as locate,
    scan_output as scan_output,
)
from .secrets import (
    DETECTORS_VERSION as DETECTORS_VERSION,
    allowlisted_secrets as allowlisted_secrets,
    find_secrets as find_secrets,
    find_weak_secrets as find_weak_secrets,
    rendered_secrets as rendered_secrets,
)
from .snippets import MIN_PASSAGE_CHARS as MIN_PASSAGE_CHARS, MIN_PASSAGE_WORDS as MIN_PASSAGE_WORDS, private_snippets as private_snippets
from .terms import Terms as Terms, compile_terms as compile_terms, find_terms as find_terms
