"""The record of the last clean build: what answers a rebuild whose plan is empty.

A scheduled CI job mostly rebuilds decks whose posts did not change. Then the planner finds no
post outdated (planner.py), and when the settings and the deck and state files on disk are also
as the last clean build left them, its report still holds: no Markdown is parsed, no cache or
state unpacked, nothing written. The record (`last-build.json` in the cache folder) is written
only after a clean build (no warnings, errors or removed notes still shipped). Below it, the
stamps of files that the planner and the builds compare.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from flashgen.keys import signing_key

RECORD = "last-build.json"


def changed_ns(info: os.stat_result) -> int:
    """When a file last changed, as far as its stamp can tell: the later of its modification time,
    which any program may set back (`touch -d`, a copy that keeps times), and its change time,
    which none can (POSIX sets it on every write, and on setting the modification time). On
    Windows the second is the creation time: there a same-size edit whose time is set back goes
    unseen until the file's size or time changes."""
    return max(info.st_mtime_ns, info.st_ctime_ns)


def stat_of(path: Path) -> list[object]:
    """A file's [path, size, time in ns (`changed_ns`)]; [path, None, None] when it is missing."""
    try:
        info = path.stat()
    except OSError:
        return [str(path), None, None]
    return [str(path), info.st_size, changed_ns(info)]


def file_stamp(path: Path) -> str:
    """What identifies a file's bytes without reading them: its size, its times (the change time,
    which no program can set back, too) and its inode ("" when it cannot be read)."""
    try:
        info = os.stat(path)
    except OSError:
        return ""
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"


def store_as_recorded(record: dict[str, Any] | None, store: Path) -> bool:
    """Whether the deck's store of rows is the very file the last clean build left, untouched
    since (the same size, times and inode, and no write-ahead log of changes beside it): its rows
    are that build's, and need not be checked against their seals again."""
    if record is None or record.get("store") != [str(store), file_stamp(store)]:
        return False
    return not store.with_name(store.name + "-wal").exists()


def sha256_of(path: Path) -> str | None:
    """A file's SHA-256, read in chunks; None when it cannot be read."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()  # in chunks, not read whole
    except OSError:
        return None


def remember(
    folder: Path,
    key: str,
    files: Iterable[Path],
    report: dict[str, Any],
    digests: Mapping[Path, str] | None = None,
    store: Path | None = None,
) -> None:
    """Record a clean build: the key of what it was built from (planner.Plan.key), its files'
    digests (`digests`, when the build knows them already, else read from the files), its report,
    and the stamp of the deck's store as the build left it (`store`, closed: see
    `store_as_recorded`)."""
    known = digests or {}
    record = {
        "key": key,
        "files": {str(path): [known.get(path) or sha256_of(path), *stat_of(path)[1:]] for path in files},
        "report": report,
        **({"store": [str(store), file_stamp(store)]} if store is not None and store.exists() else {}),
    }
    signing = signing_key()
    if signing is None:
        return  # an unsigned record could be planted: without a key, every build takes the long way
    body = json.dumps(record, ensure_ascii=False, sort_keys=True)
    temporary = folder / f".{RECORD}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps({"mac": _mac(signing, body), "record": body}), encoding="utf-8")
        os.replace(temporary, folder / RECORD)
    except OSError:
        # Without the record the next build only takes the long way; a begun one goes.
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def shadowing(images: Iterable[Path]) -> set[Path]:
    """Files that would take an image's place if they appeared: `/img.png` is looked for at the
    site root before `static/` (Hugo), so for `…/static/img.png` the record also notes that
    `…/img.png` is missing. Noting more than needed only sends a build the long way."""
    found: set[Path] = set()
    for path in images:
        for index, part in enumerate(path.parts):
            if part == "static":
                found.add(Path(*path.parts[:index], *path.parts[index + 1 :]))
    return found


def _same_file(path: Path, written: list[object]) -> bool:
    """Whether a file the build wrote still holds what it wrote: the same size and modification
    time (to the nanosecond) as then, else the same digest. A deck of 10,000 posts is 100 MB or
    more to hash; a file rewritten or checked out again has another time, and is hashed."""
    digest, size, mtime = written
    return stat_of(path)[1:] == [size, mtime] or sha256_of(path) == digest


def _mac(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode("utf-8"), "sha256").hexdigest()


def load(folder: Path) -> dict[str, Any] | None:
    """The last clean build's record, when this machine signed it; else None."""
    signing = signing_key()
    if signing is None:
        return None
    try:
        signed = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        body = signed["record"]
        # Signed with this machine's key, like the cache: a record planted in the cache folder
        # (it holds only public inputs) cannot make `--check` pass on a stale deck.
        if not isinstance(body, str) or not hmac.compare_digest(str(signed["mac"]), _mac(signing, body)):
            return None
        record = json.loads(body)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record if isinstance(record, dict) else None


def recall(record: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
    """The last build's report, when nothing it depends on has changed since."""
    if record is None or record.get("key") != key:
        return None
    try:
        if not all(_same_file(Path(path), written) for path, written in record["files"].items()):
            return None
        report: dict[str, Any] = record["report"]
        return report
    except (OSError, ValueError, KeyError, TypeError):
        return None
