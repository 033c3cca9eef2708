"""``publog mentions pull``: a Webmention receiver's jf2 API -> ``mentions/received-YEAR.json``.

New responses are asked for page by page (``since_id``, as webmention.io understands it),
merged with what the folder holds, and written one file per year of receipt, each file
whole or not at all. What is kept of each response is only what ``mentions.load`` reads,
as flat values, however deep or large what the receiver sent.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from . import fetch
from .mentions import MAX_FILE_BYTES, MENTIONS_DIR, PROPERTIES, PULLED, read_feed, site_path, target_of
from .untrusted import instant_of, web_url
from .whole_file import write_whole

if TYPE_CHECKING:  # config imports from this package
    from ..settings.config import Config

TOKEN_VARIABLE = "PUBLOG_MENTIONS_TOKEN"  # the receiver's API token: never in publog.yaml, which is published
_HEADERS = {"Accept": "application/jf2+json, application/json", "User-Agent": "publog"}

@dataclass(frozen=True)
class Pulled:
    """What a pull did: responses new to the journal, files written, or why it wrote nothing."""

    added: int = 0
    total: int = 0  # responses in the pulled files afterwards
    written: tuple[str, ...] = ()  # journal-relative files
    skipped: int = 0  # private, or for another site
    failure: str = ""


PER_PAGE = 100
MAX_PAGES = 200  # a receiver that never stops paging must not keep a pull going for ever


def pull(root: Path, config: Config, token: str = "", timeout: float = 30.0) -> Pulled:
    """Fetch new responses from ``config.mentions`` into ``root/mentions/received-YEAR.json``.

    Promises: nothing is written unless every answer was valid jf2; each file is
    replaced whole (temporary file, then rename), so no file is ever half written;
    what the folder held stays, merged with what is new by wm-id (or url, target and
    kind); only what is newer than the highest wm-id held is asked for (``since_id``,
    which webmention.io understands; a receiver that ignores it answers with
    everything, which merges all the same). ``token`` is sent as the ``token``
    parameter, as webmention.io expects it.
    """
    if not config.mentions:
        return Pulled(failure="publog.yaml has no 'mentions' setting; add your receiver's jf2 API, e.g. "
                              "'mentions: https://webmention.io/api/mentions.jf2?domain=example.org'")
    folder = root / MENTIONS_DIR
    held, why = _held(folder)
    if why:
        return Pulled(failure=why)
    ids = [int(str(i)) for i in (item.get("wm-id") for item in held.values()) if _numeric(i)]
    merged = dict(held)
    skipped = added = 0
    host = urlsplit(config.mentions).hostname or config.mentions
    for page in range(MAX_PAGES):
        params = {"per-page": str(PER_PAGE), "page": str(page)}
        if ids:
            params["since_id"] = str(max(ids))
        if token:
            params["token"] = token
        try:
            answer = fetch.get(_with_query(config.mentions, params), _HEADERS, timeout, MAX_FILE_BYTES)
        except fetch.Refused as refused:
            return Pulled(failure=_why(refused, host, timeout))
        if answer.status != 200:  # a 304 to a request that asked nothing of the kind
            return Pulled(failure=f"{host} answered HTTP 304 Not Modified; nothing was written; try again later")
        items, why = _answer(answer.body)
        if why:
            return Pulled(failure=f"{host} answered with something that is not a jf2 feed ({why}); nothing was written")
        fresh = 0
        for item in items:
            prop = item.get("wm-property")
            target = target_of(item, prop if isinstance(prop, str) else "")
            if item.get("wm-private") is True or site_path(target, config.base_url) is None:
                skipped += 1
                continue
            key = _key(item)
            if key not in merged:
                added += 1
                fresh += 1
            elif merged[key] != item:
                fresh += 1
            merged[key] = item
        if len(items) < PER_PAGE or not fresh:
            break
    try:
        written = _write_years(folder, merged, held)
    except OSError as exc:
        return Pulled(failure=f"cannot write to {MENTIONS_DIR}/ ({exc.strerror or exc}); "
                              "each file there is whole, as before or as pulled; free some space or fix its permissions")
    return Pulled(added, len(merged), tuple(f"{MENTIONS_DIR}/{name}" for name in written), skipped)


def _why(refused: fetch.Refused, host: str, timeout: float) -> str:
    """What went wrong with a request, for the person who ran the pull; nothing was written."""
    megabytes = MAX_FILE_BYTES // 2**20
    if refused.why == "declared-too-large":
        return f"{host} sent {refused.size // 2**20} MB, more than the {megabytes} MB publog accepts; nothing was written"
    if refused.why == "too-large":
        return f"{host} sent more than the {megabytes} MB publog accepts; nothing was written"
    if refused.why in ("no-answer", "slow-body"):
        return f"{host} did not answer within {timeout:g} s; nothing was written; try again later or raise --timeout"
    if refused.why == "http":
        hint = f"set {TOKEN_VARIABLE} to your API token" if refused.code in (401, 403) else "try again later"
        return f"{host} answered HTTP {refused.code} {refused.detail}; nothing was written; {hint}"
    if refused.why == "redirect":
        return f"{refused.host} redirected to a URL that is not http(s); nothing was written"
    if refused.why == "unreachable":
        return (f"cannot reach {host} ({refused.detail}); nothing was written; "
                "check that you are online and that 'mentions' in publog.yaml is right")
    if refused.why == "bad-url":
        return f"cannot reach {host} ({refused.detail}); nothing was written; check 'mentions' in publog.yaml"
    return f"the connection to {host} broke off ({refused.detail}); nothing was written; try again"


def _answer(body: bytes) -> tuple[list[dict[str, Any]], str]:
    """The responses of a receiver's answer that can be stored, or why the answer is unusable."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], "not UTF-8"
    doc: Any
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], f"invalid JSON at line {exc.lineno}: {exc.msg}"
    except (RecursionError, ValueError):
        return [], "JSON nested too deeply or with absurd numbers"
    if not isinstance(doc, dict) or not isinstance(doc.get("children"), list):
        return [], "no 'children' list"
    # Only what publog reads is kept, as flat values: the folder holds usable data, however
    # deep or large what the receiver sent; responses that could never be shown are dropped.
    kept = [_flat(item) for item in doc["children"] if isinstance(item, dict)]
    return [item for item in kept if _key(item)[1]], ""


_KEPT = ("type", "wm-id", "wm-property", "wm-target", "wm-source", "wm-received", "wm-private", "url",
           "published", "name", *PROPERTIES)
_KEPT_PARTS = {"author": ("type", "name", "url", "photo"), "content": ("html", "text", "value")}


def _flat(item: Mapping[str, Any]) -> dict[str, Any]:
    flat = (str, int, float, bool, type(None))
    kept = {key: item[key] for key in _KEPT if key in item and isinstance(item[key], flat)}
    for key, parts in _KEPT_PARTS.items():
        value = item.get(key)
        if isinstance(value, dict):
            kept[key] = {part: value[part] for part in parts if part in value and isinstance(value[part], flat)}
        elif isinstance(value, str):
            kept[key] = value
    return kept


def _key(item: Mapping[str, Any]) -> tuple[str, str]:
    wm_id = item.get("wm-id")
    if _numeric(wm_id) or (isinstance(wm_id, str) and wm_id):
        return ("id", str(wm_id))
    url = web_url(item.get("url")) or web_url(item.get("wm-source"))
    return ("url", f"{url} {item.get('wm-target')} {item.get('wm-property')}" if url else "")


def _numeric(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, str) and value.isdigit() and len(value) < 20)


def _held(folder: Path) -> tuple[dict[tuple[str, str], dict[str, Any]], str]:
    """The responses earlier pulls wrote, by key; or why they cannot be merged with safely."""
    held: dict[tuple[str, str], dict[str, Any]] = {}
    if not folder.is_dir():
        return held, ""
    for path in sorted(p for p in folder.iterdir() if PULLED.fullmatch(p.name)):
        shown = f"{MENTIONS_DIR}/{path.name}"
        items, _, problem = read_feed(path, shown)
        if problem:
            return {}, f"{problem}; fix or move that file before pulling, so nothing in it is lost"
        for item in items:
            if isinstance(item, dict) and _key(item)[1]:
                held[_key(item)] = item
    return held, ""


def _year(item: Mapping[str, Any]) -> str:
    when = instant_of(item.get("wm-received")) or instant_of(item.get("published"))
    return f"{when.year:04d}" if when else "undated"


def _write_years(folder: Path, merged: Mapping[tuple[str, str], dict[str, Any]],
           held: Mapping[tuple[str, str], dict[str, Any]]) -> list[str]:
    """Write each year's file whose responses changed; return their names."""
    years: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in merged.values():
        years[_year(item)].append(item)
    changed = {_year(item) for key, item in merged.items() if held.get(key) != item}
    written = []
    # Oldest year first: receivers number responses as they arrive, so if a pull stops
    # half-way, the highest wm-id on disk is never above one that was not written.
    for year in sorted(changed):
        items = sorted(years[year], key=lambda i: (str(i.get("wm-received") or ""), _sort_id(i), str(i.get("url"))))
        feed = {"type": "feed", "name": "Webmentions", "children": items}
        name = f"received-{year}.json"
        write_whole(folder / name, (json.dumps(feed, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode())
        written.append(name)
    return written


def _sort_id(item: Mapping[str, Any]) -> tuple[int, str]:
    wm_id = item.get("wm-id")
    return (int(str(wm_id)), "") if _numeric(wm_id) else (0, str(wm_id))


def _with_query(url: str, params: Mapping[str, str]) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return urlunsplit(parts._replace(query=urlencode(query + list(params.items()))))


