"""Hostile journals, the secret scanner's precision (issue 24, cause C): placeholders are never reported,
credentials in a format a provider can check always fail the build, what may be one is a warning, and
every finding is at the line where the credential is written. Comments of publog.yaml and network.yaml
are not published, so what they say is no finding.

The corpus is tests/secret_corpus.py: placeholders as notes write them, and credentials made of random
characters in each known format.
"""

from __future__ import annotations

from pathlib import Path

from conftest import entry, write
from hostile_support import assert_clear, guarded_build, problems
from secret_corpus import PLACEHOLDERS, WEAK, live

SITE = "title: Notes\nbase_url: https://example.org/\n"


def _secret_problems(run_problems: list[str]) -> list[str]:
    return [p for p in run_problems if "publish a" in p or "publish an" in p]


def test_placeholder_credentials_are_never_reported(tmp_path: Path) -> None:
    files = {"publog.yaml": SITE}
    for n, line in enumerate(PLACEHOLDERS):
        body = f"Connect with:\n\n```\n{line}\n```\n\nor inline `{line}`, then carry on." if n % 2 else f"Set it up:\n\n    {line}\n"
        files[f"entries/2024-05-{n % 28 + 1:02d}-setup-{n}.md"] = entry(f"Setup {n}", f"2024-05-{n % 28 + 1:02d}", body)
    root = write(tmp_path / "journal", files)
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 0, run.err
    assert not _secret_problems(problems(run)), run.err


def test_a_credential_in_a_format_its_provider_checks_fails_the_build_at_its_line(tmp_path: Path) -> None:
    credentials = live()
    files = {"publog.yaml": SITE}
    for n, text in enumerate(credentials.values()):
        files[f"entries/2024-06-{n % 28 + 1:02d}-keys-{n}.md"] = entry(f"Keys {n}", f"2024-06-{n % 28 + 1:02d}",
                                                                       f"My setup.\n\n```\n{text}\n```\n")
    root = write(tmp_path / "journal", files)
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 1
    errors = [p for p in _secret_problems(problems(run)) if "warning:" not in p]
    for n, name in enumerate(credentials):
        path = f"entries/2024-06-{n % 28 + 1:02d}-keys-{n}.md"
        # front matter is 4 lines, then "My setup.", a blank line and the fence: the credential starts at line 8
        assert any(p.startswith(f"{path}:") and int(p.split(":")[1]) >= 8 for p in errors), f"{name} not blocked:\n{run.err}"


def test_what_may_be_a_credential_is_a_warning_at_its_line(tmp_path: Path) -> None:
    files = {"publog.yaml": SITE}
    for n, line in enumerate(WEAK):
        files[f"entries/2024-07-0{n + 1}-maybe-{n}.md"] = entry(f"Maybe {n}", f"2024-07-0{n + 1}", f"Intro.\n\n    {line}\n")
    root = write(tmp_path / "journal", files)
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 0, run.err
    warned = [p for p in problems(run) if "warning:" in p]
    for n in range(len(WEAK)):
        assert any(p.startswith(f"entries/2024-07-0{n + 1}-maybe-{n}.md:7: warning: may publish") for p in warned), run.err
    assert guarded_build(tmp_path, root, "--strict").code == 1


def test_a_finding_is_reported_where_the_credential_is_written(tmp_path: Path) -> None:
    """Not at the first line that holds the same text: an unsigned copy of a token's first parts, or the
    key id alone in a sentence, comes first here."""
    token = live()["signed JSON Web Token"].split()[-1]
    unsigned = token.rsplit(".", 1)[0]
    key = live()["AWS key with its secret (credentials file)"]
    key_id = key.split("aws_access_key_id = ")[1].split()[0]
    body = (f"The header and claims: {unsigned}\n\nThe key id {key_id} is mine.\n\nMore words.\n\nAnd more.\n\n"
            f"Still more.\n\n```\ncurl -H 'Authorization: Bearer {token}'\n{key}\n```\n")
    root = write(tmp_path / "journal", {"publog.yaml": SITE, "entries/2024-05-01-auth.md": entry("Auth", "2024-05-01", body)})
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 1
    errors = sorted(p.split(": ", 1)[0] for p in problems(run) if "warning:" not in p)
    # lines: 4 of front matter, then the body; the curl line is 16, the key id 18
    assert errors == ["entries/2024-05-01-auth.md:16", "entries/2024-05-01-auth.md:18"], run.err


def test_a_yaml_comment_is_not_published_so_is_no_finding(tmp_path: Path) -> None:
    github = live()["GitHub personal token"].split("=")[1]
    root = write(tmp_path / "journal", {
        "publog.yaml": SITE + f"# old token: {github}\n# never mention Falcon here\n"
                              "description: A journal  # about Falcon? no: the comment is never shown\n"
                              "privacy:\n  never_publish: [Falcon]\n",
        "network.yaml": f"# {github} was the old feed token; Falcon\n- name: Ada\n  site: https://ada.example/  # Falcon\n",
        "entries/2024-05-01-a.md": entry("A", "2024-05-01", "Hello."),
    })
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 0, run.err
