"""Deck → .apkg and state file: each deck is planned against the state already in its output
folder (what is new, changed, removed; the package's bytes), then written whole or not at all.
The last stage of the one-way flow posts → notes → package; nothing here reads a post."""

from __future__ import annotations

import concurrent.futures
import contextlib
import glob
import hashlib
import io
import json
import os
import re
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from flashgen.errors import OutputError
from flashgen.model import Changes, Deck, Note
from flashgen.write import store

if TYPE_CHECKING:
    from flashgen.write import state
from flashgen.version import __version__


def deck_filename(name: str) -> str:
    """A file name for a deck: `Study::ML` → `Study__ML.apkg`. Never `collection.apkg`, which
    Anki would import as a whole collection."""
    stem = re.sub(r"[^\w\-.]+", "-", name.replace("::", "__"), flags=re.UNICODE).strip("-.")
    stem = stem or "deck"
    if stem.lower() == "collection":
        stem += "-deck"
    if len(stem.encode("utf-8")) > _LONGEST_STEM:
        # A file name holds 255 bytes, and the state file's and the temporary files' names are
        # longer than the deck's (78 Hangul syllables are 234): cut at a character, and keep
        # names apart with a digest of the whole name.
        digest = hashlib.blake2b(name.encode("utf-8"), digest_size=4).hexdigest()
        cut = stem.encode("utf-8")[: _LONGEST_STEM - len(digest) - 1].decode("utf-8", "ignore")
        stem = f"{cut.rstrip('-.')}-{digest}"
    return stem + ".apkg"


_LONGEST_STEM = 230  # bytes: `.STEM.state.json.XXXXXXXX.tmp`, the longest name written, fits in 255


@dataclass(frozen=True, slots=True)
class Planned:
    """A deck ready to write: its file's bytes, its state file's bytes, and what changed."""

    path: Path
    state_path: Path
    package: bytes
    state: bytes
    changes: Changes

    @property
    def up_to_date(self) -> bool:
        """True when the files on disk already hold exactly these bytes."""
        return _same(self.path, self.package) and _same(self.state_path, self.state)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _same(path: Path, data: bytes) -> bool:
    """Whether the file holds exactly `data` (compared in chunks: a state file can be large)."""
    try:
        if path.stat().st_size != len(data):
            return False
        view = memoryview(data)
        with path.open("rb") as handle:
            for start in range(0, len(data), 1 << 20):
                if handle.read(1 << 20) != view[start : start + (1 << 20)]:
                    return False
        return True
    except OSError:
        return False


class RemovalRefused(OutputError):
    """A build would remove notes it should not remove without being told to: nothing is written."""


# A build that would remove all of a deck's notes, or more than this share of them (and at least
# REMOVAL_FLOOR), writes nothing unless `--allow-removal` is given: an emptied or moved `_posts/`, a
# wrong checkout or a typo in `sources` looks just like that, and shipping it would tag every note
# removed (the README tells users to delete those in Anki, with their review history).
REMOVAL_SHARE = 0.3
REMOVAL_FLOOR = 5  # fewer removed notes never trip the share: a small deck's ordinary edit


def removal_refused(
    removed: tuple[Note, ...],
    live: tuple[int, int],
    path: Path,
    *,
    posts_built: frozenset[str] | None = None,
) -> RemovalRefused | None:
    """Why this build must not remove `removed` from a deck that held `live[0]` notes and would
    hold `live[1]` (removed ones not counted), or None. A deck left empty is refused, however
    small; one question rewritten in a deck of one (a note removed, another new) is not.

    `posts_built`, when only some post files were named (no `-o`), are the labels of those posts:
    the deck's other notes are not this build's to remove, however few they are."""
    if not removed:
        return None
    sources = sorted({note.origin for note in removed})
    named = ", ".join(sources[:3]) + (f" and {len(sources) - 3} more" if len(sources) > 3 else "")
    if posts_built is not None and (others := [s for s in sources if s not in posts_built]):
        return RemovalRefused(
            f"this deck holds the notes of {len(others)} post(s) not among the files given ({named}); "
            "building only these files would tag them removed. Nothing was written. To build a deck of "
            "these posts alone, give a folder for it (e.g. `-o /tmp/decks`); to see their cards, use "
            "`flashgen show` or `flashgen preview`",
            path,
        )
    live_before, live_after = live
    if live_after > 0 and not (len(removed) >= REMOVAL_FLOOR and len(removed) > REMOVAL_SHARE * live_before):
        return None
    share = "all" if len(removed) >= live_before else f"{len(removed)}"
    return RemovalRefused(
        f"this build would remove {share} of the deck's {live_before} notes (those of {named}, "
        "whose posts are gone or make no notes now). Nothing was written. If the posts were moved, "
        "check the sources (a wrong folder or checkout); if you removed them on purpose, run the "
        "build again with --allow-removal",
        path,
    )


def live_notes(previous: state.State) -> int:
    """The notes a deck held, not counting those already removed."""
    return sum(1 for record in previous.notes.values() if not record.removed)


def state_path_for(package: Path) -> Path:
    return package.with_name(package.name.removesuffix(".apkg") + ".state.json")


def plan(
    deck: Deck,
    folder: Path,
    *,
    clock: int,
    failed_sources: frozenset[str] = frozenset(),
    extra_css: str = "",
    forget_removed: bool = False,
    media_cache: Path | None = None,
    rows: Path | None = None,
    allow_removal: bool = False,
    posts_built: frozenset[str] | None = None,
) -> Planned:
    """Work out the deck's package and state against the state already in `folder`; write nothing
    (but re-encoded pictures, kept in `media_cache` when one is given, and the deck's rows, kept
    in the store `rows` when one is given: see store.py). A plan that would remove too many notes
    raises RemovalRefused (see `removal_refused`) unless `allow_removal`."""
    from flashgen.write import anki, state  # genanki and the renderer: only to pack

    path = folder / deck_filename(deck.name)
    state_file = state_path_for(path)
    previous_bytes = _read(state_file)
    previous = state.load(state_file, previous_bytes)
    if previous.deck is not None and previous.deck != deck.name:
        # `Study ML` and `Study/ML` make one file name: the second must not overwrite the first's
        # deck and state, nor tag all of its notes removed.
        raise OutputError(
            f"this file holds the deck {previous.deck!r}, and the deck {deck.name!r} has the same file "
            "name; name one of them differently (--deck, or `deck` in the configuration). If you "
            f"renamed the deck, delete {path.name} and {state_file.name} first",
            path,
        )
    notes = state.keep_identity(state.keep_list_parts(deck.notes, previous), previous)
    reverse = state.reversible(notes, previous)
    stamped = state.stamp(
        notes,
        anki.note_type_hashes(extra_css, reverse),
        previous,
        clock=clock,
        failed_sources=failed_sources,
        forget_removed=forget_removed,
        reverse=reverse,
    )
    if not allow_removal and (
        refused := removal_refused(
            stamped.changes.removed, (live_notes(previous), len(deck.notes)), path, posts_built=posts_built
        )
    ):
        raise refused
    try:
        with contextlib.ExitStack() as stack:
            connection = _kept(rows, stamped) if rows is not None else None
            if connection is None:  # no store to keep, or none that can be written: one for now
                rows = store.scratch(
                    Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="flashgen-")))
                )
                connection = store.connect(rows)
                store.refill(connection, stamped.notes, stamped.state.notes, reverse)
            assert rows is not None
            stack.callback(connection.close)
            written = replace(stamped.state, deck=deck.name)
            package, written, state_bytes = pack(
                connection, rows, written, deck, path, extra_css, media_cache
            )
            # Nothing changed: the state file on disk already says exactly this.
            if written == previous and previous_bytes is not None:
                state_bytes = previous_bytes
            store.set_meta(
                connection,
                state_sha256=hashlib.sha256(state_bytes).hexdigest(),
                note_types=json.dumps(written.note_types),
                reverse="1" if written.reverse else "",
            )
    except sqlite3.Error as exc:  # the rows are in a temporary folder: a full disk there
        raise OutputError(f"cannot build the deck: {exc} (is the disk full?)", path) from exc
    return Planned(path, state_file, package, state_bytes, stamped.changes)


def _kept(rows: Path, stamped: state.Stamped) -> sqlite3.Connection | None:
    """The store kept for the next build (in the user's cache folder), filled with the deck's
    rows; None when it cannot be written there (a read-only or full home folder only makes the
    next build go the whole way)."""
    connection = None
    try:
        connection = store.connect(rows)
        store.refill(connection, stamped.notes, stamped.state.notes, stamped.state.reverse)
        return connection
    except (sqlite3.Error, OSError):
        if connection is not None:
            connection.close()
        return None


def pack(
    connection: sqlite3.Connection,
    rows: Path,
    written: state.State,
    deck: Deck,
    path: Path,
    extra_css: str,
    media_cache: Path | None,
    meanwhile: Callable[[list[bytes]], None] | None = None,
) -> tuple[bytes, state.State, bytes]:
    """The package of the notes in the store `rows`, the state `written` with the package's key
    and digest, and that state's bytes. The package is made on a thread of its own while this one
    writes the state's notes (SQLite and zlib let go of Python's lock while they work)."""
    from flashgen.write import anki, state  # genanki: only to pack

    types = sorted((type_id, mod) for type_id, (_, mod) in written.note_types.items())
    media = [name for name, _ in deck.media]
    key = state.content_hash(__version__, deck.name, store.lines_digest(connection), types, extra_css, media)
    # Always made again, never taken from the disk because the state file's digest matches it:
    # both files are committed, and anyone may edit the two together (a `<script>` in a field,
    # and the digest line to match). Made from the rows, the package holds only what the posts
    # say; the file on disk is kept only when it holds exactly that (`_as_on_disk`).
    with concurrent.futures.ThreadPoolExecutor(1) as background:
        making = background.submit(
            anki.package_bytes,
            rows,
            deck,
            note_type_mods=dict(types),
            extra_css=extra_css,
            media_cache=media_cache,
            reverse=written.reverse,
        )
        begun = state.dumps_notes(written, store.lines(connection))
        if meanwhile is not None:
            meanwhile(begun)  # the state file's notes, while the package is made
        try:
            package = _as_on_disk(path, making.result())
        except OSError as exc:
            raise OutputError(f"cannot build the deck: {exc.strerror or exc}: {exc.filename}", path) from exc
    written = replace(written, package=(key, hashlib.sha256(package).hexdigest()))
    return package, written, state.dumps_end(begun, written.package)


def _as_on_disk(path: Path, package: bytes) -> bytes:
    """The package on disk in place of `package` when the two hold the same files, byte for byte
    once inflated; else `package`. Another zlib (another machine's, another Python's) deflates the
    same files into other bytes, and a deck committed from one machine must not be rewritten, nor
    fail `--check`, on another. What the files hold is compared, never a digest a file states."""
    try:
        data = path.read_bytes()
    except OSError:
        return package
    if len(data) > 2 * len(package) + (1 << 20):
        return package  # far larger than the same files deflated: something else is in it
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(io.BytesIO(package)) as new:
            entries = list(zip(old.infolist(), new.infolist(), strict=True))
            if old.comment or any(_entry(a) != _entry(b) for a, b in entries):
                return package
            for a, b in entries:
                with old.open(a) as was, new.open(b) as now:
                    while chunk := was.read(1 << 20):  # a bomb is cut short at the first difference
                        if chunk != now.read(len(chunk)):
                            return package
                    if now.read(1):
                        return package
    except (ValueError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError):
        return package  # not a zip, or a damaged one (a wrong CRC), or of entries not the same
    return data


def _entry(info: zipfile.ZipInfo) -> tuple[object, ...]:
    return (info.filename, info.file_size, info.CRC, info.compress_type, info.date_time, info.external_attr)


@contextlib.contextmanager
def output_lock(folder: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the output folder for one build at a time: a second build into it waits (after
    calling `waiting`) until the first has written its decks, so that neither reads a state the
    other is replacing, nor cleans up the other's temporary files. The lock (filelock: `flock` on
    Linux and macOS, `msvcrt.locking` on Windows, dropped by the system when a build dies) is a
    file in the user's cache folder named after the output folder: none in the project to commit.
    Without a cache folder to hold it, builds are not kept apart."""
    import filelock

    from flashgen.keys import user_folder

    home = user_folder()
    if home is None:
        yield
        return
    where = hashlib.blake2b(str(folder.resolve()).encode(), digest_size=10).hexdigest()
    try:
        (home / "locks").mkdir(parents=True, exist_ok=True)
    except OSError:
        yield  # a folder that cannot be made fails at the write, with the error that names the deck
        return
    lock = filelock.FileLock(home / "locks" / f"{where}.lock")
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        if waiting is not None:
            waiting()
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def _clean(path: Path) -> None:
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)  # left by a build that was killed while writing


def write(planned: Planned, ahead: StateAhead | None = None) -> None:
    """Write a planned deck and its state; each file is replaced only by a complete new one.
    With `ahead`, the state file's notes are already on disk in its temporary file.

    A build killed between the two renames leaves a new deck with the old state (or the reverse);
    the next build sees the difference and writes both again, so nothing is lost either way."""
    from flashgen.write import anki  # genanki: only to write

    for path, data in ((planned.path, planned.package), (planned.state_path, planned.state)):
        try:
            if ahead is not None and path == ahead.path:
                ahead.finish(data)
                continue
            _clean(path)
            if not _same(path, data):
                anki.write_atomically(path, data)
        except OSError as exc:
            raise OutputError(f"cannot write the deck: {exc.strerror or exc}", path) from exc


class StateAhead:
    """A state file begun before its package is made: its notes (most of its bytes) go to its
    temporary file and to the disk while the package is made; `finish` adds the rest (which names
    the package), and only then replaces the file. A new file is complete or not there, as with
    `anki.write_atomically`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.temporary: Path | None = None
        self.written = 0

    def begin(self, parts: list[bytes]) -> None:
        _clean(self.path)
        try:
            descriptor, name = tempfile.mkstemp(
                dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
            )
            self.temporary = Path(name)
            with os.fdopen(descriptor, "wb") as handle:
                for part in parts:
                    handle.write(part)
                    self.written += len(part)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            self.discard()  # written whole at the end instead, where an error is reported

    def finish(self, data: bytes) -> None:
        from flashgen.write import anki

        if self.temporary is None:
            anki.write_atomically(self.path, data)
            return
        try:
            with self.temporary.open("r+b") as handle:
                handle.seek(self.written)
                handle.write(memoryview(data)[self.written :])
                handle.truncate()
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(self.temporary, 0o644)
            os.replace(self.temporary, self.path)
            self.temporary = None
        finally:
            self.discard()

    def discard(self) -> None:
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)
            self.temporary = None
        self.written = 0


__all__ = [
    "REMOVAL_SHARE",
    "Planned",
    "RemovalRefused",
    "StateAhead",
    "deck_filename",
    "live_notes",
    "output_lock",
    "plan",
    "removal_refused",
    "state_path_for",
    "write",
]
