"""How publog recognises the tool a folder was written for and reads that tool's own settings.

Each journal here is laid out as real ones are: a Quartz garden (quartz.config.ts beside content/
and Quartz's own source), an Eleventy site with directory
and global data files, Jekyll, Hugo and Pelican sites that name their author.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from import_support import page, site_text

from publog.run.build import Options, build

QUARTZ = """\
import { QuartzConfig } from "./quartz/cfg"
import * as Plugin from "./quartz/plugins"

/**
 * Quartz 4.0 Configuration
 */
const config: QuartzConfig = {
  configuration: {
    pageTitle: "Ada's Garden",
    pageTitleSuffix: "",
    enableSPA: true,
    analytics: null,
    locale: "en-US",
    baseUrl: "garden.example.org",
    ignorePatterns: ["private", "templates", ".obsidian", "**/drafts"],
    defaultDateType: "modified",
    theme: {
      typography: { header: "Schibsted Grotesk", body: "Source Sans Pro" },
    },
  },
  plugins: {
    transformers: [Plugin.FrontMatter(), Plugin.CrawlLinks({ markdownLinkResolution: "shortest" })],
    filters: [%s],
    emitters: [Plugin.ContentPage(), Plugin.FolderPage()],
  },
}

export default config
"""


def quartz(journal, filters: str = "Plugin.RemoveDrafts()", **more: str) -> Path:
    return journal({
        "quartz.config.ts": QUARTZ % filters,
        "package.json": '{"name": "quartz"}\n',
        "quartz/components/README.md": "# Quartz's own source\n",
        "docs/index.md": "---\ntitle: Welcome to Quartz\n---\nQuartz's documentation, not the garden.\n",
        "content/index.md": "---\ntitle: Welcome\n---\nMy garden. See [[Rust Ownership]].\n",
        "content/Concepts/Rust Ownership.md": "---\ntags: [rust]\n---\nEach value has one owner.\n",
        "content/Fleeting/Passing idea.md": "A passing idea, no properties.\n",
        "content/private/diary.md": "---\ntitle: Diary\n---\nPRIVATE-DIARY-TEXT\n",
        "content/templates/daily.md": '---\ndate: <%tp.date.now("YYYY-MM-DD")%>\n---\n# {{title}}\n',
        "content/Projects/drafts/plan.md": "---\ntitle: Plan\n---\nDRAFT-PLAN-TEXT\n",
        **more,
    })


def test_a_quartz_garden_builds_its_content_folder_as_a_vault(journal, publog) -> None:
    root = quartz(journal)
    result = publog("build", root, "--strict")
    assert result.code == 0, result.err
    entries = build(root, Options(check_only=True)).journal.entries
    # Titled by their file names as Quartz titles them; Quartz's own source and docs are no notes.
    assert sorted((e.path, e.title) for e in entries) == [
        ("content/Concepts/Rust Ownership.md", "Rust Ownership"),
        ("content/Fleeting/Passing idea.md", "Passing idea"),
        ("content/index.md", "Welcome"),
    ]
    text = site_text(root)
    assert "PRIVATE-DIARY-TEXT" not in text and "DRAFT-PLAN-TEXT" not in text and "Quartz's documentation" not in text


def test_a_quartz_gardens_title_and_base_url_are_the_journals(journal, publog) -> None:
    root = quartz(journal)
    assert publog("build", root).code == 0
    home = page(root, "/")
    # content/index.md is the home page, as Quartz shows it; the garden's pageTitle names the site.
    assert "<title>Welcome · Ada&#39;s Garden</title>" in home
    assert 'href="https://garden.example.org/' in home  # Quartz's baseUrl is written without its scheme


def test_publog_yaml_wins_over_quartz_config(journal, publog) -> None:
    root = quartz(journal, **{"publog.yaml": "title: Mine\nbase_url: https://me.example.net/\n"})
    assert publog("build", root).code == 0
    home = page(root, "/")
    assert "<title>Welcome · Mine</title>" in home and "garden.example.org" not in home


def test_quartz_explicit_publish_publishes_only_what_says_so(journal, publog) -> None:
    root = quartz(journal, "Plugin.ExplicitPublish()", **{
        "content/Concepts/Shared.md": "---\npublish: true\n---\nOut in the open.\n"})
    assert publog("build", root).code == 0
    assert [e.path for e in build(root, Options(check_only=True)).journal.entries] == ["content/Concepts/Shared.md"]
    assert "Each value has one owner" not in site_text(root)


def test_a_quartz_filter_publog_cannot_run_is_named(journal, publog) -> None:
    root = quartz(journal, "MyRemoveDrafts()")
    result = publog("build", root)
    assert result.code == 0
    assert any(p.startswith("quartz.config.ts:") and "MyRemoveDrafts" in p and "warning:" in p for p in result.problems), result.err


def test_an_ignore_pattern_also_leaves_out_same_named_folders_deeper_down_with_a_warning(journal, publog) -> None:
    root = quartz(journal, **{"content/99 Meta/Templates/daily.md": "# {{title}}\nTEMPLATE-TEXT\n",
                              "content/Areas/Private/notes.md": "NESTED-PRIVATE-TEXT\n"})
    result = publog("build", root)
    assert result.code == 0, result.err
    text = site_text(root)
    assert "TEMPLATE-TEXT" not in text and "NESTED-PRIVATE-TEXT" not in text
    assert any(p.startswith("quartz.config.ts:15: warning:") and "99 Meta/Templates" in p for p in result.problems), result.err


@pytest.mark.parametrize("config", [
    "export default { configuration: { pageTitle: process.env.TITLE, ignorePatterns: ['private'] } }\n",
    "const config = {{{ not: even: javascript\n",
    "",
])
def test_a_quartz_config_publog_cannot_read_builds_with_quartz_defaults(journal, publog, config: str) -> None:
    root = journal({"quartz.config.ts": config, "content/index.md": "Home, untitled.\n",
                    "content/private/x.md": "PRIVATE-X\n" if "private" in config else "Fine.\n"})
    result = publog("build", root)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert "PRIVATE-X" not in site_text(root)


# --- the author an old config names -----------------------------------------------------------------

POST = "---\ntitle: A post\ndate: 2024-05-01\n---\nHello.\n"


@pytest.mark.parametrize("files", [
    {"_config.yml": "title: Lil'Log\nauthor: Lilian Weng\n", "_posts/2024-05-01-a-post.md": POST},
    {"_config.yml": "author:\n  name: Lilian Weng\n  email: me@example.org\n", "_posts/2024-05-01-a-post.md": POST},
    {"hugo.toml": "title = 'Blog'\n[params]\nauthor = 'Lilian Weng'\n", "content/posts/a-post.md": POST},
    {"hugo.toml": "title = 'Blog'\n[params.author]\nname = 'Lilian Weng'\n", "content/posts/a-post.md": POST},
    {"config.toml": "title = 'Blog'\n[author]\nname = 'Lilian Weng'\n", "content/posts/a-post.md": POST},
    {"pelicanconf.py": "AUTHOR = 'Lilian Weng'\nSITENAME = 'Blog'\n", "content/a-post.md": POST},
    {".eleventy.js": "module.exports = () => ({ dir: { input: 'src' } });\n",
     "src/_data/metadata.json": '{"title": "Blog", "author": {"name": "Lilian Weng", "email": "me@example.org"}}',
     "src/posts/a-post.md": POST},
], ids=["jekyll", "jekyll-mapping", "hugo-params", "hugo-params-mapping", "hugo-author-table", "pelican", "eleventy"])
def test_the_author_an_old_config_names_is_the_journals(journal, publog, files: dict[str, str]) -> None:
    root = journal(files)
    assert publog("build", root).code == 0
    text = site_text(root)
    assert "Lilian Weng" in text and "Anonymous" not in text
    assert "me@example.org" not in text  # an address is published only when publog.yaml gives it


def test_publog_yaml_names_the_author_over_an_old_config(journal, publog) -> None:
    root = journal({"_config.yml": "author: Lilian Weng\n", "_posts/2024-05-01-a-post.md": POST,
                    "publog.yaml": "author: Lil\nentries: .\n"})
    assert publog("build", root).code == 0
    assert "Lilian Weng" not in site_text(root)


# --- Eleventy's data files ----------------------------------------------------------------------------

ELEVENTY = """\
export default function (config) {
    return { dir: { input: 'src', output: 'dist', includes: 'includes', data: 'data' } }
}
"""


def eleventy(journal, **more: str) -> Path:
    return journal({
        "eleventy.config.js": ELEVENTY,
        "src/data/site.js": ("export default {\n    title: 'Max B\u00f6ck',\n    description:\n        'A front-end developer.',\n"
                             "    lang: 'en',\n    url: 'https://mxb.example',\n    built: new Date(),\n}\n"),
        "src/data/author.json": '{"name": "Max B\u00f6ck", "email": "hello@mxb.example"}',
        "src/includes/meta.njk": "<meta>\n",
        "src/posts/posts.json": '{\n    "layout": "post",\n    "permalink": "blog/{{ page.fileSlug }}/index.html"\n}',
        "src/posts/connection-aware-components/2018-07-02-index.md": "---\ntitle: Connection-aware components\n---\nHi.\n",
        "src/posts/2019-01-05-own-folder/index.md": "---\ntitle: Own folder\n---\nHi.\n",
        "src/posts/2020-03-04-plain-post.md": "---\ntitle: Plain post\n---\nHi.\n",
        "src/notes/notes.11tydata.json": '{"permalink": "notes/{{ page.date | date: \'%Y\' }}/{{ page.fileSlug | slugify }}/"}',
        "src/notes/2021-06-07-Short Note.md": "---\ntitle: Short\n---\nHi.\n",
        "src/drafts/drafts.11tydata.js": ("module.exports = {\n  layout: 'post',\n  permalink: 'drafts/{{ page.fileSlug }}/index.html',\n"
                                          "  draft: true,\n  eleventyComputed: { x: (data) => data.title },\n}\n"),
        "src/drafts/2022-01-01-unfinished.md": "---\ntitle: Unfinished\n---\nUNFINISHED-TEXT\n",
        "src/feeds/feeds.json": '{"permalink": false}',
        "src/feeds/2022-02-02-data.md": "---\ntitle: Data only\n---\nDATA-ONLY\n",
        **more,
    })


def test_eleventy_directory_data_gives_its_folders_permalinks(journal, publog) -> None:
    root = eleventy(journal)
    result = publog("build", root, "--strict")
    assert result.code == 0, result.err
    urls = {e.path: e.url for e in build(root, Options(check_only=True)).journal.entries}
    assert urls == {
        "src/posts/connection-aware-components/2018-07-02-index.md": "/blog/connection-aware-components/",
        "src/posts/2019-01-05-own-folder/index.md": "/blog/own-folder/",
        "src/posts/2020-03-04-plain-post.md": "/blog/plain-post/",
        "src/notes/2021-06-07-Short Note.md": "/notes/2021/short-note/",
    }


def test_eleventy_directory_data_drafts_and_no_permalink_are_never_published(journal, publog) -> None:
    root = eleventy(journal)
    assert publog("build", root).code == 0
    text = site_text(root)
    assert "UNFINISHED-TEXT" not in text and "DATA-ONLY" not in text
    drafts = build(root, Options(check_only=True, drafts=True)).journal.entries
    assert "/drafts/unfinished/" in {e.url for e in drafts}


def test_eleventy_global_data_names_the_site_and_its_author(journal, publog) -> None:
    root = eleventy(journal)
    assert publog("build", root).code == 0
    home = page(root, "/")
    assert "<title>Max B\u00f6ck" in home and "My learning journal" not in home
    assert 'href="https://mxb.example/' in home
    assert "hello@mxb.example" not in site_text(root)


def test_an_eleventy_permalink_publog_cannot_follow_is_named(journal, publog) -> None:
    root = eleventy(journal, **{"src/posts/posts.json": '{"permalink": "{{ page.inputPath | weird }}/"}'})
    result = publog("build", root)
    assert result.code == 0, result.err
    assert any(p.startswith("src/posts/posts.json:1: warning:") and "page.inputPath" in p for p in result.problems), result.err
