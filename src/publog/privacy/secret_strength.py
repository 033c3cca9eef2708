"""How sure a secret found is: a live credential (an error), a weak signal (a warning) or a placeholder."""

from __future__ import annotations

import base64
import json
import re


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


def strength(name: str, value: str, piece: str, data: bytes, start: int, end: int) -> str | None:
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
