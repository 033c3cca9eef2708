"""What must never be published: never-publish terms, secrets and the text of private entries.

Every check is a pure function of its arguments, cheap enough to run on every
build (a few percent of rendering the same text) and safe to call from worker
processes.

- ``find_secrets(text) -> tuple[Leak, ...]`` finds tokens and keys with the
  pattern detectors of detect-secrets (kept and dropped ones: ``_DETECTORS``).
  A byte-level prefilter passes only the lines that could hold one: a run of
  TOKEN_RUN token characters that is not a lowercase slug or path, an @,
  "PRIVATE KEY" or ":_authToken=" (every real credential the detectors know
  has one). A line is skipped when it carries detect-secrets' inline pragma:
  ``pragma: allowlist secret`` at its end, or ``pragma: allowlist nextline
  secret`` alone on the line before, in any comment style detect-secrets knows
  (``<!-- … -->``, ``# …``, ``// …``, ``/* … */``, ``-- …``).
- ``compile_terms(items) -> Terms`` compiles the ``privacy.never_publish`` list
  of publog.yaml (ValueError for a bad item); ``find_terms(text, terms) ->
  tuple[Leak, ...]`` finds its items, case-insensitively on word boundaries.
- ``scan_output(data, name, terms, private=(), allowlisted=frozenset()) ->
  tuple[str, ...]`` is the final check of one written file (HTML page, XML
  feed, JSON, gzip-compressed Pagefind index): terms, secrets and passages of
  private entries, looked for through escaping and markup.
  ``private_snippets(text, public) -> tuple[str, ...]`` picks the passages of a private
  entry to look for; ``allowlisted_secrets(text) -> frozenset[str]`` names the
  secrets an entry allowlists, so a copy that lost its pragma on the way (a
  search index drops comments) is not reported.

``Leak(line, what)`` has a 1-based line and a phrase for an error message.
Nothing here ever puts a secret's value or a private passage in a message:
error output may be pasted in public. A never-publish term is named, since the
author wrote it in their own configuration.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import importlib
import json
import re
import string
import unicodedata
import zlib
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # detect-secrets loads only when something is scanned: importing it takes 0.2 s
    from detect_secrets.plugins.base import RegexBasedDetector

# A passage of a private entry is looked for when it has this many words and
# characters: long enough that no public page says it by chance.
MIN_PASSAGE_WORDS = 10
MIN_PASSAGE_CHARS = 50
# A line is read for secrets when it has a run of TOKEN_RUN or more token
# characters with a capital, _, = or \ in it or TOKEN_RUN letters and digits in a
# row (not a lowercase slug or path like /2024/notes-on-caching-and-queues/), or
# an @, "PRIVATE KEY" or ":_authToken=". An AWS key id, the shortest real
# credential the detectors know, is 20 characters.
TOKEN_RUN = 20
TOKEN_CHARS = string.ascii_letters + string.digits + "_-+/=\\"
MAX_UNCOMPRESSED = 64 * 1024 * 1024
BINARY_SUFFIXES = (
    *(".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp", ".tif", ".tiff", ".heic"),
    *(".woff", ".woff2", ".ttf", ".otf", ".eot", ".pdf", ".zip", ".mp3", ".mp4", ".m4a", ".webm"),
    *(".ogg", ".wav", ".wasm", ".br", ".zst"),
)


@dataclass(frozen=True, order=True)
class Leak:
    """Something on `line` (1-based) that must not be published, as a phrase for an error message."""

    line: int
    what: str


# Bump when what find_secrets finds changes, so every cached entry is checked again.
DETECTORS_VERSION = "detect-secrets 1.5, publog 3"


@dataclass(frozen=True)
class Terms:
    """A never-publish list made by `compile_terms`; hashable and picklable, as it holds only the items."""

    items: tuple[str, ...] = ()


# --- secrets ---------------------------------------------------------------

# Kept: every regex detector of detect-secrets 1.5 whose pattern needs the shape
# of a real token. Dropped: Base64HighEntropyString, HexHighEntropyString and
# KeywordDetector (they flag nearly every line of prose, hashes and UUIDs), and
# IPPublicDetector (a public IP address or a four-part version number is not a
# secret, and learning logs are full of both).
_DETECTORS: dict[str, tuple[str, str]] = {  # name: (module.Class in detect_secrets.plugins, what)
    "artifactory": ("artifactory.ArtifactoryDetector", "an Artifactory token or password"),
    "aws": ("aws.AWSKeyDetector", "an AWS access key"),
    "azure": ("azure_storage_key.AzureStorageKeyDetector", "an Azure storage account key"),
    "basic_auth": ("basic_auth.BasicAuthDetector", "a password in a URL"),
    "cloudant": ("cloudant.CloudantDetector", "a Cloudant credential"),
    "discord": ("discord.DiscordBotTokenDetector", "a Discord bot token"),
    "github": ("github_token.GitHubTokenDetector", "a GitHub token"),
    "gitlab": ("gitlab_token.GitLabTokenDetector", "a GitLab token"),
    "ibm_iam": ("ibm_cloud_iam.IbmCloudIamDetector", "an IBM Cloud IAM key"),
    "ibm_cos": ("ibm_cos_hmac.IbmCosHmacDetector", "an IBM Cloud Object Storage HMAC key"),
    "jwt": ("jwt.JwtTokenDetector", "a JSON Web Token"),
    "mailchimp": ("mailchimp.MailchimpDetector", "a Mailchimp API key"),
    "npm": ("npm.NpmDetector", "an npm token"),
    "openai": ("openai.OpenAIDetector", "an OpenAI API key"),
    "private_key": ("private_key.PrivateKeyDetector", "a private key"),
    "pypi": ("pypi_token.PypiTokenDetector", "a PyPI token"),
    "sendgrid": ("sendgrid.SendGridDetector", "a SendGrid API key"),
    "slack": ("slack.SlackDetector", "a Slack token or webhook URL"),
    "softlayer": ("softlayer.SoftlayerDetector", "a SoftLayer credential"),
    "square": ("square_oauth.SquareOAuthDetector", "a Square OAuth secret"),
    "stripe": ("stripe.StripeDetector", "a Stripe secret key"),
    "telegram": ("telegram_token.TelegramBotTokenDetector", "a Telegram bot token"),
    "twilio": ("twilio.TwilioKeyDetector", "a Twilio API key"),
}
_KEYWORD_DETECTORS = ("aws", "cloudant", "ibm_iam", "ibm_cos", "softlayer")
# What follows the keyword in their patterns: an assignment and a value of at
# least 24 characters, or (AWS) up to 20 characters and a quoted value of 40.
_ASSIGNED = (
    r"""(?:["']?\]?[ ]*(?:[=:][=:>]?|[ ])[ ]*["']?(?i:[a-z0-9_\-]){20}"""
    r"""|[^\n]{0,24}?["'](?i:[a-z0-9/+]){40})"""
)

# Which detectors a line needs: every match of a detector's patterns contains a
# hit of a trigger naming it. A trigger is a first character and a condition
# around it; each hit is one character and no two triggers share a first
# character, so a hit never hides another. Case-insensitive patterns get
# case-insensitive triggers (the third k is the Kelvin sign, which matches k).
_TRIGGERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "upper_a": ("A", r"(?=KIA|SIA|BIA|CCA|3T|KC|P[\dA-F]|ccountKey=|C[a-z0-9])", ("aws", "artifactory", "azure", "twilio")),
    "upper_s": ("S", r"(?=G\.|K[a-z0-9])", ("sendgrid", "twilio")),
    "upper_t": ("T", r"(?=3BlbkFJ)", ("openai",)),
    "upper_g": ("G", r"(?=R1348941)", ("gitlab",)),
    "upper_j": ("J", r"(?<=eyJ)", ("jwt",)),
    # key, token, pw(d), pass(word) followed by an assignment and a long value, or for
    # AWS a quoted one a little later; PRIVATE KEY and PuTTY-User-Key-File share the p.
    "k": ("kK\u212a", rf"(?=(?i:e[yn]){_ASSIGNED})", _KEYWORD_DETECTORS),
    "p": ("pP", rf"(?=(?i:ass(?:word)?|wd?){_ASSIGNED})|(?<=P)(?=RIVATE KEY|uTTY-User-Key-File-2)", (*_KEYWORD_DETECTORS, "private_key")),
    "y": ("yY", r"(?<=(?i:softlay))", ("softlayer",)),
    # the colon before a password and an @ (user:password@host), npm's token, Telegram's bot id
    "colon": (":", r"""(?=[^\s:/?#\[\]@!$&'()*+,;=]+@)|(?=_authToken=)|(?<=\d{8}:)""", ("basic_auth", "cloudant", "npm", "telegram")),
    "underscore": ("_", r"(?<=gh[pousr]_)|(?<=[rs]k_)(?=live_)", ("github", "stripe")),
    "dash": (
        r"\-",
        (
            r"(?=us\d|AgE)|(?<=sq0csp-)|(?<=(?i:xox[abposr])-)"
            r"|(?<=gl[a-z]{2}-)|(?<=gl[a-z]{3}-)|(?<=gl[a-z]{4}-)|(?<=gl[a-z]{5}-)"
        ),
        ("mailchimp", "pypi", "square", "slack", "gitlab"),
    ),
    "dot": (".", r"(?=[a-zA-Z\d_-]{6}\.|(?i:slack\.com/))", ("discord", "slack")),
}

# Token characters become x and everything else a space, so a run of TOKEN_RUN
# x's is a plain substring search.
_SKELETON = bytes(120 if chr(c) in TOKEN_CHARS else 32 for c in range(256))
_WEAK = (string.ascii_lowercase + string.digits + "-/+").encode()
_LINE_LITERALS = (b"@", b"PRIVATE KEY", b":_authToken=")
_LONG_LINE = 2048
_MARGIN = 256


@dataclass(frozen=True)
class _Detector:
    name: str
    plugin: RegexBasedDetector
    what: str


@dataclass(frozen=True)
class _Hit:
    line: int
    detector: _Detector
    values: tuple[str, ...]
    allowlisted: bool
    strong: bool = True  # surely a live credential (an error); else a weak signal (a warning)


@functools.cache
def _detectors() -> dict[str, _Detector]:
    detectors = {}
    for name, (path, what) in _DETECTORS.items():
        module, plugin = path.rsplit(".", 1)
        detectors[name] = _Detector(name, getattr(importlib.import_module(f"detect_secrets.plugins.{module}"), plugin)(), what)
    return detectors


@functools.cache
def _trigger() -> re.Pattern[str]:
    # [first characters](?:(?<=[A])(?:condition)(?P<upper_a>)|...): the empty group names the trigger
    firsts = "".join(first for first, _, _ in _TRIGGERS.values())
    alternatives = "|".join(f"(?<=[{first}])(?:{cond})(?P<{name}>)" for name, (first, cond, _) in _TRIGGERS.items())
    return re.compile(f"[{firsts}](?:{alternatives})")


def find_secrets(text: str) -> tuple[Leak, ...]:
    """Each line of `text` (1-based) holding a live credential (see `_strength`) that a kept detector
    of detect-secrets reports, and that no allowlist pragma covers; one Leak per line and kind, in order."""
    return tuple(sorted({Leak(hit.line, hit.detector.what) for hit in _text_hits(text) if not hit.allowlisted and hit.strong}))


def find_weak_secrets(text: str) -> tuple[Leak, ...]:
    """The lines of `text` holding what may be a credential but is not surely one (a password in a
    URL of a public host, an AWS access key id without its secret): for a warning, not an error."""
    strong = {(hit.line, hit.detector.name) for hit in _text_hits(text) if hit.strong}
    return tuple(sorted({Leak(hit.line, hit.detector.what) for hit in _text_hits(text)
                         if not hit.allowlisted and not hit.strong and (hit.line, hit.detector.name) not in strong}))


@functools.lru_cache(maxsize=2)
def _text_hits(text: str) -> tuple[_Hit, ...]:
    # find_secrets and find_weak_secrets read the same text one after the other
    return tuple(_secret_hits(text.encode("utf-8", "surrogatepass"), markup=False))


def allowlisted_secrets(text: str) -> frozenset[str]:
    """Fingerprints of the secrets `text` allowlists with a pragma, for `scan_output`.

    A fingerprint is a hash of the detector and the value: it says "this exact value was
    allowlisted" and does not give the value away."""
    return frozenset(_fingerprint(hit.detector, value) for hit in _text_hits(text) if hit.allowlisted for value in hit.values)


def rendered_secrets(html: str, text: str) -> tuple[Leak, ...]:
    """The secrets of an entry's rendered body `html` (what is published of it, exactly), each at the
    line of its source `text` where the value is written (1 when it is not written as it is).

    The check of the source reads its private passages and comments out of raw text; this one
    does not depend on that reading agreeing with the renderer's (``%%`` in code is code)."""
    hits = [hit for hit in _secret_hits(html.encode("utf-8", "surrogatepass"), markup=True) if not hit.allowlisted and hit.strong]
    if not hits:
        return ()
    allowlisted = allowlisted_secrets(text) if "allowlist" in text else frozenset()
    found = set()
    for hit in hits:
        values = [v for v in hit.values if _fingerprint(hit.detector, v) not in allowlisted]
        if values:
            found.add(Leak(secret_line(text, hit.detector.what, values) or 1, hit.detector.what))
    return tuple(sorted(found))


def line_of(text: str, needles: Sequence[str]) -> int | None:
    """The 1-based line of `text` where the first of `needles` found in it is; None when none is."""
    for needle in needles:
        pos = text.find(needle) if needle else -1
        if pos >= 0:
            return text.count("\n", 0, pos) + 1
    return None


def secret_line(text: str, what: str, values: Sequence[str]) -> int | None:
    """The 1-based line of the source `text` where a secret (`what`, one of `values`) is written: where
    a detector finds it, not the first line that happens to hold its text (a password "postgres" is in
    many lines that are no credential); else where a value is first found; None when none is."""
    wanted = set(values)
    hits = [hit for hit in _text_hits(text) if wanted.intersection(hit.values)] if text else []
    for hit in sorted(hits, key=lambda hit: (not hit.strong, hit.detector.what != what, hit.line)):
        return hit.line
    return line_of(text, values)


def _fingerprint(detector: _Detector, value: str) -> str:
    return hashlib.sha256(f"{detector.name}\0{value}".encode("utf-8", "surrogatepass")).hexdigest()


def _secret_hits(data: bytes, markup: bool) -> Iterator[_Hit]:
    """What the detectors report on the lines of UTF-8 `data` that the prefilter lets through;
    with `markup`, each line is read as a reader would see it (see _unmark)."""
    skeleton = data.translate(_SKELETON)
    line_no, counted = 1, 0
    for start, end in _candidate_lines(data, skeleton):
        line_no += data.count(b"\n", counted, start)
        counted = start
        whole: tuple[str, str] | None = None  # the line and the one before, for the pragmas
        for piece_start, piece_end in _pieces(data, skeleton, start, end):
            piece = _decoded(data[piece_start:piece_end], markup)
            names = {name for hit in _trigger().finditer(piece) for name in _TRIGGERS[hit.lastgroup or ""][2]}
            for name in (name for name in _DETECTORS if name in names):
                detector = _detectors()[name]
                judged = {v: _strength(name, v, piece, data, start, end)
                          for v in dict.fromkeys(detector.plugin.analyze_string(piece)) if not _placeholder(v)}
                values = tuple(v for v, strength in judged.items() if strength)
                if values:
                    if whole is None:
                        before = data[data.rfind(b"\n", 0, start - 1) + 1 : start - 1] if start else b""
                        whole = (_decoded(data[start:end], markup), _decoded(before, markup))
                    yield _Hit(line_no, detector, values, _allowlisted(*whole), STRONG in judged.values())


def _runs(data: bytes, skeleton: bytes, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Where the runs of token characters of data[start:end] that could hold a secret start and stop."""
    needle = b"x" * TOKEN_RUN
    pos = skeleton.find(needle, start, end)
    while pos >= 0:
        stop = skeleton.find(b" ", pos, end)
        stop = end if stop < 0 else stop
        run = data[pos:stop]
        if run.translate(None, _WEAK) or any(len(part) >= TOKEN_RUN for part in run.replace(b"/", b"-").split(b"-")):
            yield pos, stop
        pos = skeleton.find(needle, stop, end)


def _hits(data: bytes, skeleton: bytes, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The runs and line literals of data[start:end], where each starts and stops."""
    yield from _runs(data, skeleton, start, end)
    for literal in _LINE_LITERALS:
        pos = data.find(literal, start, end)
        while pos >= 0:
            yield pos, pos + len(literal)
            pos = data.find(literal, pos + len(literal), end)


def _candidate_lines(data: bytes, skeleton: bytes) -> list[tuple[int, int]]:
    """Where the lines of `data` with a run or a line literal start and end."""
    starts = {data.rfind(b"\n", 0, pos) + 1 for pos, _ in _hits(data, skeleton, 0, len(data))}
    lines = []
    for start in sorted(starts):
        end = data.find(b"\n", start)
        lines.append((start, len(data) if end < 0 else end))
    return lines


def _pieces(data: bytes, skeleton: bytes, start: int, end: int) -> list[tuple[int, int]]:
    """The line from `start` to `end`, or for a long one (minified code) the stretches around
    its runs and literals, `_MARGIN` bytes either side: the detectors' context is that close."""
    if end - start <= _LONG_LINE:
        return [(start, end)]
    merged: list[tuple[int, int]] = []
    for pos, stop in sorted(_hits(data, skeleton, start, end)):
        piece = (max(start, pos - _MARGIN), min(end, stop + _MARGIN))
        if merged and piece[0] <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], piece[1]))
        else:
            merged.append(piece)
    return merged


def _decoded(line: bytes, markup: bool) -> str:
    text = line.decode("utf-8", errors="replace").rstrip()
    return _unmark(text) if markup else text


def _placeholder(value: str) -> bool:
    # detect-secrets' own filters for values that are not secrets ({password}, $TOKEN, ****, 123456).
    # Left out: is_indirect_reference, which skips any line shaped like `x = f(...)` and so
    # `client = Client("sk_live_...")`, the very line a learning log pastes; and
    # is_potential_uuid, which would hide npm's UUID-shaped tokens.
    from detect_secrets.filters.heuristic import (
        is_not_alphanumeric_string,
        is_prefixed_with_dollar_sign,
        is_sequential_string,
        is_templated_secret,
    )

    return (
        is_templated_secret(value)
        or is_prefixed_with_dollar_sign(value)
        or is_not_alphanumeric_string(value)
        or is_sequential_string(value)
    )


# --- how sure a finding is -----------------------------------------------------

# A finding is an error only when it is surely a live credential: a private key, a token in a
# format its provider can check (GitHub, Slack, Stripe, npm ...), a signed JSON Web Token, an AWS
# access key with its secret beside it. What may be one but is not sure (a random-looking
# password in a URL of a public host, an AWS key id alone, a long value assigned to a "key"
# with no vendor named) is a warning. Placeholders are nothing: learning logs are full of
# postgres://postgres:password@localhost and of keys quoted from documentation.
STRONG, WEAK = "strong", "weak"
# Words of placeholder passwords (mypassword, docker-password, RANDOM_PASSWORD, changeme ...).
_PLACEHOLDER_WORDS = re.compile(
    r"pass|pwd|secret|change|example|dummy|sample|test|demo|placeholder|your|token|redacted|admin|root|guest"
    r"|user|postgres|mysql|mongo|redis|default|letmein|qwerty|xxx|123|abc|foo|bar|docker|local|hunter",
    re.I,
)
_TEMPLATED = re.compile(r"[%${}<>\[\]*…]|\.\.\.")
_VARIABLE_NAME = re.compile(r"[A-Z][A-Z0-9_]*")  # PASS, RANDOM_PASSWORD, PAT: a name to put a value in
# Hosts no reader of a page can reach: the writer's own machine, a private network, a container's
# name, a documentation domain, a template.
_LOCAL_HOST = re.compile(
    r"(?:localhost|.*\.localhost|127\.[\d.]+|0\.0\.0\.0|\[?::1\]?|10\.[\d.]+|192\.168\.[\d.]+"
    r"|172\.(?:1[6-9]|2\d|3[01])\.[\d.]+|.*\.(?:internal|local|lan|home|test|example|invalid|localdomain)"
    r"|(?:.*\.)?example\.(?:com|net|org)|[^.]*)",
    re.I,
)
_AWS_SECRET = re.compile(rb"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_AWS_NEAR = 3  # lines either side of a key id where its secret is looked for
_VENDORS = {"ibm_iam": ("ibm", "iam"), "ibm_cos": ("ibm", "cos"), "cloudant": ("cloudant",), "softlayer": ("softlayer",)}
_PUBLIC_DOCUMENT = re.compile(r"(?:docs|drive|sheets)\.google\.com/", re.I)


def _strength(name: str, value: str, piece: str, data: bytes, start: int, end: int) -> str | None:
    """STRONG, WEAK or None (a placeholder) for `value`, which detector `name` found in `piece`, a
    stretch of the line data[start:end]."""
    if "EXAMPLE" in value.upper():  # AKIAIOSFODNN7EXAMPLE and the like, quoted from documentation
        return None
    if name == "basic_auth":
        return _password_strength(value, piece)
    if name == "jwt":
        return _jwt_strength(value, piece)
    if name == "aws":
        if re.fullmatch(r"(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}", value):
            return STRONG if _aws_secret_near(data, start, end) else WEAK
        return STRONG
    if name in _VENDORS:
        if _PUBLIC_DOCUMENT.search(piece):  # the key of a shared Google document names it, and opens nothing
            return None
        return STRONG if any(vendor in piece.lower() for vendor in _VENDORS[name]) else WEAK
    return STRONG


def _password_strength(password: str, piece: str) -> str | None:
    """A password in a URL is never surely live (no provider can say): WEAK when it looks random and
    the host is public, else a placeholder."""
    found = re.search(r"([^\s:/?#\[\]@'\"`=]*):" + re.escape(password) + r"@([^\s/?#'\"`<>,;)]*)", piece)
    user, host = (found.group(1), found.group(2)) if found else ("", "")
    host = re.sub(r":\d*$", "", host)
    if (len(password) < 8 or password.lower() == user.lower() or _TEMPLATED.search(password)
            or _VARIABLE_NAME.fullmatch(password) or _PLACEHOLDER_WORDS.search(password)):
        return None
    if not host or _TEMPLATED.search(host) or _LOCAL_HOST.fullmatch(host):
        return None
    return WEAK


def _jwt_strength(token: str, piece: str) -> str | None:
    """A signed token is a credential; an unsigned one (alg none, or no signature) proves nothing,
    and jwt.io's sample is everyone's example."""
    parts = token.split(".")
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)).decode("utf-8", "replace")
    except (ValueError, IndexError):
        return None
    if not isinstance(header, dict) or str(header.get("alg", "")).lower() in ("", "none"):
        return None
    after = piece[piece.find(token) + len(token):] if token in piece else ""
    signature = parts[2] if len(parts) > 2 and parts[2] else re.match(r"\.?([A-Za-z0-9_-]*)", after).group(1)  # type: ignore[union-attr]
    if len(signature) < 16 or ('"1234567890"' in payload and "John Doe" in payload):
        return None
    return STRONG


def _aws_secret_near(data: bytes, start: int, end: int) -> bool:
    """Whether a secret access key (40 characters, not documentation's EXAMPLEKEY) is written within
    _AWS_NEAR lines of the key id on data[start:end]: the pair opens the account, the id alone does not."""
    low, high = start, end
    for _ in range(_AWS_NEAR):
        low = data.rfind(b"\n", 0, max(low - 1, 0)) + 1 if low > 0 else 0
        nxt = data.find(b"\n", high + 1)
        high = len(data) if nxt < 0 else nxt
    return any(b"EXAMPLE" not in m.group(0).upper() and not m.group(0).isalpha() and not m.group(0).isdigit()
               and m.group(0) != m.group(0).lower() and not m.group(0).startswith(b"eyJ")  # JSON in base64
               for m in _AWS_SECRET.finditer(data, low, high))


def _allowlisted(line: str, previous: str) -> bool:
    # The previous line is stripped so an indented nextline pragma (in a list item or
    # code block) counts too; detect-secrets itself wants it at the start of the line.
    from detect_secrets.filters.allowlist import is_line_allowlisted
    from detect_secrets.util.code_snippet import CodeSnippet

    return is_line_allowlisted("entry.md", line, CodeSnippet([previous.strip(), line], 0, 1))


# --- YAML settings ---------------------------------------------------------

_YAML_COMMENT = re.compile(r"""(?:^|(?<=[ \t]))#.*$""")
_YAML_BLOCK = re.compile(r"(?:^|[:\s-])[|>][-+0-9]*\s*$")
_YAML_QUOTED = re.compile(r"'(?:[^']|'')*'" + r'|"(?:[^"\\]|\\.)*"')


def yaml_published(text: str) -> str:
    """The YAML `text` (publog.yaml, network.yaml) with its comments blanked, lines kept: no page shows
    a comment, so a term or token in one is not published. A comment holding an allowlist pragma stays,
    for the line it speaks for."""
    lines = text.split("\n")
    block: int | None = None  # the indent of the key of a block scalar (|, >) being read: its lines are text
    for number, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if block is not None and (not line.strip() or indent > block):
            continue
        block = None
        # a # inside quotes is text; the first one after a space outside them starts a comment
        masked = _YAML_QUOTED.sub(lambda m: "x" * len(m.group(0)), line) if "#" in line else line
        found = _YAML_COMMENT.search(masked)
        if found and "allowlist" not in line[found.start():]:
            lines[number] = line = line[: found.start()]
        if _YAML_BLOCK.search(line):
            block = indent
    return "\n".join(lines)


# --- never-publish terms ---------------------------------------------------

# A match may not start or end between two word characters; an item's edge that
# is not a word character (C++, .NET) needs no boundary on that side.
_EDGE = r"(?:(?<!\w)|(?!\w))"
# Characters the regex engine's IGNORECASE equates with an ASCII letter although
# they are not ASCII (the Kelvin sign K, long s, dotted and dotless i).
_EXOTIC = "\u212a\u017f\u0130\u0131"


@dataclass(frozen=True)
class _Term:
    item: str
    pattern: re.Pattern[str]
    bare: re.Pattern[str] | None  # a regex item without the edges: a cheap first look
    needles: tuple[str, ...]  # a plain item's folded letters and digits, all in any text it is in
    ascii_needles: tuple[bytes, ...] | None  # the same lowered, when they are ASCII


def compile_terms(items: Sequence[str]) -> Terms:
    """The never-publish list `items` as Terms.

    A plain item is a word or phrase (a run of whitespace inside it matches any
    run of whitespace, line breaks included); an item written ``/regex/`` is a
    Python regular expression. Matching is case-insensitive and on word
    boundaries. Raises ValueError naming the item for an empty item, an invalid
    regular expression or one that matches empty text."""
    cleaned = tuple(dict.fromkeys(item.strip() for item in items))
    _terms(cleaned)
    return Terms(cleaned)


@functools.cache
def _terms(items: tuple[str, ...]) -> tuple[_Term, ...]:
    terms = []
    for item in items:
        if not item:
            raise ValueError("a never-publish term is empty: remove it or write the word to look for")
        if len(item) > 2 and item.startswith("/") and item.endswith("/"):
            try:
                bare = re.compile(item[1:-1], re.IGNORECASE)
            except re.error as err:
                where = f" at character {err.pos + 1}" if err.pos is not None else ""
                raise ValueError(f"never-publish pattern {item} is not a valid regular expression: {err.msg}{where}") from None
            if bare.fullmatch(""):
                raise ValueError(f"never-publish pattern {item} matches empty text, so it would match everywhere")
            try:
                pattern = re.compile(f"{_EDGE}(?:{item[1:-1]}){_EDGE}", re.IGNORECASE)
            except re.error as err:  # what only goes wrong inside a group, such as global flags: (?x)
                raise ValueError(f"never-publish pattern {item} cannot be used inside a larger pattern: {err.msg}") from None
            terms.append(_Term(item, pattern, bare, (), None))
        else:
            words = unicodedata.normalize("NFC", item).split()
            # the letters and digits of the item, which escaping never touches (O'Reilly is O&#39;Reilly
            # in a page), longest first as the longest is likely the rarest
            needles = tuple(sorted(set(_WORD.findall(_fold(" ".join(words)))), key=len, reverse=True))
            ascii_needles = tuple(n.encode() for n in needles) if all(w.isascii() for w in words) else None
            phrase = r"\s+".join(map(re.escape, words))
            pattern = re.compile(f"{_EDGE}(?:{phrase}){_EDGE}", re.IGNORECASE)
            terms.append(_Term(item, pattern, None, needles, ascii_needles))
    return tuple(terms)


def _fold(text: str) -> str:
    # Case folding agrees with IGNORECASE for every character but dotted and
    # dotless i, which the regex engine equates with i.
    if "\u0130" in text or "\u0131" in text:
        text = text.replace("\u0130", "i").replace("\u0131", "i")
    return text.casefold()


def find_terms(text: str, terms: Terms) -> tuple[Leak, ...]:
    """Each line of `text` (1-based) where an item of `terms` starts, once per line and item, in order.

    A plain item absent from the text costs a substring search; a regex item a regex search."""
    compiled = _terms(terms.items)
    found: set[Leak] = set()
    present = tuple(_maybe_present(compiled, text, None))
    if present and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    for term in present:
        line_no, counted = 1, 0
        for match in term.pattern.finditer(text):
            if match.end() > match.start():
                line_no += text.count("\n", counted, match.start())
                counted = match.start()
                found.add(Leak(line_no, f"the never-publish term '{term.item}'"))
    return tuple(sorted(found))


def _maybe_present(terms: tuple[_Term, ...], text: str, data: bytes | None) -> Iterator[_Term]:
    """The `terms` that may occur in `text` once in NFC (`data`: its UTF-8 bytes, if at hand).

    Never leaves one out: only NFC can make an ASCII letter of something else,
    and only of the Kelvin sign, which sends the text down the folding path."""
    lowered: bytes | None = None
    folded: str | None = None
    nfc: str | None = None
    exotic = not text.isascii() and any(c in text for c in _EXOTIC)
    for term in terms:
        if term.bare is not None:
            nfc = _nfc(text) if nfc is None else nfc
            present = term.bare.search(nfc) is not None
        elif term.ascii_needles is not None and not exotic:
            # ASCII bytes lowered are ASCII text folded, and far cheaper to make
            if lowered is None:
                lowered = (text.encode("utf-8", "surrogatepass") if data is None else data).lower()
            present = all(needle in lowered for needle in term.ascii_needles)
        else:
            nfc = _nfc(text) if nfc is None else nfc
            folded = _fold(nfc) if folded is None else folded
            present = all(needle in folded for needle in term.needles)
        if present:
            yield term


def _nfc(text: str) -> str:
    return text if text.isascii() or unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


# --- the final scan of the output ------------------------------------------

# Tags inside a run of text (a highlighted token, a link, emphasis) vanish; any
# other tag separates words. Comments stay: a pragma lives in one.
_INLINE = "a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var|wbr"
_INLINE_TAG = re.compile(rf"</?(?:{_INLINE})(?=[\s/>])[^<>]*>")
# For secrets, a span (the class of a highlighted token) and bare inline tags vanish;
# a link keeps its URL in place.
_BARE_TAG = re.compile(rf"<span(?=[\s>])[^<>]*>|</?(?:{_INLINE})>")
_OTHER_TAG = re.compile(r"<(?:/?[A-Za-z][^<>]*|![A-Za-z][^<>]*|\?[^<>]*)>")
_TAG_WITH_VALUES = re.compile(r"<[A-Za-z][^<>]*=[^<>]*>")
_VALUE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")
_WORD = re.compile(r"[^\W_]+")
# How far from its key word a passage is looked for: room for the passage and its markup.
_NEAR = 4096
# ASCII letters and digits lowered, anything else a space: the words of a page, cheaply.
_ASCII_WORDS = bytes(c | 32 if chr(c).isascii() and chr(c).isalnum() else 32 for c in range(256))


@dataclass(frozen=True)
class Finding:
    """What the final scan found in a file, and what to look for to find where it came from:
    a never-publish term's item, a secret's values, or the index of a private passage."""

    what: str
    term: str = ""
    values: tuple[str, ...] = ()
    passage: int = -1


def scan_output(
    data: bytes,
    name: str,
    terms: Terms,
    private: Sequence[str] = (),
    allowlisted: Collection[str] = frozenset(),
    secrets: bool = True,
) -> tuple[str, ...]:
    """What must not be published in the written file `name` with content `data`, as descriptions
    ("the never-publish term 'Acme'", "an AWS access key", "private passage 3"); () if clean.

    `data` may be gzip-compressed (decompressed up to MAX_UNCOMPRESSED; a larger or
    broken one is reported, as it cannot be checked), and text in any Unicode encoding
    (UTF-16 or UTF-32, with or without a byte order mark). Images, fonts and other binary
    files are skipped: their metadata is another module's job. Terms and passages are
    looked for after undoing markup, HTML/XML escaping (as often as it was applied:
    a feed escapes a page's HTML once more) and JSON strings, attribute values included. `private` are passages of
    private entries (see `private_snippets`), found whatever the whitespace, case,
    markup or escaping between their words, and named by their index in `private`.
    A secret is not reported when a pragma covers its line or its fingerprint is in
    `allowlisted` (see `allowlisted_secrets`); `secrets=False` skips them (for files that only repeat
    text checked elsewhere). A word split inside by markup
    (``Ac<em>me</em>``) or spelled with character references is not found."""
    return tuple(dict.fromkeys(f.what for f in find_in_output(data, name, terms, private, allowlisted, secrets)))


def find_in_output(
    data: bytes,
    name: str,
    terms: Terms,
    private: Sequence[str] = (),
    allowlisted: Collection[str] = frozenset(),
    secrets: bool = True,
) -> tuple[Finding, ...]:
    """`scan_output`'s findings, each with what to look for in the file it came from."""
    if name.lower().endswith(BINARY_SUFFIXES):
        return ()
    if data[:2] == b"\x1f\x8b":
        try:
            data = _gunzip(data)
        except zlib.error:
            return (Finding("a gzip file that cannot be decompressed, so cannot be checked"),)
        except OverflowError:
            return (Finding(f"a gzip file larger than {MAX_UNCOMPRESSED >> 20} MB uncompressed, too large to check"),)
    if data.startswith(b"pagefind_dcd"):
        data = data[len(b"pagefind_dcd") :]
        if data.startswith(b"\0asm"):
            return ()
    else:
        utf8 = text_bytes(data)
        if utf8 is None:
            return ()
        data = utf8
    text = data.decode("utf-8", errors="replace")
    strings = _json_strings(text)
    if strings is not None:
        text, data = strings, strings.encode("utf-8", "surrogatepass")
    found: dict[str, Finding] = {}
    for hit in _secret_hits(data, markup=True) if secrets else ():
        if hit.strong and not hit.allowlisted and not all(_fingerprint(hit.detector, v) in allowlisted for v in hit.values):
            known = found.get(hit.detector.what)
            found[hit.detector.what] = Finding(hit.detector.what, values=(known.values if known else ()) + hit.values)
    if any(True for _ in _maybe_present(_terms(terms.items), text, data)):
        found.update((f.what, f) for f in _term_findings(_plain(text), terms))
    if private:
        passages = _passages(tuple(private))
        candidates = _maybe_private(data, passages)
        if candidates:
            found.update((f"private passage {n}", Finding(f"private passage {n}", passage=n))
                         for n in _private_found(data, candidates, passages))
    return tuple(found.values())


def find_in_name(name: str, terms: Terms) -> tuple[Finding, ...]:
    """The never-publish terms and secrets in the path `name` of a written file (its folders too)."""
    found = list(_term_findings(name, terms))
    hits = _secret_hits(name.encode("utf-8", "surrogatepass"), markup=False)
    found += [Finding(hit.detector.what, values=hit.values) for hit in hits if hit.strong]
    return tuple(found)


def _term_findings(text: str, terms: Terms) -> Iterator[Finding]:
    items = {f"the never-publish term '{item}'": item for item in terms.items}
    for what in dict.fromkeys(leak.what for leak in find_terms(text, terms)):
        yield Finding(what, term=items[what])


def locate(text: str, finding: Finding, private: Sequence[str] = ()) -> int | None:
    """The line of `text` (a source file) where `finding` is, or None when it is not there."""
    if finding.term:
        leaks = find_terms(text, Terms((finding.term,)))
        return leaks[0].line if leaks else None
    if finding.values:
        return secret_line(text, finding.what, finding.values)
    if 0 <= finding.passage < len(private):
        words = _WORD.findall(private[finding.passage])
        key = max(words, key=len) if words else ""
        pos = text.lower().find(key.lower()) if key else -1
        return text.count("\n", 0, pos) + 1 if pos >= 0 else None
    return None


# Byte order marks, longest first: UTF-32's little-endian mark begins with UTF-16's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)


def text_bytes(data: bytes) -> bytes | None:
    """`data` as UTF-8 when it is text in a Unicode encoding (by its byte order mark, or for
    UTF-16 and UTF-32 without one by where its zero bytes are); None for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding == "utf-8":
                return data[len(bom) :]
            return _reencoded(data[len(bom) :], encoding)
    head = data[:8192]
    if b"\0" not in head:
        return data
    # Text of mostly ASCII letters in UTF-16 or UTF-32 has a zero byte in the same places of each unit.
    for encoding, unit, zeros in (("utf-32-le", 4, (1, 2, 3)), ("utf-32-be", 4, (0, 1, 2)),
                                  ("utf-16-le", 2, (1,)), ("utf-16-be", 2, (0,))):
        sample = head[: len(head) - len(head) % unit]
        if sample and all(sample[i::unit].count(0) * 2 > len(sample) // unit for i in zeros):
            found = _reencoded(data, encoding)
            if found is not None:
                return found
    return None


def _reencoded(data: bytes, encoding: str) -> bytes | None:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if "\0" in text[:8192]:
        return None
    return text.encode("utf-8", "surrogatepass")


def _gunzip(data: bytes) -> bytes:
    """The concatenated members of gzip `data`; OverflowError past MAX_UNCOMPRESSED."""
    out: list[bytes] = []
    size = 0
    while data[:2] == b"\x1f\x8b":
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        out.append(inflater.decompress(data, MAX_UNCOMPRESSED - size + 1))
        size += len(out[-1])
        if size > MAX_UNCOMPRESSED or inflater.unconsumed_tail:
            raise OverflowError(size)
        if not inflater.eof:
            raise zlib.error("truncated gzip data")
        data = inflater.unused_data
    return b"".join(out)


def _json_strings(text: str) -> str | None:
    """The strings (keys and values) of `text`, one a line, if it is a JSON document; else None."""
    if text.lstrip()[:1] not in ("{", "["):
        return None
    try:
        document = json.loads(text)
    except ValueError:
        return None
    strings: list[str] = []
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            strings.append(item)
        elif isinstance(item, dict):
            strings.extend(item)
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return "\n".join(strings)


def _unmark(text: str) -> str:
    """`text` with highlighting and emphasis tags gone and character references undone, as often
    as it was escaped (a feed escapes the page's HTML once more); other tags, so attributes such
    as a link's URL, stay where they were, and so do comments."""
    for _ in range(3):
        if "<" not in text and "&" not in text:
            break
        unmarked = html.unescape(_BARE_TAG.sub("", text))
        if unmarked == text:
            break
        text = unmarked
    return text


def _plain(text: str) -> str:
    """`text` without markup or escaping, keeping its lines, followed by its attribute values one a line."""
    values: list[str] = []
    for _ in range(3):  # a page, the escaped HTML inside a feed, and once more
        if "<" not in text and "&" not in text:
            break
        if "<![CDATA[" in text:
            text = text.replace("<![CDATA[", "").replace("]]>", "")
        if "=" in text:
            values.extend(a or b for tag in _TAG_WITH_VALUES.findall(text) for a, b in _VALUE.findall(tag))
        plain = html.unescape(_OTHER_TAG.sub(" ", _INLINE_TAG.sub("", text)))
        if plain == text:
            break
        text = plain
    joined = "\n".join(values)
    return f"{text}\n{html.unescape(joined) if '&' in joined else joined}"


def _words(text: str) -> list[str]:
    """The words a reader sees in `text`, case-folded: what passages are compared by."""
    return _WORD.findall(_fold(text))


@dataclass(frozen=True)
class _Passages:
    by_key: dict[bytes, tuple[int, ...]]  # each passage under its longest ASCII word, lowered
    ascii_words: tuple[frozenset[bytes], ...]  # each passage's ASCII words, lowered
    keyless: tuple[int, ...]  # passages with no ASCII word: always compared
    words: tuple[str, ...]  # each passage's folded words, " w1 w2 … " ("" for none)
    keys: tuple[bytes | None, ...]  # each passage's key (None: keyless)
    heads: tuple[str | None, ...]  # each passage's first three folded words (None for a shorter one)


@functools.lru_cache(maxsize=8)
def _passages(private: tuple[str, ...]) -> _Passages:
    by_key: dict[bytes, list[int]] = {}
    ascii_words: list[frozenset[bytes]] = []
    keys: list[bytes | None] = []
    keyless: list[int] = []
    for number, passage in enumerate(private):
        found = [w.lower().encode() for w in _WORD.findall(passage) if w.isascii()]
        key = max(found, key=len) if found else None
        ascii_words.append(frozenset(found))
        keys.append(key)
        if key is not None:
            by_key.setdefault(key, []).append(number)
        elif passage.strip():
            keyless.append(number)
    words = tuple(f" {' '.join(w)} " if (w := _words(p)) else "" for p in private)
    heads = tuple(" ".join(w.split()[:3]) if len(w.split()) >= 3 else None for w in words)
    by_key_tuples = {key: tuple(numbers) for key, numbers in by_key.items()}
    return _Passages(by_key_tuples, tuple(ascii_words), tuple(keyless), words, tuple(keys), heads)


def _maybe_private(data: bytes, passages: _Passages) -> list[int]:
    """The passages whose every ASCII word is a word of `data`, and those with none:
    a page without one of a passage's words cannot contain the passage."""
    page: set[bytes] | None = None
    if len(passages.by_key) <= 16:  # a few substring searches beat splitting the page into words
        lowered = data.lower()
        keys = [key for key in passages.by_key if key in lowered]
    else:
        page = set(data.translate(_ASCII_WORDS).split())
        keys = list(passages.by_key.keys() & page)
    candidates = [n for key in keys for n in passages.by_key[key]]
    if candidates:
        page = set(data.translate(_ASCII_WORDS).split()) if page is None else page
        candidates = [n for n in candidates if passages.ascii_words[n] <= page]
    return sorted(candidates + list(passages.keyless))


def _private_found(data: bytes, candidates: list[int], passages: _Passages) -> list[int]:
    """The candidate passages that `data`, read as a reader sees it, contains; each is looked
    for within _NEAR bytes of its key word, or in the whole file when that is cheaper."""
    lowered = data.lower()
    whole = (0, len(data))
    near: dict[bytes, list[tuple[int, int]]] = {}
    read: dict[tuple[int, int], tuple[str, frozenset[str] | None]] = {}  # words, and first-three-words set
    found = []
    for number in candidates:
        key = passages.keys[number]
        if key is not None and key not in near:
            # with many passages, or once the stretches read add up to the file, reading the
            # whole file once is cheaper
            many = len(candidates) > 32 or sum(b - a for a, b in read) > len(data)
            near[key] = [whole] if many else _near(lowered, key)
        for span in [whole] if key is None else near[key]:
            if span not in read:
                words = _words(_plain(data[span[0] : span[1]].decode("utf-8", errors="replace")))
                # many passages to compare: a set of three-word starts rules most out at once
                heads = frozenset(" ".join(words[i : i + 3]) for i in range(len(words))) if len(candidates) > 32 else None
                read[span] = (f" {' '.join(words)} ", heads)
            text, heads = read[span]
            head = passages.heads[number]
            if (heads is None or head is None or head in heads) and passages.words[number] and passages.words[number] in text:
                found.append(number)
                break
    return found


def _near(lowered: bytes, key: bytes) -> list[tuple[int, int]]:
    """The stretches of `lowered` within _NEAR bytes of `key`, merged; the whole of it when they
    would cover more than half of it."""
    spans: list[tuple[int, int]] = []
    pos = lowered.find(key)
    while pos >= 0:
        start, stop = max(0, pos - _NEAR), min(len(lowered), pos + len(key) + _NEAR)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], stop)
        else:
            spans.append((start, stop))
        pos = lowered.find(key, pos + len(key))
    if sum(stop - start for start, stop in spans) > len(lowered) // 2:
        return [(0, len(lowered))]
    return spans


# --- passages of private entries ---------------------------------------------

_FENCE = re.compile(r"^\s*(```|~~~)")
_BLOCK_START = re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\|)")
# what a reader does not see of a line: heading marks, list markers and numbers, task boxes, quote marks
_LINE_MARKUP = re.compile(r"^\s*(?:>\s*)*(?:#{1,6}\s+|(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?)?")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|!?\[([^\]]*)\]\[[^\]]*\]")
_WIKI_LINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
_REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def private_snippets(text: str, public: str = "") -> tuple[str, ...]:
    """Passages of the private entry body `text` (Markdown) to look for in the output: words joined by spaces.

    A passage is a sentence of a block (paragraph, list item, heading, code
    block), a run of short sentences, or a chunk of about a dozen words of a long
    sentence, with at least MIN_PASSAGE_WORDS words and MIN_PASSAGE_CHARS
    characters: a copied sentence or a summary cut short is found, common short
    phrases ("thanks for reading") are not looked for. What is left of a block
    after its last long passage is looked for with the words before it, so a copy
    of a block's end is found too. A shorter passage is looked for only when it is
    `_distinctive`. A passage the public text of the same entry (`public`) says
    as well is not looked for: it is published anyway. Link targets and markup
    are left out, as a reader never sees them."""
    passages: list[str] = []
    for block in _blocks(text):
        words_of_block: list[str] = []
        pending: list[str] = []  # a run of short sentences, a passage once long enough
        for sentence in _SENTENCE_END.split(block):
            words = _WORD.findall(sentence)
            words_of_block += words
            if _long_enough(words):
                passages.extend(" ".join(chunk) for chunk in _chunks(words) if _long_enough(chunk))
                pending = []
            else:
                pending += words
                if _long_enough(pending):
                    passages.append(" ".join(pending))
                    pending = []
        if pending and len(words_of_block) > len(pending):  # the block's end, with the words before it
            passages.append(" ".join(words_of_block[-max(MIN_PASSAGE_WORDS, len(pending)) :]))
        if pending and _distinctive(pending):
            passages.append(" ".join(pending))
    if public and passages:
        said = f" {' '.join(_words(public))} "
        passages = [p for p in passages if f" {' '.join(_words(p))} " not in said]
    return tuple(dict.fromkeys(passages))


# A shorter private passage ("95k, zq3f9a0b1c") is looked for when one of its words is
# a token no one writes by chance: letters and digits mixed, at least SHORT_TOKEN
# characters long, and either MIXED_TOKEN long or switching between letters and
# digits twice (a password, an account or order number, an id). Plain words, numbers
# (years, counts) and a name with a version or a number with a unit (python3, sha256,
# 1080p, 95k) are not enough: a short private heading or list item of a private
# entry would then fail every public page that happens to share it, for nothing.
SHORT_TOKEN = 6
MIXED_TOKEN = 12
_SWITCHES = re.compile(r"(?:[a-z]+\d+[a-z]|\d+[a-z]+\d)", re.I)


def _distinctive(words: list[str]) -> bool:
    return any(
        len(w) >= SHORT_TOKEN and w.isascii() and not w.isdigit() and not w.isalpha()
        and (len(w) >= MIXED_TOKEN or _SWITCHES.search(w) is not None)
        for w in words
    )


def _long_enough(words: list[str]) -> bool:
    return len(words) >= MIN_PASSAGE_WORDS and sum(map(len, words)) + len(words) - 1 >= MIN_PASSAGE_CHARS


def _chunks(words: list[str], size: int = 12) -> list[list[str]]:
    """`words` in runs of `size`, a tail too short to stand alone joining the run before it."""
    chunks = [words[start : start + size] for start in range(0, len(words), size)]
    if len(chunks) > 1 and len(chunks[-1]) < MIN_PASSAGE_WORDS:
        tail = chunks.pop()
        chunks[-1] += tail
    return chunks


def _blocks(text: str) -> Iterator[str]:
    """The blocks of Markdown `text` as the text a reader sees: paragraphs, list items, headings, code blocks."""
    block: list[str] = []
    in_code = False
    for line in text.splitlines():
        if _FENCE.match(line):
            yield " ".join(block)
            block, in_code = [], not in_code
            continue
        if not in_code:
            if not line.strip() or _BLOCK_START.match(line) or _REFERENCE.match(line):
                yield " ".join(block)
                block = []
            if _REFERENCE.match(line):
                continue
            line = _LINE_MARKUP.sub("", line, count=1)
            line = _LINK.sub(lambda m: m.group(1) or m.group(2) or "", _WIKI_LINK.sub(r"\1", _AUTOLINK.sub(r"\1", line)))
            line = html.unescape(_OTHER_TAG.sub(" ", _INLINE_TAG.sub("", line)))
        block.append(line)
    yield " ".join(block)
