"""A real HTTP server on 127.0.0.1 (port 0) for ingestion tests: routes answer recorded bytes."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Answer = tuple[int, dict[str, str], bytes]
Route = Callable[["Request"], Answer]


@dataclass(frozen=True)
class Request:
    """What the server saw: path and headers of one GET."""

    path: str
    headers: dict[str, str]


@dataclass
class LocalServer:
    """Routes by path; unknown paths answer 404. `requests` records every GET, in order."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    base: str = ""

    def route(self, path: str, status: int, body: bytes = b"", **headers: str) -> None:
        """Serve fixed bytes at a path (header names with _ for -)."""
        fixed = {k.replace("_", "-"): v for k, v in headers.items()}
        self.routes[path] = lambda _request: (status, fixed, body)

    def hits(self, path: str) -> int:
        """How many GETs reached a path."""
        return sum(1 for request in self.requests if request.path == path)


@contextmanager
def serve() -> Iterator[LocalServer]:
    """Run a LocalServer in a thread for the duration of a with-block."""
    state = LocalServer()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            request = Request(self.path, {k.lower(): v for k, v in self.headers.items()})
            state.requests.append(request)
            route = state.routes.get(self.path)
            status, headers, body = route(request) if route else (404, {}, b"not found")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            # "Connection: close" without a length streams the body to EOF (no Content-Length).
            if headers.get("Connection") != "close" and "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # The client may stop reading (a size limit): that is the point, not an error.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client hanging up mid-response (size limits, timeouts) is expected here

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
