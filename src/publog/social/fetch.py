"""One HTTP GET of something other sites serve (a feed, a receiver's jf2), with publog's limits.

Both ``publog pull`` and ``publog mentions pull`` fetch through ``get``, so a limit
holds for both or for neither: no wait longer than ``timeout`` for the connection or any
read; the whole body read within ``timeout`` (give or take one read), however slowly the
server sends it; a body refused past ``max_bytes``, whether it says so in advance
(Content-Length) or only while it is read; redirects followed only to http(s) URLs.

What went wrong is a ``Refused`` naming the limit; each caller says it in its own words,
as the person who ran the command reads it.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException, InvalidURL
from typing import Any, Literal, Mapping
from urllib.parse import urljoin, urlsplit

Why = Literal["declared-too-large", "too-large", "slow-body", "no-answer", "http", "redirect", "unreachable",
              "bad-url", "broke-off"]


@dataclass(frozen=True)
class Answer:
    """A server's answer: 200 with its body, or 304 (Not Modified) without one."""

    status: int
    url: str  # after redirects: the base of relative links in the body
    body: bytes = b""
    content_type: str = ""
    etag: str = ""  # as sent: the caller decides whether it can go back into a request
    last_modified: str = ""


class Refused(Exception):
    """Why a GET gave no answer to use: ``why`` names the limit or failure, the rest details it."""

    def __init__(self, why: Why, detail: str = "", size: int = 0, code: int = 0, host: str = "") -> None:
        super().__init__(why, detail)
        self.why = why
        self.detail = detail  # the HTTP reason, the network's error, the exception's name ...
        self.size = size  # bytes a server said it would send ("declared-too-large")
        self.code = code  # HTTP status ("http")
        self.host = host  # the host that redirected ("redirect")


class WebOnly(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) URLs only."""

    def http_error_302(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any) -> Any:
        # Checked before urllib's own check, which lets ftp: through and answers other schemes
        # with an HTTPError that would read as the server's own failure.
        location = headers.get("location") or headers.get("uri")
        if location and urlsplit(urljoin(req.full_url, location.strip())).scheme not in ("http", "https"):
            fp.close()
            raise Refused("redirect", host=urlsplit(req.full_url).hostname or "")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def get(url: str, headers: Mapping[str, str], timeout: float, max_bytes: int) -> Answer:
    """The answer to a GET of ``url`` within the limits above; ``Refused`` for anything else."""
    deadline = time.monotonic() + timeout
    try:
        opener = urllib.request.build_opener(WebOnly)
        with opener.open(urllib.request.Request(url, headers=dict(headers)), timeout=timeout) as answer:
            length = answer.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise Refused("declared-too-large", size=int(length))
            body = _body(answer, deadline, max_bytes)
            return Answer(200, answer.geturl(), body, answer.headers.get("Content-Type", ""),
                          answer.headers.get("ETag", ""), answer.headers.get("Last-Modified", ""))
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 304:
            return Answer(304, url)
        raise Refused("http", str(exc.reason)[:100], code=exc.code) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise Refused("no-answer") from None
        raise Refused("unreachable", str(getattr(exc.reason, "strerror", None) or exc.reason)) from None
    except TimeoutError:
        raise Refused("no-answer") from None
    except InvalidURL as exc:
        raise Refused("bad-url", str(exc)[:100]) from None
    except (OSError, HTTPException) as exc:
        raise Refused("broke-off", exc.__class__.__name__) from None
    except ValueError as exc:  # a URL urllib cannot use, e.g. a port that is no number
        raise Refused("bad-url", str(exc)[:100]) from None


def _body(answer: Any, deadline: float, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        # read1 returns what one receive brought, so a server that sends a byte at a
        # time cannot stretch the read past the deadline by more than one timeout.
        chunk = answer.read1(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise Refused("too-large")
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise Refused("slow-body")
