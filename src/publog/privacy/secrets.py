"""Secrets: tokens and keys found with the pattern detectors of detect-secrets.

``find_secrets(text) -> tuple[Leak, ...]`` finds them (kept and dropped detectors:
``_DETECTORS``). A byte-level prefilter passes only the lines that could hold one: a
run of TOKEN_RUN token characters that is not a lowercase slug or path, an @,
"PRIVATE KEY" or ":_authToken=" (every real credential the detectors know has
one). A line is skipped when it carries detect-secrets' inline pragma: ``pragma:
allowlist secret`` at its end, or ``pragma: allowlist nextline secret`` alone on the
line before, in any comment style detect-secrets knows (``<!-- … -->``, ``# …``,
``// …``, ``/* … */``, ``-- …``). ``allowlisted_secrets(text) -> frozenset[str]``
names the secrets an entry allowlists, so a copy that lost its pragma on the way (a
search index drops comments) is not reported. No message ever holds a secret's value.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import re
import string
import sys
import types
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .found import Leak
from .reading import unmarked
from .secret_strength import STRONG, strength

if TYPE_CHECKING:  # detect-secrets loads only when something is scanned: importing it takes 0.2 s
    from detect_secrets.plugins.base import RegexBasedDetector


# A line is read for secrets when it has a run of TOKEN_RUN or more token
# characters with a capital, _, = or \ in it or TOKEN_RUN letters and digits in a
# row (not a lowercase slug or path like /2024/notes-on-caching-and-queues/), or
# an @, "PRIVATE KEY" or ":_authToken=". An AWS key id, the shortest real
# credential the detectors know, is 20 characters.
TOKEN_RUN = 20
TOKEN_CHARS = string.ascii_letters + string.digits + "_-+/=\\"

# Bump when what find_secrets finds changes, so every cached entry is checked again.
DETECTORS_VERSION = "detect-secrets 1.5, publog 3"

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
    # the colon of :// before user:password@ (the whole of it: binary data has colons and @s), npm's token,
    # Telegram's bot id
    "colon": (
        ":",
        r"""(?=//[^\s:/?#\[\]@!$&'()*+,;=]+:[^\s:/?#\[\]@!$&'()*+,;=]+@)|(?=_authToken=)|(?<=\d{8}:)""",
        ("basic_auth", "cloudant", "npm", "telegram"),
    ),
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
    stand_in = None if "requests" in sys.modules else sys.modules.setdefault("requests", _Requests("requests"))
    try:
        detectors = {}
        for name, (path, what) in _DETECTORS.items():
            module, plugin = path.rsplit(".", 1)
            detectors[name] = _Detector(name, getattr(importlib.import_module(f"detect_secrets.plugins.{module}"), plugin)(),
                                        what)
    finally:
        if stand_in is not None and sys.modules.get("requests") is stand_in:
            del sys.modules["requests"]  # whatever imports it later gets the module itself
    return detectors


class _Requests(types.ModuleType):
    """What detect-secrets' plugins import as requests, for their verify(), which publog never calls (it never
    goes on the network to try a secret): importing requests itself took most of the time the detectors
    took to load, in every process that scans. A name the plugins use is looked up in requests, imported
    then; only ``Response``, which two of them name in annotations as they load, is a type of no use."""

    Response = type("Response", (), {})

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:  # asked while the plugins import (another thread, say)
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def ready() -> None:
    """Load the detectors, as the first scan would: detect-secrets and its plugins, which a process that only
    rebuilds after edits would otherwise load on its first edit."""
    _detectors()
    _trigger()


@functools.cache
def _trigger() -> re.Pattern[str]:
    # [first characters](?:(?<=[A])(?:condition)(?P<upper_a>)|...): the empty group names the trigger
    firsts = "".join(first for first, _, _ in _TRIGGERS.values())
    alternatives = "|".join(f"(?<=[{first}])(?:{cond})(?P<{name}>)" for name, (first, cond, _) in _TRIGGERS.items())
    return re.compile(f"[{firsts}](?:{alternatives})")


def find_secrets(text: str) -> tuple[Leak, ...]:
    """Each line of `text` (1-based) holding a live credential (see `secret_strength.strength`) that a kept detector
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
    return tuple(secret_hits(text.encode("utf-8", "surrogatepass"), markup=False))


def allowlisted_secrets(text: str) -> frozenset[str]:
    """Fingerprints of the secrets `text` allowlists with a pragma, for `scan_output`.

    A fingerprint is a hash of the detector and the value: it says "this exact value was
    allowlisted" and does not give the value away."""
    return frozenset(secret_fingerprint(hit.detector, value) for hit in _text_hits(text) if hit.allowlisted for value in hit.values)


def rendered_secrets(html: str, text: str) -> tuple[Leak, ...]:
    """The secrets of an entry's rendered body `html` (what is published of it, exactly), each at the
    line of its source `text` where the value is written (1 when it is not written as it is).

    The check of the source reads its private passages and comments out of raw text; this one
    does not depend on that reading agreeing with the renderer's (``%%`` in code is code)."""
    hits = [hit for hit in secret_hits(html.encode("utf-8", "surrogatepass"), markup=True) if not hit.allowlisted and hit.strong]
    if not hits:
        return ()
    allowlisted = allowlisted_secrets(text) if "allowlist" in text else frozenset()
    found = set()
    for hit in hits:
        values = [v for v in hit.values if secret_fingerprint(hit.detector, v) not in allowlisted]
        if values:
            found.add(Leak(secret_line(text, hit.detector.what, values) or 1, hit.detector.what))
    return tuple(sorted(found))


def _first_line_of(text: str, needles: Sequence[str]) -> int | None:
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
    return _first_line_of(text, values)


def secret_fingerprint(detector: _Detector, value: str) -> str:
    return hashlib.sha256(f"{detector.name}\0{value}".encode("utf-8", "surrogatepass")).hexdigest()


def secret_hits(data: bytes, markup: bool) -> Iterator[_Hit]:
    """What the detectors report on the lines of UTF-8 `data` that the prefilter lets through;
    with `markup`, each line is read as a reader would see it (see reading.unmarked)."""
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
                judged = {v: strength(name, v, piece, data, start, end)
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
    return unmarked(text) if markup else text


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


def _allowlisted(line: str, previous: str) -> bool:
    # The previous line is stripped so an indented nextline pragma (in a list item or
    # code block) counts too; detect-secrets itself wants it at the start of the line.
    from detect_secrets.filters.allowlist import is_line_allowlisted
    from detect_secrets.util.code_snippet import CodeSnippet

    return is_line_allowlisted("entry.md", line, CodeSnippet([previous.strip(), line], 0, 1))
