"""A deck's notes as rows, in an SQLite file: what a package is written from (anki.py), and,
kept in the cache folder, what the next build updates in place when only a few posts changed
(incremental.py).

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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flashgen.model import Note

if TYPE_CHECKING:
    from flashgen.state import NoteRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS notes (
    guid TEXT PRIMARY KEY, source TEXT NOT NULL, deck TEXT NOT NULL, removed INTEGER NOT NULL,
    mid INTEGER NOT NULL, mod INTEGER NOT NULL, tags TEXT NOT NULL, flds TEXT NOT NULL,
    sfld TEXT NOT NULL, ncards INTEGER NOT NULL, line TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_by_source ON notes (source);
CREATE TABLE IF NOT EXISTS cards (
    guid TEXT NOT NULL, position INTEGER NOT NULL, ord INTEGER NOT NULL, PRIMARY KEY (guid, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS posts (path TEXT PRIMARY KEY, position INTEGER NOT NULL, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def path_for(cache: Path, package: Path) -> Path:
    """Where the store of the deck written to `package` is kept in the cache folder."""
    where = hashlib.blake2b(str(package.resolve()).encode(), digest_size=8).hexdigest()
    return cache / "decks" / f"{package.name.removesuffix('.apkg')}-{where}.sqlite"


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)  # transactions are ours to begin
    connection.execute("PRAGMA journal_mode = OFF" if path.name == _SCRATCH else "PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = OFF")
    connection.executescript(_SCHEMA)
    return connection


_SCRATCH = "rows.sqlite"  # a store made for one build only, in a folder that is removed


def scratch(folder: Path) -> Path:
    return folder / _SCRATCH


def put(connection: sqlite3.Connection, notes: Iterable[Note], records: Mapping[str, NoteRecord]) -> None:
    """Add the notes (as shipped, with their records in the next state) to the store; the
    caller has removed what they replace, in the same transaction."""
    from flashgen import anki, state  # genanki: only to pack

    note_rows: list[tuple[object, ...]] = []
    card_rows: list[tuple[str, int, int]] = []
    for note in notes:
        record = records[note.guid]
        row = anki.note_row(note)
        line = state.record_line(note.guid, record)
        where = (note.guid, record.source, record.deck or "", record.removed)
        note_rows.append((*where, row.mid, record.mod, row.tags, row.flds, row.sfld, len(row.ords), line))
        card_rows.extend((note.guid, position, number) for position, number in enumerate(row.ords))
    connection.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", note_rows)
    connection.executemany("INSERT INTO cards VALUES (?, ?, ?)", card_rows)


def clear(connection: sqlite3.Connection) -> None:
    connection.execute("DELETE FROM meta")
    connection.execute("DELETE FROM notes")
    connection.execute("DELETE FROM cards")
    connection.execute("DELETE FROM posts")


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


def lines(connection: sqlite3.Connection) -> Iterator[str]:
    """Every note's line of the state file, in GUID order."""
    for (line,) in connection.execute("SELECT line FROM notes ORDER BY guid"):
        yield line


def lines_digest(connection: sqlite3.Connection) -> str:
    digest = hashlib.sha256()
    for line in lines(connection):
        digest.update(line.encode())
    return digest.hexdigest()


def records_of(connection: sqlite3.Connection, sources: Iterable[str]) -> dict[str, NoteRecord]:
    """The last build's records of the notes of these posts, removed ones included."""
    from flashgen import state

    found: dict[str, NoteRecord] = {}
    for source in sources:
        for (line,) in connection.execute("SELECT line FROM notes WHERE source = ?", (source,)):
            guid, record = state.read_line(line)
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
    images: list[tuple[str, int, int]] = field(default_factory=list)  # path, size, time
    media: list[tuple[str, str]] = field(default_factory=list)  # name in the deck, file

    def dumps(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def loads(cls, text: str) -> PostRecord:
        data = json.loads(text)
        for name in ("problems", "images", "media"):
            data[name] = [tuple(item) for item in data[name]]
        return cls(**data)


def put_posts(connection: sqlite3.Connection, posts: Iterable[PostRecord]) -> None:
    connection.executemany(
        "INSERT OR REPLACE INTO posts VALUES (?, ?, ?)",
        ((post.path, position, post.dumps()) for position, post in enumerate(posts)),
    )


def posts(connection: sqlite3.Connection) -> list[PostRecord]:
    return [
        PostRecord.loads(text) for (text,) in connection.execute("SELECT record FROM posts ORDER BY position")
    ]


def set_meta(connection: sqlite3.Connection, **values: str) -> None:
    connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", values.items())


def meta(connection: sqlite3.Connection) -> dict[str, str]:
    return dict(connection.execute("SELECT name, value FROM meta"))
