"""A web server on this machine for the tests of what publog fetches: feeds, webmention receivers."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterator, Mapping

Answer = Callable[[BaseHTTPRequestHandler], None]
Asked = list[tuple[str, dict[str, str]]]  # (path, headers) of every request, in order


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a hundred feeds asked at once must not wait for a retried connect


@contextmanager
def server(routes: Mapping[str, Answer] | Answer) -> Iterator[tuple[str, Asked]]:
    """Serves ``routes`` (path -> answer, changeable while it runs; or one answer for every path);
    yields its base URL and what it was asked."""
    asked: Asked = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append((self.path, dict(self.headers.items())))
            answer = routes if callable(routes) else routes.get(self.path, send("not here", 404))
            try:
                answer(self)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should

        def log_message(self, *args: Any) -> None:
            pass

    httpd = _Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", asked
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def send(body: bytes | str, status: int = 200, headers: dict[str, str] | None = None, delay: float = 0,
         content_type: str = "application/rss+xml; charset=utf-8") -> Answer:
    data = body.encode() if isinstance(body, str) else body

    def answer(handler: BaseHTTPRequestHandler) -> None:
        if delay:
            time.sleep(delay)
        handler.send_response(status)
        for key, value in {"Content-Type": content_type, "Content-Length": str(len(data)), **(headers or {})}.items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(data)

    return answer


def rss(*items: str, title: str = "A feed", link: str = "https://feed.example/") -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{link}</link>{''.join(items)}</channel></rss>")
