"""`flashgen push` trusts nothing that answers it: each test here is an attack found on 52cdaa1, run
against real HTTP servers on 127.0.0.1 that misbehave in the attack's way (a proxy from
`$http_proxy`, a redirect, an answer dribbled a byte at a time, a huge or deeply nested answer,
terminal escapes in an error message) and a CR/LF in `--url`. Where a deck must really be
imported, the stand-in for AnkiConnect imports it with Anki's own engine into a real collection."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flashgen.cli import main
from flashgen.commands import push
from tests.conftest import EXAMPLES, import_package

Reply = Callable[[BaseHTTPRequestHandler, dict[str, object]], None]


@dataclass
class _Server:
    url: str
    requests: list[dict[str, object]] = field(default_factory=list)


def _handler(reply: Reply, requests: list[dict[str, object]]) -> type[BaseHTTPRequestHandler]:
    """A request handler that records each request (its line and JSON body) and lets `reply`
    answer it, however it likes: the bytes it writes go to the socket as they are written."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            request = json.loads(body) if body else {}
            requests.append({"line": self.requestline, **request})
            # The client may hang up mid-answer: what a well-behaved client does with a bad server.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                reply(self, request)

        do_GET = do_POST  # a redirected POST comes back as a GET

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def serve() -> Iterator[Callable[[Reply], _Server]]:
    """Start local HTTP servers that answer with a given `reply`; all are stopped at the end."""
    servers: list[ThreadingHTTPServer] = []

    def start(reply: Reply) -> _Server:
        requests: list[dict[str, object]] = []
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(reply, requests))
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return _Server(f"http://127.0.0.1:{server.server_address[1]}", requests)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _send(handler: BaseHTTPRequestHandler, body: bytes, status: int = 200, **headers: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def _answer(result: object, error: object = None) -> Reply:
    """Answer every action as AnkiConnect does, with `result` and `error`."""
    return lambda handler, request: _send(handler, json.dumps({"result": result, "error": error}).encode())


def _yes_to_everything(handler: BaseHTTPRequestHandler, request: dict[str, object]) -> None:
    """A server that says AnkiConnect 6 and "imported", without importing anything."""
    _answer(6 if request.get("action") == "version" else True)(handler, request)


def _anki_connect(collection: object) -> Reply:
    """AnkiConnect's two actions, the import done by Anki's own engine into `collection`."""

    def reply(handler: BaseHTTPRequestHandler, request: dict[str, object]) -> None:
        if request["action"] == "version":
            return _answer(6)(handler, request)
        params = request["params"]
        assert isinstance(params, dict)
        import_package(collection, Path(params["path"]))
        return _answer(True)(handler, request)

    return reply


def _closed_port() -> int:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _deck(tmp_path: Path) -> Path:
    """A deck file for the attacks that stop before Anki reads it."""
    deck = tmp_path / "Study.apkg"
    deck.write_bytes(b"not read: the attack is in the answer to `version`")
    return deck


def _push(*args: str) -> Result:
    return CliRunner().invoke(main, ["push", *args])


def _no_traceback(result: Result) -> None:
    """The run ended on flashgen's own error (exit code 1 or 2), not on an exception."""
    assert isinstance(result.exception, SystemExit), repr(result.exception)


@pytest.fixture
def proxy(serve: Callable[[Reply], _Server], monkeypatch: pytest.MonkeyPatch) -> Iterator[_Server]:
    """A "proxy" named in the environment, which answers as AnkiConnect would."""
    server = serve(_yes_to_everything)
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, server.url)
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    # urllib's default opener reads the proxies once, when first used: make it read them now, and
    # again after this test (which would otherwise leave it pointing at a stopped "proxy").
    urllib.request.install_opener(None)
    yield server
    urllib.request.install_opener(None)


# 1. $http_proxy: the request and the deck's path went to the proxy, and its answer counted.


def test_push_asks_no_proxy_when_anki_is_not_running(tmp_path: Path, proxy: _Server) -> None:
    result = _push("--url", f"http://127.0.0.1:{_closed_port()}", str(_deck(tmp_path)))
    _no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "is Anki running, with the AnkiConnect add-on installed?" in result.output
    assert "imported into Anki" not in result.output
    assert proxy.requests == []


def test_push_goes_straight_to_ankiconnect_with_a_proxy_set(
    tmp_path: Path, collection: object, proxy: _Server, serve: Callable[[Reply], _Server], monkeypatch
) -> None:
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    text = (EXAMPLES / "aiffel-retrospective.md").read_text(encoding="utf-8")
    (blog / "_posts" / "2023-07-21-aiffel.md").write_text(text, encoding="utf-8")
    (blog / "flashgen.toml").write_text('sources = ["_posts"]\ndeck = "Aiffel"\n', encoding="utf-8")
    monkeypatch.chdir(blog)
    assert CliRunner().invoke(main, ["build", "-q"]).exit_code == 0
    anki = serve(_anki_connect(collection))

    result = _push("--url", anki.url)
    assert result.exit_code == 0, result.output
    assert proxy.requests == []
    assert len(collection.find_notes("")) == 19  # type: ignore[attr-defined]
    assert [r["action"] for r in anki.requests] == ["version", "importPackage"]
    sent = anki.requests[1]["params"]
    assert isinstance(sent, dict)
    assert sent["path"] == str((blog / "decks" / "Aiffel.apkg").resolve())  # absolute, as before
    assert all(set(r) == {"line", "action", "version", "params"} for r in anki.requests)
    assert all(r["line"] == "POST / HTTP/1.1" for r in anki.requests)


def test_push_follows_no_redirect(tmp_path: Path, serve: Callable[[Reply], _Server]) -> None:
    elsewhere = serve(_yes_to_everything)
    redirect = serve(lambda handler, request: _send(handler, b"", 303, Location=elsewhere.url))
    result = _push("--url", redirect.url, str(_deck(tmp_path)))
    _no_traceback(result)
    assert result.exit_code == 1 and "answered HTTP 303" in result.output
    assert elsewhere.requests == []


# 2. CR/LF in --url gave a traceback: every address that cannot be sent is a usage error.


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765\r\nX-Injected: 1",
        "http://127.0.0.1:8765/\r\nX-Injected: 1",
        "http://localhost:8765/\n",
        "http://127.0.0.1:8765/\x00",
        "http://127.0.0.1:8765/\x1b[2J",
        "http://127.0.0.1:8765/a b",
        "http://127.0.0.1:8765/é",
        "http://127.0.0.1:abc",
        "http://127.0.0.1:99999",
    ],
)
def test_push_refuses_an_address_it_cannot_send(tmp_path: Path, url: str) -> None:
    result = _push("--url", url, str(_deck(tmp_path)))
    _no_traceback(result)
    assert result.exit_code == 2, result.output
    assert "--url" in result.output
    assert not any(c in result.output for c in "\r\x00\x1b")  # shown escaped, if at all


# 3. Deeply nested JSON gave a RecursionError traceback.


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"result": ' + "[" * 100_000 + "]" * 100_000 + ', "error": null}',
    ],
    ids=["bare", "in the result"],
)
def test_push_reports_a_deeply_nested_answer(
    tmp_path: Path, serve: Callable[[Reply], _Server], body: str
) -> None:
    server = serve(lambda handler, request: _send(handler, body.encode()))
    result = _push("--url", server.url, str(_deck(tmp_path)))
    _no_traceback(result)
    assert result.exit_code == 1
    assert f"{server.url} did not answer as AnkiConnect does" in result.output


# 4. An answer dribbled a byte at a time kept the read going for ever (each byte reset the timeout).


def _dribble(head: bytes, byte: bytes) -> Reply:
    """Send `head`, then `byte` every 0.1 s, for 10 s at most (the old code waited that long)."""

    def reply(handler: BaseHTTPRequestHandler, request: dict[str, object]) -> None:
        handler.wfile.write(head)
        end = time.monotonic() + 10
        while time.monotonic() < end:
            handler.wfile.write(byte)
            time.sleep(0.1)

    return reply


@pytest.mark.parametrize(
    "head, byte",
    [
        (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n", b" "),
        (b"HTTP/1.1 200 OK\r\nX-Slow: ", b"x"),  # the headers themselves, a byte at a time
    ],
    ids=["body", "headers"],
)
def test_push_gives_up_on_a_dribbled_answer_at_the_deadline(
    serve: Callable[[Reply], _Server], head: bytes, byte: bytes
) -> None:
    server = serve(_dribble(head, byte))
    start = time.monotonic()
    with pytest.raises(push.PushError, match="did not answer within 1 s"):
        push.call(server.url, "version", timeout=1)
    assert time.monotonic() - start < 3


# 5. A 600 MB answer took 1.2 GB of memory: the answer is capped at 1 MiB.


def _flood(handler: BaseHTTPRequestHandler, request: dict[str, object]) -> None:
    """Say 600 MB are coming; send zeros until the client hangs up (or 3 MiB: the old code read on)."""
    handler.send_response(200)
    handler.send_header("Content-Length", str(600 * 2**20))
    handler.end_headers()
    for _ in range(48):
        handler.wfile.write(bytes(2**16))


def _padded(handler: BaseHTTPRequestHandler, request: dict[str, object]) -> None:
    """AnkiConnect's answer, padded to 2 MiB, with no length said: read until the end."""
    body = json.dumps({"result": 6, "error": None, "pad": "x" * 2**21}).encode()
    handler.send_response(200)
    handler.end_headers()
    handler.wfile.write(body)


@pytest.mark.parametrize("reply", [_flood, _padded], ids=["600 MB said", "2 MiB sent"])
def test_push_refuses_an_answer_bigger_than_ankiconnect_gives(
    serve: Callable[[Reply], _Server], reply: Reply
) -> None:
    server = serve(reply)
    with pytest.raises(push.PushError, match="answered with more than 1 MiB"):
        push.call(server.url, "version", timeout=10)


# 6. Control characters in AnkiConnect's error text could overwrite the printed line.


def test_push_prints_the_servers_error_text_escaped_and_cut(
    tmp_path: Path, serve: Callable[[Reply], _Server]
) -> None:
    error = "bad key\rimported into Anki\x1b[2K\x1b]0;owned\x07\u202e\u2028" + "A" * 5000
    server = serve(_answer(None, error))
    result = _push("--url", server.url, str(_deck(tmp_path)))
    assert result.exit_code == 1
    assert not any(c in result.output for c in "\r\x1b\x07\u202e\u2028")
    assert (
        r"AnkiConnect refused `version`: bad key\rimported into Anki\x1b[2K\x1b]0;owned\x07" in result.output
    )
    assert r"\u202e\u2028AAA" in result.output
    assert max(len(line) for line in result.output.splitlines()) < 400
    assert "A" * 5000 not in result.output
