"""What must never be published: secrets, never-publish terms and private text (publog.privacy.leaks).

Fake credentials are built when the tests run, so this file holds none a
scanner would report; the last test checks that.
"""

from __future__ import annotations

import base64
import gzip
import json
import pickle
import re
import string
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pygments import highlight  # type: ignore[import-untyped]
from pygments.formatters import HtmlFormatter  # type: ignore[import-untyped]
from pygments.lexers import PythonLexer  # type: ignore[import-untyped]

from publog.privacy import leaks, scan, secret_strength, secrets
from publog.privacy import terms as terms_mod
from publog.privacy.leaks import Leak, compile_terms, find_secrets, find_terms, private_snippets, scan_output


def b64url(data: dict[str, object] | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def mixed(n: int, alphabet: str = "aB3dE5fG7hJ9kL2mN4pQ6rS8tU") -> str:
    """n characters that look random enough for a detector and are no sequence or placeholder."""
    return (alphabet * (n // len(alphabet) + 1))[:n]


# One realistic fake per kept detector: (line of text, what find_secrets calls it).
FAKES = {
    "artifactory": (f"artifactory_token: AKCp8{mixed(68)}", "an Artifactory token or password"),
    # an access key id opens nothing without its secret: here they come together
    "aws_key_id": (f'aws_access_key_id = "AKIA{mixed(16).upper()}" secret = "{mixed(18)}/{mixed(21)}"', "an AWS access key"),
    "aws_secret": (f'aws_secret_access_key = "{mixed(18)}/{mixed(21)}"', "an AWS access key"),
    "azure": (f"DefaultEndpointsProtocol=https;AccountName=notes;AccountKey={mixed(86)}==", "an Azure storage account key"),
    # a password in a URL is never surely live: a warning (find_weak_secrets), not an error
    "basic_auth": ("DATABASE_URL=postgres://admin:" + "Tulip7Quartz" + "@db.acme-prod.net/app", "a password in a URL"),
    "cloudant": (f"cloudant_password = '{mixed(64, 'a1b2c3d4e5f60789')}'", "a Cloudant credential"),
    "discord": (f"DISCORD=M{mixed(23)}.{mixed(6)}.{mixed(27)}", "a Discord bot token"),
    "github": (f"git remote set-url origin https://ghp_{mixed(36)}", "a GitHub token"),
    "gitlab": (f"GITLAB_TOKEN=glpat-{mixed(20)}", "a GitLab token"),
    "ibm_iam": (f'ibm_cloud_iam_key = "{mixed(40)}-_xy"', "an IBM Cloud IAM key"),
    "ibm_cos": (f'cos_hmac_secret_access_key = "{mixed(48, "0a1b2c3d4e5f6789")}"', "an IBM Cloud Object Storage HMAC key"),
    "jwt": (
        f"Authorization: Bearer {b64url({'alg': 'HS256', 'typ': 'JWT'})}.{b64url({'sub': 'me', 'iat': 1})}.{mixed(43)}",
        "a JSON Web Token",
    ),
    "mailchimp": (f"MAILCHIMP={mixed(32, '0a1b2c3d4e5f6789')}-us12", "a Mailchimp API key"),
    "npm": (f"//registry.npmjs.org/:_authToken=npm_{mixed(36)}", "an npm token"),  # pragma: allowlist secret
    "openai": (f"OPENAI_API_KEY=sk-proj{mixed(20)}T3BlbkFJ{mixed(20)}", "an OpenAI API key"),
    "private_key": ("-----BEGIN OPENSSH " + "PRIVATE KEY-----", "a private key"),
    "pypi": (f"password = pypi-AgEIcHlwaS5vcmc{mixed(70)}", "a PyPI token"),
    "sendgrid": (f"SENDGRID=SG.{mixed(22)}.{mixed(43)}", "a SendGrid API key"),
    "slack_token": (f"SLACK=xoxb-123456789012-1234567890123-{mixed(24)}", "a Slack token or webhook URL"),  # pragma: allowlist secret
    "slack_webhook": (
        f"https://hooks.slack.com/services/T0{mixed(8).upper()}/B0{mixed(8).upper()}/{mixed(24)}",
        "a Slack token or webhook URL",
    ),
    "softlayer": (f"softlayer_api_key = {mixed(64, 'a1b2c3d4e5f6g7h8')}", "a SoftLayer credential"),
    "square": (f"SQUARE=sq0csp-{mixed(43)}", "a Square OAuth secret"),
    "stripe": (f'stripe.api_key = "sk_live_{mixed(24)}"', "a Stripe secret key"),
    "telegram": (f"bot = Bot('123456789:{mixed(35)}')", "a Telegram bot token"),
    "twilio": (f"TWILIO_SID=AC{mixed(32, 'a1b2c3d4e5f60789')}", "a Twilio API key"),
}


WEAK_KINDS = frozenset({"basic_auth"})


@pytest.mark.parametrize("kind", sorted(FAKES))
def test_each_detector_finds_its_fake(kind: str) -> None:
    line, what = FAKES[kind]
    text = f"Some prose first.\n\n```\n{line}\n```\n"
    strong, weak = (() , (Leak(4, what),)) if kind in WEAK_KINDS else ((Leak(4, what),), ())
    assert (find_secrets(text), leaks.find_weak_secrets(text)) == (strong, weak)


def test_every_kept_detector_has_a_fake() -> None:
    assert {what for _, what in FAKES.values()} == {what for _, what in secrets._DETECTORS.values()}
    assert len(secrets._detectors()) == 23


def test_a_leak_never_holds_the_value() -> None:
    for line, _ in FAKES.values():
        for leak in find_secrets(line):
            assert all(len(part) < 12 or part not in leak.what for part in re.split(r"[\s\"'=:]+", line))


def test_line_numbers_are_those_of_the_text() -> None:
    aws, _ = FAKES["aws_key_id"]
    stripe, _ = FAKES["stripe"]
    text = f"# Title\n\nfirst\n{aws}\n\n- a list\n- {stripe}\n\n{aws} and {stripe}\n"
    assert find_secrets(text) == (
        Leak(4, "an AWS access key"),
        Leak(7, "a Stripe secret key"),
        Leak(9, "a Stripe secret key"),
        Leak(9, "an AWS access key"),
    )


def test_allowlist_pragma_on_the_line() -> None:
    aws, _ = FAKES["aws_key_id"]
    assert find_secrets(f"{aws}  # pragma: allowlist secret\n") == ()
    assert find_secrets(f"{aws} <!-- pragma: allowlist secret -->\n") == ()
    assert find_secrets(f"{aws} // pragma: allowlist secret\n") == ()


def test_allowlist_pragma_on_the_line_before() -> None:
    aws, _ = FAKES["aws_key_id"]
    assert find_secrets(f"<!-- pragma: allowlist nextline secret -->\n{aws}\n{aws}\n") == (Leak(3, "an AWS access key"),)
    assert find_secrets(f"```python\n# pragma: allowlist nextline secret\n{aws}\n```\n") == ()
    assert find_secrets(f"- item\n    # pragma: allowlist nextline secret\n    {aws}\n") == ()
    # as in detect-secrets, text before a nextline pragma makes it count for nothing
    assert find_secrets(f"x = 1  # pragma: allowlist nextline secret\n{aws}\n") == (Leak(2, "an AWS access key"),)


def test_placeholders_are_not_secrets() -> None:
    text = (
        "postgres://admin:{password}@db.example.com/app\n"
        "postgres://admin:$DB_PASSWORD@db.example.com/app\n"
        "postgres://admin:****@db.example.com/app\n"
        "https://user:<password>@example.com\n"
    )
    assert find_secrets(text) == ()


PROSE = """\
# What I learned about caching this week

Today I finally understood why our dashboard was slow. The query planner in
PostgreSQL 16.1 picked a sequential scan because the statistics were stale;
running `ANALYZE events;` fixed it. See [the docs](https://www.postgresql.org/docs/16/sql-analyze.html)
and <https://example.org/2024/05/17/caching-notes-and-the-long-tail-of-latency/>.

Commit 3f786850e387550fdab836ed7e6dc881de23001b fixed it, following
9c1185a5c5e9fc54612808977ee8f548b2258d31 and a0b1c2d. The run id was
123e4567-e89b-12d3-a456-426614174000 (UUIDs are fine), the colour #ff8800 and #A0B1C2,
the server 192.168.1.10 and the public DNS 8.8.8.8, version 1.2.3.4 of the client.
Email me at someone@example.org or ping @someone on the forum. It's 10:45:00 now.

```python
def cohort_retention(events, weeks=8):
    api_key = os.environ["STRIPE_API_KEY"]  # never in the code
    token = get_token(user_id="u_1234567890abcdef")
    password = getpass.getpass()
    base = "3f786850e387550fdab836ed7e6dc881de23001b"
    url = f"https://api.example.com/v1/users/{user_id}/sessions?limit=100&offset=200"
    return [sum(1 for w in seen.values() if k in w) for k in range(weeks)]
```

```sql
SELECT date_trunc('week', created_at) AS week, count(DISTINCT user_id) AS active
FROM events WHERE created_at > now() - interval '90 days' GROUP BY 1;
```

```sh
export API_KEY=$API_KEY
curl -H "Authorization: Bearer $TOKEN" https://api.example.com/v1/me
docker run --rm -p 8080:80 ghcr.io/example/notes-and-learning-in-public-site:2024.05.17
```

| metric | value |
|---|---|
| p95 latency | 230 ms |
| keyspace_hits | 99.2% |

The key takeaway: pass the password through the environment, never the token itself.
My rule for the password: "a manager remembers it, not me".
A sha256 digest: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.
Base64 of a thumbnail: data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==
A slug: /2023/12/31/year-in-review-what-worked-what-did-not-and-what-comes-next/
Long words: internationalization, antidisestablishmentarianism, Pneumonoultramicroscopicsilicovolcanoconiosis.
"""


def test_prose_markdown_and_code_give_nothing() -> None:
    assert find_secrets(PROSE) == ()


def test_detectors_left_out_would_have_flooded_prose() -> None:
    from detect_secrets.plugins.high_entropy_strings import HexHighEntropyString
    from detect_secrets.plugins.ip_public import IPPublicDetector
    from detect_secrets.plugins.keyword import KeywordDetector

    lines = PROSE.splitlines()
    assert any(list(IPPublicDetector().analyze_string(line)) for line in lines)
    assert any(list(HexHighEntropyString().analyze_string(line)) for line in lines)  # a quoted commit id
    assert any(KeywordDetector().analyze_line("entry.md", line) for line in lines)


def test_slugs_and_paths_are_not_read() -> None:
    slug = "/2024/05/17/caching-notes-and-the-long-tail-of-latency-in-queues/"
    assert secrets._candidate_lines(slug.encode(), slug.encode().translate(secrets._SKELETON)) == []
    token = "/2024/05/17/caching-notes-and-the-long-tail-of-Latency-in-queues/"
    assert secrets._candidate_lines(token.encode(), token.encode().translate(secrets._SKELETON)) == [(0, len(token))]


def test_long_minified_lines_are_read_around_their_tokens() -> None:
    stripe, _ = FAKES["stripe"]
    assert find_secrets("var a=1;" * 2000 + stripe + ";var b=2;" * 2000) == (Leak(1, "a Stripe secret key"),)


# The prefilter must never hide what the detectors would report on a line that
# passes its documented test (a run of TOKEN_RUN token characters with a capital,
# _, = or \, or as many letters and digits in a row; an @, "PRIVATE KEY" or
# ":_authToken="): compare with every detector on every line.

_ASCII_LINE = st.characters(codec="ascii", exclude_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85")
_PATTERNS = [p for detector in secrets._detectors().values() for p in detector.plugin.denylist]


def _qualifies(line: str) -> bool:
    runs = [r for r in re.findall(f"[{re.escape(secrets.TOKEN_CHARS)}]+", line) if len(r) >= secrets.TOKEN_RUN]
    strong = [r for r in runs if re.search(r"[A-Z_=\\]", r) or any(len(part) >= secrets.TOKEN_RUN for part in re.split("[-/]", r))]
    return bool(strong) or any(literal in line for literal in ("@", "PRIVATE KEY", ":_authToken="))


def _reference(text: str) -> tuple[Leak, ...]:
    found = set()
    lines = text.split("\n")
    data, start = text.encode(), 0
    for number, line in enumerate(lines):
        end = start + len(line.encode())
        where, start = (start, end), end + 1
        line = line.rstrip()
        if not _qualifies(line):
            continue
        previous = lines[number - 1] if number else ""
        for detector in secrets._detectors().values():
            values = [v for v in detector.plugin.analyze_string(line) if not secrets._placeholder(v)
                      and secret_strength.strength(detector.name, v, line, data, *where) == secret_strength.STRONG]
            if values and not secrets._allowlisted(line, previous):
                found.add(Leak(number + 1, detector.what))
    return tuple(sorted(found))


_LINES = st.one_of(
    st.sampled_from(_PATTERNS).flatmap(lambda p: st.from_regex(p, alphabet=_ASCII_LINE)),
    st.sampled_from([line for line, _ in FAKES.values()]),
    st.sampled_from([*PROSE.splitlines(), "# pragma: allowlist nextline secret", "<!-- pragma: allowlist secret -->"]),
    st.text(alphabet=string.ascii_letters + string.digits + " _-+/=.:@'\"", max_size=80),
).filter(lambda line: "\n" not in line and len(line) < 1500)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(_LINES, min_size=1, max_size=6), st.lists(st.sampled_from(["", "  # pragma: allowlist secret"]), min_size=6, max_size=6))
def test_prefilter_hides_nothing_the_detectors_report(lines: list[str], pragmas: list[str]) -> None:
    text = "\n".join(line + pragma for line, pragma in zip(lines, pragmas, strict=False))
    assert find_secrets(text) == _reference(text)


# --- never-publish terms ----------------------------------------------------


def test_terms_match_case_insensitively_on_word_boundaries() -> None:
    terms = compile_terms(["Acme"])
    text = "ACME, said the note.\nacme's offices\nAcmesoft is different\nMegaAcme too\n(acme)\nacme_corp is one word"
    assert [leak.line for leak in find_terms(text, terms)] == [1, 2, 5]
    assert {leak.what for leak in find_terms(text, terms)} == {"the never-publish term 'Acme'"}


def test_terms_are_unicode_aware() -> None:
    terms = compile_terms(["Zoë", "Ørsted"])
    assert [leak.line for leak in find_terms("ZOË's talk\nØRSTED\nZoëlle\nzoe\u0308 again\nZoe", terms)] == [1, 2, 4]
    assert find_terms("Straße café", compile_terms(["CAFÉ"])) == (Leak(1, "the never-publish term 'CAFÉ'"),)
    # the Kelvin sign and dotless i are the same letters as k and i to the regex engine
    assert find_terms("\u212aiosk and k\u0131osk", compile_terms(["kiosk"])) == (Leak(1, "the never-publish term 'kiosk'"),)


def test_a_phrase_is_found_across_line_breaks() -> None:
    terms = compile_terms(["Project  Bluebird"])
    text = "intro\nwe shipped Project\n   Bluebird today\nproject\tbluebird\nProjectBluebird"
    what = "the never-publish term 'Project  Bluebird'"
    assert find_terms(text, terms) == (Leak(2, what), Leak(4, what))


def test_terms_edges_that_are_not_word_characters() -> None:
    terms = compile_terms(["C++", ".NET"])
    assert [leak.line for leak in find_terms("I like C++.\nASP.NET core\nC+++\nCpp", terms)] == [1, 2, 3]


def test_regex_items() -> None:
    terms = compile_terms([r"/project[- ]?x\d+/", "/acme(soft)?/"])
    text = "Notes on PROJECT-X12\nproject x9 too\nprojectx\nAcmesoft and acme\nsubacme"
    assert find_terms(text, terms) == (
        Leak(1, r"the never-publish term '/project[- ]?x\d+/'"),
        Leak(2, r"the never-publish term '/project[- ]?x\d+/'"),
        Leak(4, "the never-publish term '/acme(soft)?/'"),
    )


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("/acme(/", "not a valid regular expression: missing ), unterminated subpattern at character 5"),
        ("/[z-a]/", "not a valid regular expression: bad character range z-a"),
        ("/a*/", "matches empty text"),
        ("/(?x) acme  corp/", "cannot be used inside a larger pattern: global flags not at the start"),
        ("   ", "empty"),
    ],
)
def test_bad_items_say_what_is_wrong(item: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        compile_terms(["fine", item])


def test_terms_are_hashable_and_picklable() -> None:
    terms = compile_terms(["Acme Corp", "/globex\\d/"])
    assert pickle.loads(pickle.dumps(terms)) == terms
    assert hash(terms) == hash(compile_terms(["Acme Corp", "/globex\\d/"]))
    assert find_terms("acme corp", pickle.loads(pickle.dumps(terms)))
    assert find_terms("anything", compile_terms([])) == ()


_LETTERS = "abcdekiosßé\u0301\u0308KIOSÉ\u212a\u0131\u0130\u017f-'"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_LETTERS + " \n", max_size=60), st.text(alphabet=_LETTERS, min_size=1, max_size=5))
def test_the_cheap_look_never_hides_a_match(text: str, word: str) -> None:
    # find_terms looks for a plain item's words before running its pattern; the
    # result must be that of the pattern alone, over the text in NFC
    terms = compile_terms([word])
    (term,) = terms_mod._terms(terms.items)
    nfc = unicodedata.normalize("NFC", text)
    lines = {nfc.count("\n", 0, m.start()) + 1 for m in term.pattern.finditer(nfc) if m.end() > m.start()}
    assert [leak.line for leak in find_terms(text, terms)] == sorted(lines)


# --- the final scan of the output ---------------------------------------------

TERMS = compile_terms(["Acme Corp", "Globex", "/initech-\\d+/"])
PRIVATE_TEXT = """\
# Salary talk

I told my manager that the reorganisation of the data team felt rushed and unfair to the juniors.
She said the board wants the **new structure** in place before the [audit](https://example.org/audit) in March.

- a short item
- I am considering leaving if the on-call rotation stays at one week in three for everyone.
"""


def page(body: str) -> bytes:
    head = '<!doctype html>\n<html lang="en">\n<head><title>Notes</title></head>\n<body>\n<main>\n'
    return f"{head}{body}\n</main>\n</body>\n</html>\n".encode()


def test_a_clean_page_gives_nothing() -> None:
    html = MarkdownIt("commonmark").render(PROSE)
    assert scan_output(page(html), "index.html", TERMS, private_snippets(PRIVATE_TEXT)) == ()


def test_terms_through_entities_tags_and_attributes() -> None:
    oreilly = compile_terms(["O'Reilly"])
    assert scan_output(page("<p>O&#39;Reilly&#x27;s book</p>"), "a.html", oreilly) == ("the never-publish term 'O'Reilly'",)
    assert scan_output(page("<p>Acme&nbsp;<em>Corp</em> said</p>"), "a.html", TERMS) == ("the never-publish term 'Acme Corp'",)
    assert scan_output(page("<p>GLOBEX&#x27;s &amp; friends</p>"), "a.html", TERMS) == ("the never-publish term 'Globex'",)
    assert scan_output(page('<p><a href="/topics/globex/">a topic</a></p>'), "a.html", TERMS) == ("the never-publish term 'Globex'",)
    assert scan_output(page('<meta name="description" content="Initech-42 retro">'), "a.html", TERMS) == (
        "the never-publish term '/initech-\\d+/'",
    )


def rss(html_content: str) -> bytes:
    item = f"<item><title>Notes</title><description>{escape(html_content)}</description></item>"
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>{item}</channel></rss>\n'.encode()


def test_feeds_with_escaped_html_inside() -> None:
    feed = rss("<p>We met <strong>Acme</strong>&nbsp;Corp&#x27;s team &amp; Globex.</p>")
    assert b"&amp;nbsp;" in feed  # the entity is escaped twice
    assert scan_output(feed, "feed.xml", TERMS) == ("the never-publish term 'Acme Corp'", "the never-publish term 'Globex'")
    cdata = b"<rss><channel><item><description><![CDATA[<p>Acme <em>Corp</em></p>]]></description></item></channel></rss>"
    assert scan_output(cdata, "feed.xml", TERMS) == ("the never-publish term 'Acme Corp'",)


def test_private_passages_through_markup_and_escaping() -> None:
    passages = private_snippets(PRIVATE_TEXT)
    leaked = MarkdownIt("commonmark").render(PRIVATE_TEXT.split("\n", 2)[2])
    assert scan_output(page(leaked), "a.html", TERMS, passages) == tuple(f"private passage {n}" for n in range(len(passages)))
    assert scan_output(rss(leaked), "feed.xml", TERMS, passages) == tuple(f"private passage {n}" for n in range(len(passages)))
    split = page(
        "<p>She said the board wants the <strong>new\n  structure</strong> in place before the <a href='/x'>audit</a> in March.</p>"
    )
    assert scan_output(split, "a.html", TERMS, passages) == ("private passage 1",)
    quoted = page("<p>I told my manager that the reorganisation of the data team felt rushed &amp; unfair</p>")
    assert scan_output(quoted, "a.html", TERMS, passages) == ()  # not the same words


def test_a_summary_cut_short_is_still_found() -> None:
    text = " ".join(f"word{i}" for i in range(60)) + "."
    passages = private_snippets(text)
    assert len(passages) == 5
    excerpt = page(f"<p>{text[:170]}…</p>")  # 27 words and a half
    assert scan_output(excerpt, "index.html", TERMS, passages) == ("private passage 0", "private passage 1")


def test_private_snippets_pick_distinctive_passages() -> None:
    passages = private_snippets(PRIVATE_TEXT + "\nThanks for reading!\n\nSee you next week.\n")
    assert passages == (
        "I told my manager that the reorganisation of the data team felt rushed and unfair to the juniors",
        "She said the board wants the new structure in place before the audit in March",
            "I am considering leaving if the on call rotation stays at one week in three for everyone",
    )
    assert all(len(p.split()) >= leaks.MIN_PASSAGE_WORDS for p in passages)
    markers = "2. **Count rows after every step.** Especially after a join, before you trust the sum.\n"
    markers += "- [x] Answer one real product question with my own query (the pricing experiment)\n"
    markers += "> ## Keep every query you write, because you will need the one you deleted\n"
    assert private_snippets(markers) == (
        "Count rows after every step Especially after a join before you trust the sum",
        "Answer one real product question with my own query the pricing experiment",
        "Keep every query you write because you will need the one you deleted",
    )
    long = private_snippets(" ".join(f"word{i}x" for i in range(30)) + ".")
    assert [len(p.split()) for p in long] == [12, 18]


def pagefind(document: Mapping[str, object]) -> bytes:
    return gzip.compress(b"pagefind_dcd" + json.dumps(document).encode())


def test_gzip_pagefind_fragments() -> None:
    content = "We met Acme Corp. I told my manager that the reorganisation of the data team felt rushed and unfair to the juniors."
    fragment = {"url": "/2024/notes/", "content": content, "meta": {"title": "Notes"}}
    passages = private_snippets(PRIVATE_TEXT)
    assert scan_output(pagefind(fragment), "en_1a2b3c.pf_fragment", TERMS, passages) == (
        "the never-publish term 'Acme Corp'",
        "private passage 0",
    )
    assert scan_output(pagefind({"url": "/", "content": "nothing to see"}), "x.pf_fragment", TERMS, passages) == ()
    assert scan_output(gzip.compress(b"pagefind_dcd\0asm\x01\0\0\0Acme Corp"), "wasm.en.pagefind", TERMS) == ()
    assert scan_output(gzip.compress(page("<p>Globex</p>")), "index.html.gz", TERMS) == ("the never-publish term 'Globex'",)


def test_gzip_that_cannot_be_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = gzip.compress(b"x")[:-6]
    assert scan_output(broken, "a.pf_fragment", TERMS) == ("a gzip file that cannot be decompressed, so cannot be checked",)
    monkeypatch.setattr(scan, "MAX_UNCOMPRESSED", 1000)
    (what,) = scan_output(gzip.compress(b"a" * 5000), "a.pf_index", TERMS)
    assert "too large to check" in what


def test_binary_files_are_skipped() -> None:
    assert scan_output(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR Acme Corp", "photo.png", TERMS) == ()
    assert scan_output(b"wOF2 Acme Corp", "font.woff2", TERMS) == ()
    assert scan_output(b"GIF89a\0\0 Acme Corp", "unknown.bin", TERMS) == ()


def test_secrets_in_pages_split_by_highlighting() -> None:
    aws_secret, _ = FAKES["aws_secret"]
    code = highlight(f"import boto3\n{aws_secret}\n", PythonLexer(), HtmlFormatter())
    assert "&quot;" in code or "&#39;" in code or '<span class="s2">' in code
    assert scan_output(page(code), "a.html", TERMS) == ("an AWS access key",)
    webhook, what = FAKES["slack_webhook"]
    link = page(f'<p>See <a href="{webhook}">the hook</a></p>')
    assert scan_output(link, "a.html", TERMS) == (what,)


def test_allowlisted_secrets_stay_allowed_in_the_output() -> None:
    aws, _ = FAKES["aws_key_id"]
    source = f"```python\n{aws}  # pragma: allowlist secret\n```\n"
    assert find_secrets(source) == ()
    code = highlight(f"{aws}  # pragma: allowlist secret\n", PythonLexer(), HtmlFormatter())
    assert scan_output(page(code), "a.html", TERMS) == ()
    # a search index drops the comment: the fingerprint from the source stands in for it
    fragment = pagefind({"url": "/a/", "content": f"Some notes {aws} more notes"})
    assert scan_output(fragment, "a.pf_fragment", TERMS) == ("an AWS access key",)
    allowed = leaks.allowlisted_secrets(source)
    assert len(allowed) == 1 and all(aws.split('"')[1] not in f for f in allowed)
    assert scan_output(fragment, "a.pf_fragment", TERMS, (), allowed) == ()
    stripe, _ = FAKES["stripe"]
    other = pagefind({"url": "/a/", "content": f"{aws} {stripe}"})
    assert scan_output(other, "a.pf_fragment", TERMS, (), allowed) == ("a Stripe secret key",)


def test_html_comment_pragma_in_a_page() -> None:
    jwt, _ = FAKES["jwt"]
    html = MarkdownIt("commonmark").render(f"Example token: `{jwt}` <!-- pragma: allowlist secret -->\n")
    assert scan_output(page(html), "a.html", TERMS) == ()
    assert scan_output(page(html.replace("<!-- pragma: allowlist secret -->", "")), "a.html", TERMS) == ("a JSON Web Token",)


def test_descriptions_hold_no_value_and_no_private_text() -> None:
    passages = private_snippets(PRIVATE_TEXT)
    lines = "\n".join(line for line, _ in FAKES.values())
    rendered = MarkdownIt("commonmark").render(PRIVATE_TEXT)
    found = scan_output(page(f"<pre>{escape(lines)}</pre>\n{rendered}"), "a.html", TERMS, passages)
    assert len(found) == len({what for kind, (_, what) in FAKES.items() if kind not in WEAK_KINDS}) + len(passages)
    for what in found:
        assert not any(word in what for word in ("manager", "reorganisation", "rotation"))
        assert not re.search(r"[A-Za-z0-9]{16}", what)


def test_this_file_holds_no_secret() -> None:
    assert find_secrets(Path(__file__).read_text(encoding="utf-8")) == ()
