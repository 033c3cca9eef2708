"""Hostile journals, YAML (issue 8): front matter and publog.yaml that are broken, odd or malicious.

Syntax errors at a known line, tabs, duplicate keys, front matter that is no mapping, alias bombs,
custom and Python tags (which must never run), and a value of the wrong type for every known key.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import entry, snapshot
from hostile_support import assert_clear, assert_fails_with, build, cli, guarded_build, problems, site_bytes

GOOD = entry("Good one", "2024-01-01")


def check_bad_entry(journal, tmp_path: Path, text: str | bytes, *expected: str) -> list[str]:
    """A journal that built, then gets entries/bad.md: the problems are reported, the site stays."""
    root = journal({"entries/good.md": GOOD})
    assert build("build", root).code == 0
    before = snapshot(root / "_site")
    (root / "entries/bad.md").write_bytes(text if isinstance(text, bytes) else text.encode())
    result = guarded_build(tmp_path, root)
    assert_fails_with(result, *expected)
    assert snapshot(root / "_site") == before
    return [p for p in problems(result) if p.startswith("entries/bad.md:")]


SYNTAX = {
    "unclosed flow list": ("---\ntitle: x\ndate: 2024-01-01\ntags: [a, b]]\n---\n", "entries/bad.md:4: invalid YAML"),
    "colon in a plain value": ("---\ntitle: x\ndate: 2024-01-01\nsummary: Note: read it\n---\n",
                               "entries/bad.md:4: invalid YAML: mapping values are not allowed in this context; put a value that contains ': ' in quotes"),
    "key indented under another": ("---\ntitle: x\n  date: 2024-01-01\n---\n", "entries/bad.md:3: invalid YAML"),
    "list item among keys": ("---\ntitle: x\ndate: 2024-01-01\n- item\n---\n", "entries/bad.md:4: invalid YAML"),
    "a character that starts no token": ("---\ntitle: x\n\n\n@handle: me\n---\n", "entries/bad.md:5: invalid YAML: found character that cannot start any token"),
    "backquoted value": ("---\ntitle: x\ndate: 2024-01-01\ncmd: `ls`\n---\n", "entries/bad.md:4: invalid YAML"),
    "block scalar dedented": ("---\ntitle: x\nnote: |\n  block\n bad\n---\n", "entries/bad.md:5: invalid YAML"),
    "YAML directive": ("---\n%YAML 1.1\n---\ntitle: x\n---\n", "entries/bad.md:3: invalid YAML"),
    "invalid escape": ('---\ntitle: "a\\qb"\n---\n', "entries/bad.md:2: invalid YAML"),
    "invalid unicode escape": ('---\ntitle: "a\\ud800b"\n---\n', "entries/bad.md:2: invalid YAML"),
    "unhashable key": ("---\ntitle: x\n? [a, b]\n: complex\n---\n", "entries/bad.md:3: invalid YAML: found unhashable key"),
}


@pytest.mark.parametrize("case", sorted(SYNTAX))
def test_a_yaml_syntax_error_is_reported_at_its_line(case: str, journal, tmp_path: Path) -> None:
    text, expected = SYNTAX[case]
    check_bad_entry(journal, tmp_path, text, expected)


def test_an_unterminated_quote_is_reported_where_it_opens(journal, tmp_path: Path) -> None:
    text = '---\ntitle: "Joins, unions\ndate: 2024-01-01\ntags: [sql]\nkind: til\nsummary: fine\n---\nText\n'
    check_bad_entry(journal, tmp_path, text, "entries/bad.md:2: invalid YAML")


TABS = {
    "tab before a key": ("---\ntitle: x\n\tdate: 2024-01-01\n---\n", "entries/bad.md:3: invalid YAML"),
    "tab indenting a list": ("---\ntitle: x\ntags:\n\t- a\n---\n", "entries/bad.md:4: invalid YAML"),
    "tab in a nested mapping": ("---\ntitle: x\nmeta:\n  a: 1\n\tb: 2\n---\n", "entries/bad.md:5: invalid YAML"),
}


@pytest.mark.parametrize("case", sorted(TABS))
def test_tab_indentation_is_reported_with_a_hint(case: str, journal, tmp_path: Path) -> None:
    text, expected = TABS[case]
    found = check_bad_entry(journal, tmp_path, text, expected)
    assert any("spaces, not tabs" in p for p in found), found


def test_a_tab_after_a_colon_is_plain_whitespace(journal, tmp_path: Path) -> None:
    root = journal({"entries/a.md": "---\ntitle:\tTabbed\ndate: 2024-01-01\n---\nText\n"})
    result = guarded_build(tmp_path, root)
    assert result.code == 0, result.err
    assert ">Tabbed<" in (root / "_site/index.html").read_text()


@pytest.mark.parametrize("text, expected", [
    ("---\ntitle: x\ndate: 2024-01-01\ntitle: y\n---\n", "entries/bad.md:4: 'title' is given twice (first on line 2); keep one"),
    ('---\ntitle: x\n"title": y\n---\n', "entries/bad.md:3: 'title' is given twice (first on line 2)"),
    ("---\ntitle: x\nmeta: {a: 1, a: 2}\n---\n", "entries/bad.md:3: 'a' is given twice (first on line 3)"),
    ("---\ntitle: x\nmeta:\n  a: 1\n  b: 2\n  a: 3\n---\n", "entries/bad.md:6: 'a' is given twice (first on line 4)"),
    ("---\ntitle: x\ntags: [a]\ndate: 2024-01-01\ntags: [b]\n---\n", "entries/bad.md:5: 'tags' is given twice (first on line 3)"),
], ids=["top level", "quoted key", "flow mapping", "nested mapping", "tags"])
def test_duplicate_keys_are_reported_not_silently_collapsed(text: str, expected: str, journal, tmp_path: Path) -> None:
    check_bad_entry(journal, tmp_path, text, expected)


@pytest.mark.parametrize("text, expected", [
    ("---\n- one\n- two\n---\nText\n", "entries/bad.md:2: front matter must be 'key: value' lines, not a list"),
    ("---\njust words\n---\nText\n", "entries/bad.md:2: front matter must be 'key: value' lines, not a single value"),
    ("---\n42\n---\nText\n", "entries/bad.md:2: front matter must be 'key: value' lines, not a single value"),
    ("---\n'quoted: text'\n---\nText\n", "entries/bad.md:2: front matter must be 'key: value' lines, not a single value"),
], ids=["list", "words", "number", "quoted"])
def test_front_matter_that_is_no_mapping(text: str, expected: str, journal, tmp_path: Path) -> None:
    check_bad_entry(journal, tmp_path, text, expected)


BILLION_LAUGHS = "\n".join(
    ['lol0: &a0 "lol"'] + [f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
)


@pytest.mark.parametrize("text, expected", [
    (f"---\ntitle: x\n{BILLION_LAUGHS}\n---\n", "entries/bad.md:4: YAML aliases (*name) are not allowed"),
    ("---\ntitle: x\nbase: &b {slug: other}\n<<: *b\n---\n", "entries/bad.md:4: YAML aliases (*name) are not allowed"),
    ("---\ntitle: &t x\nsummary: *t\n---\n", "entries/bad.md:3: YAML aliases (*name) are not allowed"),
    ("---\ntitle: x\nself: &s [1, *s]\n---\n", "entries/bad.md:3: "),
], ids=["billion laughs", "merge key", "scalar alias", "recursive alias"])
def test_alias_bombs_are_refused_quickly(text: str, expected: str, journal, tmp_path: Path) -> None:
    started = time.perf_counter()
    check_bad_entry(journal, tmp_path, text, expected)
    assert time.perf_counter() - started < 10


def test_an_alias_bomb_in_publog_yaml_is_refused(journal, tmp_path: Path) -> None:
    root = journal({"publog.yaml": f"title: x\n{BILLION_LAUGHS}\n", "entries/a.md": GOOD})
    assert_fails_with(guarded_build(tmp_path, root), "publog.yaml:3: YAML aliases (*name) are not allowed")
    assert not (root / "_site").exists()


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system ['touch {mark}']",
    "!!python/object/new:subprocess.Popen [['touch', '{mark}']]",
    "!!python/object/apply:subprocess.check_call [['touch', '{mark}']]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object:argparse.Namespace {{a: 1}}",
    "!!python/tuple [1, 2]",
    "!local-tag value",
    "!<tag:example.org,2024:thing> value",
], ids=lambda t: t.split(" ")[0])
def test_custom_and_python_tags_never_run(tag: str, journal, tmp_path: Path) -> None:
    mark = tmp_path / "pwned"
    value = tag.format(mark=mark)
    found = check_bad_entry(journal, tmp_path, f"---\ntitle: x\ndate: 2024-01-01\nextra: {value}\n---\nText\n",
                            "entries/bad.md:4: invalid YAML: could not determine a constructor")
    assert any("remove the '!' tag" in p for p in found), found
    assert not mark.exists()


def test_python_tags_in_publog_yaml_never_run(journal, tmp_path: Path) -> None:
    mark = tmp_path / "pwned"
    root = journal({"publog.yaml": f"title: !!python/object/apply:os.system ['touch {mark}']\n", "entries/a.md": GOOD})
    assert_fails_with(guarded_build(tmp_path, root), "publog.yaml:1: invalid YAML: could not determine a constructor")
    assert not mark.exists()


NOT_A_DATE = "is not a date; write it as"
# key -> [(YAML value, the message after 'entries/bad.md:3: ')]
WRONG_TYPES = {
    "date": [("[2024]", f"'date': [2024] {NOT_A_DATE}"), ("{y: 2024}", f"'date': {{'y': 2024}} {NOT_A_DATE}"),
             ("true", f"'date': True {NOT_A_DATE}"), ("20240501.5", f"'date': 20240501.5 {NOT_A_DATE}"),
             ("!!binary aGk=", f"'date': b'hi' {NOT_A_DATE}")],
    "updated": [("[2024]", f"'updated': [2024] {NOT_A_DATE}"), ("false", f"'updated': False {NOT_A_DATE}"),
                ("12", f"'updated': 12 {NOT_A_DATE}")],
    "tags": [("{a: 1}", "'tags' must be a list such as [python, sql], not {'a': 1}"),
             ("true", "'tags' must be a list such as [python, sql], not True"),
             ("5", "'tags' must be a list such as [python, sql], not 5"),
             ("[[a, b]]", "'tags' must be a list such as [python, sql], not [['a', 'b']]"),
             ("[{a: 1}]", "'tags' must be a list such as [python, sql], not [{'a': 1}]"),
             ("[yes, sql]", "'tags' must be a list such as [python, sql], not [True, 'sql']"),
             ("!!set {a, b}", "'tags' must be a list such as [python, sql], not")],
    "kind": [("[til]", "'kind' must be text, not ['til']"), ("{a: 1}", "'kind' must be text, not {'a': 1}"),
             ("true", "'kind' must be text, not True"), ("12", "unknown kind '12'")],
    "summary": [("[a]", "'summary' must be text, not ['a']"), ("{a: 1}", "'summary' must be text, not {'a': 1}"),
                ("no", "'summary' must be text, not False")],
    "draft": [("maybe", "'draft' must be true or false, not 'maybe'"), ("'true'", "'draft' must be true or false, not 'true'"),
              ("1", "'draft' must be true or false, not 1"), ("[true]", "'draft' must be true or false, not [True]"),
              ("~", "'draft' must be true or false, not None"), ("{a: 1}", "'draft' must be true or false, not {'a': 1}")],
    "slug": [("[a]", "'slug' must be text, not ['a']"), ("{a: 1}", "'slug' must be text, not {'a': 1}"),
             ("true", "'slug' must be text, not True")],
    "id": [("[a]", "'id' must be text, not ['a']"), ("{a: 1}", "'id' must be text, not {'a': 1}"),
           ("true", "'id' must be text, not True")],
}
WRONG = [(key, value, message) for key, cases in WRONG_TYPES.items() for value, message in cases]


@pytest.mark.parametrize("key, value, message", WRONG, ids=[f"{k}={v}" for k, v, _ in WRONG])
def test_a_value_of_the_wrong_type_names_its_key_and_line(key: str, value: str, message: str, journal, tmp_path: Path) -> None:
    text = f"---\ntitle: T\n{key}: {value}\n---\nText\n"
    found = check_bad_entry(journal, tmp_path, text, f"entries/bad.md:3: {message}")
    assert len(found) == 1, found


def test_an_empty_slug_is_no_slug(journal, tmp_path: Path) -> None:
    # Issue 24: Pelican and Hugo discard an empty slug, as if none were given; so does publog.
    root = journal({"entries/bad.md": "---\ntitle: Window functions\ndate: 2024-01-01\nslug: ''\n---\nText\n"})
    result = guarded_build(tmp_path, root)
    assert result.code == 0, result.err
    assert (root / "_site/2024/bad/index.html").is_file()  # the file's name, as with no slug at all


@pytest.mark.parametrize("value, message", [
    ("[a, b]", "'title' must be text, not ['a', 'b']"),
    ("{a: 1}", "'title' must be text, not {'a': 1}"),
    ("true", "'title' must be text, not True"),
])
def test_a_title_of_the_wrong_type_names_its_line(value: str, message: str, journal, tmp_path: Path) -> None:
    check_bad_entry(journal, tmp_path, f"---\ntitle: {value}\ndate: 2024-01-01\n---\nText\n", f"entries/bad.md:2: {message}")


def test_a_title_of_the_wrong_type_is_one_problem(journal, tmp_path: Path) -> None:
    found = check_bad_entry(journal, tmp_path, "---\ntitle: [a, b]\ndate: 2024-01-01\n---\nText\n",
                            "entries/bad.md:2: 'title' must be text")
    assert found == ["entries/bad.md:2: 'title' must be text, not ['a', 'b']; put it in quotes"]


@pytest.mark.parametrize("key, value, shown", [
    ("title", "3.10", "3.10"),
    ("slug", "010", "/2024/010/"),
    ("id", "0x1F", "<id>0x1F</id>"),
    ("tags", "[3.10]", "/topics/3-10/"),
], ids=["title", "slug", "id", "tags"])
def test_numbers_in_text_fields_are_kept_as_written_or_refused(key: str, value: str, shown: str, journal, tmp_path: Path) -> None:
    meta = {"title": "Python", key: value} if key != "title" else {"title": value}
    root = journal({"entries/a.md": "---\n" + "".join(f"{k}: {v}\n" for k, v in meta.items()) + "date: 2024-01-01\n---\nText\n"})
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    if result.code == 1:
        line = list(meta).index(key) + 2
        assert any(p.startswith(f"entries/a.md:{line}: ") for p in problems(result)), result.err
    else:
        site = b"".join(site_bytes(root / "_site").values()).decode("utf-8", "replace")
        assert shown in site, f"{key}: {value} is not shown as written ({shown!r} is nowhere in the site)"


@pytest.mark.parametrize("raw, line", [
    (b"---\ntitle: x\ndate: 2024-01-01\nsummary: bell \x07 here\n---\nText\n", 4),
    (b"---\ntitle: x\ndate: 2024-01-01\ntags: [a]\nnote: esc \x1b[31m red\n---\nText\n", 5),
], ids=["BEL", "ESC"])
def test_a_control_character_in_front_matter_is_one_warning_at_its_line(raw: bytes, line: int, journal, tmp_path: Path) -> None:
    """Hugo passes them through; publog leaves them out, as no feed can carry them, and says so (issue 24)."""
    root = journal({"entries/bad.md": raw})
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    assert result.code == 0, result.err
    found = [p for p in problems(result) if p.startswith(f"entries/bad.md:{line}: warning: ")]
    assert len(found) == 1 and "invisible control character" in found[0], result.err
    site = b"".join(data for name, data in site_bytes(root / "_site").items() if name.endswith((".html", ".xml", ".json")))
    assert b"\x07" not in site and b"\x1b" not in site


def test_front_matter_of_null_is_no_properties(journal, tmp_path: Path) -> None:
    root = journal({"entries/bad.md": "---\n~\n---\nNo heading\n"})
    result = guarded_build(tmp_path, root)
    assert result.code == 0, result.err
    assert "entries/bad.md:1: warning: the title is missing, so publog used the file name 'bad'" in result.err


def _nested(depth: int, kind: str) -> str:
    return "[" * depth + "]" * depth if kind == "list" else "{a: " * depth + "1" + "}" * depth


@pytest.mark.parametrize("depth, kind", [(1_000, "mapping"), (100_000, "list")], ids=["1k-mapping", "100k-list"])
def test_deeply_nested_front_matter_is_refused_not_a_crash(depth: int, kind: str, journal) -> None:
    """In a new process: 100,000 levels used to segfault PyYAML's C loader, 1,000 to overflow the stack."""
    root = journal({"entries/good.md": GOOD,
                    "entries/bad.md": f"---\ntitle: Deep\ndate: 2024-01-01\nx: {_nested(depth, kind)}\n---\nText\n"})
    result = cli("build", root, timeout=60)
    assert_clear(result)
    assert result.code == 1
    assert [p for p in problems(result)] and all(p.startswith("entries/bad.md:4: ") for p in problems(result)), result.err
    assert not (root / "_site").exists()


def test_moderately_nested_front_matter_builds(journal, tmp_path: Path) -> None:
    root = journal({"entries/a.md": f"---\ntitle: Nested\ndate: 2024-01-01\nx: {_nested(20, 'mapping')}\ny: {_nested(20, 'list')}\n---\nText\n"})
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    assert result.code == 0, result.err


def test_yaml_oddities_that_are_valid_build(journal, tmp_path: Path) -> None:
    """Anchors without aliases, merge keys, explicit standard tags, binary and set values in extra keys."""
    root = journal({
        "entries/a.md": "---\ntitle: !!str Anchored\ndate: &d 2024-01-01\n---\nText\n",
        "entries/b.md": "---\ntitle: Merged\ndate: 2024-01-02\n<<: {summary: From a merge key}\n---\nText\n",
        "entries/c.md": "---\ntitle: Odd extras\ndate: 2024-01-03\nblob: !!binary aGVsbG8=\nset: !!set {a, b}\nbig: 123456789012345678901234567890\nnan: .nan\n1: numeric key\n~: null key\n---\nText\n",
        "entries/d.md": "---\ntitle: Document end\ndate: 2024-01-04\n...\nText\n",
    })
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    assert result.code == 0, result.err
    home = (root / "_site/index.html").read_text()
    for title in ("Anchored", "Merged", "Odd extras", "Document end"):
        assert f">{title}<" in home
    # the build is cached; a second build reads the cache and gives the same site
    before = snapshot(root / "_site")
    assert guarded_build(tmp_path, root).code == 0
    assert snapshot(root / "_site") == before


CONFIG_WRONG = {
    "title: [1]": "publog.yaml:1: 'title' must be text, not [1]",
    "description: {a: 1}": "publog.yaml:1: 'description' must be text",
    "author: 5": "publog.yaml:1: 'author' must be a name, or a mapping",
    "author: {name: [x]}": "publog.yaml:1: 'author.name' must be text",
    "base_url: ftp://example.org/": "publog.yaml:1: 'base_url' must be an absolute http(s) URL",
    "base_url: 'https://exa mple.org/'": "publog.yaml:1: 'base_url' must be an absolute http(s) URL",
    "language: [en]": "publog.yaml:1: 'language' must be text",
    "timezone: 5": "publog.yaml:1: 'timezone' must be a timezone name",
    "timezone: ../../etc/passwd": "publog.yaml:1: 'timezone' must be a timezone name",
    "entries: /etc": "publog.yaml:1: 'entries' must be a folder inside the journal",
    "entries: ../elsewhere": "publog.yaml:1: 'entries' must be a folder inside the journal",
    "output: [a]": "publog.yaml:1: 'output' must be text",
    "permalink: /{year}/": "publog.yaml:1: 'permalink' must be a pattern",
    "permalink: /{year}/../{slug}/": "publog.yaml:1: 'permalink' must be a pattern",
    "permalink: '/{slug}\\x/'": "publog.yaml:1: 'permalink' must be a pattern",
    "permalink: /{slug}/{nope}/": "publog.yaml:1: 'permalink' must be a pattern",
    "permalink: '{slug}/'": "publog.yaml:1: 'permalink' must be a pattern",
    "per_page: 0": "publog.yaml:1: 'per_page' must be a whole number above 0",
    "per_page: true": "publog.yaml:1: 'per_page' must be a whole number above 0",
    "feed_items: -1": "publog.yaml:1: 'feed_items' must be a whole number above 0",
    "theme: [a]": "publog.yaml:1: 'theme' must be text",
    "topics: [a]": "publog.yaml:1: 'topics' maps a topic",
    "kinds: x": "publog.yaml:1: 'kinds' maps a kind",
    "- a list": "publog.yaml:1: publog.yaml must be a mapping",
    "\ttitle: x": "publog.yaml:1: invalid YAML",
    "title: x\ntitle: y": "publog.yaml:2: 'title' is given twice (first on line 1)",
}


@pytest.mark.parametrize("text", sorted(CONFIG_WRONG))
def test_every_bad_setting_names_its_key_and_line(text: str, journal, tmp_path: Path) -> None:
    root = journal({"publog.yaml": (text + "\n").encode(), "entries/a.md": GOOD})  # bytes: not dedented
    assert_fails_with(guarded_build(tmp_path, root), CONFIG_WRONG[text])
    assert not (root / "_site").exists()
