"""Hostile journals, privacy (issue 23): secrets and never-publish terms wherever a build publishes text.

Each test hides a random token in a secret or a never-publish term somewhere a build publishes
(code after %%, network.yaml, publog.yaml, commit subjects, file names, UTF-16 files, image
metadata, data: URIs), builds through the CLI and asserts that the build fails naming the source
with its line, or that the token is not in the site.
"""

from __future__ import annotations

import base64
import io
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from conftest import entry
from hostile_support import assert_clear, assert_fails_with, guarded_build, leaks, problems, token

XMP_GPS = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="52,31.2N" '
    'exif:GPSLongitude="13,24.0E"/></rdf:RDF></x:xmpmeta>'
)


def stripe(word: str) -> str:
    """A live Stripe key holding ``word``: what the secret detectors report."""
    return "sk_live_" + (word + "Xy7Kq2Lm9Pw4Rt6Zb3Nc8VdQ")[:24]


def built(tmp_path: Path, journal, files: dict[str, str | bytes], *args: str):
    root = journal(files)
    return root, guarded_build(tmp_path, root, *args)


def terms(*items: str) -> str:
    return "privacy:\n  never_publish: [" + ", ".join(items) + "]\n"


# --- 1. %% inside code is code, not a comment ------------------------------------------------------

@pytest.mark.parametrize("body, line", [
    ("```python\n%%time\nclient = Client('{key}')\n```\n", 7),
    ("~~~\n%%timeit\n~~~\n\nThe key: {key}\n", 9),
    ("Some text.\n\n    %%time\n    client = Client('{key}')\n", 8),
    ("Run `%%time` in a notebook.\n\nThe key: {key}\n", 7),
    ("Run `%%` in code.\n\n%% a real comment %%\n\nThe key: {key}\n", 9),
], ids=["fenced", "tilde-fenced", "indented", "inline-code", "code-then-comment"])
def test_a_secret_after_percent_percent_in_code_is_found(tmp_path: Path, journal, body: str, line: int) -> None:
    word = token()
    root, run = built(tmp_path, journal, {"entries/a.md": entry("A", body=body.replace("{key}", stripe(word)))})
    assert_fails_with(run, f"entries/a.md:{line}: would publish a Stripe secret key")
    assert leaks(root / "_site", word) == []


def test_a_secret_inside_a_real_comment_is_still_private(tmp_path: Path, journal) -> None:
    word = token()
    root, run = built(tmp_path, journal, {"entries/a.md": entry("A", body=f"Text %% {stripe(word)} %% more.\n")})
    assert_clear(run)
    assert run.code == 0, run.err
    assert leaks(root / "_site", word) == []


# --- 2. everything a build publishes -------------------------------------------------------------

def test_network_yaml_is_checked_for_secrets_and_terms(tmp_path: Path, journal) -> None:
    word, client = token(), token()
    root, run = built(tmp_path, journal, {
        "publog.yaml": terms(client),
        "entries/a.md": entry("A"),
        "network.yaml": f"- name: Ada\n  why: Her key is {stripe(word)}\n- name: Bob\n  why: Met at {client}\n",
    })
    assert_fails_with(run, "network.yaml:2: would publish a Stripe secret key",
                      f"network.yaml:4: would publish the never-publish term '{client}'")
    assert leaks(root / "_site", word, client) == []


@pytest.mark.parametrize("setting, line", [
    ("title: Notes {x}", 3),
    ("description: |\n  What I learn.\n  At {x}.", 5),
    ("author: {{name: Me, url: 'https://example.org/{x}'}}", 3),
    ("topics:\n  sql: {{name: SQL, description: 'Learned at {x}'}}", 4),
    ("kinds:\n  til: {{label: TIL, description: 'Short notes from {x}'}}", 4),
], ids=["title", "description", "author", "topic", "kind"])
def test_publog_yaml_texts_are_checked(tmp_path: Path, journal, setting: str, line: int) -> None:
    word, client = token(), token()
    for secret, what in ((stripe(word), "a Stripe secret key"), (client, f"the never-publish term '{client}'")):
        root, run = built(tmp_path, journal, {
            "publog.yaml": terms(client) + setting.format(x=secret) + "\n",
            "entries/a.md": entry("A", tags="[sql]", kind="til"),
        })
        assert_fails_with(run, f"publog.yaml:{line}: would publish {what}")
        assert leaks(root / "_site", word, client) == []


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "M", "GIT_AUTHOR_EMAIL": "m@example.org", "GIT_COMMITTER_NAME": "M",
           "GIT_COMMITTER_EMAIL": "m@example.org"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_commit_subjects_of_private_entries_are_left_out_and_the_rest_are_checked(tmp_path: Path, journal) -> None:
    title, touched, word = token(), token(), token()
    root = journal({"entries/a.md": entry("A", history="true", body="First.")})
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "Plant the notes")
    (root / "entries/a.md").write_text(entry("A", history="true", body="Second."))
    (root / "entries/p.md").write_text(entry(f"Plans for {title}", private="true"))
    (root / "entries/d.md").write_text(entry("Draft", draft="true"))
    git(root, "add", ".")
    git(root, "commit", "-qm", f"Tend {touched} with the plans")
    (root / "entries/a.md").write_text(entry("A", history="true", body="Third."))
    git(root, "commit", "-qam", f"Link a to Plans for {title}")
    (root / "entries/a.md").write_text(entry("A", history="true", body="Fourth."))
    (root / "entries/d.md").write_text(entry("Draft", draft="true", body="More."))
    git(root, "commit", "-qam", f"Draft {touched} and a")
    run = guarded_build(tmp_path, root)
    assert run.code == 0, run.err
    assert leaks(root / "_site", title, touched) == []
    assert "Plant the notes" in (root / "_site/2024/a/index.html").read_text()

    (root / "entries/a.md").write_text(entry("A", history="true", body="Fifth."))
    git(root, "commit", "-qam", f"Rotate {stripe(word)}")
    run = guarded_build(tmp_path, root)
    assert_fails_with(run, "entries/a.md:4: the message of commit ")
    assert "a Stripe secret key" in run.err and word not in run.err
    assert leaks(root / "_site", word) == []


@pytest.mark.parametrize("name", [
    "static/{x}/notes.txt", "static/{x}.txt", "entries/{x}.png",
])
def test_file_and_folder_names_are_checked(tmp_path: Path, journal, name: str) -> None:
    client = token()
    files: dict[str, str | bytes] = {"publog.yaml": terms(client), "entries/a.md": entry("A")}
    if name.startswith("entries/"):
        # the link spells the name's first letters as escapes, so the entry's text never holds the term
        files["entries/a.md"] = entry("A", body=f"![diagram](%7A%71{client[2:]}.png)")
        files[name.format(x=client)] = _png()
    else:
        files[name.format(x=client)] = "plain text\n"
    root, run = built(tmp_path, journal, files)
    assert_fails_with(run)
    # an asset's name is in the page that shows it, which may be checked first
    sources = [name.format(x=client)] + (["entries/a.md"] if name.startswith("entries/") else [])
    assert any(p.startswith(f"{s}:1: the built site would publish the never-publish term") for p in problems(run)
               for s in sources), run.err
    assert leaks(root / "_site", client) == []


def test_a_secret_in_a_file_name_is_found(tmp_path: Path, journal) -> None:
    word = token()
    root, run = built(tmp_path, journal, {"entries/a.md": entry("A"), f"static/{stripe(word)}.txt": "hello\n"})
    assert_fails_with(run, "static/")
    assert "a Stripe secret key" in run.err
    assert leaks(root / "_site", word) == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-8-sig"])
def test_text_files_in_any_unicode_encoding_are_scanned(tmp_path: Path, journal, encoding: str) -> None:
    word, client = token(), token()
    text = f"line one\nclient: {client}\nkey = '{stripe(word)}'\n"
    root, run = built(tmp_path, journal, {"publog.yaml": terms(client), "entries/a.md": entry("A"),
                                          "static/notes.txt": text.encode(encoding)})
    assert_fails_with(run, f"static/notes.txt:2: the built site would publish the never-publish term '{client}'",
                      "static/notes.txt:3: the built site would publish a Stripe secret key")
    assert leaks(root / "_site", word, client) == []


# --- image metadata ---------------------------------------------------------------------------------

def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 10, 10)).save(out, "PNG")
    return out.getvalue()


def _gif(comment: bytes = b"", xmp: bytes = b"") -> bytes:
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, "GIF")
    data = out.getvalue()
    extra = b""
    if comment:
        extra += b"\x21\xfe" + bytes([len(comment)]) + comment + b"\x00"
    if xmp:
        extra += b"\x21\xff\x0bXMP DataXMP" + xmp + b"\x01" + bytes(range(255, -1, -1)) + b"\x00"
    return data[:-1] + extra + b";"


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 0.0)})
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 10)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_gif_comments_and_xmp_are_stripped(tmp_path: Path, journal) -> None:
    word = token()
    root, run = built(tmp_path, journal, {
        "entries/a.md": entry("A"),
        "static/a.gif": _gif(comment=f"made at {word}".encode()),
        "static/b.gif": _gif(xmp=(XMP_GPS + f"<!-- {word} -->").encode()),
    })
    assert run.code == 0, run.err
    assert leaks(root / "_site", word, "GPSLatitude") == []
    for name in ("a.gif", "b.gif"):
        Image.open(root / "_site" / name).load()  # still an image


def test_svg_metadata_and_comments_lose_their_location(tmp_path: Path, journal) -> None:
    word = token()
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg"><!-- drawn at {word} --><metadata>{XMP_GPS}</metadata>'
           '<rect width="4" height="4"/></svg>')
    root, run = built(tmp_path, journal, {"entries/a.md": entry("A"), "static/a.svg": svg})
    assert run.code == 0, run.err
    assert leaks(root / "_site", word, "GPSLatitude") == []
    assert "<rect" in (root / "_site/a.svg").read_text()


def test_never_publish_terms_in_svg_text_are_caught(tmp_path: Path, journal) -> None:
    client = token()
    svg = f'<svg xmlns="http://www.w3.org/2000/svg">\n<text>{client}</text>\n</svg>'
    root, run = built(tmp_path, journal, {"publog.yaml": terms(client), "entries/a.md": entry("A"),
                                          "static/a.svg": svg.encode("utf-16")})
    assert_fails_with(run, f"static/a.svg:2: the built site would publish the never-publish term '{client}'")
    assert leaks(root / "_site", client) == []


def test_an_image_in_a_data_uri_is_checked_like_any_image(tmp_path: Path, journal) -> None:
    uri = "data:image/jpeg;base64," + base64.b64encode(_jpeg_with_gps()).decode()
    root, run = built(tmp_path, journal, {"entries/a.md": entry("A", body=f"Text.\n\n![photo]({uri})\n")})
    assert_fails_with(run, "entries/a.md:7: the built site would publish GPS location metadata")
    assert not (root / "_site").exists()


def test_text_in_a_data_uri_is_checked(tmp_path: Path, journal) -> None:
    client = token()
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><text>{client}</text></svg>'
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    root, run = built(tmp_path, journal, {"publog.yaml": terms(client), "static/style.css": f"a {{ background: url({uri}) }}\n",
                                          "entries/a.md": entry("A")})
    assert_fails_with(run, f"static/style.css:1: the built site would publish the never-publish term '{client}'")
    assert leaks(root / "_site", client) == []


# --- 3. the output scan names the source ---------------------------------------------------------

def test_the_output_scan_names_the_static_file_and_line(tmp_path: Path, journal) -> None:
    client, word = token(), token()
    root, run = built(tmp_path, journal, {
        "publog.yaml": terms(client), "entries/a.md": entry("A"),
        "static/docs/notes.html": f"<p>one</p>\n<p>two</p>\n<p>{client}</p>\n<p>{stripe(word)}</p>\n",
    })
    assert_fails_with(run, f"static/docs/notes.html:3: the built site would publish the never-publish term '{client}'",
                      "static/docs/notes.html:4: the built site would publish a Stripe secret key")
    assert all("docs/notes.html" in p for p in problems(run))
    assert leaks(root / "_site", client, word) == []


def test_the_output_scan_names_the_private_entry_a_passage_comes_from(tmp_path: Path, journal) -> None:
    passage = "the quarterly numbers of the unannounced product line look much worse than anyone expected"
    root, run = built(tmp_path, journal, {
        "entries/p.md": entry("Private", private="true", body=passage.capitalize() + "."),
        "static/copy.txt": f"Copied: {passage}\n",
        "entries/a.md": entry("A"),
    })
    assert_fails_with(run, "static/copy.txt:1: the built site would publish a private passage of entries/p.md")


def test_the_detectors_load_without_the_network_library_and_still_find_every_kind() -> None:
    """detect-secrets imports requests for the verify() publog never calls; the detectors load without it (it
    took most of their loading in every process that scans), find what they found with it, and whatever
    imports requests afterwards gets requests itself."""
    import sys

    code = (
        "import sys\n"
        "from publog.privacy import secrets\n"
        "found = secrets.find_secrets(sys.stdin.read())\n"
        "assert 'requests' not in sys.modules and 'urllib3' not in sys.modules, sorted(sys.modules)\n"
        "import requests\n"
        "assert callable(requests.get) and type(requests).__name__ == 'module'\n"
        "print(sorted({leak.what for leak in found}))\n"
    )
    mixed = base64.b64encode(os.urandom(48)).decode().replace("+", "").replace("/", "")
    text = "\n".join([f'aws_access_key_id = "AKIA{mixed[:16].upper()}"', f'aws_secret_access_key = "{mixed[:40]}"',
                      f"slack xoxb-123456789012-1234567890123-{mixed[:24]}",
                      f'github_token = "ghp_{mixed[:36]}"'])
    ran = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == str(sorted({"an AWS access key", "a Slack token or webhook URL", "a GitHub token"}))


def test_whatever_imports_requests_while_the_detectors_load_gets_requests_itself() -> None:
    """The stand-in the plugins import as requests lasts while they load: asked for a name meanwhile (another
    thread of publog serve, say), it gives way to the module itself rather than answer for it."""
    import sys

    code = (
        "import sys\n"
        "from publog.privacy import secrets\n"
        "sys.modules['requests'] = secrets._Requests('requests')\n"
        "import requests\n"
        "assert callable(requests.get) and requests.get.__module__ == 'requests.api'\n"
        "assert type(sys.modules['requests']).__name__ == 'module'\n"
    )
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
