"""Hostile journals, paths and URLs (issue 8): nothing escapes the site, nothing collides silently.

Slugs and permalinks with '..', absolute paths, backslashes, URL-unsafe and Unicode characters; two
entries, or an entry and a page publog writes, claiming one URL; names differing only in case (or in
Unicode normalisation) that collide on macOS and Windows; symlinks pointing out of the journal; an
output folder inside the entries folder, or equal to the journal.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from conftest import entry, snapshot
from hostile_support import assert_clear, assert_fails_with, build, guarded_build, leaks, problems, token

GOOD = entry("Good one", "2024-01-01")

BAD_SLUGS = ["../x", "..", "../../etc", "'a\\b'", "'..\\..\\x'", "a/b", "a%2F..", "a..b", "'C:\\x'", "'a\\tb'"]
# Slugs their tools make usable (Hugo slugifies 'a b'): built with a warning, never outside the site (issue 24).
MADE_USABLE = ["/etc/passwd", "a b", "a?b", "'a#b'", ".hidden", "'-dash'", "'~user'", "'x\u200by'", "'\u202eevil'",
               "'a\u3000b'", "'a:b'", "'a|b'", "'<b>'", "'a\"b'"]


@pytest.mark.parametrize("slug", BAD_SLUGS)
def test_a_slug_that_is_no_url_segment_is_refused_at_its_line(slug: str, journal, tmp_path: Path) -> None:
    root = journal({"entries/good.md": GOOD})
    assert build("build", root).code == 0
    before = snapshot(root / "_site")
    (root / "entries/bad.md").write_text(f"---\ntitle: x\nslug: {slug}\ndate: 2024-01-01\n---\nText\n", encoding="utf-8")
    result = guarded_build(tmp_path, root)
    assert_fails_with(result, "entries/bad.md:3: slug ")
    assert any("is not usable in a URL" in p for p in problems(result))
    assert snapshot(root / "_site") == before


@pytest.mark.parametrize("slug", MADE_USABLE)
def test_a_slug_that_is_no_url_segment_as_written_is_made_one_with_a_warning(slug: str, journal, tmp_path: Path) -> None:
    root = journal({"entries/good.md": GOOD,
                    "entries/bad.md": f"---\ntitle: x\nslug: {slug}\ndate: 2024-01-01\n---\nText\n"})
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    assert result.code == 0, result.err
    assert any(p.startswith("entries/bad.md:3: warning: slug ") for p in problems(result)), result.err


@pytest.mark.parametrize("slug", ["café", "привет", "日本語", "ünïcödé-2024", "a.b~c_d", "UPPER"])
def test_unicode_and_unreserved_slugs_are_served_where_links_point(slug: str, journal, tmp_path: Path) -> None:
    root = journal({"entries/a.md": entry("Unicode", "2024-01-01", slug=slug, tags="[t]")})
    result = guarded_build(tmp_path, root)
    assert result.code == 0, result.err
    page = root / "_site/2024" / slug / "index.html"
    assert page.is_file()
    home = (root / "_site/index.html").read_text(encoding="utf-8")
    href = f'href="/2024/{quote(slug, safe="~")}/"'
    assert href in home, href
    assert unquote(href[6:-1]) == f"/2024/{slug}/"
    assert f"http://localhost:8000/2024/{quote(slug, safe='~')}/" in (root / "_site/sitemap.xml").read_text()


def test_a_decomposed_unicode_slug_is_the_precomposed_one(journal, tmp_path: Path) -> None:
    nfc, nfd = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    assert nfc != nfd
    root = journal({"entries/b.md": entry("Two", "2024-02-01", slug=nfd)})
    result = guarded_build(tmp_path, root)
    assert result.code == 0, result.err
    assert (root / "_site/2024" / nfc / "index.html").is_file()
    (root / "entries/a.md").write_text(entry("One", "2024-02-01", slug=nfc), encoding="utf-8")  # of one day: a clash
    assert_fails_with(guarded_build(tmp_path, root), "entries/a.md:4: /2024/", "entries/b.md:4: /2024/")


def test_files_differing_only_in_unicode_normalisation_clash(journal, tmp_path: Path) -> None:
    nfc, nfd = unicodedata.normalize("NFC", "café.txt"), unicodedata.normalize("NFD", "café.txt")
    root = journal({"entries/a.md": GOOD, f"static/{nfc}": "one", f"static/{nfd}": "two"})
    result = guarded_build(tmp_path, root)
    assert_fails_with(result)
    assert any("would be written to" in p for p in problems(result)), result.err


@pytest.mark.parametrize("permalink, slug, taken", [
    ("/{slug}/", "topics", "/topics/"),
    ("/{slug}/", "Archive", "/Archive/"),
    ("/{slug}/", "page", "/page/"),
    ("/{slug}/", "static", "/static/"),
    ("/{slug}/", "kinds", "/kinds/"),
    ("/{slug}/", "library", "/library/"),
    ("/{slug}/", "help-wanted", "/help-wanted/"),
    ("/topics/{slug}/", "sql", "/topics/sql/"),
    ("/kinds/{slug}/", "til", "/kinds/til/"),
    ("/page/{slug}/", "2", "/page/2/"),
    ("/{slug}", "feed.xml", "/feed.xml"),
    ("/{slug}", "Atom.xml", "/Atom.xml"),
    ("/{slug}", "feed.json", "/feed.json"),
    ("/{slug}", "sitemap.xml", "/sitemap.xml"),
    ("/{slug}", "robots.txt", "/robots.txt"),
    ("/{slug}", "404.html", "/404.html"),
    ("/{slug}", "index.html", "/index.html"),
])
def test_an_entry_takes_a_page_publog_writes_and_publogs_own_is_left_out(permalink: str, slug: str, taken: str, journal,
                                                                         tmp_path: Path) -> None:
    # The author's content wins (issue 24): never two files at one place, never a silent overwrite.
    root = journal({
        "publog.yaml": f"permalink: {permalink}\nper_page: 1\n",
        "entries/a.md": entry("Claims a page", "2024-01-01", slug=slug),
        "entries/b.md": entry("Tagged", "2024-02-01", tags="[sql]", kind="til"),
        "entries/c.md": entry("Another", "2024-03-01"),
    })
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    assert result.code == 0, result.err
    assert all(p.startswith(f"entries/a.md:4: warning: {taken}") and "a page publog writes itself" in p
               for p in problems(result)), result.err
    file = root / "_site" / (taken.strip("/") + ("/index.html" if taken.endswith("/") else ""))
    assert "Claims a page" in file.read_text()


@pytest.mark.parametrize("files", [
    # Of one day: on different days the later one gets its date in its URL (test_import_urls.py).
    {"entries/Hello World.md": entry("One", "2024-01-01"), "entries/hello-world.md": entry("Two", "2024-01-01")},
    {"entries/2024-01-01-x.md": "---\ntitle: One\n---\n", "entries/x.md": entry("Two", "2024-01-01")},
    {"entries/Note.md": entry("One", "2024-01-01"), "entries/note.md": entry("Two", "2024-01-01")},
    {"entries/a.md": entry("One", "2024-01-01", slug="ABC"), "entries/b.md": entry("Two", "2024-02-01", slug="abc")},
], ids=["spaces and dashes", "name date and front matter date", "case of file names", "case of slugs"])
def test_two_entries_claiming_one_url_are_both_named(files: dict[str, str], journal, tmp_path: Path) -> None:
    root = journal(files)
    result = guarded_build(tmp_path, root)
    assert_fails_with(result)
    named = {p.split(":", 1)[0] for p in problems(result) if "is also the URL of" in p or "differ only in case" in p}
    assert named == set(files), result.err
    assert not (root / "_site").exists()


def test_files_differing_only_in_case_are_a_clash_not_a_silent_overwrite(journal, tmp_path: Path) -> None:
    root = journal({
        "entries/a.md": entry("Charts", "2024-01-01", body="![one](images/Chart.png) ![two](images/chart.png)"),
        "entries/images/Chart.png": b"one", "entries/images/chart.png": b"two",
        "static/Logo.svg": b"<svg/>", "static/logo.svg": b"<svg></svg>",
    })
    result = guarded_build(tmp_path, root)
    assert_fails_with(result)
    assert any("images/chart.png" in p.lower() and "would be written to" in p for p in problems(result)), result.err
    assert any("logo.svg" in p.lower() and "would be written to" in p for p in problems(result)), result.err


@pytest.mark.parametrize("files, expected", [
    ({"static/2024/good/index.html": "<p>mine</p>", "entries/good.md": GOOD}, "static/2024/good/index.html:1: "),
    ({"static/key.txt": "k", "entries/key.txt": "k", "entries/a.md": entry(body="[key](key.txt)")}, "entries/key.txt:1: "),
], ids=["static vs entry page", "static vs entry file"])  # vs a page of publog's own: test_import_urls.py
def test_a_static_file_clashing_with_a_page_is_named_by_its_journal_path(files, expected: str, journal, tmp_path: Path) -> None:
    root = journal(files)
    assert_fails_with(guarded_build(tmp_path, root), expected)


# --- symlinks ---------------------------------------------------------------------------------------

@pytest.fixture
def elsewhere(tmp_path: Path):
    """A folder outside the journal holding secrets: an entry, a key file, a folder of entries."""
    secret = token()
    where = tmp_path / "elsewhere"
    (where / "notes").mkdir(parents=True)
    (where / "private.md").write_text(f"---\ntitle: Private {secret}\ndate: 2024-01-01\n---\n{secret}\n")
    (where / "id_rsa").write_text(f"-----BEGIN KEY----- {secret}\n")
    (where / "notes/diary.md").write_text(f"---\ntitle: Diary {secret}\ndate: 2024-01-01\n---\n{secret}\n")
    return where, secret


def check_not_followed(root: Path, tmp_path: Path, secret: str, link: str) -> None:
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    if result.code == 1:
        assert any(p.startswith(f"{link}:") for p in problems(result)), result.err
    else:
        assert leaks(root / "_site", secret) == []


@pytest.mark.parametrize("link, target, files", [
    ("entries/private.md", "private.md", {}),
    ("entries/key.txt", "id_rsa", {"entries/a.md": entry(body="[my key](key.txt)")}),
    ("static/key.txt", "id_rsa", {}),
    ("theme/static/key.css", "id_rsa", {}),
], ids=["entry", "entry file", "static file", "theme static file"])
def test_a_file_symlinked_from_outside_the_journal_is_not_published(link: str, target: str, files, elsewhere, journal, tmp_path: Path) -> None:
    where, secret = elsewhere
    root = journal({"entries/good.md": GOOD, **files})
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(os.path.relpath(where / target, (root / link).parent), root / link)
    check_not_followed(root, tmp_path, secret, link)


@pytest.mark.parametrize("link", ["entries/notes", "static/notes", "entries/deeper/notes", "theme/static/notes"])
def test_a_folder_symlinked_from_outside_the_journal_is_not_followed(link: str, elsewhere, journal, tmp_path: Path) -> None:
    where, secret = elsewhere
    root = journal({"entries/good.md": GOOD, "entries/deeper/x.md": entry("X", "2024-02-01")})
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(where / "notes", root / link)
    check_not_followed(root, tmp_path, secret, link)


def test_a_symlink_loop_does_not_hang_the_build(journal, tmp_path: Path) -> None:
    root = journal({"entries/good.md": GOOD})
    os.symlink("..", root / "entries/loop")
    os.symlink("self.md", root / "entries/self.md")
    os.symlink("missing.md", root / "entries/dangling.md")
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    if result.code == 1:
        assert {p.split(":", 1)[0] for p in problems(result)} <= {"entries/self.md", "entries/dangling.md", "entries/loop"}


# --- where the output goes --------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["--out", "publog.yaml"])
def test_an_output_folder_inside_the_entries_folder_is_not_read_back(how: str, journal, tmp_path: Path) -> None:
    files = {"entries/a.md": entry("A", "2024-01-01", body="![c](c.svg)"), "entries/c.svg": "<svg/>",
             "static/notes.md": entry("Static notes", "2024-01-01")}
    if how == "publog.yaml":
        files["publog.yaml"] = "output: entries/_site\n"
    root = journal(files)
    out = root / "entries/_site"
    for _ in range(3):
        result = guarded_build(tmp_path, root, out=out) if how == "--out" else guarded_build(tmp_path, root, configured=out)
        assert result.code == 0, result.err
        assert result.out.startswith("1 entries"), result.out
    assert not (out / "_site").exists() and not any("_site" in k for k in snapshot(out))
    assert (out / "notes.md").is_file()  # a static file, copied, not read back as an entry


def test_an_output_folder_inside_a_journal_without_entries_folder(journal, tmp_path: Path) -> None:
    root = journal({"a.md": entry("A", "2024-01-01"), "notes/b.md": entry("B", "2024-02-01")})
    for out in (root / "public", root / "notes/site"):
        for _ in range(2):
            result = guarded_build(tmp_path, root, out=out)
            assert result.code == 0, result.err
            assert result.out.startswith("2 entries"), result.out


def test_an_output_folder_inside_static_is_not_copied_into_itself(journal, tmp_path: Path) -> None:
    root = journal({"entries/a.md": entry("A", "2024-01-01"), "static/favicon.ico": b"ico"})
    out = root / "static/site"
    for _ in range(3):
        result = guarded_build(tmp_path, root, out=out)
        assert_clear(result)
    assert not (out / "site").exists()


@pytest.mark.parametrize("out", [".", "entries/..", "entries", "..", "entries/../.."])
def test_an_output_folder_holding_the_journal_or_its_entries_is_refused(out: str, journal, tmp_path: Path) -> None:
    root = journal({"entries/a.md": GOOD})
    result = guarded_build(tmp_path, root, out=root / out)
    assert_fails_with(result)
    assert "would contain the journal itself" in result.err or "has no .publog marker" in result.err


@pytest.mark.parametrize("value", [".", "''", "entries/.."])
def test_an_output_setting_holding_the_journal_names_publog_yaml(value: str, journal, tmp_path: Path) -> None:
    root = journal({"publog.yaml": f"title: x\noutput: {value}\n", "entries/a.md": GOOD})
    before = snapshot(root)
    assert_fails_with(build("build", root), "publog.yaml:2: ")
    assert snapshot(root) == before


@pytest.mark.parametrize("value", ["{where}", "../elsewhere"])
def test_a_theme_outside_the_journal_is_refused(value: str, elsewhere, journal, tmp_path: Path) -> None:
    where, secret = elsewhere
    (where / "static").mkdir()
    (where / "static/leak.txt").write_text(secret)
    root = journal({"publog.yaml": f"theme: {value.format(where=where)}\n", "entries/a.md": GOOD})
    result = guarded_build(tmp_path, root)
    assert_fails_with(result, "publog.yaml:1: 'theme'")


def test_a_folder_of_the_site_replaced_by_a_link_is_not_read_through(journal, publog, tmp_path: Path) -> None:
    """The next build never takes what is below such a link for the site's own files: a file planted there
    with the size and time of the page it replaces is not published, and nothing there is linked into the site."""
    root = journal({"publog.yaml": "title: L\nbase_url: https://example.org/\nsearch: false\n",
                    **{f"entries/2024-05-0{n}-n{n}.md": entry(f"N{n}", f"2024-05-0{n}", body=f"Text {n}.") for n in (1, 2, 3)}})
    assert publog("build", root, "--no-daemon").code == 0
    site, elsewhere = root / "_site", tmp_path / "elsewhere"
    (site / "2024").rename(elsewhere)
    (site / "2024").symlink_to(elsewhere)
    page = elsewhere / "n3/index.html"  # a page the edit below leaves as it is
    kept = page.stat()
    planted = page.read_bytes().replace(b"Text 3.", b"PLANTED")
    page.write_bytes(planted)
    os.utime(page, ns=(kept.st_atime_ns, kept.st_mtime_ns))  # as the manifest has it
    (root / "entries/2024-05-01-n1.md").write_text(entry("N1", "2024-05-01", body="Text 1, edited."))
    assert publog("build", root, "--no-daemon").code == 0
    assert not (site / "2024").is_symlink()
    shown = (site / "2024/n3/index.html").read_bytes()
    assert b"Text 3." in shown and b"PLANTED" not in shown
    outside = {p.stat().st_ino for p in elsewhere.rglob("*") if p.is_file()}
    assert not outside & {p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    assert page.read_bytes() == planted  # left as it was
