"""`flashgen push`: hand the built decks to a running Anki desktop through AnkiConnect.

AnkiConnect (Anki add-on 2055492159) listens on 127.0.0.1:8765 and takes JSON requests
`{"action": …, "version": 6, "params": {…}}`, answering `{"result": …, "error": …}`. Its
`importPackage` action imports an .apkg from a path on the machine Anki runs on, as File → Import
does, so a re-import updates notes in place. Nothing is sent but the action and the deck's path;
no credentials are kept or sent.

What answers is not trusted: the request goes straight to the address given (never through a
proxy from `$http_proxy`, never after a redirect), the whole answer must come within the time
allowed and fit in 1 MiB, and any text from it is made printable before it is shown.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import sqlite3
import time
import unicodedata
import urllib.parse
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from flashgen.errors import ConfigError, FlashgenError
from flashgen.model import REMOVED_TAG
from flashgen.read import render

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

DEFAULT_URL = "http://127.0.0.1:8765"
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
_INSTALL = "in Anki: Tools → Add-ons → Get Add-ons…, code 2055492159, then restart Anki"
# AnkiConnect answers `version` and `importPackage` in a few dozen bytes; more is not AnkiConnect.
MAX_ANSWER = 1 << 20
_SHOWN = 200  # characters of a server's text put into a message
_UNPRINTABLE = ("Cc", "Cf", "Cs", "Zl", "Zp")  # control, format (bidi), surrogate, line breaks


class PushError(FlashgenError):
    """Anki or AnkiConnect could not take a deck."""


def _address(url: str) -> tuple[str, int, str]:
    """Host, port and request target of an AnkiConnect `url`, or a ConfigError saying why it
    cannot be one. Only plain http on this machine: AnkiConnect reads the deck from a path on the
    machine Anki runs on, so another machine could not import it anyway; and a control character
    or space in the address would end up in the request's header lines."""
    if not url.isascii() or not url.isprintable() or any(c.isspace() for c in url):
        raise ConfigError(
            f"{_shown(url)} is not a plain address: it holds a space, a control or a non-ASCII character"
        )
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in _LOCAL_HOSTS:
        raise ConfigError(
            "AnkiConnect must be on this machine (http://127.0.0.1 or localhost): it imports the deck "
            "from a path on the machine Anki runs on"
        )
    try:
        port = 80 if parts.port is None else parts.port
    except ValueError as exc:  # a port that is no number, or out of range
        raise ConfigError(f"{url}: {exc}") from None
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.hostname, port, target


def check_url(url: str) -> None:
    """Raise a ConfigError if `url` cannot be AnkiConnect's address (see `_address`)."""
    _address(url)


def is_local(url: str) -> bool:
    """Whether `url` is a usable http address on this machine (see `_address`)."""
    try:
        _address(url)
    except ConfigError:
        return False
    return True


def _shown(text: str) -> str:
    """`text` from elsewhere, safe to print in one line: control characters (a CR that moves back
    over the line, ANSI escapes, bidi overrides) written as escapes like `\\r`, `\\x1b`, and cut
    to 200 characters."""
    head = "".join(ascii(c)[1:-1] if unicodedata.category(c) in _UNPRINTABLE else c for c in text[:_SHOWN])
    return head + ("…" if len(text) > _SHOWN else "")


class _DeadlineSocket(socket.socket):
    """A socket that waits, at every read and write, only until one deadline: a timeout per read
    alone starts again at each byte, so a server sending its answer a byte at a time would
    never trip it."""

    deadline = 0.0

    def _arm(self) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the time allowed is over")
        self.settimeout(left)

    def recv_into(self, buffer: WriteableBuffer, nbytes: int = 0, flags: int = 0) -> int:
        self._arm()
        return super().recv_into(buffer, nbytes, flags)

    def sendall(self, data: ReadableBuffer, flags: int = 0, /) -> None:
        self._arm()
        super().sendall(data, flags)


class _Connection(http.client.HTTPConnection):
    """A direct HTTP connection (http.client asks no proxy and follows no redirect) whose whole
    exchange, from connecting to the answer's last byte, ends by `deadline`."""

    def __init__(self, host: str, port: int, deadline: float) -> None:
        super().__init__(host, port, timeout=max(deadline - time.monotonic(), 0.001))
        self.deadline = deadline

    def connect(self) -> None:
        super().connect()
        assert self.sock is not None
        sock = _DeadlineSocket(fileno=self.sock.detach())
        sock.deadline = self.deadline
        self.sock = sock


def _read(response: http.client.HTTPResponse, url: str) -> bytes:
    """The answer's body, refused if it is bigger than any answer of AnkiConnect's."""
    too_big = PushError(f"{url} answered with more than {MAX_ANSWER >> 20} MiB: that is not AnkiConnect")
    if response.length is not None and response.length > MAX_ANSWER:
        raise too_big  # said up front: not even read
    data = response.read(MAX_ANSWER + 1)
    if len(data) > MAX_ANSWER:
        raise too_big
    return data


def _exchange(url: str, body: bytes, timeout: float) -> bytes:
    """POST `body` to `url`; the answer's body, or a PushError that says what to do."""
    host, port, target = _address(url)
    connection = _Connection(host, port, time.monotonic() + timeout)
    headers = {"Content-Type": "application/json", "Connection": "close"}
    try:
        connection.request("POST", target, body, headers)
        with connection.getresponse() as response:
            if response.status != 200:
                raise PushError(f"AnkiConnect at {url} answered HTTP {response.status}")
            return _read(response, url)
    except TimeoutError as exc:
        raise PushError(f"Anki did not answer within {timeout:.0f} s: is a dialog open in Anki?") from exc
    except OSError as exc:
        raise PushError(
            f"cannot reach AnkiConnect at {url} ({_shown(exc.strerror or str(exc))}): is Anki running, "
            f"with the AnkiConnect add-on installed? ({_INSTALL})"
        ) from exc
    except http.client.HTTPException as exc:  # a broken status line or headers, a cut-off body
        raise PushError(f"{url} did not answer as AnkiConnect does ({_shown(repr(exc))})") from exc
    finally:
        connection.close()


def _is_answer(answer: object) -> TypeGuard[dict[str, object]]:
    """Whether `answer` has AnkiConnect 6's shape: `{"result": …, "error": null or a message}`."""
    if not isinstance(answer, dict) or "result" not in answer or "error" not in answer:
        return False
    return answer["error"] is None or isinstance(answer["error"], str)


def call(url: str, action: str, timeout: float, **params: object) -> object:
    """One AnkiConnect action; its result, or a PushError that says what to do."""
    body = json.dumps({"action": action, "version": 6, "params": params}).encode("utf-8")
    data = _exchange(url, body, timeout)
    try:
        text = data.decode("utf-8")
        answer = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: JSON nested a thousand deep
        raise PushError(f"{url} did not answer as AnkiConnect does ({_shown(str(exc))})") from exc
    if not _is_answer(answer):
        raise PushError(f"{url} did not answer as AnkiConnect 6 does: {_shown(text)}")
    error = answer["error"]
    if isinstance(error, str):  # else None: done
        raise PushError(f"AnkiConnect refused `{action}`: {_shown(error)}")
    return answer["result"]


def push(package: Path, url: str = DEFAULT_URL, timeout: float = 300) -> None:
    """Import `package` into the running Anki's open profile."""
    if not package.is_file():
        raise PushError("no such deck; build it first (`flashgen build`)", package)
    version = call(url, "version", timeout=10)
    if not isinstance(version, int) or isinstance(version, bool):
        raise PushError(f"{url} did not answer `version` as AnkiConnect does")
    if version < 6:
        raise PushError(
            f"AnkiConnect at {url} speaks version {_shown(str(version))}; flashgen needs 6: update the add-on"
        )
    _check_note_type(package, url)
    if call(url, "importPackage", timeout, path=str(package.resolve())) is not True:
        raise PushError("Anki did not import the deck (see Anki's window)", package)


def _check_note_type(package: Path, url: str) -> None:
    """Refuse a deck whose basic note type has the reverse card's fields when Anki's has not:
    AnkiConnect imports with Anki's default options, which leave every note already in Anki
    as it was (a conflicting note type). That import is made once by hand, merging note types."""
    from flashgen.write import anki  # genanki: only for a deck with reverse cards

    try:
        shipped = anki.basic_fields_in(package)
    except (OSError, KeyError, ValueError, sqlite3.Error, zipfile.BadZipFile) as exc:
        raise PushError(f"not a deck flashgen can read ({exc})", package) from exc
    if not set(anki.REVERSE_FIELDS) <= set(shipped):
        return
    try:
        held = call(url, "modelFieldNames", timeout=30, modelName="flashgen basic")
    except PushError as exc:
        if "not found" in str(exc):
            return  # no flashgen deck in this profile yet: the import makes the note type
        raise
    if isinstance(held, list) and not set(anki.REVERSE_FIELDS) <= set(held):
        raise PushError(
            "this deck's note type has the fields of reverse cards, and Anki's has not yet. Import it "
            "once in Anki (File → Import, with “Merge note types” ticked and “Update notes” set to "
            "“Always”: Anki 23.10 or later), or the notes already there are not updated; `flashgen "
            "push` works from then on",
            package,
        )


@dataclass(frozen=True, slots=True)
class Removed:
    """A note Anki holds that the deck now ships tagged `flashgen::removed`."""

    note_id: int
    text: str  # its first field, as plain text, cut short: what the confirmation lists


def removed_notes(deck_name: str, url: str = DEFAULT_URL, timeout: float = 60) -> list[Removed]:
    """The notes of the deck `deck_name` (and its subdecks) that Anki holds tagged
    `flashgen::removed`: the notes no post makes any more."""
    query = f'"deck:{_search_text(deck_name)}" tag:{REMOVED_TAG}'
    found = call(url, "findNotes", timeout, query=query)
    if not isinstance(found, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in found):
        raise PushError(f"{url} did not answer `findNotes` as AnkiConnect does")
    if not found:
        return []
    infos = call(url, "notesInfo", timeout, notes=found)
    if not isinstance(infos, list):
        raise PushError(f"{url} did not answer `notesInfo` as AnkiConnect does")
    removed = []
    for note_id, info in zip(found, infos, strict=False):
        fields: object = info.get("fields", {}) if isinstance(info, dict) else {}
        first: object = next(iter(fields.values()), {}) if isinstance(fields, dict) else {}
        value: object = first.get("value", "") if isinstance(first, dict) else ""
        removed.append(Removed(note_id, _shown(render.text(str(value)))[:80]))
    return removed


def delete(notes: list[Removed], url: str = DEFAULT_URL, timeout: float = 60) -> None:
    """Delete these notes in Anki, with their cards and review history."""
    if notes:
        call(url, "deleteNotes", timeout, notes=[note.note_id for note in notes])


def _search_text(text: str) -> str:
    """Text inside a quoted Anki search term: `"`, `\\`, and the wildcards `*` and `_` escaped."""
    return re.sub(r'(["\\*_])', r"\\\1", text)


__all__ = [
    "DEFAULT_URL",
    "MAX_ANSWER",
    "PushError",
    "Removed",
    "call",
    "check_url",
    "delete",
    "is_local",
    "push",
    "removed_notes",
]
