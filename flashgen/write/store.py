"""A deck's notes as rows, in an SQLite file: what a package is written from (anki.py), and,
kept in the user's cache folder, what the next build updates in place when only a few posts
changed (incremental.py).

Each note is kept as its Anki rows (the `notes` columns and its cards' `ord`s) and as its line
of the state file, under the post it came from; beside them, each post's record of the last
build (its size, time and digest, its problems, its notes' keys for the checks across posts),
and, in `meta`, what the rows were built from and the digest of the state file they match. A
store that does not match the state file on disk is never used: the build goes the whole way
and fills it again.

The store's rows go into the package as they are, so they are read as untrusted input, like the
state file: a store that cannot be read (a damaged file, another schema, text that is not UTF-8,
a value of the wrong type) or that holds a row no build wrote (one whose seal, a digest keyed
with this machine's cache key, does not match it) raises `Unusable`, and the build goes the whole
way, which fills the store again (a damaged file is deleted first: `refill`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flashgen.model import MAX_MOD, Note

if TYPE_CHECKING:
    from flashgen.write.state import NoteRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS notes (
    guid TEXT NOT NULL UNIQUE, source TEXT NOT NULL, deck TEXT NOT NULL, removed INTEGER NOT NULL,
    mid INTEGER NOT NULL, mod INTEGER NOT NULL, tags TEXT NOT NULL, flds TEXT NOT NULL,
    sfld TEXT NOT NULL, ncards INTEGER NOT NULL, line BLOB NOT NULL, h1 INTEGER NOT NULL, h2 INTEGER NOT NULL,
    seal BLOB NOT NULL
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
CREATE INDEX IF NOT EXISTS posts_by_position ON posts (position);  -- the order a plan reads them in
CREATE TABLE IF NOT EXISTS keys (kind TEXT NOT NULL, key TEXT NOT NULL, post TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS keys_by_key ON keys (kind, key);
CREATE INDEX IF NOT EXISTS keys_by_post ON keys (post);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_VERSION = "6"  # of the schema: a store of another is made again


class Unusable(sqlite3.DatabaseError):
    """The store is not what a build wrote: damaged, of another schema, or holding a row no build
    makes. A DatabaseError, so that whoever reads a store takes it as one that cannot be read:
    the build goes the whole way (and fills the store again)."""


def _columns(connection: sqlite3.Connection) -> dict[str, list[str]]:
    tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {name: [row[1] for row in connection.execute(f"PRAGMA table_info({name})")] for name in tables}


_EXPECTED: dict[str, list[str]] = {}  # the tables' columns as _SCHEMA makes them


def _expected() -> dict[str, list[str]]:
    if not _EXPECTED:
        memory = sqlite3.connect(":memory:")
        memory.executescript(_SCHEMA)
        _EXPECTED.update(_columns(memory))
        memory.close()
    return _EXPECTED


def discard(path: Path) -> None:
    """Delete a store (and its journal files): it is only ever a shortcut."""
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            stale.unlink(missing_ok=True)


def path_for(cache: Path, package: Path) -> Path | None:
    """Where the store of the deck written to `package`, with the cache folder `cache`, is kept:
    in the user's own cache folder, beside the key that signs caches, never in the project. Its
    rows go into the package as they are, so a store that came with a repository (a cache folder
    committed by mistake, or planted) must never be the one read. None without a home folder."""
    from flashgen.keys import user_folder

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


def connect(path: Path, damaged: Callable[[str], None] | None = None) -> sqlite3.Connection:
    """The store at `path`, made when there is none. One of another flashgen, one whose tables
    are not the ones this flashgen makes, and a file that is not an SQLite database at all are
    deleted and made again, from nothing (damage deeper in the file is found when it is read);
    `damaged` is told why, when the file was not a database."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = _open(path)
    except sqlite3.DatabaseError as exc:
        if path.name == _SCRATCH or isinstance(exc, sqlite3.OperationalError):
            raise  # a scratch store is new; a locked or full disk is not the file's fault
        if damaged is not None:
            damaged(str(exc))
        connection = None
    if connection is None:  # another flashgen's, another program's, or not a database at all
        discard(path)
        connection = _open(path)
        assert connection is not None  # a new file holds no tables
    return connection


def _open(path: Path) -> sqlite3.Connection | None:
    """The store, or None when the file holds another flashgen's (or another program's) tables."""
    connection = sqlite3.connect(path, isolation_level=None)  # transactions are ours to begin
    try:
        connection.execute(
            "PRAGMA journal_mode = OFF" if path.name == _SCRATCH else "PRAGMA journal_mode = WAL"
        )
        connection.execute("PRAGMA synchronous = OFF")
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        made = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if (
            made
            and path.name != _SCRATCH
            and (version != int(_VERSION) or _columns(connection) != _expected())
        ):
            connection.close()
            return None
        if version != int(_VERSION):
            connection.execute(f"PRAGMA user_version = {_VERSION}")
        connection.executescript(_SCHEMA)
    except BaseException:
        connection.close()
        raise
    return connection


_SCRATCH = "rows.sqlite"  # a store made for one build only, in a folder that is removed


def scratch(folder: Path) -> Path:
    return folder / _SCRATCH


def put(
    connection: sqlite3.Connection,
    notes: Iterable[Note],
    records: Mapping[str, NoteRecord],
    reverse: bool = False,
) -> None:
    """Add the notes (as shipped, with their records in the next state) to the store; the
    caller has removed what they replace, in the same transaction. `reverse`: the deck's basic
    note type has the reverse card's fields (state.reversible)."""
    from flashgen.write import anki, state  # genanki: only to pack

    card_rows: list[tuple[str, int, int]] = []
    key = _sealing_key()

    def note_rows() -> Iterator[tuple[object, ...]]:
        # Made one at a time as SQLite takes them (a deck's rows are not held twice over), in the
        # order of the table's key, where SQLite adds them fastest.
        for note in sorted(notes, key=_guid):
            record = records[note.guid]
            row = anki.note_row(note, reverse)
            line = state.record_line(note.guid, record).encode()
            digest = hashlib.blake2b(line, digest_size=8).digest()
            where = (note.guid, record.source, record.deck or "", int(record.removed))
            sums = (int.from_bytes(digest[:4], "big") >> 1, int.from_bytes(digest[4:], "big") >> 1)
            shipped = (*where, row.mid, record.mod, row.tags, row.flds, row.sfld, len(row.ords), line)
            yield (*shipped, *sums, _seal(key, shipped, row.ords))
            card_rows.extend((note.guid, position, number) for position, number in enumerate(row.ords))

    connection.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", note_rows())
    connection.executemany("INSERT INTO cards VALUES (?, ?, ?)", card_rows)


def _guid(note: Note) -> str:
    return note.guid


def refill(
    connection: sqlite3.Connection,
    notes: Iterable[Note],
    records: Mapping[str, NoteRecord],
    reverse: bool = False,
) -> None:
    """Empty the store and put these notes in it, in one transaction. A store too damaged to be
    emptied is deleted (the caller then uses a store of its own for this build; the next build
    makes a new one)."""
    try:
        connection.execute("BEGIN")
        for table in ("meta", "notes", "cards", "posts", "keys"):
            connection.execute(f"DELETE FROM {table}")
        put(connection, notes, records, reverse)
        connection.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        if not isinstance(exc, sqlite3.OperationalError | sqlite3.IntegrityError):
            file = next(
                (f for _, name, f in connection.execute("PRAGMA database_list") if name == "main"), ""
            )
            if file and Path(file).name != _SCRATCH:
                discard(Path(file))
        raise
    # Rows this build put, every one: `lines` need not check them again.
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS fg_filled_here (x)")


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
    the file's bytes). Rows this build did not put there are checked against their seals first
    (`_seal`): a row no build wrote raises Unusable before any of it reaches a package."""
    checked = not _filled_here(connection)
    key = _sealing_key() if checked else b""
    cursor = connection.execute(
        f"{_ORDS} SELECT n.line, {_SEALED}, n.seal, n.guid FROM notes n LEFT JOIN o ON o.guid = n.guid "
        "ORDER BY n.guid"
        if checked
        else "SELECT line FROM notes ORDER BY guid"
    )
    parts = []
    while batch := cursor.fetchmany(4096):
        if checked:
            for line, sealed, seal, guid in batch:
                if not isinstance(sealed, bytes) or _sealed(key, sealed, line) != seal:
                    raise Unusable(f"the note {str(guid)[:64]!r} is not a row a build wrote")
        part = b",".join([row[0] for row in batch])
        _utf8(part)
        parts.append(part)
    return parts


# What a row's seal is over, but its line: each value shipped (and its cards' numbers) written
# with its length, as SQLite writes it out (a column's text, a number's digits) and as `_seal` does.
_SEALED_COLUMNS = ("guid", "source", "deck", "removed", "mid", "mod", "tags", "flds", "sfld", "ncards")
# Each note's cards' numbers, in one pass over the cards (their key is the note's id, then place).
_ORDS = (
    "WITH o AS (SELECT guid, group_concat(ord) AS ords FROM "
    "(SELECT guid, ord FROM cards ORDER BY guid, position) GROUP BY guid)"
)
_SEALED = (
    "CAST("
    + " || ".join(
        f"length({c}) || ':' || {c}" for c in (*(f"n.{c}" for c in _SEALED_COLUMNS), "coalesce(o.ords, '')")
    )
    + " AS BLOB)"
)


def _sealing_key() -> bytes:
    """The key rows are sealed with: this machine's key for caches, in the user's cache folder
    (none: a store only this build uses, which nothing checks)."""
    from flashgen.keys import signing_key

    return (signing_key() or b"")[:64]


def _seal(key: bytes, shipped: tuple[object, ...], ords: Iterable[int]) -> bytes:
    """A keyed digest of everything of a note row that goes into a package or a state file (and
    its cards' numbers). A row planted or changed by anyone without this machine's key, or
    damaged, does not match its seal. Far cheaper than sanitising every field of every row again
    (5 s of a one-post rebuild of 10,000 posts), and the same trust as the signed cache's: what
    is in the user's cache folder with the key is this machine's. Each value is written with its
    length, so no two rows read as one text; `shipped` is the row's _SEALED_COLUMNS, then its line."""
    *values, line = shipped
    assert isinstance(line, bytes)
    text = "".join(f"{len(value)}:{value}" for value in map(str, (*values, ",".join(map(str, ords)))))
    return _sealed(key, text.encode(), line)


def _sealed(key: bytes, sealed: bytes, line: object) -> bytes:
    if not isinstance(line, bytes):
        return b""  # no row a build writes: it matches no seal
    return hashlib.blake2b(sealed + line, key=key, digest_size=16).digest()


def vouch(connection: sqlite3.Connection) -> None:
    """Take the store's rows as this machine's own, unchecked: the caller knows the file is the
    one the last clean build left (unchanged.store_as_recorded)."""
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS fg_filled_here (x)")


def _filled_here(connection: sqlite3.Connection) -> bool:
    """Whether this connection filled the store (`refill`): its rows are this build's own."""
    found = connection.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'fg_filled_here'").fetchone()
    return found is not None


def _utf8(data: bytes) -> str:
    try:
        return data.decode()
    except UnicodeDecodeError as exc:
        raise Unusable(f"a note's line is not UTF-8 ({exc.reason})") from None


def lines_digest(connection: sqlite3.Connection) -> str:
    """A digest of every note's line (so of everything the package is made of but the note types,
    the CSS and the images), summed by SQLite: a note's line changes, the sums change."""
    count, first, second = connection.execute("SELECT count(*), sum(h1), sum(h2) FROM notes").fetchone()
    return f"{count}:{first or 0:x}:{second or 0:x}"


def records_of(connection: sqlite3.Connection, sources: Iterable[str]) -> dict[str, NoteRecord]:
    """The last build's records of the notes of these posts, removed ones included."""
    from flashgen.write import state

    found: dict[str, NoteRecord] = {}
    for source in sources:
        for (line,) in connection.execute("SELECT line FROM notes WHERE source = ?", (source,)):
            if not isinstance(line, bytes):
                raise Unusable("a note's line is not bytes")
            try:
                guid, record = state.read_line(_utf8(line))
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise Unusable(f"a note's line is not one a build writes ({exc})") from None
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
    key: str = ""  # its name, which two posts must not share (building.whole._renamed)
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
    """Every post's record, in the order of the last build, without its notes' keys (`keys_of`).
    Raises Unusable for a record that is not one a build writes."""
    found = []
    for row in connection.execute(
        "SELECT path, label, size, mtime_ns, digest, failed, volatile, key, kinds, more "
        "FROM posts ORDER BY position"
    ):
        found.append(_checked(row))
    return found


def _checked(row: tuple[object, ...]) -> PostRecord:
    try:
        return _post(row)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise Unusable(f"a post's record is not one a build writes ({exc})") from None


@dataclass(frozen=True, slots=True)
class Stamp:
    """What the planner compares of a post: its size, time and digest as the last build saw them,
    whether it must be read on every build, and its images' sizes and times."""

    size: int
    mtime_ns: int
    digest: str
    failed: bool
    volatile: bool
    images: list[tuple[str, int | None, int | None]]


def stamps(connection: sqlite3.Connection) -> dict[str, Stamp]:
    """Every post's stamp by its path, in the order of the last build: the part of its record a
    build reads when nothing changed (`posts` reads the rest). Raises Unusable for a row that is
    not one a build writes."""
    (wrong,) = connection.execute(_MISTYPED).fetchone()
    if wrong:
        raise Unusable("a post's record is not one a build writes (a column holds another type)")
    found: dict[str, Stamp] = {}
    query = "SELECT path, size, mtime_ns, digest, failed, volatile, more FROM posts ORDER BY position"
    for path, size, mtime_ns, digest, failed, volatile, more in connection.execute(query):
        try:
            images = [_image(item) for item in json.loads(more)["images"]] if more else []
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            raise Unusable(f"a post's record is not one a build writes ({exc})") from None
        found[path] = Stamp(size, mtime_ns, digest, bool(failed), bool(volatile), images)
    return found


# The rows whose stamp columns do not hold the types a build writes, counted by SQLite itself.
_MISTYPED = (
    "SELECT count(*) FROM posts WHERE typeof(path) != 'text' OR typeof(digest) != 'text' "
    "OR typeof(more) != 'text' OR typeof(size) != 'integer' OR typeof(mtime_ns) != 'integer' "
    "OR typeof(failed) != 'integer' OR typeof(volatile) != 'integer'"
)


_MEDIA_NAME = re.compile(r"fg-[0-9a-f]{20}(?:-[0-9]{1,6}px\.webp|\.[a-z0-9]{1,8})")


def _post(row: tuple[object, ...]) -> PostRecord:
    """A post's row, each value checked for its type (and a media file's name and suffix: it is
    packed as it is, so the row must not name any file on the disk as a picture)."""
    path, label, size, mtime_ns, digest, failed, volatile, key, kinds, more = row
    texts = (path, label, digest, key, kinds, more)
    if not all(isinstance(value, str) for value in texts):
        raise TypeError("a text column holds another type")
    if not all(isinstance(value, int) for value in (size, mtime_ns, failed, volatile)):
        raise TypeError("a number column holds another type")
    problems: list[tuple[str, int, str]] = []
    images: list[tuple[str, int | None, int | None]] = []
    media: list[tuple[str, str]] = []
    if more:  # most posts have no problems and no images
        data = json.loads(str(more))
        problems = [_problem(item) for item in data["problems"]]
        images = [_image(item) for item in data["images"]]
        media = [_media(item) for item in data["media"]]
    counts = json.loads(str(kinds))
    if not isinstance(counts, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
        for k, v in counts.items()
    ):
        raise ValueError("the kinds of its notes are not counts")
    record = PostRecord(
        str(path),
        str(label),
        int(str(size)),
        int(str(mtime_ns)),
        str(digest),
        bool(failed),
        bool(volatile),
        str(key),
        problems,
        counts,
    )
    record.images, record.media = images, media
    return record


def _problem(item: object) -> tuple[str, int, str]:
    if not (
        isinstance(item, list)
        and len(item) == 3
        and item[0] in ("info", "warning", "error")  # api.Severity
        and isinstance(item[1], int)
        and isinstance(item[2], str)
        and not any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in item[2])
    ):
        raise ValueError(f"not a problem: {item!r:.60}")
    return (item[0], item[1], item[2])


def _image(item: object) -> tuple[str, int | None, int | None]:
    if not (
        isinstance(item, list)
        and len(item) == 3
        and isinstance(item[0], str)
        and all(value is None or isinstance(value, int) for value in item[1:])
    ):
        raise ValueError(f"not an image: {item!r:.60}")
    return (item[0], item[1], item[2])


def _media(item: object) -> tuple[str, str]:
    if not (isinstance(item, list) and len(item) == 2 and all(isinstance(value, str) for value in item)):
        raise ValueError(f"not a media file: {item!r:.60}")
    name, file = item
    if not _MEDIA_NAME.fullmatch(name) or (
        not name.endswith("px.webp") and not file.lower().endswith(name[name.rindex(".") :])
    ):
        raise ValueError(f"not a media file: {item!r:.60}")
    return (name, file)


def records(connection: sqlite3.Connection, paths: Iterable[str]) -> dict[str, PostRecord]:
    """The records of these posts (those the store knows), by path, without their notes' keys.
    Raises Unusable for a record that is not one a build writes."""
    found: dict[str, PostRecord] = {}
    for path in paths:
        row = connection.execute(
            "SELECT path, label, size, mtime_ns, digest, failed, volatile, key, kinds, more FROM posts "
            "WHERE path = ?",
            (path,),
        ).fetchone()
        if row is not None:
            found[path] = _checked(row)
    return found


def named(
    connection: sqlite3.Connection,
    besides: Iterable[str],
    *,
    label: str | None = None,
    key: str | None = None,
) -> bool:
    """Whether a post other than those in `besides` (paths) has this label (its path in its
    source) or this key (its name, which two posts must not share)."""
    _hold_besides(connection, besides)
    found = connection.execute(
        "SELECT 1 FROM posts WHERE (label = ? OR key = ?) AND path NOT IN (SELECT post FROM fg_besides) "
        "LIMIT 1",
        (label, key),
    ).fetchone()
    return found is not None


def summary(
    connection: sqlite3.Connection,
) -> tuple[dict[str, int], list[tuple[str, str]], list[tuple[str, list[tuple[str, int, str]]]]]:
    """What the deck's posts make, from their records: the notes of each kind, the images packed
    (name in the deck, file), and each post's problems in the posts' order (posts without any
    left out). Reads only the records that have images or problems. Raises Unusable for a
    record that is not one a build writes."""
    kinds: dict[str, int] = {}
    media: set[tuple[str, str]] = set()
    problems: list[tuple[str, list[tuple[str, int, str]]]] = []
    try:
        for kind, count in connection.execute(
            "SELECT j.key, sum(j.value) FROM posts, json_each(posts.kinds) AS j GROUP BY j.key"
        ):
            if not isinstance(kind, str) or not isinstance(count, int) or count < 0:
                raise ValueError("the kinds of its notes are not counts")
            kinds[kind] = count
        for path, more in connection.execute(
            "SELECT path, more FROM posts WHERE more != '' ORDER BY position"
        ):
            data = json.loads(str(more))
            media.update(_media(item) for item in data["media"])
            if said := [_problem(item) for item in data["problems"]]:
                problems.append((str(path), said))
    except sqlite3.OperationalError as exc:
        if "JSON" not in str(exc):
            raise  # a locked store, a full disk: not the file's fault
        raise Unusable(f"a post's record is not one a build writes ({exc})") from None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise Unusable(f"a post's record is not one a build writes ({exc})") from None
    return kinds, sorted(media), problems


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
    connection.execute("DELETE FROM fg_probes")
    connection.executemany("INSERT INTO fg_probes VALUES (?, ?)", probes)
    _hold_besides(connection, besides)
    found = connection.execute(
        "SELECT 1 FROM fg_probes p JOIN keys k ON k.kind = p.kind AND k.key = p.key "
        "WHERE k.post NOT IN (SELECT post FROM fg_besides) LIMIT 1"
    ).fetchone()
    return found is not None


def _hold_besides(connection: sqlite3.Connection, besides: Iterable[str]) -> None:
    """Put the paths of the posts a question leaves out in a temporary table, for SQL to read."""
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS fg_besides (post TEXT PRIMARY KEY)")
    connection.execute("DELETE FROM fg_besides")
    connection.executemany("INSERT OR IGNORE INTO fg_besides VALUES (?)", ((path,) for path in besides))


def set_meta(connection: sqlite3.Connection, **values: str) -> None:
    connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", values.items())


def meta(connection: sqlite3.Connection) -> dict[str, str]:
    """What the rows were built from (see the module's docstring), each value checked to be what
    a build writes there. Raises Unusable otherwise."""
    values = dict(connection.execute("SELECT name, value FROM meta"))
    try:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in values.items()):
            raise TypeError("a value that is not text")
        for name, check in _META.items():
            if name in values:
                check(json.loads(values[name]) if name in _JSON else values[name])
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise Unusable(f"what the store says it was built from is not what a build writes ({exc})") from None
    return values


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise ValueError(what)


def _mods(value: object) -> None:
    """Note type id → (hash, mod), as `json.dumps(state.note_types)` writes it."""
    if not isinstance(value, dict):
        raise ValueError("note types")
    for pair in value.values():
        _require(isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str), "a note type")
        mod = pair[1]
        _require(isinstance(mod, int) and not isinstance(mod, bool) and 0 <= mod <= MAX_MOD, "a mod")


_JSON = frozenset({"across", "involved", "note_types"})
_META: dict[str, Callable[[object], None]] = {
    "across": lambda v: _require(isinstance(v, list) and all(_across(p) for p in v), "problems"),
    "involved": lambda v: _require(isinstance(v, list) and all(isinstance(p, str) for p in v), "posts"),
    "note_types": _mods,
    "reverse": lambda v: _require(v in ("", "1"), "reverse cards or none"),
    "read_ns": lambda v: _require(
        isinstance(v, str) and v.isascii() and v.isdigit() and len(v) < 25, "a time"
    ),
}


def _across(item: object) -> bool:
    """A problem found across posts: [severity, path, line, message]."""
    if not (isinstance(item, list) and len(item) == 4 and isinstance(item[1], str)):
        return False
    _problem([item[0], item[2], item[3]])
    return True
