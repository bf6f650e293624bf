"""Deck → .apkg. The only module that imports genanki.

The note types are a published contract: Anki matches them by id, and a note type whose fields
change is imported as a conflicting copy ("flashgen basic+") whose notes are never updated again.
So the ids are constants and the fields below must never change; templates and CSS may.

One change is made, once, and only to a deck that asks for it: the first reverse card (a post or
the configuration says `reverse`) gives the basic note type two more fields and a second card
(REVERSE_FIELDS). The build says to import that deck once with "Merge note types" ticked and
"Update notes" set to "Always" (the merge marks the notes Anki holds modified at the time of
the import, so "if newer" would update none); the deck keeps them from then on (the state file
says so), reverse cards on or off.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import hashlib
import io
import itertools
import json
import os
import re
import shutil
import sqlite3
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import genanki

from flashgen.model import Deck, Note
from flashgen.read.media import packed_bytes
from flashgen.read.render import CODE_CSS
from flashgen.write.state import content_hash

BASIC_MODEL_ID = 1_733_100_001
CLOZE_MODEL_ID = 1_733_100_002
BASIC_FIELDS = ("Front", "Back", "Context", "Source", "Extra")
CLOZE_FIELDS = ("Text", "Context", "Source", "Extra")
# The reverse card's question (the definition, its term hidden) and answer (the term): filled, the
# basic note type's second card is made; empty, it is not (Anki's "optional reversed card").
REVERSE_FIELDS = ("Reverse", "Term")

BASE_CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans KR", "Apple SD Gothic Neo",
    "Malgun Gothic", "Noto Sans CJK KR", "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.5;
  text-align: left;
  color: #1d1d1f;
  background-color: #ffffff;
  max-width: 42em;
  margin: 0 auto;
  padding: 0.5em;
  word-break: keep-all;
  overflow-wrap: anywhere;
}
.fg-context { font-size: 0.7em; color: #6e6e73; margin-bottom: 0.8em; }
.fg-question { font-weight: 600; }
.fg-header { font-weight: 600; margin-bottom: 0.3em; }
.fg-answer ul, .fg-answer ol, .fg-enum { padding-left: 1.3em; margin: 0.3em 0; }
.fg-extra, .fg-source { font-size: 0.7em; color: #6e6e73; margin-top: 1em; }
.cloze { font-weight: 700; color: #0a58ca; }
a { color: #0a58ca; }
img { max-width: 100%; height: auto; }
code { font-family: "SFMono-Regular", Menlo, Consolas, "D2Coding", monospace; font-size: 0.9em;
  background: rgba(127, 127, 127, 0.15); padding: 0.1em 0.3em; border-radius: 4px; }
pre { overflow-x: auto; padding: 0.6em; background: rgba(127, 127, 127, 0.12); border-radius: 6px; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; }
th, td { border: 1px solid rgba(127, 127, 127, 0.4); padding: 0.2em 0.5em; }
blockquote { margin: 0.5em 0; padding-left: 0.8em; border-left: 3px solid rgba(127, 127, 127, 0.4); }
.nightMode.card, .night_mode .card { color: #e5e5e7; background-color: #1e1e1e; }
.nightMode .fg-context, .night_mode .fg-context,
.nightMode .fg-extra, .night_mode .fg-extra,
.nightMode .fg-source, .night_mode .fg-source { color: #a1a1a6; }
.nightMode .cloze, .night_mode .cloze, .nightMode a, .night_mode a { color: #6ea8fe; }
.mobile .card, .mobile.card { font-size: 18px; padding: 0.2em; }
"""

CSS = BASE_CSS + "\n/* code, highlighted at build time */\n" + CODE_CSS + "\n"

_BACK_MATTER = (
    '{{#Extra}}<div class="fg-extra">{{Extra}}</div>{{/Extra}}\n'
    '{{#Source}}<div class="fg-source">{{Source}}</div>{{/Source}}'
)

_BASIC_TEMPLATES = [
    {
        "name": "Card 1",
        "qfmt": '<div class="fg-context">{{Context}}</div>\n<div class="fg-question">{{Front}}</div>',
        "afmt": '{{FrontSide}}\n<hr id="answer">\n<div class="fg-answer">{{Back}}</div>\n' + _BACK_MATTER,
    }
]
_REVERSE_TEMPLATE = {
    "name": "Reverse",
    "qfmt": "{{Reverse}}",
    "afmt": '{{FrontSide}}\n<hr id="answer">\n<div class="fg-answer">{{Term}}</div>\n' + _BACK_MATTER,
}
_CLOZE_TEMPLATES = [
    {
        "name": "Cloze",
        "qfmt": '<div class="fg-context">{{Context}}</div>\n<div class="fg-cloze">{{cloze:Text}}</div>',
        "afmt": '<div class="fg-context">{{Context}}</div>\n<div class="fg-cloze">{{cloze:Text}}</div>\n'
        + _BACK_MATTER,
    }
]


def note_types(extra_css: str = "", reverse: bool = False) -> tuple[genanki.Model, genanki.Model]:
    """The basic and cloze note types; `extra_css` (the user's own) is appended to ours. With
    `reverse`, the basic type has the fields and card of reverse cards."""
    css = CSS + ("\n/* user CSS */\n" + extra_css if extra_css else "")
    fields = BASIC_FIELDS + REVERSE_FIELDS if reverse else BASIC_FIELDS
    templates = [*_BASIC_TEMPLATES, _REVERSE_TEMPLATE] if reverse else _BASIC_TEMPLATES
    basic = genanki.Model(
        BASIC_MODEL_ID,
        "flashgen basic",
        fields=[{"name": name} for name in fields],
        templates=[dict(t) for t in templates],
        css=css,
    )
    cloze = genanki.Model(
        CLOZE_MODEL_ID,
        "flashgen cloze",
        fields=[{"name": name} for name in CLOZE_FIELDS],
        templates=[dict(t) for t in _CLOZE_TEMPLATES],
        css=css,
        model_type=genanki.Model.CLOZE,
    )
    return basic, cloze


BASIC_MODEL, CLOZE_MODEL = note_types()
REVERSIBLE_MODEL = note_types(reverse=True)[0]


def note_type_hashes(extra_css: str = "", reverse: bool = False) -> dict[str, str]:
    """A digest of each note type's name, fields, templates and CSS, by note type id."""
    return {
        str(model.model_id): content_hash(model.name, model.fields, model.templates, model.css)
        for model in note_types(extra_css, reverse)
    }


# Zip entries carry no clock: a fixed date and mode make the package depend on its content only.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def deck_id(name: str) -> int:
    """A deck id derived from the deck's name, so the same deck keeps its id across builds."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
    return (1 << 30) + int.from_bytes(digest, "big") % (1 << 30)


_CLOZE_NUMBER = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)


@dataclass(frozen=True, slots=True)
class NoteRow:
    """A note as its rows in Anki's database: the `notes` row's own columns, and the `ord` of
    each of its cards (what genanki's Note would write, less the ids, which `write_collection`
    gives)."""

    mid: int
    tags: str
    flds: str
    sfld: str
    ords: tuple[int, ...]


def note_row(note: Note, reverse: bool = False) -> NoteRow:
    """The note's row, as genanki makes it: fields joined by U+001F, the first as the sort field,
    tags between spaces, one card per cloze number (cloze) or per template whose fields are
    filled (basic). `reverse`: the deck's basic note type has the reverse card's fields."""
    fields = note_fields(note, reverse)
    for tag in note.tags:
        if " " in tag:
            raise ValueError(f"a tag may not hold a space: {tag!r}")
    if note.cloze:
        ords = tuple(sorted({int(n) - 1 for n in _CLOZE_NUMBER.findall(fields[0]) if int(n) > 0}))
        mid = CLOZE_MODEL_ID
    else:
        ords = tuple(
            number
            for number, mode, required in (REVERSIBLE_MODEL if reverse else BASIC_MODEL)._req
            if (any if mode == "any" else all)(fields[i] for i in required)
        )
        mid = BASIC_MODEL_ID
    return NoteRow(mid, " " + " ".join(note.tags) + " ", "\x1f".join(fields), fields[0], ords)


def write_collection(
    database: Path,
    rows: Path,
    *,
    deck_name: str,
    note_type_mods: Mapping[str, int],
    extra_css: str = "",
    reverse: bool = False,
) -> None:
    """Write Anki's database of a package from the rows of a deck store (store.py), attached
    read-only: genanki writes the schema, the decks and the note types; the notes and cards are
    copied over by SQLite in id order, so the file's bytes depend on the rows alone, however the
    store came to hold them (a whole build, or one post updated in place).

    Ids count up from each note's `mod` (in milliseconds, as Anki's own ids), in order of mod
    and GUID, each note followed by its cards: a note keeps its id while its content and the
    notes stamped before it stay as they were. Anki matches notes by GUID on import, never by id.
    """
    basic, cloze = note_types(extra_css, reverse)
    connection = sqlite3.connect(database)
    try:
        cursor = connection.cursor()
        # A scratch file we zip and delete: no journal, no waiting for the disk.
        cursor.execute("PRAGMA journal_mode = OFF")
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("ATTACH DATABASE ? AS s", (str(rows),))
        used: dict[str, set[int]] = {deck_name: set()}
        for deck, mid in cursor.execute("SELECT DISTINCT deck, mid FROM s.notes"):
            used.setdefault(deck or deck_name, set()).add(mid)
        decks = []
        for name in sorted(used):
            package_deck = genanki.Deck(deck_id(name), name)
            for model in (basic, cloze):
                if model.model_id in used[name]:
                    package_deck.add_model(model)
            decks.append(package_deck)
        (newest_note,) = cursor.execute("SELECT max(mod) FROM s.notes").fetchone()
        newest = max(newest_note or 0, *note_type_mods.values(), 0)
        genanki.Package(decks).write_to_db(cursor, newest, itertools.count(newest * 1000))
        cursor.execute("CREATE TEMP TABLE fg_decks (name TEXT PRIMARY KEY, did INTEGER NOT NULL)")
        cursor.executemany(
            "INSERT INTO fg_decks VALUES (?, ?)",
            [("", deck_id(deck_name)), *((name, deck_id(name)) for name in used if name != deck_name)],
        )
        # Ids in order of (mod, GUID), which the store's index keeps: each note's id is its mod in
        # milliseconds, or the id after the last note's cards when that is larger. In SQL, as a
        # running sum and a running maximum: nid = before + max(mod * 1000 - before) over the
        # notes so far, where `before` counts the ids the notes before this one took.
        cursor.execute("CREATE TEMP TABLE fg_ids (nid INTEGER PRIMARY KEY, guid TEXT NOT NULL)")
        cursor.execute(
            "INSERT INTO fg_ids SELECT before + max(mod * 1000 - before) OVER "
            "(ORDER BY mod, guid ROWS UNBOUNDED PRECEDING), guid FROM (SELECT guid, mod, "
            "coalesce(sum(1 + ncards) OVER (ORDER BY mod, guid ROWS BETWEEN UNBOUNDED PRECEDING "
            "AND 1 PRECEDING), 0) AS before FROM s.notes)"
        )
        cursor.execute(
            "INSERT INTO notes SELECT i.nid, n.guid, n.mid, n.mod, -1, n.tags, n.flds, n.sfld, 0, 0, '' "
            "FROM fg_ids i JOIN s.notes n ON n.guid = i.guid ORDER BY i.nid"
        )
        cursor.execute(
            "INSERT INTO cards SELECT i.nid + 1 + c.position, i.nid, d.did, c.ord, n.mod, -1, 0, 0, 0, "
            "0, 0, 0, 0, 0, 0, 0, 0, '' FROM fg_ids i JOIN s.notes n ON n.guid = i.guid "
            "JOIN s.cards c ON c.guid = i.guid JOIN fg_decks d ON d.name = n.deck ORDER BY i.nid, c.position"
        )
        _set_type_mods(cursor, note_type_mods)
        connection.commit()
        cursor.execute("DETACH DATABASE s")
    finally:
        connection.close()
    _without_library_version(database)


def package_bytes(
    rows: Path,
    deck: Deck,
    *,
    note_type_mods: Mapping[str, int],
    extra_css: str = "",
    media_cache: Path | None = None,
    reverse: bool = False,
) -> bytes:
    """The .apkg of the deck whose notes are in the store `rows`, as bytes that depend on their
    inputs only (re-encoded pictures are kept in `media_cache`, when given, for the next build)."""
    # genanki's own write_to_file leaves its SQLite file in the temp folder and stamps the zip
    # with the clock; we build the database in a folder we remove and write the zip ourselves.
    with tempfile.TemporaryDirectory(prefix="flashgen-") as work:
        database = Path(work) / "collection.anki2"
        write_collection(
            database,
            rows,
            deck_name=deck.name,
            note_type_mods=note_type_mods,
            extra_css=extra_css,
            reverse=reverse,
        )
        media_index = json.dumps({str(i): name for i, (name, _) in enumerate(deck.media)}).encode()
        entries: list[tuple[str, Path | bytes]] = [("collection.anki2", database), ("media", media_index)]
        for i, (name, file) in enumerate(deck.media):
            entries.append((str(i), packed_bytes(name, file, media_cache)))
        return _zip(entries)


def basic_fields_in(package: Path) -> list[str]:
    """The fields of the basic note type an .apkg (one flashgen wrote) ships; none when it ships
    no basic notes."""
    with tempfile.TemporaryDirectory(prefix="flashgen-") as work, zipfile.ZipFile(package) as archive:
        database = Path(work) / "collection.anki2"
        database.write_bytes(archive.read("collection.anki2"))
        connection = sqlite3.connect(database)
        try:
            (models,) = connection.execute("SELECT models FROM col").fetchone()
        finally:
            connection.close()
    basic = json.loads(models).get(str(BASIC_MODEL_ID), {})
    return [str(field["name"]) for field in basic.get("flds", [])]


def largest_media(package: bytes) -> tuple[str, int] | None:
    """The name and size of the largest media file in a package, as packed (for the build's
    summary: what to shrink when a deck is too large for a phone)."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        names: dict[str, str] = json.loads(archive.read("media"))
        sizes = [(names[i.filename], i.file_size) for i in archive.infolist() if i.filename in names]
    return max(sizes, key=lambda item: (item[1], item[0]), default=None)


def note_fields(note: Note, reverse: bool = False) -> list[str]:
    """The note's fields, in its note type's order (the contract at the top of this module);
    `reverse`: the basic note type has the reverse card's fields."""
    if note.cloze:
        fields = [note.front, note.context, note.source, note.extra]
    else:
        fields = [note.front, note.back, note.context, note.source, note.extra]
        if reverse:
            fields.extend(note.reverse or ("", ""))
    # U+001F separates fields inside Anki's database: in a field's text it would split the field.
    return [field.replace("\x1f", "") for field in fields]


def _without_library_version(database: Path) -> None:
    """Blank the SQLite library's version in the database's header (bytes 92-99: "version-valid-
    for" and the version that last wrote it), so the same deck is the same bytes on machines with
    different SQLite builds. SQLite treats the blank as "recompute the size from the file", which
    it does anyway for a file another program wrote."""
    with database.open("r+b") as handle:
        handle.seek(92)
        handle.write(bytes(8))


def _set_type_mods(cursor: sqlite3.Cursor, type_mods: Mapping[str, int]) -> None:
    (models_json,) = cursor.execute("SELECT models FROM col").fetchone()
    models = json.loads(models_json)
    for type_id, mod in type_mods.items():
        if type_id in models:
            models[type_id]["mod"] = mod
    cursor.execute("UPDATE col SET models = ?", (json.dumps(models, sort_keys=True),))


def _zip(entries: list[tuple[str, Path | bytes]]) -> bytes:
    """The .apkg: a zip with fixed dates and modes. Each entry is deflated in blocks of 1 MiB on
    every core (see _deflate), so its bytes do not depend on how many cores did it."""
    sizes = [len(data) if isinstance(data, bytes) else data.stat().st_size for _, data in entries]
    if len(entries) >= 0xFFFF or max(sizes, default=0) >= _ZIP64_FROM:
        return _zip64(entries)
    out = io.BytesIO()
    central = []
    with concurrent.futures.ThreadPoolExecutor(min(os.cpu_count() or 1, 4)) as pool:
        for (name, data), size in zip(entries, sizes, strict=True):
            compressed, crc = _deflate(data, size, pool)
            if len(compressed) >= _ZIP64_FROM or out.tell() >= _ZIP64_FROM:
                return _zip64(entries)
            encoded = name.encode()
            flags = 0 if name.isascii() else 0x800  # UTF-8 names
            common = (flags, 8, 0, _ZIP_DOS_DATE, crc, len(compressed), size, len(encoded))
            central.append(
                struct.pack(
                    "<4s6H3L5H2L", b"PK\x01\x02", 0x314, 20, *common, 0, 0, 0, 0, 0o644 << 16, out.tell()
                )
                + encoded
            )
            out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, *common, 0) + encoded)
            out.write(compressed)
    directory = b"".join(central)
    start = out.tell()
    out.write(directory)
    out.write(
        struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), start, 0)
    )
    return out.getvalue()


_ZIP64_FROM = 1 << 31  # a zip with an entry or offset this large is written by zipfile, in ZIP64
_ZIP_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, as _ZIP_DATE; the time is 00:00:00
_BLOCK = 1 << 20
# Deflate's level: 4 makes a deck 3 % larger than 6 (zip's default) in half the time.
_LEVEL = 4
_WINDOW = 1 << 15  # deflate's window: each block is primed with the 32 KiB before it


def _deflate(data: Path | bytes, size: int, pool: concurrent.futures.Executor) -> tuple[bytes, int]:
    """Raw deflate (level 4) of a file or bytes, and its CRC-32. The input is cut into blocks of
    1 MiB, each compressed on its own thread with the 32 KiB before it as its dictionary and
    ended on a byte boundary (a sync flush): together they are one deflate stream, as pigz makes
    one, and any inflater reads it. The blocks do not depend on the threads, so neither do the
    bytes; zlib lets go of Python's lock while it compresses, so the threads run at once."""

    def block(start: int, chunk: bytes, primer: bytes) -> bytes:
        compressor = (
            zlib.compressobj(_LEVEL, zlib.DEFLATED, -15, zdict=primer)
            if primer
            else zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
        )
        last = start + len(chunk) >= size
        return compressor.compress(chunk) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)

    def read(handle: BinaryIO | None, start: int, length: int) -> bytes:
        if handle is None:
            assert isinstance(data, bytes)
            return data[start : start + length]
        return os.pread(handle.fileno(), length, start)

    if size == 0:
        return _EMPTY_DEFLATE, 0
    with contextlib.ExitStack() as stack:
        handle = stack.enter_context(data.open("rb")) if isinstance(data, Path) else None
        crc = 0
        pending: collections.deque[concurrent.futures.Future[bytes]] = collections.deque()
        parts: list[bytes] = []
        previous = b""
        for start in range(0, size, _BLOCK):
            chunk = read(handle, start, _BLOCK)
            crc = zlib.crc32(chunk, crc)
            pending.append(pool.submit(block, start, chunk, previous[-_WINDOW:]))
            previous = chunk
            if len(pending) > 8:  # a few blocks in flight: a large file is not held whole
                parts.append(pending.popleft().result())
        parts.extend(future.result() for future in pending)
    return b"".join(parts), crc


_EMPTY_DEFLATE = b"\x03\x00"


def _zip64(entries: list[tuple[str, Path | bytes]]) -> bytes:
    """The .apkg by the zipfile module, which writes ZIP64 where the sizes need it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the machine
            if isinstance(data, bytes):
                archive.writestr(info, data)
                continue
            info.file_size = data.stat().st_size
            with (
                data.open("rb") as source,
                archive.open(info, "w", force_zip64=info.file_size > 2**31) as target,
            ):
                shutil.copyfileobj(source, target, 1 << 20)
    return buffer.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` only once the new file is complete on disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
