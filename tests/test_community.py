"""A community's journals on one site (issue 14): members, their own journals, per-member pages and feeds,
merged topics, community pages, and every member's privacy kept."""

from __future__ import annotations

import html
import re
from pathlib import Path

import feedparser
import mf2py
import pytest

from conftest import REPO, SAMPLE, entry, snapshot, write
from hostile_support import leaks

COMMUNITY = """\
title: PM Guild learns to code
base_url: https://guild.example/
members:
  - id: ada
    name: Ada Park
    bio: PM at a bank, learning SQL
    links: [https://ada.example/]
    journal: ../ada-journal
  - id: grace
    name: Grace Ho
    journal: members/grace
  - id: lin
    name: Lin Wu
"""

ADA_SETTINGS = """\
title: Ada's journal
privacy:
  never_publish: [Project Falcon]
kinds:
  experiment:
    label: Experiment
    plural: Experiments
"""


def community(tmp_path: Path, **more: str) -> Path:
    """A community folder with a member writing in a folder of it (grace), one in its entries folder (lin),
    and one (ada) whose own journal, with its own settings and a private entry, is next to it."""
    write(tmp_path / "ada-journal", {
        "publog.yaml": ADA_SETTINGS,
        "entries/2024-05-01-joins.md": entry("Joins finally clicked", "2024-05-01", tags="[SQL]", body="Venn diagrams lie about joins."),
        "entries/2024-05-02-plans.md": entry("Secret plans", "2024-05-02", private="true", body="Nobody may read zqxprivateword."),
        "entries/2024-05-06-why.md": entry("Why are my joins slow?", "2024-05-06", kind="question", tags="[sql]", body="Help me."),
        "entries/2024-05-07-draft.md": entry("Half written", "2024-05-07", draft="true", body="zqxdraftword"),
        "entries/2024-05-08-test.md": entry("An index experiment", "2024-05-08", kind="experiment",
                                            body="Indexes help. ![The plan](plan.svg) [[notes.pdf]]"),
        "entries/plan.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
        "entries/notes.pdf": "%PDF-1.4",
    })
    return write(tmp_path / "guild", {
        "publog.yaml": COMMUNITY,
        "members/grace/2024-05-03-git.md": entry("Git rebase without fear", "2024-05-03", tags="[git, Sql]", body="Rebase rewrites."),
        "members/grace/2024-05-01-joins.md": entry("My joins note", "2024-05-01", body="Same name as Ada's, another member."),
        "entries/2024-05-04-welcome.md": entry("Welcome to the guild", "2024-05-04", author="[lin, ada]", kind="question",
                                               tags="[sql]", body="How do you all practise?"),
        **more,
    })


def test_a_community_describes_the_built_in_kinds_as_its_members_own_not_one_persons(tmp_path: Path, publog) -> None:
    root = community(tmp_path)
    (root / "members/grace/2024-05-09-oops.md").write_text(entry("I deleted prod", "2024-05-09", kind="failure"), encoding="utf-8")
    assert publog("build", root).code == 0
    kinds = (root / "_site/kinds/index.html").read_text()
    assert "Open problems we would love readers&#39; help with." in kinds and "Things that went wrong, and what they taught us." in kinds
    assert "taught me" not in kinds and " I would love" not in kinds
    assert "what they taught us" in feedparser.parse((root / "_site/kinds/failure/feed.xml").read_bytes()).feed.subtitle
    # A description publog.yaml gives is its own, on a community site too.
    (root / "publog.yaml").write_text(COMMUNITY + "kinds:\n  failure:\n    description: Our worst days.\n", encoding="utf-8")
    assert publog("build", root).code == 0
    assert "Our worst days." in (root / "_site/kinds/index.html").read_text()
    # A journal of one keeps the first person.
    single = write(tmp_path / "one", {"entries/2024-05-09-oops.md": entry("I deleted prod", "2024-05-09", kind="failure")})
    assert publog("build", single).code == 0
    assert "Things that went wrong, and what they taught me." in (single / "_site/kinds/index.html").read_text()


def test_readers_reply_to_the_member_who_wrote_an_entry_as_their_own_journal_says(tmp_path: Path, publog) -> None:
    """A member's own journal says how readers reach them (its author's email, its respond pattern): their
    entries' reply links lead there, not to the community; an entry of several members, or of a member
    whose journal says nothing, keeps the community's."""
    root = community(tmp_path)
    ada = tmp_path / "ada-journal/publog.yaml"
    ada.write_text(ADA_SETTINGS + "author:\n  name: Ada Park\n  email: ada@bank.example\n", encoding="utf-8")
    (root / "publog.yaml").write_text(COMMUNITY + "author:\n  name: The guild\n  email: hello@guild.example\n", encoding="utf-8")
    (root / "entries/2024-05-05-ada.md").write_text(entry("Ada in the guild's folder", "2024-05-05", author="ada"), encoding="utf-8")
    result = publog("build", root)
    assert result.code == 0, result.err
    site = root / "_site"

    def reply(page: str) -> str:
        link = re.search(r'<p class="respond"><a href="([^"]*)"', (site / page).read_text())
        assert link, page
        return html.unescape(link.group(1))

    assert reply("members/ada/2024/joins/index.html").startswith("mailto:ada@bank.example?subject=Re%3A%20Joins")
    assert reply("2024/ada/index.html").startswith("mailto:ada@bank.example?")  # hers, wherever the file is
    assert reply("2024/welcome/index.html").startswith("mailto:hello@guild.example?")  # written by lin and ada
    assert reply("members/grace/2024/git/index.html").startswith("mailto:hello@guild.example?")  # no journal settings of her own

    ada.write_text(ADA_SETTINGS + "respond: https://forum.example/new?link={url}\n", encoding="utf-8")
    assert publog("build", root).code == 0
    assert reply("members/ada/2024/joins/index.html") == "https://forum.example/new?link=https%3A%2F%2Fguild.example%2Fmembers%2Fada%2F2024%2Fjoins%2F"


def test_every_member_has_a_page_and_feeds_of_their_own_entries(tmp_path: Path, publog) -> None:
    root = community(tmp_path)
    result = publog("build", root)
    assert result.code == 0, result.err
    site = root / "_site"
    members = (site / "members/index.html").read_text()
    assert all(name in members for name in ("Ada Park", "Grace Ho", "Lin Wu"))
    assert (site / "members/ada/2024/joins/index.html").is_file()  # a member's journal lives below their pages
    assert (site / "members/grace/2024/joins/index.html").is_file()  # the same name in two members' journals: two pages
    assert (site / "2024/welcome/index.html").is_file()  # the community's own entries keep its URLs
    for member, titles in {"ada": {"Joins finally clicked", "Why are my joins slow?", "Welcome to the guild", "An index experiment"},
                           "grace": {"Git rebase without fear", "My joins note"}, "lin": {"Welcome to the guild"}}.items():
        feed = feedparser.parse((site / f"members/{member}/feed.xml").read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert {e.title for e in feed.entries} == titles
        assert {e.title for e in feedparser.parse((site / f"members/{member}/atom.xml").read_bytes()).entries} == titles
    atom = feedparser.parse((site / "atom.xml").read_bytes())
    written_by = {e.title: [a.name for a in e.authors] for e in atom.entries}
    assert written_by["Welcome to the guild"] == ["Lin Wu", "Ada Park"]  # each item names its members, not the site's author
    assert written_by["Git rebase without fear"] == ["Grace Ho"]
    everything = feedparser.parse((site / "feed.xml").read_bytes())
    assert len(everything.entries) == 6
    assert len({e.id for e in everything.entries}) == 6  # two members' 2024-05-01 joins notes have ids of their own


def test_a_members_files_are_published_below_their_pages_and_nothing_outside_the_site(tmp_path: Path, publog) -> None:
    root = community(tmp_path)
    before = sorted(p for p in tmp_path.rglob("*") if "_site" not in p.parts and ".publog-cache" not in p.parts)
    assert publog("build", root).code == 0
    after = sorted(p for p in tmp_path.rglob("*") if "_site" not in p.parts and ".publog-cache" not in p.parts)
    assert after == before
    site = root / "_site"
    assert (site / "members/ada/plan.svg").is_file() and (site / "members/ada/notes.pdf").is_file()
    page = (site / "members/ada/2024/test/index.html").read_text()
    assert 'src="/members/ada/plan.svg"' in page and 'href="/members/ada/notes.pdf"' in page


def test_members_and_authors_are_microformats(tmp_path: Path, publog) -> None:
    root = community(tmp_path)
    assert publog("build", root).code == 0
    site = root / "_site"
    page = mf2py.parse(doc=(site / "2024/welcome/index.html").read_text(), url="https://guild.example/2024/welcome/")
    post = next(i for i in page["items"] if "h-entry" in i["type"])
    authors = [a["properties"]["name"][0] for a in post["properties"]["author"]]
    assert authors == ["Lin Wu", "Ada Park"]
    own = mf2py.parse(doc=(site / "members/ada/index.html").read_text(), url="https://guild.example/members/ada/")
    cards = [i for i in own["items"] if "h-feed" in i["type"]][0]["children"]
    card = next(c for c in cards if "h-card" in c["type"])
    assert card["properties"]["name"] == ["Ada Park"]
    assert card["properties"]["note"] == ["PM at a bank, learning SQL"]
    assert "https://ada.example/" in card["properties"]["url"]
    assert "https://ada.example/" in own["rels"]["me"]
    entries = [c for c in cards if "h-entry" in c["type"]]
    assert {e["properties"]["name"][0] for e in entries} >= {"Joins finally clicked"}


def test_topics_merge_across_members_and_show_who_writes_about_them(tmp_path: Path, publog) -> None:
    root = community(tmp_path)
    assert publog("build", root).code == 0
    topics = sorted(p.name for p in (root / "_site/topics").iterdir() if p.is_dir())
    assert topics == ["git", "sql"]  # SQL, sql and Sql from three journals: one topic
    page = (root / "_site/topics/sql/index.html").read_text()
    assert 'Written about by <a href="/members/ada/">Ada Park</a> (3), <a href="/members/grace/">Grace Ho</a> (1), ' \
           '<a href="/members/lin/">Lin Wu</a> (1).' in page


def test_a_topic_two_members_define_takes_what_each_gives(tmp_path: Path, publog) -> None:
    root = community(tmp_path, **{"publog.yaml": COMMUNITY + "  - id: bo\n    name: Bo Lind\n    journal: ../bo-journal\n"})
    (tmp_path / "ada-journal/publog.yaml").write_text(ADA_SETTINGS + "topics:\n  sql:\n    name: SQL\n")
    write(tmp_path / "bo-journal", {
        "publog.yaml": "title: Bo\ntopics:\n  sql:\n    name: Structured Query Language\n    description: Asking the database myself.\n",
        "entries/2024-05-09-where.md": entry("WHERE before GROUP BY", "2024-05-09", tags="[sql]"),
    })
    assert publog("build", root).code == 0
    page = text(root / "_site/topics/sql/index.html")
    assert "SQL Asking the database myself." in page  # Ada's journal names it first; Bo's describes it


def test_community_pages_gather_every_members_entries(tmp_path: Path, publog) -> None:
    root = community(tmp_path)
    assert publog("build", root).code == 0
    site = root / "_site"
    wanted = feedparser.parse((site / "help-wanted/feed.xml").read_bytes())
    assert {e.title for e in wanted.entries} == {"Why are my joins slow?", "Welcome to the guild"}
    week = (site / "weeks/2024-w18/index.html").read_text()
    assert "Joins finally clicked" in week and "Git rebase without fear" in week and "My joins note" in week
    # a member's own kinds are known on the community site
    assert "An index experiment" in (site / "kinds/experiment/index.html").read_text()


def test_no_members_private_draft_or_never_publish_term_reaches_the_site(tmp_path: Path, publog) -> None:
    root = community(tmp_path)
    assert publog("build", root, "--drafts").code == 0
    assert leaks(root / "_site", "Secret plans", "zqxprivateword") == []  # the search index's files read as text too
    assert publog("build", root).code == 0
    assert leaks(root / "_site", "zqxdraftword") == []
    before = snapshot(root / "_site")
    # Ada's never-publish term, written by another member: refused at its line, the site left as it was
    (root / "members/grace/2024-05-03-git.md").write_text(entry("Git rebase without fear", "2024-05-03", body="About Project Falcon."))
    result = publog("build", root)
    assert result.code == 1
    assert "members/grace/2024-05-03-git.md:5: would publish the never-publish term 'Project Falcon'" in result.err
    assert snapshot(root / "_site") == before


def test_a_members_urls_and_ids_do_not_change_when_another_member_writes(tmp_path: Path, publog) -> None:
    root = community(tmp_path)
    assert publog("build", root).code == 0
    ids = {e.link: e.id for e in feedparser.parse((root / "_site/members/ada/feed.xml").read_bytes()).entries}
    for n in range(1, 15):
        (root / f"members/grace/2024-06-{n:02d}-note-{n}.md").write_text(entry(f"Grace's note {n}", f"2024-06-{n:02d}"))
    (root / "entries/2024-06-20-joins.md").write_text(entry("Joins", "2024-06-20", author="lin"))
    assert publog("build", root).code == 0
    after = {e.link: e.id for e in feedparser.parse((root / "_site/members/ada/feed.xml").read_bytes()).entries}
    assert after == ids


def test_an_edit_in_a_members_journal_rebuilds_to_the_bytes_of_a_clean_build(tmp_path: Path, publog) -> None:
    root = community(tmp_path)
    assert publog("build", root).code == 0
    (tmp_path / "ada-journal/entries/2024-05-01-joins.md").write_text(
        entry("Joins clicked at last", "2024-05-01", tags="[SQL]", body="Edited in Ada's own journal."))
    result = publog("build", root)
    assert result.code == 0, result.err
    assert "Edited in Ada's own journal." in (root / "_site/members/ada/2024/joins/index.html").read_text()
    written = int(result.out.split("(")[1].split()[0])
    pages = int(result.out.split(" pages")[0].split()[-1])
    assert 0 < written < pages / 2
    clean = tmp_path / "clean"
    assert publog("build", root, "--out", clean).code == 0
    assert {k: v[0] for k, v in snapshot(root / "_site").items()} == {k: v[0] for k, v in snapshot(clean).items()}


def test_a_change_to_a_members_own_settings_is_seen_by_the_next_build(tmp_path: Path, publog) -> None:
    root = community(tmp_path)
    assert publog("build", root).code == 0
    assert publog("build", root).code == 0  # nothing changed: the build is skipped
    (tmp_path / "ada-journal/publog.yaml").write_text(ADA_SETTINGS.replace("[Project Falcon]", "[Project Falcon, Venn diagrams]"))
    result = publog("build", root)
    assert result.code == 1
    assert "../ada-journal/entries/2024-05-01-joins.md:6: would publish the never-publish term 'Venn diagrams'" in result.err


def test_an_unknown_author_or_a_missing_journal_is_reported_at_its_line(tmp_path: Path, publog) -> None:
    root = community(tmp_path, **{"entries/2024-05-09-who.md": entry("Who wrote this", "2024-05-09", author="[lin, bob]")})
    (tmp_path / "ada-journal/entries/2024-05-10-broken.md").write_text("---\ntitle: [broken\n---\n")
    result = publog("build", root)
    assert result.code == 1
    assert "entries/2024-05-09-who.md:4: 'author': bob is no member of this community; the members are ada, grace, lin" in result.err
    assert "../ada-journal/entries/2024-05-10-broken.md:3: invalid YAML" in result.err  # a member's journal: named from the community's
    (root / "publog.yaml").write_text(COMMUNITY.replace("members/grace", "members/nobody") + "  - id: lin\n    name: Lin again\n")
    result = publog("build", root)
    assert result.code == 1
    assert "publog.yaml:3: member grace: the journal folder 'members/nobody' does not exist" in result.err
    assert "member 4 (lin) has the id 'lin' of another member" in result.err


@pytest.mark.parametrize("setting", ["members: ada", "members:\n  - name: No id\n", "members:\n  - id: Ada Park\n    name: x\n"])
def test_bad_members_settings_say_how_to_fix_them(journal, publog, setting: str) -> None:
    root = journal({"publog.yaml": setting + "\n", "entries/a.md": entry()})
    result = publog("build", root)
    assert result.code == 1
    assert "publog.yaml:1: " in result.err and "'id'" in result.err


@pytest.mark.slow
def test_every_page_of_a_community_site_is_valid_html(tmp_path: Path, publog) -> None:
    from readers_support import assert_none, describe_nu, nu_check

    root = community(tmp_path, **NETWORKS)
    (tmp_path / "ada-journal/network.yaml").write_text(ADA_NETWORK)
    assert publog("build", root).code == 0
    site = root / "_site"
    files = sorted(site.rglob("*.html"))
    assert {site / "members/index.html", site / "members/ada/index.html", site / "new/index.html", site / "network/index.html"} <= set(files)
    errors, _ = nu_check(files)
    assert_none([describe_nu(m, site) for m in errors])


NETWORKS = {
    "network.yaml": "- name: Lenny Rachitsky\n  site: https://lenny.example/\n",
    "members/grace/network.yaml": ("- name: Teresa Torres\n  id: teresa\n  site: https://teresa.example/\n  topics: [sql]\n"
                                   "  why: Taught me weekly interviews\n- name: Ada P.\n  site: https://ada.example\n"),
}
ADA_NETWORK = "- name: Teresa Torres\n  id: teresa\n  feed: https://teresa.example/feed/\n  why: Opportunity trees\n- name: Grace Ho\n"


def text(file: Path) -> str:
    from readers_support import parse_html, text_of

    return text_of(parse_html(file))


def test_the_learning_network_is_every_members_with_who_follows_whom(tmp_path: Path, publog) -> None:
    root = community(tmp_path, **NETWORKS)
    (tmp_path / "ada-journal/network.yaml").write_text(ADA_NETWORK)
    (tmp_path / "ada-journal/entries/2024-05-01-joins.md").write_text(
        entry("Joins finally clicked", "2024-05-01", tags="[SQL]", via="[teresa]", body="Venn diagrams lie about joins."))
    result = publog("build", root, "--strict")
    assert result.code == 0, result.err
    site = root / "_site"
    network = (site / "network/index.html").read_text()
    assert network.count('id="teresa"') == 1  # followed by two members: listed once
    shown = text(site / "network/index.html")
    assert "Teresa Torres · feed" in shown  # the feed one member gave, the site the other gave
    assert "Followed by Ada Park (“Opportunity trees”), Grace Ho (“Taught me weekly interviews”)" in shown
    assert "Lenny Rachitsky" in shown  # the community's own network.yaml
    assert "Credited in: Joins finally clicked" in shown  # a member's entry credits a person of their own network
    assert 'href="/members/ada/"' in network and 'href="/members/grace/"' in network  # members followed by members
    assert "Follows Grace Ho here." in text(site / "members/ada/index.html")
    assert "Followed by Grace Ho." in text(site / "members/ada/index.html")
    assert "Follows Ada Park here." in text(site / "members/grace/index.html")
    assert "Follows" not in text(site / "members/lin/index.html")
    opml = (site / ".well-known/recommendations.opml").read_text()
    assert 'xmlUrl="https://teresa.example/feed/"' in opml and "PM Guild learns to code's learning network" in opml
    # A member's network is watched like their entries: an edit is seen by the next build.
    (tmp_path / "ada-journal/network.yaml").write_text(ADA_NETWORK + "- name: Shreyas Doshi\n")
    assert publog("build", root).code == 0
    assert "Shreyas Doshi" in text(site / "network/index.html")


def test_a_member_cannot_give_the_communitys_own_listing_of_a_person_a_feed(tmp_path: Path, publog) -> None:
    """The community lists Lenny with his site only; a member who follows him too is named among his
    followers, but the feed that member's file gives (another person writes it) is not taken for the
    community's listing: no feed shows on the network page or in the blogroll, and `publog pull`
    would fetch none under his name."""
    root = community(tmp_path, **{
        "network.yaml": "- name: Lenny Rachitsky\n  id: lenny\n  site: https://lenny.example/\n",
        "members/grace/network.yaml": "- name: Lenny\n  id: lenny\n  feed: https://elsewhere.example/feed.xml\n  why: Podcasts\n",
    })
    assert publog("build", root, "--strict").code == 0
    network = (root / "_site/network/index.html").read_text()
    assert "Followed by Grace Ho (“Podcasts”)" in text(root / "_site/network/index.html")
    assert "elsewhere.example" not in network
    assert not (root / "_site/.well-known/recommendations.opml").exists()  # nobody here has a feed: no blogroll


def test_a_problem_in_a_members_network_is_named_from_the_community(tmp_path: Path, publog) -> None:
    root = community(tmp_path, **NETWORKS)
    (tmp_path / "ada-journal/network.yaml").write_text(ADA_NETWORK + "- name: Bad Feed\n  feed: ftp://a.example/feed\n")
    before = snapshot(root / "_site") if (root / "_site").exists() else {}
    result = publog("build", root)
    assert result.code == 1
    assert "../ada-journal/network.yaml:7: 'feed' must be an http(s) URL" in result.err
    assert snapshot(root / "_site") == before if before else not (root / "_site").exists()


def test_members_who_publish_elsewhere_are_pulled_and_shown_on_their_pages(tmp_path: Path, publog) -> None:
    from http_support import rss, send, server

    lin = rss("<item><title>SQL for PMs, issue 3</title><guid>lin-3</guid><link>https://lin.example/3/</link>"
              "<pubDate>Wed, 08 May 2024 10:00:00 GMT</pubDate></item>", title="Lin's newsletter", link="https://lin.example/")
    teresa = rss("<item><title>Interview snapshots</title><guid>t-1</guid><link>https://teresa.example/1/</link>"
                 "<pubDate>Tue, 07 May 2024 10:00:00 GMT</pubDate></item>")
    with server({"/lin.xml": send(lin), "/teresa.xml": send(teresa), "/ben.xml": send("not found", 404)}) as (base, asked):
        root = community(tmp_path, **{
            "publog.yaml": COMMUNITY.replace("    name: Lin Wu\n", f"    name: Lin Wu\n    feed: {base}/lin.xml\n")
            + f"  - id: ben\n    name: Ben Ade\n    feed: {base}/ben.xml\n",
            "network.yaml": f"- name: Teresa Torres\n  feed: {base}/teresa.xml\n",
        })
        result = publog("pull", root, "--timeout", "5")
    assert result.code == 0, result.err
    assert result.out == "3 feeds: 2 updated, 0 unchanged, 1 failed; 2 items\n"
    assert result.err == f"{base}/ben.xml: answered HTTP 404 Not Found\n"  # a member's failing feed is reported like any
    assert sorted(p.name for p in (root / "pulled").iterdir()) == ["member_ben.json", "member_lin.json", "teresa-torres.json"]
    assert sorted(path for path, _ in asked) == ["/ben.xml", "/lin.xml", "/teresa.xml"]

    result = publog("build", root, "--strict")  # offline: the build reads only pulled/
    assert result.code == 0, result.err
    site = root / "_site"
    page = (site / "members/lin/index.html").read_text()
    assert '<a href="https://lin.example/3/" rel="nofollow ugc">SQL for PMs, issue 3</a>' in page
    assert "Lately, elsewhere" not in (site / "members/ada/index.html").read_text()
    latest = feedparser.parse((site / "network/latest/feed.xml").read_bytes())
    assert [(e.id, e.title) for e in latest.entries] == [("lin-3", "Lin Wu: SQL for PMs, issue 3"),
                                                        ("t-1", "Teresa Torres: Interview snapshots")]


def test_new_this_week_shows_the_latest_weeks_entries_questions_newcomers_and_topics(tmp_path: Path, publog) -> None:
    root = community(tmp_path, **{
        "members/grace/2024-05-09-dbt.md": entry("First look at dbt", "2024-05-09", tags="[dbt]", body="Models all the way."),
        "entries/2024-05-10-lin.md": entry("Lin's first note", "2024-05-10", author="lin", body="Hello."),
    })
    # Lin's only other entry (written with Ada) becomes Ada's alone: Lin writes for the first time this week
    (root / "entries/2024-05-04-welcome.md").write_text(entry("Welcome to the guild", "2024-05-04", author="ada", kind="question",
                                                               tags="[sql]", body="How do you all practise?"))
    result = publog("build", root, "--strict")
    assert result.code == 0, result.err
    site = root / "_site"
    shown = text(site / "new/index.html")
    assert "What we added from 6 May 2024 to 12 May 2024: 4 entries." in shown  # the week of the newest entry; not the draft
    assert "Lin Wu wrote their first entry here: Lin's first note" in shown
    assert "Grace Ho wrote their first" not in shown and "Ada Park wrote their first" not in shown
    assert "New open questions Can you help?" in shown and "Why are my joins slow?" in shown
    assert "New topics Dbt" in shown
    assert "Joins finally clicked" not in shown  # last week's
    assert 'href="/new/"' in (site / "index.html").read_text()
    # the same journal builds the same page whatever the day
    first = (site / "new/index.html").read_bytes()
    assert publog("build", root, "--out", tmp_path / "again").code == 0
    assert (tmp_path / "again/new/index.html").read_bytes() == first


def test_an_entry_cannot_take_the_new_this_week_page_of_a_community(tmp_path: Path, publog) -> None:
    root = community(tmp_path, **{"entries/new.md": entry("What is new", "2024-05-05", author="lin", permalink="/new/")})
    result = publog("build", root)
    assert result.code == 1
    assert "entries/new.md:" in result.err and "/new/ is a page publog writes itself" in result.err


def test_a_journal_without_members_has_no_community_pages(journal, publog) -> None:
    root = journal({"entries/2024-05-01-a.md": entry("A", "2024-05-01")})
    assert publog("build", root).code == 0
    assert not (root / "_site/new").exists() and not (root / "_site/members").exists()
    assert "New this week" not in (root / "_site/index.html").read_text()


# --- the sample community: publog's demo of a community site -------------------------------------------


@pytest.fixture(scope="module")
def sample_community(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample community, built beside a copy of the sample journal (Maya's own journal)."""
    import shutil

    from publog.run.build import Options, build

    base = tmp_path_factory.mktemp("cohort")
    ignore = shutil.ignore_patterns("_site", ".publog-cache")
    shutil.copytree(SAMPLE, base / "sample-journal", ignore=ignore)
    shutil.copytree(REPO / "sample-community", base / "sample-community", ignore=ignore)
    result = build(base / "sample-community", Options())
    assert [str(p) for p in result.problems] == []
    return base / "sample-community/_site"


def test_the_sample_community_shows_every_community_page(sample_community: Path) -> None:
    from test_site import broken_links

    site = sample_community
    for page in ("members/", "members/maya/", "members/jonas/", "members/priya/", "members/sam/", "new/", "network/",
                 "network/latest/", "help-wanted/", "weeks/", "topics/javascript/", "kinds/prototype/"):
        assert (site / page / "index.html").is_file(), page
    assert broken_links(site, "https://cohort.example.org/") == []
    assert "Follows Jonas Berg here." in text(site / "members/maya/index.html")  # from Maya's own network.yaml
    assert "Small tools, issue 7" in text(site / "members/priya/index.html")  # what she publishes elsewhere
    for member in ("maya", "jonas", "priya", "sam"):
        feed = feedparser.parse((site / f"members/{member}/feed.xml").read_bytes())
        assert not feed.bozo and feed.entries, member
    # Maya's private review notes and both members' never-publish terms stay out of every file
    assert leaks(site, "Vårdkollen", "Project Lighthouse", "Project Orca", "Notes for the launch",
                 "Things I want to say in the review", "the analytics guild would take me") == []


@pytest.mark.slow
def test_every_page_of_the_sample_community_is_valid_html(sample_community: Path) -> None:
    from readers_support import assert_none, describe_nu, nu_check

    errors, _ = nu_check(sorted(sample_community.rglob("*.html")))
    assert_none([describe_nu(m, sample_community) for m in errors])
