"""What must stay private stays private: never-publish terms, secrets, private entries' text, photo locations.

Each test builds a real journal and then searches every output file (the search
index decompressed) for what must not be there; a failed build must leave the
previous site exactly as it was.
"""

from __future__ import annotations

import pytest

from conftest import entry, snapshot
from hostile_support import leaks

FAKE_KEY = "AKIA" + "QWERTYUIOPASDFGH"  # an AWS access key id's shape, made here so the repository holds none
# and a secret access key's: an id alone opens nothing, so only the pair is an error
FAKE_SECRET = "wQ3rT5yU7iO9pA2sD4fG" + "/hJ6kL8zX1cV3bN5mQ7w"


def base(journal, **files: str):
    return journal({"publog.yaml": "base_url: https://example.org/\nprivacy:\n  never_publish: [Acme Corp, /project \\w+fish/]\n",
                    "entries/2024-01-01-ok.md": entry("Fine", "2024-01-01", body="Nothing to hide here."), **files})


@pytest.mark.parametrize("body, what", [
    ("We shipped for ACME  corp\ntoday.", "the never-publish term 'Acme Corp'"),
    ("Internal: Project Swordfish slipped.", "the never-publish term '/project \\w+fish/'"),
    (f"```\naws_key = \"{FAKE_KEY}\"\naws_secret = \"{FAKE_SECRET}\"\n```", "an AWS access key"),
])
def test_a_build_that_would_publish_a_term_or_a_secret_fails_and_writes_nothing(journal, publog, body: str, what: str) -> None:
    root = base(journal)
    assert publog("build", root).code == 0
    before = snapshot(root / "_site")
    (root / "entries/2024-02-01-leak.md").write_text(entry("Leaky", "2024-02-01", body=body))
    for flags in ((), ("--drafts", "--future")):
        result = publog("build", root, *flags)
        assert result.code == 1
        assert any(what in p for p in result.problems), result.err
        assert snapshot(root / "_site") == before
    assert publog("check", root).code == 1


def test_an_allowlisted_example_key_is_published(journal, publog) -> None:
    root = base(journal, **{"entries/2024-02-01-example.md": entry("Example", "2024-02-01", body=(
        f"```\nexample = \"{FAKE_KEY}\"  # pragma: allowlist secret\n```"))})
    result = publog("build", root)
    assert result.code == 0, result.err


def test_private_text_pasted_into_a_public_entry_is_caught(journal, publog) -> None:
    passage = "I told my manager that the reorganisation of the data team felt rushed and unfair to the juniors"
    root = base(journal, **{
        "entries/2024-02-01-diary.md": entry("Diary", "2024-02-01", private="true", body=passage + "."),
        "entries/2024-02-02-public.md": entry("Public", "2024-02-02", body="Copied by mistake: " + passage + "."),
    })
    result = publog("build", root)
    assert result.code == 1
    assert any("private passage" in p for p in result.problems), result.err


def test_private_entries_blocks_and_comments_leave_no_trace(journal, publog) -> None:
    root = base(journal, **{
        "entries/2024-02-01-diary.md": entry("Diary zqsecretdiary", "2024-02-01", private="true", tags="[zqsecrettag]",
                                             body="Everything here zqsecretbody."),
    })
    for flags in ((), ("--drafts", "--future")):
        assert publog("build", root, *flags).code == 0
        assert leaks(root / "_site", "zqsecretdiary", "zqsecrettag", "zqsecretbody") == []


def test_every_occurrence_is_reported_at_its_line_in_one_run(journal, publog) -> None:
    root = base(journal, **{
        "entries/2024-02-01-a.md": "---\ntitle: Work at Acme Corp\ndate: 2024-02-01\n---\nFine line.\n\n"
                                   f"key = \"{FAKE_KEY}\" secret = \"{FAKE_SECRET}\"\n\nAnd project swordfish again.\n",
        "entries/2024-02-02-b.md": entry("B", "2024-02-02", body="Acme corp here too."),
        "entries/2024-02-03-draft.md": entry("Acme Corp draft", "2024-02-03", draft="true"),
    })
    result = publog("check", root)
    assert result.code == 1
    fix = "remove it, or (for a false alarm, secrets only) add the comment 'pragma: allowlist secret' on its line"
    assert result.problems == [
        f"entries/2024-02-01-a.md:2: would publish the never-publish term 'Acme Corp'; {fix}",
        f"entries/2024-02-01-a.md:7: would publish an AWS access key; {fix}",
        f"entries/2024-02-01-a.md:9: would publish the never-publish term '/project \\w+fish/'; {fix}",
        f"entries/2024-02-02-b.md:5: would publish the never-publish term 'Acme Corp'; {fix}",
    ]  # the draft is not published, so not reported; with --drafts it is
    assert any(p.startswith("entries/2024-02-03-draft.md:2:") for p in publog("check", root, "--drafts").problems)


def test_a_changed_never_publish_list_checks_cached_entries_again(journal, publog) -> None:
    root = base(journal, **{"entries/2024-02-01-a.md": entry("A", "2024-02-01", body="Globex was our client.")})
    assert publog("build", root).code == 0
    (root / "publog.yaml").write_text("base_url: https://example.org/\nprivacy:\n  never_publish: [Globex]\n")
    result = publog("build", root)
    assert result.code == 1
    assert result.problems[0].startswith("entries/2024-02-01-a.md:5: would publish the never-publish term 'Globex'")


def test_a_bad_never_publish_pattern_is_a_config_error(journal, publog) -> None:
    root = journal({"publog.yaml": "privacy:\n  never_publish: ['/(unclosed/']\n", "entries/a.md": entry()})
    result = publog("check", root)
    assert result.code == 1
    assert result.problems[0].startswith("publog.yaml:1: 'privacy.never_publish': ")


PASSAGES = (
    "Public opening line.\n\n"
    "<!-- private -->\nThe zqblockpassage of this entry is about my manager and the team reshuffle that nobody announced yet.\n"
    f"token = \"{FAKE_KEY}\"\n<!-- /private -->\n\n"
    "A sentence with <!-- private -->zqinlinepassage hidden words<!-- /private --> in the middle.\n\n"
    "::: private\nContainer zqcontainerpassage: the salary numbers I was offered and what I asked for in return.\n:::\n\n"
    "%% Obsidian zqcommentpassage: remember to ask Priya about the budget before Friday's planning meeting. %%\n\n"
    "Public closing line.\n"
)


def test_private_passages_are_removed_everywhere_and_may_hold_anything(journal, publog) -> None:
    root = base(journal, **{"entries/2024-02-01-mixed.md": entry("Mixed", "2024-02-01", tags="[work]", body=PASSAGES)})
    for flags in ((), ("--drafts", "--future")):
        result = publog("build", root, *flags)
        assert result.code == 0, result.err  # the key inside a private passage is never published, so no error
        assert leaks(root / "_site", "zqblockpassage", "zqinlinepassage", "zqcontainerpassage", "zqcommentpassage",
                     FAKE_KEY) == []
    page = (root / "_site/2024/mixed/index.html").read_text()
    assert "Public opening line." in page and "Public closing line." in page and "A sentence with  in the middle." in page


def test_a_private_passage_copied_into_a_public_entry_is_caught(journal, publog) -> None:
    copied = "Container zqcontainerpassage: the salary numbers I was offered and what I asked for in return."
    root = base(journal, **{
        "entries/2024-02-01-mixed.md": entry("Mixed", "2024-02-01", body=PASSAGES),
        "entries/2024-02-02-oops.md": entry("Oops", "2024-02-02", body=f"Pasted: {copied}."),
    })
    result = publog("build", root)
    assert result.code == 1
    assert any("private passage" in p for p in result.problems), result.err


def test_after_a_new_never_publish_list_the_next_build_reads_nothing_again(journal, publog, monkeypatch) -> None:
    """Entries are checked again once when the list changes, and their new results are kept."""
    from publog.read import folder as read

    root = journal({"publog.yaml": "privacy:\n  never_publish: [Orca]\n", "entries/2024-05-01-a.md": entry("A", "2024-05-01"),
                    "entries/2024-05-02-b.md": entry("B", "2024-05-02")})
    assert publog("build", root).code == 0
    (root / "publog.yaml").write_text("privacy:\n  never_publish: [Orca, Narwhal]\n")
    assert publog("build", root).code == 0
    compiled: list[str] = []
    real = read.compile_all
    monkeypatch.setattr(read, "compile_all", lambda root, todo, *rest: (compiled.extend(todo), real(root, todo, *rest))[1])
    (root / "entries/2024-05-02-b.md").write_text(entry("B", "2024-05-02", body="Edited."))
    assert publog("build", root).code == 0
    assert compiled == ["entries/2024-05-02-b.md"]
