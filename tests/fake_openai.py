"""A scripted OpenAI-compatible server for tests (and for trying the workflow without a model).

    with ScriptedServer(["first answer", {"status": 429, "headers": {"Retry-After": "0"}}]) as server:
        client = ModelClient(roles, base_url=server.base_url)

Replies come from a queue, in order; each is
  * a string: the assistant's content;
  * a dict with "status": an error, ``{"status": 429, "headers": {...}, "body": {...}}``;
  * a dict without "status": a success with options
    ``{"content": str, "finish_reason": "stop", "usage": {...}, "model": str, "delay": seconds}``
    (``delay`` also works on error dicts, e.g. to provoke a client timeout);
  * a callable(request_json) returning any of the above, for answers that depend on the prompt.
When the queue is empty, ``rules`` — (predicate(request_json) -> bool, reply) pairs — are tried
in order; a rule is never used up. Anything unanswered gets HTTP 500 with a clear message.

Manual use: ``python tests/fake_openai.py --port 8765 --script script.json`` where the file is a
list of replies or ``{"queue": [...], "rules": [{"contains": "text", "reply": ...}]}``.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterable

Reply = Any  # str | dict | Callable[[dict], str | dict]
Predicate = Callable[[dict], bool]


def prompt_text(request: dict) -> str:
    """All text of a request's messages, joined: handy for predicates."""
    out = []
    for message in request.get("messages") or []:
        content = message.get("content")
        if isinstance(content, str):
            out.append(content)
        elif isinstance(content, list):
            out.extend(part.get("text", "") for part in content if isinstance(part, dict))
    return "\n".join(out)


def contains(*needles: str) -> Predicate:
    """A predicate: every needle occurs in the request's prompt text."""
    return lambda request: all(needle in prompt_text(request) for needle in needles)


class ScriptedServer:
    def __init__(self, script: Iterable[Reply] = (), rules: Iterable[tuple[Predicate, Reply]] = (),
                 model: str = "fake-model"):
        self.queue: deque[Reply] = deque(script)
        self.rules: list[tuple[Predicate, Reply]] = list(rules)
        self.model = model
        self.requests: list[dict] = []  # {"path", "body", "headers" (lower-case names), "status"}
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting --------------------------------------------------------

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self.queue.extend(replies)

    def add_rule(self, predicate: Predicate, reply: Reply) -> None:
        with self._lock:
            self.rules.append((predicate, reply))

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    @property
    def bodies(self) -> list[dict]:
        with self._lock:
            return [r["body"] for r in self.requests]

    # -- lifecycle --------------------------------------------------------

    def start(self, port: int = 0, host: str = "127.0.0.1") -> "ScriptedServer":
        self._httpd = ThreadingHTTPServer((host, port), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> "ScriptedServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- answering --------------------------------------------------------

    def _next_reply(self, request: dict) -> Reply | None:
        with self._lock:
            if self.queue:
                return self.queue.popleft()
            rules = list(self.rules)
        for predicate, reply in rules:
            if predicate(request):
                return reply
        return None

    def answer(self, request: dict) -> tuple[int, dict, dict, float]:
        """(status, headers, body, delay) for one chat completion request."""
        try:
            reply = self._next_reply(request)
            while callable(reply):
                reply = reply(request)
        except Exception as exc:  # a broken script must show up as a clear server error
            return 500, {}, _error(f"fake server: script raised {type(exc).__name__}: {exc}", "script_error"), 0
        if reply is None:
            preview = prompt_text(request)[:200].replace("\n", " ")
            return 500, {}, _error(f"fake server: no scripted reply left and no rule matches request #"
                                   f"{self.count} (prompt starts: {preview!r})", "unexpected_request"), 0
        if isinstance(reply, str):
            reply = {"content": reply}
        if not isinstance(reply, dict):
            return 500, {}, _error(f"fake server: bad scripted reply {reply!r}", "script_error"), 0
        delay = float(reply.get("delay", 0))
        if "status" in reply:
            status = int(reply["status"])
            body = reply.get("body") or _error(f"scripted error {status}", "scripted_error", status)
            return status, dict(reply.get("headers") or {}), body, delay
        content = str(reply.get("content", ""))
        usage = reply.get("usage") or {
            "prompt_tokens": max(1, len(prompt_text(request)) // 4),
            "completion_tokens": max(1, len(content) // 4),
        }
        usage = {**usage, "total_tokens": usage["prompt_tokens"] + usage["completion_tokens"]}
        body = {
            "id": "chatcmpl-" + uuid.uuid4().hex[:24],
            "object": "chat.completion",
            "created": int(time.time()),
            "model": reply.get("model") or request.get("model") or self.model,
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": reply.get("finish_reason", "stop"),
                "logprobs": None,
            }],
            "usage": usage,
        }
        return 200, dict(reply.get("headers") or {}), body, delay


def _error(message: str, kind: str, status: int = 500) -> dict:
    return {"error": {"message": message, "type": kind, "code": status, "param": None}}


def _handler_for(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like real servers; the openai client pools connections

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, str(value))
            self.end_headers()
            self.wfile.write(data)

        def _record(self, body: Any, status: int) -> None:
            with server._lock:
                server.requests.append({"path": self.path, "body": body,
                                        "headers": {k.lower(): v for k, v in self.headers.items()},
                                        "status": status})

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                self._send(200, {"object": "list", "data": [{"id": server.model, "object": "model",
                                                             "owned_by": "fake"}]})
            else:
                self._send(404, _error(f"fake server: no GET {self.path}", "not_found", 404))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                self._record(raw.decode("utf-8", "replace"), 400)
                self._send(400, _error("fake server: request body is not JSON", "invalid_request_error", 400))
                return
            if self.path.split("?")[0].rstrip("/") != "/v1/chat/completions":
                self._record(body, 500)
                self._send(500, _error(f"fake server: unexpected POST {self.path}", "unexpected_request"))
                return
            status, headers, reply, delay = server.answer(body)
            self._record(body, status)
            if delay:
                time.sleep(delay)
            try:
                self._send(status, reply, headers)
            except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
                pass

    return Handler


def _load_script(path: str) -> tuple[list, list]:
    with open(path, encoding="utf-8") as handle:
        script = json.load(handle)
    if isinstance(script, list):
        return script, []
    rules = [(contains(rule["contains"]), rule["reply"]) for rule in script.get("rules", [])]
    return script.get("queue", []), rules


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A scripted OpenAI-compatible chat server.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--script", help="JSON file: a list of replies, or {queue: [...], rules: [...]}")
    args = parser.parse_args(argv)
    queue, rules = _load_script(args.script) if args.script else ([], [])
    server = ScriptedServer(queue, rules).start(args.port, args.host)
    print(f"fake OpenAI server at http://{args.host}:{server.port}/v1 (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
