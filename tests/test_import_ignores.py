"""What a folder's own generator never publishes, publog never publishes either (ignores.py).

Each journal is laid out as real ones are: a Quartz 3 garden (a Hugo site) whose config.toml
lists /content/private/* under ignoreFiles; a Quartz 4 garden whose .gitignore names private/;
Jekyll's exclude: and its names starting with _; Eleventy's .eleventyignore and .gitignore;
Pelican's IGNORE_FILES and ARTICLE_EXCLUDES. The note left out holds a word found nowhere else,
and no file of the built site may hold it, through its own page, a link, an embed or search.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hostile_support import leaks

from publog.read import ignores

SECRET = "QUIXOTIC-WALRUS-LEDGER"
NOTE = f"---\ntitle: Diary\n---\nMy {SECRET} and other worries.\n"


def built(publog, root: Path, *args: str) -> tuple[Path, list[str]]:
    out = root.parent / "site"
    result = publog("build", root, "--out", out, *args)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return out, result.problems


def said(problems: list[str], start: str) -> str:
    found = [p for p in problems if p.startswith(start) and "left out by" in p]
    assert len(found) == 1, "\n".join(problems)
    return found[0]


# --- Hugo ----------------------------------------------------------------------------------------------

QUARTZ3 = """\
baseURL = "https://garden.example.org/"
languageCode = "en-us"
ignoreFiles = [
    "/content/templates/*",
    "/content/private/*",
]
"""


@pytest.mark.parametrize("config", ["config.toml", "hugo.toml", "config/_default/hugo.toml"])
def test_hugo_ignore_files_leave_notes_out(journal, publog, config: str) -> None:
    root = journal({
        config: QUARTZ3,
        "content/_index.md": "---\ntitle: Home\n---\nWelcome. See [the diary](private/private-note.md).\n",
        "content/notes/rust.md": "---\ntitle: Rust\n---\nOwnership. Also [my diary](../private/private-note.md).\n",
        "content/private/private-note.md": NOTE,
        "content/templates/post.md": f"---\ntitle: Template\n---\n{SECRET}\n",
        "layouts/_default/single.html": "{{ .Content }}\n",
    })
    out, problems = built(publog, root)
    assert (out / "notes" / "rust" / "index.html").is_file()
    assert leaks(out, SECRET, "private-note") == []
    warning = said(problems, f"{config}:3: warning: 2 files left out by ignoreFiles")
    assert "content/private/private-note.md" in warning


def test_hugo_build_options_and_bundles_write_no_page(journal, publog) -> None:
    root = journal({
        "hugo.toml": 'title = "Notes"\n',
        "content/posts/open.md": "---\ntitle: Open\ndate: 2024-05-01\n---\nIn the open.\n",
        "content/posts/never.md": f"---\ntitle: Never\ndate: 2024-05-01\nbuild:\n  render: never\n---\n{SECRET} one\n",
        "content/posts/old.md": f"+++\ntitle = 'Old'\ndate = 2024-05-01\n[_build]\nrender = false\n+++\n{SECRET} two\n",
        "content/posts/draft.md": f"---\ntitle: Draft\ndate: 2024-05-01\ndraft: true\n---\n{SECRET} three\n",
        # A leaf bundle's other Markdown files are its resources; a headless one has no page at all.
        "content/posts/bundle/index.md": "---\ntitle: Bundle\ndate: 2024-05-01\n---\nThe bundle's page.\n",
        "content/posts/bundle/notes.md": f"---\ntitle: Notes\n---\n{SECRET} four\n",
        "content/shared/index.md": f"---\ntitle: Shared\nheadless: true\n---\n{SECRET} five\n",
        "content/shared/part.md": f"---\ntitle: Part\n---\n{SECRET} six\n",
        # A section's cascade of build options reaches every page in it.
        "content/albums/_index.md": "---\ntitle: Albums\ncascade:\n  build:\n    list: true\n    render: false\n---\nMy albums.\n",
        "content/albums/one/index.md": f"---\ntitle: One\ndate: 2024-05-01\n---\n{SECRET} seven\n",
    })
    out, problems = built(publog, root)
    assert (out / "posts" / "open" / "index.html").is_file() and (out / "posts" / "bundle" / "index.html").is_file()
    assert leaks(out, SECRET) == []
    said(problems, "content/albums/_index.md:")


def test_an_index_md_heading_hugos_content_folder_is_no_bundle(journal, publog) -> None:
    root = journal({
        "hugo.toml": 'title = "Notes"\n',
        "content/index.md": "---\ntitle: Home\n---\nWelcome.\n",
        "content/posts/open.md": "---\ntitle: Open\ndate: 2024-05-01\n---\nStill a page of its own.\n",
    })
    out, _ = built(publog, root)
    assert any("posts/open/" in found for found in leaks(out, "Still a page of its own."))


# --- Quartz 4 and plain folders: .gitignore ---------------------------------------------------------

QUARTZ4 = """\
const config: QuartzConfig = {
  configuration: { pageTitle: "Garden", baseUrl: "garden.example.org", ignorePatterns: ["templates", ".obsidian"] },
  plugins: { transformers: [], filters: [Plugin.RemoveDrafts()], emitters: [] },
}
export default config
"""


def test_quartz_leaves_out_what_git_ignores_and_links_to_it_show_nothing_of_it(journal, publog) -> None:
    root = journal({
        "quartz.config.ts": QUARTZ4,
        ".gitignore": ".DS_Store\nnode_modules\npublic\n.quartz-cache\nprivate/\n",
        "quartz/components/README.md": "# Quartz's own source\n",
        "content/index.md": "---\ntitle: Welcome\n---\nSee [[diary]] and ![[diary]] and [[ideas/drafty]].\n",
        "content/private/diary.md": NOTE,
        "content/private/photo.png": b"\x89PNG\r\n\x1a\n" + SECRET.encode(),
        # A .gitignore deeper down, read from its own folder; a ! line takes one file back.
        "content/ideas/.gitignore": "draft*\n!drafts-public.md\n",
        "content/ideas/drafty.md": f"Half an idea: {SECRET}\n",
        "content/ideas/drafts-public.md": "Shared on purpose.\n",
    })
    out, problems = built(publog, root)
    assert leaks(out, SECRET, "diary.md", "photo.png") == []
    assert any("drafts-public/" in found for found in leaks(out, "Shared on purpose."))  # its own page
    said(problems, ".gitignore:5: warning: 2 files left out by .gitignore, as Quartz")
    said(problems, "content/ideas/.gitignore:1: warning: 1 file left out by .gitignore")


def test_a_plain_folder_leaves_out_what_git_ignores(journal, publog) -> None:
    root = journal({
        ".gitignore": "scratch/\n*.private.md\n",
        "README.md": "# TIL\n\nThings I learned.\n",
        "git/rebase.md": "# Rebase\n\nInteractive rebase.\n",
        "git/secret.private.md": f"# Secret\n\n{SECRET}\n",
        "scratch/todo.md": f"# Todo\n\n{SECRET}\n",
    })
    out, problems = built(publog, root)
    assert leaks(out, SECRET) == []
    said(problems, ".gitignore:1: warning: 2 files left out by .gitignore, as git")


GITIGNORE_CASES = """\
# comments and blank lines

*.log
!keep.log
/rooted.md
deep/**/x.md
**/any/
folder/
not-a-folder/
a?c.md
[bc]at.md
\\#hash.md
trailing.md   
sub/*.md
"""


@pytest.mark.skipif(shutil.which("git") is None, reason="git is the oracle")
def test_the_gitignore_reading_agrees_with_git(tmp_path: Path) -> None:
    paths = ["a.log", "x/keep.log", "x/b.log", "rooted.md", "x/rooted.md", "deep/x.md", "deep/1/2/x.md",
             "any/f.md", "x/any/f.md", "folder/f.md", "x/folder/f.md", "not-a-folder", "abc.md", "ac.md",
             "cat.md", "rat.md", "#hash.md", "trailing.md", "sub/a.md", "sub/b/a.md", "x/sub/a.md"]
    for path in paths:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x\n")
    (tmp_path / ".gitignore").write_text(GITIGNORE_CASES)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    git = subprocess.run(["git", "-C", str(tmp_path), "-c", "core.excludesFile=/dev/null", "check-ignore", "--stdin"],
                         input="\n".join(paths), capture_output=True, text=True).stdout.split()
    rules = ignores.Rules((ignores.Gitignore(tmp_path, "git").check,))
    assert sorted(p for p in paths if rules.leaves_out(p)) == sorted(git)


# --- Jekyll --------------------------------------------------------------------------------------------

def test_jekyll_exclude_and_underscored_names_leave_files_out(journal, publog) -> None:
    root = journal({
        "_config.yml": "title: Notes\nexclude:\n  - Gemfile\n  - README.md\n  - notes/*-private.md\n  - journal\n  - keys.txt\n",
        "_posts/2024-05-01-hello.md": "---\ntitle: Hello\n---\nSee [the notes](/notes/).\n",
        "_posts/_scratch.md": f"---\ntitle: Scratch\n---\n{SECRET} one\n",
        "about.md": "---\ntitle: About\n---\nAbout me.\n",
        "README.md": f"---\ntitle: Readme\n---\n{SECRET} two\n",
        "notes/open.md": "---\ntitle: Open\n---\nOpen notes.\n",
        "notes/money-private.md": f"---\ntitle: Money\n---\n{SECRET} three\n",
        "notes/_unfinished.md": f"---\ntitle: Unfinished\n---\n{SECRET} four\n",
        "notes/open.md~": f"---\ntitle: Backup\n---\n{SECRET} five\n",
        "journal/2024.md": f"---\ntitle: Journal\n---\n{SECRET} six\n",
        "unpublished.md": f"---\ntitle: Later\npublished: false\n---\n{SECRET} seven\n",
        "keys.txt": f"{SECRET} eight\n",
        "robots-extra.txt": "copied as it is\n",
    })
    out, problems = built(publog, root)
    assert (out / "about" / "index.html").is_file() or (out / "about.html").is_file()
    assert (out / "robots-extra.txt").is_file()
    assert leaks(out, SECRET) == []
    said(problems, "_config.yml:2: warning: 3 files left out by exclude, as Jekyll")  # journal/: a folder, skipped whole


# --- Eleventy ------------------------------------------------------------------------------------------

ELEVENTY = """\
module.exports = function (eleventyConfig) {
  eleventyConfig.ignores.add("src/notes/secret-plan.md");%s
  return { dir: { input: "src", output: "_site" } };
};
"""


def test_eleventy_ignore_files_and_gitignore_leave_files_out(journal, publog) -> None:
    root = journal({
        ".eleventy.js": ELEVENTY % "",
        ".eleventyignore": "src/drafts\nsrc/**/*.wip.md\n",
        ".gitignore": "node_modules\n_site\nsrc/private/\n",
        "src/index.md": "---\ntitle: Home\n---\nHello.\n",
        "src/posts/hello.md": "---\ntitle: Hello\ndate: 2024-05-01\n---\nHello world.\n",
        "src/posts/next.wip.md": f"---\ntitle: Next\n---\n{SECRET} one\n",
        "src/drafts/idea.md": f"---\ntitle: Idea\n---\n{SECRET} two\n",
        "src/private/diary.md": NOTE,
        "src/notes/secret-plan.md": f"---\ntitle: Plan\n---\n{SECRET} three\n",
        "src/notes/data-only.md": f"---\ntitle: Data\npermalink: false\n---\n{SECRET} four\n",
    })
    out, problems = built(publog, root)
    assert (out / "posts" / "hello" / "index.html").is_file()
    assert leaks(out, SECRET) == []
    said(problems, ".eleventyignore:2: warning: 1 file left out by .eleventyignore, as Eleventy")  # src/drafts: skipped whole
    said(problems, ".gitignore:3: warning: 1 file left out by .gitignore, as Eleventy")
    said(problems, ".eleventy.js:1: warning: 1 file left out by .eleventy.js")


def test_eleventy_told_not_to_read_gitignore_publishes_what_it_names(journal, publog) -> None:
    root = journal({
        ".eleventy.js": ELEVENTY % "\n  eleventyConfig.setUseGitIgnore(false);",
        ".gitignore": "src/generated/\n",
        "src/index.md": "---\ntitle: Home\n---\nHello.\n",
        "src/generated/list.md": "---\ntitle: List\n---\nMade by a script, published.\n",
    })
    out, _ = built(publog, root)
    assert (out / "generated" / "list" / "index.html").is_file()


# --- Pelican -------------------------------------------------------------------------------------------

def test_pelican_ignore_files_and_excludes_leave_files_out(journal, publog) -> None:
    root = journal({
        "pelicanconf.py": "SITENAME = 'Notes'\nPATH = 'content'\nIGNORE_FILES = ['.#*', '*.private.md']\n"
                          "ARTICLE_EXCLUDES = ['notebooks']\n",
        "content/hello.md": "Title: Hello\nDate: 2024-05-01\n\nHello world.\n",
        "content/money.private.md": f"Title: Money\nDate: 2024-05-01\n\n{SECRET} one\n",
        "content/notebooks/scratch.md": f"Title: Scratch\nDate: 2024-05-01\n\n{SECRET} two\n",
        "content/pages/about.md": "Title: About\n\nAbout me.\n",
        "content/later.md": f"Title: Later\nDate: 2024-05-01\nStatus: draft\n\n{SECRET} three\n",
    })
    out, problems = built(publog, root)
    assert (out / "hello.html").is_file() and (out / "pages" / "about.html").is_file()
    assert leaks(out, SECRET) == []
    said(problems, "pelicanconf.py:3: warning: 1 file left out by IGNORE_FILES, as Pelican")
    said(problems, "pelicanconf.py:4: warning: 1 file left out by ARTICLE_EXCLUDES, as Pelican")


# --- Obsidian ------------------------------------------------------------------------------------------

def test_obsidian_excluded_files_are_only_hidden_from_search_and_still_published(journal, publog) -> None:
    # Obsidian's "Excluded files" keep notes out of its search and graph, not out of Obsidian Publish.
    root = journal({
        ".obsidian/app.json": '{"userIgnoreFilters": ["Archive/"]}\n',
        "Home.md": "Welcome.\n",
        "Archive/Old idea.md": "An old idea, still shared.\n",
    })
    out, problems = built(publog, root)
    assert any("old-idea/" in found.lower() for found in leaks(out, "An old idea, still shared."))  # its own page
    assert not [p for p in problems if "left out by" in p]
