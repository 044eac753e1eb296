"""A local OpenAI-compatible chat endpoint (real HTTP on 127.0.0.1) for summary tests."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


def completion(content: str, model: str = "test-model") -> dict[str, Any]:
    """A chat completion in the format the OpenAI API answers with."""
    return {
        "id": "chatcmpl-test-1",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 120, "completion_tokens": 40, "total_tokens": 160},
    }


@dataclass
class ChatServer:
    """Answers POST {base}/chat/completions with `content` (or `status` and `raw`)."""

    content: str = ""
    status: int = 200
    raw: bytes | None = None  # a body other than a completion (a malformed answer)
    reply: Callable[[dict[str, Any]], str] | None = None  # content made from the request
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    base: str = ""


@contextmanager
def chat_server(content: str = "") -> Iterator[ChatServer]:
    """Run a ChatServer in a thread for the duration of a with-block; base ends in /v1."""
    state = ChatServer(content=content)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state.headers.append({k.lower(): v for k, v in self.headers.items()})
            if self.path != "/v1/chat/completions":
                self._answer(404, b'{"error": {"message": "not found"}}')
                return
            state.requests.append(json.loads(body))
            if state.raw is not None or state.status != 200:
                self._answer(state.status, state.raw or b'{"error": {"message": "boom"}}')
                return
            request = state.requests[-1]
            content = state.reply(request) if state.reply is not None else state.content
            self._answer(200, json.dumps(completion(content, request.get("model", ""))).encode())

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
