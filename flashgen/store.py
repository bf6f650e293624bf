"""A deck's notes as rows, in an SQLite file: what a package is written from (anki.py), and,
kept in the user's cache folder, what the next build updates in place when only a few posts
changed (incremental.py).

Each note is kept as its Anki rows (the `notes` columns and its cards' `ord`s) and as its line
of the state file, under the post it came from; beside them, each post's record of the last
build (its size, time and digest, its problems, its notes' keys for the checks across posts),
and, in `meta`, what the rows were built from and the digest of the state file they match. A
store that does not match the state file on disk is never used: the build goes the whole way
and fills it again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flashgen.model import Note

if TYPE_CHECKING:
    from flashgen.state import NoteRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS notes (
    guid TEXT NOT NULL UNIQUE, source TEXT NOT NULL, deck TEXT NOT NULL, removed INTEGER NOT NULL,
    mid INTEGER NOT NULL, mod INTEGER NOT NULL, tags TEXT NOT NULL, flds TEXT NOT NULL,
    sfld TEXT NOT NULL, ncards INTEGER NOT NULL, line BLOB NOT NULL, h1 INTEGER NOT NULL, h2 INTEGER NOT NULL
);  -- a table with row ids: its rows, often over 1 KB, would spill out of a key's pages
CREATE INDEX IF NOT EXISTS notes_by_source ON notes (source);
CREATE INDEX IF NOT EXISTS notes_by_mod ON notes (mod, guid, ncards);
CREATE INDEX IF NOT EXISTS notes_sums ON notes (h1, h2);
CREATE TABLE IF NOT EXISTS cards (
    guid TEXT NOT NULL, position INTEGER NOT NULL, ord INTEGER NOT NULL, PRIMARY KEY (guid, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS posts (
    path TEXT PRIMARY KEY, position INTEGER NOT NULL, label TEXT NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, digest TEXT NOT NULL, failed INTEGER NOT NULL, volatile INTEGER NOT NULL,
    key TEXT NOT NULL, kinds TEXT NOT NULL, more TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS keys (kind TEXT NOT NULL, key TEXT NOT NULL, post TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS keys_by_key ON keys (kind, key);
CREATE INDEX IF NOT EXISTS keys_by_post ON keys (post);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_VERSION = "5"  # of the schema: a store of another is made again


def path_for(cache: Path, package: Path) -> Path | None:
    """Where the store of the deck written to `package`, with the cache folder `cache`, is kept:
    in the user's own cache folder, beside the key that signs caches, never in the project. Its
    rows go into the package as they are, so a store that came with a repository (a cache folder
    committed by mistake, or planted) must never be the one read. None without a home folder."""
    from flashgen.cache import user_folder

    folder = user_folder()
    if folder is None:
        return None
    where = hashlib.blake2b(f"{package.resolve()}\x00{cache.resolve()}".encode(), digest_size=10).hexdigest()
    # The deck's name only helps a person tell the stores apart: cut to fit a file name (255 bytes,
    # with SQLite's `-journal`), the digest keeps them apart.
    stem = package.name.removesuffix(".apkg").encode("utf-8")[:100].decode("utf-8", "ignore")
    return folder / "decks" / f"{stem}-{where}.sqlite"


STALE_DAYS = 90


def prune(path: Path) -> None:
    """Remove the stores of decks not built for STALE_DAYS days (a blog deleted or moved leaves
    its store behind), but `path`'s. Such a deck is only built the whole way once more."""
    import time

    oldest = time.time() - STALE_DAYS * 86400
    try:
        for other in path.parent.glob("*.sqlite*"):
            if not other.name.startswith(path.name) and other.stat().st_mtime < oldest:
                other.unlink(missing_ok=True)
    except OSError:
        pass


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)  # transactions are ours to begin
    connection.execute("PRAGMA journal_mode = OFF" if path.name == _SCRATCH else "PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = OFF")
    (version,) = connection.execute("PRAGMA user_version").fetchone()
    if version != int(_VERSION):
        made = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if made and path.name != _SCRATCH:  # another flashgen's: made again, from nothing
            connection.close()
            for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                stale.unlink(missing_ok=True)
            return connect(path)
        connection.execute(f"PRAGMA user_version = {_VERSION}")
    connection.executescript(_SCHEMA)
    return connection


_SCRATCH = "rows.sqlite"  # a store made for one build only, in a folder that is removed


def scratch(folder: Path) -> Path:
    return folder / _SCRATCH


def put(connection: sqlite3.Connection, notes: Iterable[Note], records: Mapping[str, NoteRecord]) -> None:
    """Add the notes (as shipped, with their records in the next state) to the store; the
    caller has removed what they replace, in the same transaction."""
    from flashgen import anki, state  # genanki: only to pack

    card_rows: list[tuple[str, int, int]] = []

    def note_rows() -> Iterator[tuple[object, ...]]:
        # Made one at a time as SQLite takes them (a deck's rows are not held twice over), in the
        # order of the table's key, where SQLite adds them fastest.
        for note in sorted(notes, key=_guid):
            record = records[note.guid]
            row = anki.note_row(note)
            line = state.record_line(note.guid, record).encode()
            digest = hashlib.blake2b(line, digest_size=8).digest()
            where = (note.guid, record.source, record.deck or "", record.removed)
            sums = (int.from_bytes(digest[:4], "big") >> 1, int.from_bytes(digest[4:], "big") >> 1)
            yield (*where, row.mid, record.mod, row.tags, row.flds, row.sfld, len(row.ords), line, *sums)
            card_rows.extend((note.guid, position, number) for position, number in enumerate(row.ords))

    connection.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", note_rows())
    connection.executemany("INSERT INTO cards VALUES (?, ?, ?)", card_rows)


def _guid(note: Note) -> str:
    return note.guid


def refill(connection: sqlite3.Connection, notes: Iterable[Note], records: Mapping[str, NoteRecord]) -> None:
    """Empty the store and put these notes in it, in one transaction."""
    connection.execute("BEGIN")
    for table in ("meta", "notes", "cards", "posts", "keys"):
        connection.execute(f"DELETE FROM {table}")
    put(connection, notes, records)
    connection.execute("COMMIT")


def drop_sources(connection: sqlite3.Connection, sources: Iterable[str]) -> None:
    """Take out every note of these posts (by label), cards and all."""
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS fg_sources (source TEXT PRIMARY KEY)")
    connection.execute("DELETE FROM fg_sources")
    connection.executemany("INSERT OR IGNORE INTO fg_sources VALUES (?)", ((s,) for s in sources))
    connection.execute(
        "DELETE FROM cards WHERE guid IN "
        "(SELECT guid FROM notes WHERE source IN (SELECT source FROM fg_sources))"
    )
    connection.execute("DELETE FROM notes WHERE source IN (SELECT source FROM fg_sources)")


def lines(connection: sqlite3.Connection) -> list[bytes]:
    """Every note's line of the state file, in GUID order, joined by commas in parts of a few
    thousand lines (a deck of 100,000 notes has 60 MB of them: the parts are joined once, into
    the file's bytes)."""
    cursor = connection.execute("SELECT line FROM notes ORDER BY guid")
    parts = []
    while batch := cursor.fetchmany(4096):
        parts.append(b",".join([line for (line,) in batch]))
    return parts


def lines_digest(connection: sqlite3.Connection) -> str:
    """A digest of every note's line (so of everything the package is made of but the note types,
    the CSS and the images), summed by SQLite: a note's line changes, the sums change."""
    count, first, second = connection.execute("SELECT count(*), sum(h1), sum(h2) FROM notes").fetchone()
    return f"{count}:{first or 0:x}:{second or 0:x}"


def records_of(connection: sqlite3.Connection, sources: Iterable[str]) -> dict[str, NoteRecord]:
    """The last build's records of the notes of these posts, removed ones included."""
    from flashgen import state

    found: dict[str, NoteRecord] = {}
    for source in sources:
        for (line,) in connection.execute("SELECT line FROM notes WHERE source = ?", (source,)):
            guid, record = state.read_line(line.decode())
            found[guid] = record
    return found


@dataclass(slots=True)
class PostRecord:
    """What the last build learnt of one post, for the next to tell whether it changed and to
    check what it makes against the other posts without reading them."""

    path: str
    label: str
    size: int = -1
    mtime_ns: int = -1
    digest: str = ""
    failed: bool = False
    volatile: bool = False  # its images gave a warning (one may be missing): read on every build
    key: str = ""  # its name, which two posts must not share (building._renamed)
    problems: list[tuple[str, int, str]] = field(default_factory=list)  # severity, line, message
    kinds: dict[str, int] = field(default_factory=dict)  # its notes in the deck, by kind
    guids: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)  # the questions unique_questions compares
    twins: list[str] = field(default_factory=list)  # the digests _warn_duplicates compares
    images: list[tuple[str, int | None, int | None]] = field(default_factory=list)  # path, size, time
    media: list[tuple[str, str]] = field(default_factory=list)  # name in the deck, file


KEYS = ("guids", "questions", "twins")  # the keys of a post's notes that no other post may share


def put_posts(connection: sqlite3.Connection, posts: Iterable[PostRecord], start: int = 0) -> None:
    """Keep these posts' records (replacing what was kept of them), and their notes' keys."""
    rows: list[tuple[object, ...]] = []
    keys: list[tuple[str, str, str]] = []
    for position, post in enumerate(posts, start):
        more = {"problems": post.problems, "images": post.images, "media": post.media}
        stat = (post.size, post.mtime_ns, post.digest, post.failed, post.volatile)
        shown = json.dumps(more, ensure_ascii=False) if any(more.values()) else ""
        rows.append((post.path, position, post.label, *stat, post.key, json.dumps(post.kinds), shown))
        keys.extend((kind, key, post.path) for kind in KEYS for key in getattr(post, kind))
    connection.executemany("DELETE FROM keys WHERE post = ?", ((row[0],) for row in rows))
    connection.executemany("INSERT OR REPLACE INTO posts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    connection.executemany("INSERT INTO keys VALUES (?, ?, ?)", keys)


def drop_post(connection: sqlite3.Connection, path: str) -> None:
    connection.execute("DELETE FROM posts WHERE path = ?", (path,))
    connection.execute("DELETE FROM keys WHERE post = ?", (path,))


def posts(connection: sqlite3.Connection) -> list[PostRecord]:
    """Every post's record, in the order of the last build, without its notes' keys (`keys_of`)."""
    found = []
    for row in connection.execute(
        "SELECT path, label, size, mtime_ns, digest, failed, volatile, key, kinds, more "
        "FROM posts ORDER BY position"
    ):
        path, label, size, mtime_ns, digest, failed, volatile, key, kinds, more = row
        problems: list[tuple[str, int, str]] = []
        images: list[tuple[str, int | None, int | None]] = []
        media: list[tuple[str, str]] = []
        if more:  # most posts have no problems and no images
            data = json.loads(more)
            problems, images, media = ([tuple(x) for x in data[n]] for n in ("problems", "images", "media"))
        record = PostRecord(
            path,
            label,
            size,
            mtime_ns,
            digest,
            bool(failed),
            bool(volatile),
            key,
            problems,
            json.loads(kinds),
        )
        record.images, record.media = images, media
        found.append(record)
    return found


def keys_of(connection: sqlite3.Connection, record: PostRecord) -> PostRecord:
    """The record with its notes' keys."""
    for kind in KEYS:
        found = [
            key
            for (key,) in connection.execute(
                "SELECT key FROM keys WHERE kind = ? AND post = ?", (kind, record.path)
            )
        ]
        setattr(record, kind, found)
    return record


def shared(connection: sqlite3.Connection, probes: Iterable[tuple[str, str]], besides: Iterable[str]) -> bool:
    """Whether a post other than those in `besides` (paths) has one of these (kind, key)."""
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS fg_probes (kind TEXT NOT NULL, key TEXT NOT NULL)")
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS fg_besides (post TEXT PRIMARY KEY)")
    connection.execute("DELETE FROM fg_probes")
    connection.execute("DELETE FROM fg_besides")
    connection.executemany("INSERT INTO fg_probes VALUES (?, ?)", probes)
    connection.executemany("INSERT OR IGNORE INTO fg_besides VALUES (?)", ((path,) for path in besides))
    found = connection.execute(
        "SELECT 1 FROM fg_probes p JOIN keys k ON k.kind = p.kind AND k.key = p.key "
        "WHERE k.post NOT IN (SELECT post FROM fg_besides) LIMIT 1"
    ).fetchone()
    return found is not None


def set_meta(connection: sqlite3.Connection, **values: str) -> None:
    connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", values.items())


def meta(connection: sqlite3.Connection) -> dict[str, str]:
    return dict(connection.execute("SELECT name, value FROM meta"))
