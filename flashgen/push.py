"""`flashgen push`: hand the built decks to a running Anki desktop through AnkiConnect.

AnkiConnect (Anki add-on 2055492159) listens on 127.0.0.1:8765 and takes JSON requests
`{"action": …, "version": 6, "params": {…}}`, answering `{"result": …, "error": …}`. Its
`importPackage` action imports an .apkg from a path on the machine Anki runs on, as File → Import
does, so a re-import updates notes in place. Nothing is sent but the action and the deck's path;
no credentials are kept or sent.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from flashgen.errors import FlashgenError

DEFAULT_URL = "http://127.0.0.1:8765"
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
_INSTALL = "in Anki: Tools → Add-ons → Get Add-ons…, code 2055492159, then restart Anki"


class PushError(FlashgenError):
    """Anki or AnkiConnect could not take a deck."""


def is_local(url: str) -> bool:
    """Whether `url` is an http address on this machine (AnkiConnect reads the deck from a path
    on the machine Anki runs on, so another machine could not import it anyway)."""
    parsed = urllib.parse.urlparse(url)
    return parsed.scheme == "http" and parsed.hostname in _LOCAL_HOSTS


def call(url: str, action: str, timeout: float, **params: object) -> object:
    """One AnkiConnect action; its result, or a PushError that says what to do."""
    body = json.dumps({"action": action, "version": 6, "params": params}).encode("utf-8")
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise PushError(f"AnkiConnect at {url} answered HTTP {exc.code}") from exc
    except urllib.error.URLError as exc:
        raise PushError(
            f"cannot reach AnkiConnect at {url} ({exc.reason}): is Anki running, with the AnkiConnect "
            f"add-on installed? ({_INSTALL})"
        ) from exc
    except TimeoutError as exc:
        raise PushError(f"Anki did not answer within {timeout:.0f} s: is a dialog open in Anki?") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise PushError(f"{url} did not answer as AnkiConnect does ({exc})") from exc
    if not isinstance(answer, dict) or "error" not in answer or "result" not in answer:
        raise PushError(f"{url} did not answer as AnkiConnect 6 does: {str(answer)[:200]}")
    if answer["error"] is not None:
        raise PushError(f"AnkiConnect refused `{action}`: {answer['error']}")
    return answer["result"]


def push(package: Path, url: str = DEFAULT_URL, timeout: float = 300) -> None:
    """Import `package` into the running Anki's open profile."""
    if not package.is_file():
        raise PushError("no such deck; build it first (`flashgen build`)", package)
    version = call(url, "version", timeout=10)
    if not isinstance(version, int) or version < 6:
        spoken = f"AnkiConnect at {url} speaks version {version!r}"
        raise PushError(f"{spoken}; flashgen needs 6: update the add-on")
    if call(url, "importPackage", timeout, path=str(package.resolve())) is not True:
        raise PushError("Anki did not import the deck (see Anki's window)", package)


__all__ = ["DEFAULT_URL", "PushError", "call", "is_local", "push"]
