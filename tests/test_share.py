"""`publog share`: a post announcing an entry that fits each platform, URL intact, no word cut."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import entry
from publog.learning import share

URL = "https://maya.example.org/2024/sql-joins/"
LONG = " ".join(["Joins are how a database answers a question that spans two tables."] * 12)


def paragraphs(post: share.Post) -> list[str]:
    return post.text.split("\n\n")


# --- how each platform counts ---------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["mastodon", "x"])
def test_a_link_counts_23_however_long_or_short(platform: str) -> None:
    assert share.measure("https://a.io/", platform) == 23
    assert share.measure("https://example.org/" + "a" * 200 + "/", platform) == 23
    assert share.measure("see https://example.org/x/", platform) == 4 + 23


def test_bluesky_and_linkedin_count_links_as_written() -> None:
    assert share.measure(URL, "bluesky") == len(URL)
    assert share.measure(URL, "linkedin") == len(URL)


def test_graphemes_not_code_points_on_mastodon_and_bluesky() -> None:
    decomposed = "e\u0301te\u0301"  # été with combining accents: 5 code points, 3 characters
    assert share.measure(decomposed, "mastodon") == 3
    assert share.measure(decomposed, "bluesky") == 3
    # Emoji with a skin tone is one grapheme; never counted below what the platform counts.
    assert share.measure("👍🏽", "bluesky") == 1
    assert share.measure("👨‍👩‍👧", "bluesky") >= 1


def test_x_weighs_cjk_and_emoji_double() -> None:
    assert share.measure("abc", "x") == 3
    assert share.measure("日本語", "x") == 6
    assert share.measure("🎉", "x") == 2
    assert share.measure("©", "x") == 2  # may be taken for an emoji
    assert share.measure("e\u0301", "x") == 1  # counted after NFC: é


def test_linkedin_counts_what_a_browser_counts() -> None:
    assert share.measure("🎉", "linkedin") == 2  # one astral character is two UTF-16 units


@pytest.mark.parametrize("platform", ["mastodon", "x"])
def test_words_a_platform_may_link_count_as_links(platform: str) -> None:
    # X links bare domains; counting them as links too can only overestimate.
    assert share.measure("ASP.NET", platform) >= 23
    assert share.measure("http://localhost", platform) >= 23


# --- what is cut, and in which order --------------------------------------------------------------


def test_a_short_post_is_title_summary_url_and_hashtags() -> None:
    post = share.compose("SQL joins", "What a join is.", URL, ["#SQL", "#LearningToCode"])
    assert paragraphs(post) == ["SQL joins", "What a join is.", URL, "#SQL #LearningToCode"]
    assert post.fits and post.length == share.measure(post.text, "mastodon")


def test_hashtags_go_before_the_summary_is_shortened() -> None:
    summary = " ".join(["word"] * 80)  # fits with one of the tags, not with all
    tags = ["#" + "T" * 30 + str(n) for n in range(5)]
    post = share.compose("Title", summary, URL, tags, "mastodon")
    assert post.fits
    assert summary in post.text  # the summary whole ...
    assert "#" + "T" * 30 + "4" not in post.text  # ... the last tags gone
    assert "#" + "T" * 30 + "0" in post.text


def test_the_summary_is_shortened_at_a_word_with_an_ellipsis() -> None:
    post = share.compose("SQL joins", LONG, URL, ["#SQL"], "x")
    assert post.fits and post.length <= 280
    title, summary, url = paragraphs(post)
    assert (title, url) == ("SQL joins", URL)
    assert summary.endswith("…") and LONG.startswith(summary[:-1])
    assert LONG[len(summary) - 1] == " "  # cut where a word ends
    assert "#SQL" not in post.text


def test_a_title_too_long_is_cut_at_a_word() -> None:
    title = " ".join(f"word{n}" for n in range(100))
    post = share.compose(title, "A summary.", URL, ["#SQL"], "x")
    assert post.fits
    first, url = paragraphs(post)
    assert url == URL and first.endswith("…")
    assert title.startswith(first[:-1] + " ")


def test_one_huge_word_is_the_only_thing_ever_cut_inside() -> None:
    post = share.compose("a" * 400, "", URL, (), "bluesky")
    assert post.fits and paragraphs(post)[1] == URL
    assert paragraphs(post)[0].startswith("aaa") and paragraphs(post)[0].endswith("…")


def test_a_url_too_long_for_the_platform_is_reported_not_cut() -> None:
    url = "https://maya.example.org/" + "a" * 400 + "/"
    post = share.compose("Title", "Summary", url, (), "bluesky")
    assert not post.fits and url in post.text


def test_a_summary_repeating_the_title_is_left_out() -> None:
    assert paragraphs(share.compose("SQL joins", "SQL joins.", URL)) == ["SQL joins", URL]


def test_hashtags_from_topic_names() -> None:
    assert share.hashtag("machine learning") == "#MachineLearning"
    assert share.hashtag("product-management") == "#ProductManagement"
    assert share.hashtag("SQL") == "#SQL"
    assert share.hashtag("C++") == "#CPlusPlus"
    assert share.hashtag("C#") == "#CSharp"
    assert share.hashtag("R&D") == "#RAndD"
    assert share.hashtag("café crème") == "#CaféCrème"
    assert share.hashtag("e\u0301te\u0301") == "#Été"
    assert share.hashtag("機械学習") == "#機械学習"
    assert share.hashtag("2024") is None and share.hashtag("!!!") is None
    assert share.hashtags(["SQL", "sql", "Learning to code", "2024"]) == ["#SQL", "#LearningToCode"]


# --- properties -----------------------------------------------------------------------------------

# Letters from several scripts, emoji and punctuation; no dot, colon or combining mark, so
# the plain counts below are exact upper bounds of what each platform counts.
PLAIN = st.characters(codec="utf-8", categories=("Lu", "Ll", "Lo", "Nd", "So", "Pd", "Po"),
                      exclude_characters=".:©®\u00ad")
WORD = st.text(PLAIN, min_size=1, max_size=24)
WORDS = st.lists(WORD, max_size=120).map(" ".join)
SLUG = st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,12}", fullmatch=True)
TAGS = st.lists(st.text(PLAIN, min_size=1, max_size=20), max_size=8).map(share.hashtags)
PLATFORM = st.sampled_from(sorted(share.PLATFORMS))


def plain_count(text: str, url: str, platform: str) -> int:
    """What each platform counts, at most, for text without combining marks or other links."""
    if platform == "mastodon":
        return len(text.replace(url, "x" * 23))  # code points >= graphemes
    if platform == "x":
        return sum(1 if ord(ch) <= 0x10FF else 2 for ch in unicodedata.normalize("NFC", text.replace(url, "x" * 23)))
    if platform == "bluesky":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def words_kept(shown: str, original: str) -> bool:
    """Every word shown is a whole word of the original (the last may carry "…", minus a comma)."""
    source = original.split()
    for word in shown.split():
        if word in source:
            continue
        bare = word[:-1] if word.endswith("…") else word
        if bare and bare not in source and not any(w.rstrip(",;:") == bare for w in source):
            return False
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=WORDS.filter(str.strip), summary=WORDS, slug=SLUG, tags=TAGS, platform=PLATFORM)
def test_every_post_fits_and_keeps_the_url_and_whole_words(title: str, summary: str, slug: str,
                                                           tags: list[str], platform: str) -> None:
    url = f"https://maya.example.org/2024/{slug}/"
    post = share.compose(title, summary, url, tags, platform)
    rules = share.PLATFORMS[platform]
    assert post.fits
    assert plain_count(post.text, url, platform) <= rules.limit
    assert rules.max_bytes is None or len(post.text.encode()) <= rules.max_bytes
    parts = paragraphs(post)
    assert url in parts
    shown_title = parts[0]
    assert shown_title != url and words_kept(shown_title, title)
    if len(parts) > 2 and not parts[1].startswith("#") and parts[1] != url:
        assert words_kept(parts[1], summary)
    for tag in parts[-1].split() if parts[-1] != url else ():
        assert tag in tags


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.text(min_size=1, max_size=600), summary=st.text(max_size=3000), slug=SLUG,
       tags=st.lists(st.text(max_size=30), max_size=10).map(share.hashtags), platform=PLATFORM)
def test_any_text_at_all_fits_with_the_url_intact(title: str, summary: str, slug: str,
                                                  tags: list[str], platform: str) -> None:
    url = f"https://maya.example.org/{slug}/"
    post = share.compose(title, summary, url, tags, platform)
    assert post.fits and post.length <= share.PLATFORMS[platform].limit
    assert url in paragraphs(post)


@settings(max_examples=100, deadline=None)
@given(words=st.lists(st.from_regex(r"[A-Za-z]{1,15}", fullmatch=True), min_size=1, max_size=200),
       platform=PLATFORM)
def test_words_are_never_cut(words: list[str], platform: str) -> None:
    text = " ".join(words)
    post = share.compose(text, text[::-1], URL, (), platform)
    title = paragraphs(post)[0]
    assert title.rstrip("…").split() == words[: len(title.rstrip("…").split())]


# --- the command ----------------------------------------------------------------------------------


def sample(journal) -> Path:
    return journal({
        "publog.yaml": """
            title: Notes
            base_url: https://maya.example.org/notes/
            topics:
              sql: {name: SQL}
              learning-to-code: {name: Learning to code}
        """,
        "entries/2024-05-01-sql-joins.md": entry("What I learned about SQL joins", tags="[sql, learning-to-code, C++]",
                                                 summary="Joins, finally explained to myself."),
        "entries/2024-05-02-draft.md": entry("Not yet", date="2024-05-02", draft="true"),
    })


def test_share_prints_a_post_for_mastodon_by_default(journal, publog) -> None:
    root = sample(journal)
    result = publog("share", "entries/2024-05-01-sql-joins.md", "--journal", root)
    assert result.code == 0, result.err
    assert result.out == ("What I learned about SQL joins\n\nJoins, finally explained to myself.\n\n"
                          "https://maya.example.org/notes/2024/sql-joins/\n\n#SQL #LearningToCode #CPlusPlus\n")


def test_share_finds_an_entry_by_slug_or_by_a_path_from_here(journal, publog, monkeypatch) -> None:
    root = sample(journal)
    by_slug = publog("share", "sql-joins", "--journal", root, "--for", "x")
    assert by_slug.code == 0 and "https://maya.example.org/notes/2024/sql-joins/" in by_slug.out
    monkeypatch.chdir(root / "entries")
    here = publog("share", "2024-05-01-sql-joins.md", "--journal", root)
    assert here.out == publog("share", "sql-joins", "--journal", root).out


def test_share_for_all_prints_each_platform_with_its_count(journal, publog) -> None:
    result = publog("share", "sql-joins", "--journal", sample(journal), "--for", "all")
    assert result.code == 0
    for label, limit in (("Mastodon", 500), ("Bluesky", 300), ("LinkedIn", 3000), ("X", 280)):
        assert f"--- {label} (" in result.out and f" of {limit}) ---" in result.out
    assert result.out.count("https://maya.example.org/notes/2024/sql-joins/") == 4


def test_share_refuses_a_draft_and_an_unknown_entry(journal, publog) -> None:
    root = sample(journal)
    draft = publog("share", "entries/2024-05-02-draft.md", "--journal", root)
    assert draft.code == 1 and "not published" in draft.err
    unknown = publog("share", "no-such-thing", "--journal", root)
    assert unknown.code == 1 and "no published entry" in unknown.err
    assert publog("share", "x", "--for", "myspace", "--journal", root).code == 2
