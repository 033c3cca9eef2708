"""Hostile journals, serve (issue 23): `publog serve` outlives a build that raises.

A build that raises is a bug in publog, but the author's editing session must not end with it: serve
keeps the last good site, shows the failure as one problem line in the page's overlay and in the
terminal (no traceback), and the next good save builds and reloads as usual. The fault is injected
into a real `publog serve` process, as a bug would raise.
"""

from __future__ import annotations

import http.client
import json
import signal
import socket
import time
from pathlib import Path

from conftest import entry
from hostile_support import PROBLEM, collect, spawn

# Any entry titled "Boom" makes the build raise, at the journal stage, as a bug in publog would.
FAULT = """
import publog.run.build as build
_leaks = build._leaks
def _raising(journal, compiled):
    if any(e.title == "Boom" for e in journal.entries):
        raise RuntimeError("injected fault")
    return _leaks(journal, compiled)
build._leaks = _raising
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def events(port: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/__publog/events")
        response = conn.getresponse()
        if response.fp is None:  # closed before its first event: asked again
            raise ConnectionError(f"the event stream answered {response.status} and closed")
        return json.loads(response.fp.readline().decode().removeprefix("data: "))
    finally:
        conn.close()


def until(condition, what: str, proc, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"publog serve exited while waiting until {what}"
        try:
            if condition():
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.1)
    raise AssertionError(f"never: {what}")


def stopped(proc):
    proc.send_signal(signal.SIGINT)
    return collect(proc, timeout=30)


def test_serve_survives_a_build_that_raises_and_rebuilds_on_the_next_good_save(journal) -> None:
    root = journal({"entries/2024-05-01-first.md": entry("First", "2024-05-01", body="Original text.")})
    port = free_port()
    proc = spawn("serve", root, "--port", port, preamble=FAULT)
    try:
        until(lambda: "Original text." in get(port, "/2024/first/")[1], "the first site is served", proc)
        (root / "entries/2024-05-02-boom.md").write_text(entry("Boom", "2024-05-02", body="Raises."))
        until(lambda: events(port)["problems"], "the failure is shown", proc)
        shown = events(port)["problems"]
        assert len(shown) == 1 and PROBLEM.match(shown[0]), shown
        assert shown[0].startswith("entries/2024-05-02-boom.md:1: publog failed to build the site (RuntimeError")
        assert "injected fault" in shown[0]
        assert "Original text." in get(port, "/2024/first/")[1]  # the last good site stays

        (root / "entries/2024-05-02-boom.md").write_text(entry("Calm", "2024-05-02", body="Fine now."))
        until(lambda: "Fine now." in get(port, "/2024/boom/")[1], "the next good save is served", proc)
        until(lambda: events(port)["problems"] == [], "the failure is cleared", proc)
    finally:
        run = stopped(proc)
    assert "Traceback" not in run.err, run.err
    assert [line for line in run.err.splitlines() if "injected fault" in line] == [shown[0]]


def test_serve_starts_when_its_first_build_raises_and_serves_once_fixed(journal) -> None:
    root = journal({"entries/2024-05-01-boom.md": entry("Boom", "2024-05-01", body="Raises.")})
    port = free_port()
    proc = spawn("serve", root, "--port", port, preamble=FAULT)
    try:
        until(lambda: events(port)["problems"], "the failure is shown", proc)
        status, body = get(port, "/")
        assert status == 404 and "/__publog/events" in body  # the overlay shows on the page that is there
        (root / "entries/2024-05-01-boom.md").write_text(entry("First", "2024-05-01", body="Fixed text."))
        until(lambda: "Fixed text." in get(port, "/2024/boom/")[1], "the fixed site is served", proc)
    finally:
        run = stopped(proc)
    assert "Traceback" not in run.err, run.err
    assert any(line.startswith(".:1: publog failed to build the site (RuntimeError") for line in run.err.splitlines()), run.err
