"""`flashgen review`: every card of a build in the browser, to keep, drop or rewrite by keyboard.

A small server on 127.0.0.1 only, at a random port, answers only requests that carry the secret
token of its URL, come from its own page (the Host and any Origin header are its own), and, for
a change, send JSON. Its page loads nothing from anywhere else (a Content-Security-Policy says so
to the browser, and the tests check it).

- **keep** marks the card reviewed in `flashgen-reviews.json` (read/reviews.py): a later review
  shows it again only when the card changed since.
- **drop** adds the card's id to `ignore` in the configuration (`flashgen.toml`, or `[tool.flashgen]`
  in `pyproject.toml`), with tomlkit, so the file's comments and layout stay as they were.
- **edit** keeps the author's question and answer (Markdown) in the reviews file; every build puts
  them on the note, which keeps its id and so its history in Anki.

Each file is written whole to a temporary file and renamed over the old one. A file changed on
disk since the page loaded it is not written: the answer is 409 and the page reloads.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flashgen.commands.preview import Card, cards, for_page, statuses
from flashgen.model import Deck, Note
from flashgen.read import render
from flashgen.read.config import CONFIG_FILE
from flashgen.read.media import packed_bytes
from flashgen.read.reviews import REVIEWS_FILE, Reviewed, as_markdown, card_digest, dumps, mended
from flashgen.read.reviews import load as load_reviews

_MEDIA_PREFIX = "media"


@dataclass(slots=True)
class Review:
    """The cards of one build and the two files a review writes."""

    deck: Deck  # as the rules made it: no rewrite on it
    status: dict[str, str]  # new / changed / removed against the last build's state file
    config_file: Path  # flashgen.toml or pyproject.toml (made when there is none)
    reviews_file: Path
    extra_css: str = ""
    media_cache: Path | None = None
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    lock: threading.Lock = field(default_factory=threading.Lock)
    rendered: dict[str, Card] = field(default_factory=dict)  # by note id: the rules' card, rendered

    @property
    def notes(self) -> dict[str, Note]:
        return {note.guid: note for note in self.deck.notes}

    def stamps(self) -> dict[str, str]:
        return {"config": _stamp(self.config_file), "reviews": _stamp(self.reviews_file)}

    def views(self) -> list[dict[str, Any]]:
        """Every card as the page shows it, in the deck's order."""
        reviews = load_reviews(self.reviews_file)
        ignored = _ignored(self.config_file)
        shown = []
        for note in self.deck.notes:
            if note.guid in ignored:
                continue
            review = reviews.get(note.guid)
            now, stale = mended(note, review)
            edited = review is not None and review.edited
            state = "unreviewed"
            if review is not None:
                state = "stale" if stale else ("edited" if edited else "kept")
                if not edited and review.card != card_digest(note):
                    state = "changed since review"
            made = self._made(note)
            card = cards(now, self.extra_css)[0] if now is not note else made
            question = review.question if review and review.question is not None else render.text(note.front)
            answer = review.answer if review and review.answer is not None else render.text(note.back)
            shown.append(
                {
                    "id": note.guid,
                    "kind": str(note.kind),
                    "post": note.origin,
                    "line": note.ref.line,
                    "status": self.status.get(note.guid, "unchanged"),
                    "review": state,
                    "question": self._page(card.question),
                    "answer": self._page(card.answer),
                    "made_question": self._page(made.question) if edited else "",
                    "made_answer": self._page(made.answer) if edited else "",
                    "edit_question": question,
                    "edit_answer": answer,
                    "markdown": as_markdown(question, answer),  # what `c` copies
                    "cloze": note.cloze,
                }
            )
        return shown

    def _made(self, note: Note) -> Card:
        """The card the rules made of `note`, as Anki renders it (made once a review)."""
        if note.guid not in self.rendered:
            self.rendered[note.guid] = cards(note, self.extra_css)[0]
        return self.rendered[note.guid]

    def _page(self, side: str) -> str:
        """A side as the page shows it: its images from this server (with the token), and an image
        from another host as a link to it, never fetched (the page's policy would block it too)."""
        body = _REMOTE_IMAGE.sub(_as_link, for_page(side, _MEDIA_PREFIX))
        return _MEDIA_SRC.sub(lambda m: f"{m.group(0)}?token={self.token}", body)

    def media(self, name: str) -> bytes | None:
        for media_name, path in self.deck.media:
            if media_name == name:
                data = packed_bytes(media_name, path, self.media_cache)
                return data if isinstance(data, bytes) else data.read_bytes()
        return None

    def act(self, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Carry out one change the page asks for; (HTTP status, answer)."""
        action, guid = request.get("action"), request.get("id")
        if action not in _ACTIONS or not isinstance(guid, str):
            return 400, {"error": "an action (keep, drop, edit, discard) and a card id are needed"}
        note = self.notes.get(guid)
        if note is None:
            return 404, {"error": f"no card has the id {guid!r}"}
        seen = request.get("stamps")
        with self.lock:
            if seen != self.stamps():
                return 409, {"error": "a file changed on disk since the page loaded it; reloaded"}
            reviews = load_reviews(self.reviews_file)
            if action == "keep":
                old = reviews.get(guid)
                reviews[guid] = Reviewed(
                    card_digest(note), *(old.question, old.answer) if old else (None, None)
                )
            elif action == "edit":
                question, answer = request.get("question"), request.get("answer")
                if not isinstance(question, str) or not isinstance(answer, str) or not question.strip():
                    return 400, {"error": "an edit needs a question (and an answer, which may be empty)"}
                if not note.cloze and not answer.strip():
                    return 400, {"error": "an edit needs an answer"}
                reviews[guid] = Reviewed(card_digest(note), question, answer)
            elif action == "discard":
                reviews.pop(guid, None)
            else:  # drop
                reviews.pop(guid, None)
                _write(self.config_file, _with_ignored(self.config_file, guid))
            _write(self.reviews_file, dumps(reviews))
        done: dict[str, Any] = {"ok": True, "stamps": self.stamps()}
        if action == "edit":
            done["markdown"] = as_markdown(request["question"], request["answer"])
        return 200, done


_ACTIONS = frozenset({"keep", "drop", "edit", "discard"})
_MEDIA_SRC = re.compile(rf'(?<=src="){_MEDIA_PREFIX}/[^"?]+')
_REMOTE_IMAGE = re.compile(r'<img\b[^>]*?\bsrc="((?:https?:)?//[^"]*)"[^>]*>', re.IGNORECASE)


def _as_link(match: re.Match[str]) -> str:
    return f'<a href="{match.group(1)}">[an image on another site]</a>'


def _stamp(path: Path) -> str:
    """The digest of a file's bytes ("" when there is none): what the page saw."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def _write(path: Path, text: str) -> None:
    """The whole file to a temporary one beside it, then renamed over it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _ignored(config_file: Path) -> set[str]:
    table = _table(_document(config_file), config_file)
    return {str(guid) for guid in table.get("ignore", [])}


def _document(config_file: Path) -> Any:
    import tomlkit

    text = config_file.read_text(encoding="utf-8") if config_file.exists() else ""
    return tomlkit.parse(text)


def _table(document: Any, config_file: Path) -> Any:
    import tomlkit

    if config_file.name != "pyproject.toml":
        return document
    tool = document.setdefault("tool", tomlkit.table())
    return tool.setdefault("flashgen", tomlkit.table())


def _with_ignored(config_file: Path, guid: str) -> str:
    """The configuration's text with `guid` in `ignore`: every other line as it was."""
    import tomlkit

    document = _document(config_file)
    table = _table(document, config_file)
    if "ignore" not in table:
        table["ignore"] = tomlkit.array()
    if guid not in [str(item) for item in table["ignore"]]:
        table["ignore"].append(guid)
    return str(tomlkit.dumps(document))


def config_file_for(found: Path | None, home: Path) -> Path:
    """The file drops go to: the configuration found, else a new flashgen.toml in `home`."""
    return found if found is not None else home / CONFIG_FILE


def reviews_file_for(config_file: Path) -> Path:
    return config_file.parent / REVIEWS_FILE


def make(
    deck: Deck,
    output: Path,
    config_file: Path,
    *,
    extra_css: str = "",
    media_cache: Path | None = None,
) -> Review:
    """A review of `deck` (made without the author's rewrites on it)."""
    notes, status = statuses(deck, output, extra_css)
    shown = Deck(deck.name, tuple(note for note in notes if status.get(note.guid) != "removed"), deck.media)
    return Review(shown, status, config_file, reviews_file_for(config_file), extra_css, media_cache)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, review: Review) -> None:
        self.review = review
        self.nonce = secrets.token_urlsafe(16)
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def url(self) -> str:
        return f"{self.origin}/?token={self.review.token}"


class _Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows the URL and errors, not every request

    def do_GET(self) -> None:
        path = self._allowed()
        if path is None:
            return
        review = self.server.review
        if path == "/":
            self._send(200, _PAGE.replace("{nonce}", self.server.nonce).encode(), "text/html; charset=utf-8")
        elif path == "/cards":
            data = {"cards": review.views(), "stamps": review.stamps(), "deck": review.deck.name}
            self._json(200, data)
        elif path.startswith(f"/{_MEDIA_PREFIX}/") and (found := review.media(path.split("/", 2)[2])):
            self._send(200, found, "image/" + (path.rsplit(".", 1)[-1].replace("jpg", "jpeg") or "png"))
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        path = self._allowed()
        if path is None:
            return
        if path != "/action":
            self._json(404, {"error": "not found"})
            return
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            self._json(415, {"error": "send JSON"})
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
            if not 0 < length <= 1 << 20:
                raise ValueError("a body of 1 byte to 1 MB")
            request = json.loads(self.rfile.read(length))
            if not isinstance(request, dict):
                raise ValueError("not an object")
        except (ValueError, UnicodeDecodeError) as exc:
            self._json(400, {"error": f"bad JSON: {exc}"})
            return
        status, answer = self.server.review.act(request)
        self._json(status, answer)

    def _allowed(self) -> str | None:
        """The request's path when it carries the token and comes from this server's own page;
        else None, and a 403 (a 400 for a wrong Host) is sent."""
        parts = urlsplit(self.path)
        token = parse_qs(parts.query).get("token", [""])[0]
        origin = self.server.origin
        if self.headers.get("Host") != origin.removeprefix("http://"):
            self._json(400, {"error": "wrong host"})
            return None
        if not hmac.compare_digest(token.encode(), self.server.review.token.encode()):
            self._json(403, {"error": "the token of the review's URL is needed"})
            return None
        if self.headers.get("Origin") not in (None, origin):
            self._json(403, {"error": "another origin"})
            return None
        return parts.path

    def _json(self, status: int, data: object) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header(
            "Content-Security-Policy",
            f"default-src 'none'; script-src 'nonce-{self.server.nonce}'; style-src 'unsafe-inline'; "
            "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'",
        )
        self.end_headers()
        self.wfile.write(body)


def serve(review: Review, opened: Callable[[str], None] | None = None) -> Server:
    """Start serving `review` on a thread; `opened` is given the page's URL."""
    server = Server(review)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    if opened is not None:
        opened(server.url)
    return server


_PAGE = (Path(__file__).parent / "review.html").read_text(encoding="utf-8")  # its script: `{nonce}`


__all__ = ["Review", "Server", "config_file_for", "make", "reviews_file_for", "serve"]
